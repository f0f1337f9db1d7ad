"""Charts for the report: they take a tidy table and ``ax=None``, draw, and return the Axes.

One colour-blind-safe colour (from seaborn's ``colorblind`` palette) carries every bar; categories
sit on the axis and every bar is labelled with its value, so a chart reads the same in greyscale
print. Plot functions never show or save figures: only the runner writes files.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from .formatting import format_int, format_month, format_pct

BAR_COLOUR = sns.color_palette("colorblind")[0]


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=size)[1]


def distribution_bars(table: pd.DataFrame, *, value: str = "pct", ax: Axes | None = None) -> Axes:
    """Draw a table's categories as horizontal bars in table order, each labelled with its value.

    Parameters
    ----------
    table : DataFrame
        Tidy table with ``label`` and the ``value`` column (``pct`` or ``count``); a missing value
        (a suppressed cell) draws no bar and is labelled ``*``.
    value : {"pct", "count"}
    ax : Axes, optional
        Axes to draw into; a new figure's when None.

    Returns
    -------
    Axes
    """
    if value not in ("pct", "count"):
        raise ValueError(f"value must be 'pct' or 'count', not {value!r}")
    ax = _axes(ax, (7, 0.45 * len(table) + 0.8))
    values = pd.to_numeric(table[value], errors="coerce").astype(float)
    sns.barplot(x=values.fillna(0).to_numpy(), y=table["label"].to_numpy(), orient="h", color=BAR_COLOUR,
                ax=ax, order=list(table["label"]))
    format_value = format_pct if value == "pct" else format_int
    ax.bar_label(ax.containers[0], labels=[format_value(v) for v in values], padding=3)
    ax.set(xlabel="", ylabel="", xticks=[])
    ax.set_xlim(0, max(values.max(skipna=True) if values.notna().any() else 0, 1) * 1.15)
    sns.despine(ax=ax, bottom=True)
    return ax


def monthly_bars(months: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw cases per month (``month`` as ``YYYY-MM``, ``count``) as columns with Danish month names."""
    ax = _axes(ax, (7, 3))
    names = [format_month(m, short=True).replace(" ", "\n") for m in months["month"]]
    sns.barplot(x=names, y=months["count"].to_numpy(), color=BAR_COLOUR, ax=ax)
    ax.bar_label(ax.containers[0], labels=[format_int(c) for c in months["count"]], padding=2)
    ax.set(xlabel="", ylabel="Sager", yticks=[])
    ax.tick_params(axis="x", labelsize=8)
    sns.despine(ax=ax, left=True)
    return ax


def monthly_trend(months: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw cases per month as one line per type, for looking at trends across years.

    Parameters
    ----------
    months : DataFrame
        Tidy table ``month`` (``YYYY-MM``), ``type``, ``count`` with every month in date order and
        the types in the order the legend lists them, as :func:`reportlib.explore.cases_by_month`
        returns it.
    ax : Axes, optional
        Axes to draw into; a new figure's when None.

    Returns
    -------
    Axes
    """
    ax = _axes(ax, (9, 3.5))
    labels = pd.unique(months["month"])
    position = pd.Index(labels).get_indexer(months["month"])
    sns.lineplot(x=position, y=months["count"].to_numpy(), hue=months["type"].to_numpy(),
                 hue_order=list(pd.unique(months["type"])), palette="colorblind", marker="o", ax=ax)
    step = max(1, -(-len(labels) // 12))  # at most twelve month labels, however long the register
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [format_month(labels[i], short=True).replace(" ", "\n") for i in ticks])
    ax.set(xlabel="Måned", ylabel="Sager")
    ax.set_ylim(bottom=0)
    ax.tick_params(axis="x", labelsize=8)
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title="Henvendelsestype", frameon=False)
    sns.despine(ax=ax)
    return ax


def alt_text(table: pd.DataFrame, subject: str, *, value: str = "pct") -> str:
    """Describe a distribution chart in Danish for readers who cannot see it."""
    format_value = format_pct if value == "pct" else format_int
    parts = ", ".join(f"{label} {format_value(v)}" for label, v in zip(table["label"], table[value]))
    return f"Vandret søjlediagram over {subject}: {parts}."


def monthly_alt_text(months: pd.DataFrame) -> str:
    """Describe the cases-per-month chart in Danish."""
    parts = ", ".join(f"{format_month(m)} {format_int(c)}" for m, c in zip(months["month"], months["count"]))
    return f"Søjlediagram over sager pr. måned: {parts}."
