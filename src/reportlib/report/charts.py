"""Charts for the report: they take a tidy table and ``ax=None``, draw, and return the Axes.

One colour-blind-safe colour (from seaborn's ``colorblind`` palette) carries every bar; categories
sit on the axis and every bar is labelled with its value, so a chart reads the same in greyscale
print. Plot functions never show or save figures: only the runner writes files.
"""

from __future__ import annotations

import textwrap
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from reportlib.formatting import NBSP, format_decimal, format_int, format_month, format_pct, month_name
from reportlib.language import _

BAR_COLOUR = sns.color_palette("colorblind")[0]
# Charts are drawn 4.5 inches wide with 11 pt text. Shown at their natural size (432 CSS px) or
# narrower, on a 390 px phone the text is still 12 px, and in print beside their table 10 pt.
WIDTH = 4.5
FONT_SIZE = 11
_LABEL_CHARS = 42  # longer category labels wrap onto a second line


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    figure, ax = plt.subplots(figsize=size)
    figure.subplots_adjust(left=0.01, right=0.99)  # the chart's width is for bars, not margins
    return ax


def _plain_category_labels(ax: Axes, labels: list[str]) -> None:
    """Put the register's labels on the y axis as written: "$5" is text, not mathematics.

    A fixed tick per label is made now, so drawing reuses these Text objects instead of making new
    ones that would parse "$...$" again.
    """
    ax.set_yticks(range(len(labels)), labels)
    for text in ax.get_yticklabels():
        text.set_parse_math(False)


def bars(table: pd.DataFrame, *, value: str = "pct", ax: Axes | None = None) -> Axes:
    """Draw a table's categories as horizontal bars in table order, each labelled with its value.

    Each category's name stands above its bar, so the bars keep the chart's full width on a
    narrow screen.

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
        raise ValueError(_("value must be 'pct' or 'count', not {value}").format(value=repr(value)))
    labels = [textwrap.fill(str(label), _LABEL_CHARS) for label in table["label"]]
    lines = sum(label.count("\n") + 1 for label in labels)
    ax = _axes(ax, (WIDTH, 0.38 * len(table) + 0.2 * lines + 0.1))
    values = pd.to_numeric(table[value], errors="coerce").astype(float)
    positions = np.arange(len(table))
    bars = ax.barh(positions, values.fillna(0).to_numpy(), height=0.5, color=BAR_COLOUR)
    for position, label in zip(positions, labels, strict=True):
        # Labels come from kommune.yml: drawn as written, never read as mathematics ("$5 og $10").
        ax.text(0, position - 0.3, label, ha="left", va="bottom", fontsize=FONT_SIZE, parse_math=False)
    format_value = format_pct if value == "pct" else format_int
    ax.bar_label(bars, labels=[format_value(v) for v in values], padding=3, fontsize=FONT_SIZE)
    ax.set(xlabel="", ylabel="", xticks=[], yticks=[])
    ax.set_ylim(len(table) - 0.6, -0.3 - 0.3 * max(label.count("\n") + 1 for label in labels) if labels else -1)
    ax.set_xlim(0, max(values.max(skipna=True) if values.notna().any() else 0, 1) * 1.18)
    sns.despine(ax=ax, left=True, bottom=True)
    return ax


def _month_tick(month: str, first: bool) -> str:
    """A month's axis label: ``nov``, with the year under it for January and the first month.

    Three letters without a full stop are what fits twelve columns at 11 pt.
    """
    name = month_name(month)[:3]
    return f"{name}\n{month[:4]}" if first or month.endswith("-01") else name


def monthly_bars(months: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw cases per month (``month`` as ``YYYY-MM``, ``count``) as columns with Danish month names."""
    ax = _axes(ax, (WIDTH, 2.6))
    names = [_month_tick(m, i == 0) for i, m in enumerate(months["month"])]
    bars = ax.bar(np.arange(len(names)), months["count"].to_numpy(), width=0.7, color=BAR_COLOUR)
    ax.bar_label(bars, labels=[format_int(c) for c in months["count"]], padding=2, fontsize=FONT_SIZE)
    ax.set_xticks(np.arange(len(names)), names)
    ax.set(xlabel="", ylabel="", yticks=[])
    ax.set_ylim(0, max(int(months["count"].max()) if len(months) else 0, 1) * 1.18)
    ax.tick_params(axis="x", labelsize=FONT_SIZE, length=0)
    sns.despine(ax=ax, left=True)
    return ax


def monthly_trend(months: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw cases per month as one line per type, for looking at trends across years.

    Parameters
    ----------
    months : DataFrame
        Tidy table ``month`` (``YYYY-MM``), ``type``, ``count`` with every month in date order and
        the types in the order the legend lists them, as :func:`reportlib.workbench.tables.cases_by_month`
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
    ax.set_xticks(ticks, [format_month(labels[i], short=True).replace(NBSP, "\n") for i in ticks])
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
    parts = ", ".join(f"{label} {format_value(v)}" for label, v in zip(table["label"], table[value], strict=True))
    return f"Vandret søjlediagram over {subject}: {parts}."


def monthly_alt_text(months: pd.DataFrame) -> str:
    """Describe the cases-per-month chart in Danish."""
    parts = ", ".join(f"{format_month(m)} {format_int(c)}"
                      for m, c in zip(months["month"], months["count"], strict=True))
    return f"Søjlediagram over sager pr. måned: {parts}."


def trend_bars(trend: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw cases per period as one horizontal bar each, split by type, the periods in table order.

    Each period's name stands above its bar and its total at the bar's end; a type's count stands
    inside its part of the bar where it fits. The types take the colours of seaborn's
    ``colorblind`` palette in table order, named in a legend above the bars.

    Parameters
    ----------
    trend : DataFrame
        Tidy table ``period`` (its name, e.g. ``2018/19``), ``label`` (the type), ``count``: every
        type for every period, the periods in date order.
    ax : Axes, optional
        Axes to draw into; a new figure's when None.

    Returns
    -------
    Axes
    """
    periods, types = list(pd.unique(trend["period"])), list(pd.unique(trend["label"]))
    counts = (trend.pivot_table(index="period", columns="label", values="count", aggfunc="sum", sort=False)
              .reindex(index=periods, columns=types).fillna(0).to_numpy(dtype=float))
    ax = _axes(ax, (WIDTH, 0.6 * len(periods) + 0.9))
    totals = counts.sum(axis=1)
    reach = max(totals.max() if len(totals) else 0, 1)
    positions = np.arange(len(periods))
    left = np.zeros(len(periods))
    colours = sns.color_palette("colorblind", len(types))
    for column, (name, colour) in enumerate(zip(types, colours, strict=True)):
        bars = ax.barh(positions, counts[:, column], left=left, height=0.5, color=colour, label=name)
        # A count fits inside its part from a tenth of the longest bar; dark text on a light colour.
        ink = "black" if 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2] > 0.5 else "white"
        shown = [format_int(c) if c >= reach / 10 else "" for c in counts[:, column]]
        ax.bar_label(bars, labels=shown, label_type="center", color=ink, fontsize=FONT_SIZE)
        left += counts[:, column]
    for position, (period, total) in enumerate(zip(periods, totals, strict=True)):
        ax.text(0, position - 0.3, period, ha="left", va="bottom", fontsize=FONT_SIZE, parse_math=False)
        ax.annotate(format_int(total), (total, position), xytext=(3, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=FONT_SIZE)
    ax.set(xlabel="", ylabel="", xticks=[], yticks=[])
    ax.set_ylim(len(periods) - 0.6, -0.9)
    ax.set_xlim(0, reach * 1.15)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=min(len(types), 2), frameon=False, fontsize=FONT_SIZE,
              borderaxespad=0, handlelength=1, columnspacing=1.2)
    sns.despine(ax=ax, left=True, bottom=True)
    return ax


def trend_alt_text(trend: pd.DataFrame) -> str:
    """Describe the trend chart in Danish: every period's total and its count of each type."""
    parts = []
    for period, rows in trend.groupby("period", sort=False):
        types = ", ".join(f"{label} {format_int(count)}" for label, count in zip(rows["label"], rows["count"],
                                                                                  strict=True))
        parts.append(f"{period}: {format_int(rows['count'].sum())} i alt ({types})")
    return "Vandret søjlediagram over sagerne i hver periode, delt efter type. " + "; ".join(parts) + "."


REFERENCE_COLOUR = sns.color_palette("colorblind")[7]  # grey: an average to hold the others against
_NAME_CHARS = 22  # a municipality's name (or an average's) wraps onto a second line beyond this
_NAMES_SHARE = 0.45  # of the chart's width, left of the bars: 22 characters at 11 pt
_ROW_INCHES, _LINE_INCHES = 0.3, 0.17


def comparison_bars(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw one horizontal bar per row, its name to the left and its text at its end; averages in grey and bold.

    Denser than :func:`bars`, so that a network of forty municipalities fits a page: the names stand
    beside their bars, not above them (left-aligned, as a table's; WeasyPrint misplaces right-aligned
    SVG text). The first reference row's value is also drawn as a dashed line to hold every bar against.

    Parameters
    ----------
    table : DataFrame
        ``label``, ``value`` (a number, or missing: no bar), ``text`` (what stands at the bar's end,
        e.g. ``12,5`` or ``*``) and ``reference`` (True for an average), in the order drawn, top first.
    ax : Axes, optional
        Axes to draw into, with room for the names left of it; a new figure's when None.

    Returns
    -------
    Axes
    """
    labels = [textwrap.fill(str(label), _NAME_CHARS) for label in table["label"]]
    heights = [_ROW_INCHES + _LINE_INCHES * label.count("\n") for label in labels]
    if ax is None:
        figure, ax = plt.subplots(figsize=(WIDTH, sum(heights) + 0.1))
        # The names take the left part of the chart's width, so that the whole stays 4.5 inches wide.
        figure.subplots_adjust(left=_NAMES_SHARE, right=0.99, top=1, bottom=0)
    # Each row's centre, from the top, in inches: a two-line name gets the room it needs.
    positions = np.cumsum(heights) - np.asarray(heights) / 2
    values = pd.to_numeric(table["value"], errors="coerce").astype(float)
    references = table["reference"].astype(bool).to_numpy()
    colours = [REFERENCE_COLOUR if reference else BAR_COLOUR for reference in references]
    drawn = ax.barh(positions, values.fillna(0).to_numpy(), height=0.2, color=colours, linewidth=0)
    # A white ground under each text: the dashed average runs behind it, not through "ikke kortlagt".
    texts = ax.bar_label(drawn, labels=list(table["text"]), padding=3, fontsize=FONT_SIZE,
                         bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    names = blended_transform_factory(ax.figure.transFigure, ax.transData)  # x across the figure, y by row
    for position, label, reference in zip(positions, labels, references, strict=True):
        # Names come from the members' documents: drawn as written, never read as mathematics.
        ax.text(0.005, position, label, transform=names, ha="left", va="center", fontsize=FONT_SIZE,
                fontweight="bold" if reference else "normal", parse_math=False, linespacing=1.1)
    if references.any() and not np.isnan(values[references].iloc[0]):
        ax.axvline(values[references].iloc[0], color=REFERENCE_COLOUR, linestyle="--", linewidth=1, zorder=0)
    ax.set(xlabel="", ylabel="", xticks=[], yticks=[])
    ax.set_ylim(sum(heights), 0)
    ax.set_xlim(0, _value_room(ax, values.fillna(0).to_numpy(), texts))
    sns.despine(ax=ax, left=True, bottom=True)
    return ax


def _value_room(ax: Axes, values: np.ndarray, texts: list) -> float:
    """The value axis's end: a fifth beyond the largest bar, or as far as it takes every bar's text to end inside.

    A text as long as ``40 % (96 af 240)`` would otherwise run past the chart, which would then be
    drawn wider and its type smaller; the bars get shorter instead, never less than a third of the width.
    """
    limit = max(float(values.max()) if len(values) else 0.0, 1.0) * 1.22
    renderer = ax.figure.canvas.get_renderer()
    width = ax.get_window_extent(renderer).width
    for value, text in zip(values, texts, strict=True):
        # The text's width and its padding, in pixels: it starts where its bar ends.
        room = width - (text.get_window_extent(renderer).x1 - ax.transData.transform((value, 0))[0])
        if value > 0 and room > width / 3:
            limit = max(limit, float(value) * width / room)
    return limit


# Charts of the exploration notebook (reportlib.workbench.tables's tables).


def _signed(value: int) -> str:
    """A whole change with its sign: ``+3``, ``-2``, ``0``."""
    return f"+{format_int(value)}" if value > 0 else format_int(value)


def handling_time_spread(days: pd.DataFrame, *, target: int | None = None, ax: Axes | None = None) -> Axes:
    """Draw how the handling time spreads per area: a box per area over every case, and the target.

    Parameters
    ----------
    days : DataFrame
        ``area`` (categorical: every category gets a row, in category order) and ``days``, one row per
        closed case, as :func:`reportlib.figures.stats.handling_days` returns it.
    target : int, optional
        The target in days (``maal_sagsbehandlingstid_dage``), drawn as a dashed vertical line.
    ax : Axes, optional
        Axes to draw into; a new figure's when None.

    Returns
    -------
    Axes
    """
    order = list(days["area"].cat.categories)
    ax = _axes(ax, (8, 0.7 * len(order) + 1.2))
    if len(days):
        with warnings.catch_warnings():  # seaborn 0.13 passes matplotlib 3.11's deprecated `vert` to bxp
            warnings.filterwarnings("ignore", message="vert: bool was deprecated")
            sns.boxplot(x=days["days"].to_numpy(), y=days["area"].astype(str).to_numpy(), order=order, orient="h",
                        color="white", linecolor=BAR_COLOUR, showfliers=False, width=0.6, ax=ax)
        sns.stripplot(x=days["days"].to_numpy(), y=days["area"].astype(str).to_numpy(), order=order, orient="h",
                      color=BAR_COLOUR, alpha=0.5, size=3, jitter=0.2, ax=ax)
    else:
        ax.text(0.5, 0.5, "Ingen afsluttede sager", transform=ax.transAxes, ha="center", va="center")
    if target is not None:
        ax.axvline(target, color="black", linestyle="--", linewidth=1)
        ax.annotate(f"Mål: {format_int(target)} dage", xy=(target, 1), xycoords=("data", "axes fraction"),
                    xytext=(4, -2), textcoords="offset points", va="top", fontsize=9)
    _plain_category_labels(ax, order)
    ax.set(xlabel="Dage fra modtaget til afsluttet", ylabel="")
    ax.set_xlim(0, max([*days["days"], target or 0, 1]) * 1.05)  # the longest case in view
    sns.despine(ax=ax)
    return ax


def handling_time_alt_text(summary: pd.DataFrame, target: int | None = None) -> str:
    """Describe the handling-time chart in Danish from :func:`reportlib.workbench.tables.handling_time_by_area`."""
    parts = []
    for row in summary.itertuples(index=False):
        if not row.closed:
            parts.append(f"{row.area}: ingen afsluttede sager")
            continue
        within = (f", {format_pct(row.within_target_pct)} inden for målet"
                  if target is not None and not pd.isna(row.within_target_pct) else "")
        parts.append(f"{row.area}: {format_int(row.closed)} sager, median {format_decimal(row.median)} dage, "
                     f"halvdelen mellem {format_decimal(row.q1)} og {format_decimal(row.q3)} dage{within}")
    goal = f", med målet på {format_int(target)} dage som lodret linje" if target is not None else ""
    return f"Boksdiagram over sagsbehandlingstiden i dage pr. område{goal}. " + "; ".join(parts) + "."


def seasonality_lines(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw cases per month with one line per reporting year, the months of the year along the axis.

    Parameters
    ----------
    table : DataFrame
        ``year``, ``month`` (``YYYY-MM``), ``count``: twelve months per year in date order, as
        :func:`reportlib.workbench.tables.seasonality` returns it.
    ax : Axes, optional
        Axes to draw into; a new figure's when None.

    Returns
    -------
    Axes
    """
    ax = _axes(ax, (8, 3.5))
    years = list(pd.unique(table["year"]))
    position = table.groupby("year", sort=False).cumcount().to_numpy()
    sns.lineplot(x=position, y=table["count"].to_numpy(), hue=table["year"].to_numpy(), hue_order=years,
                 palette="colorblind", marker="o", ax=ax)
    first = table["month"][: len(table) // len(years)] if years else []
    ax.set_xticks(range(len(first)), [month_name(m, short=True) for m in first])
    ax.set(xlabel="", ylabel="Sager")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole cases, no "2.5"
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title="Beretningsår", frameon=False)
    sns.despine(ax=ax)
    return ax


def seasonality_alt_text(table: pd.DataFrame) -> str:
    """Describe the seasonality chart in Danish: every year's count in every month."""
    years = [f"{year}: " + ", ".join(f"{month_name(m, short=True)} {format_int(c)}"
                                     for m, c in zip(rows["month"], rows["count"], strict=True))
             for year, rows in table.groupby("year", sort=False)]
    return "Linjediagram over sager pr. måned, én linje pr. beretningsår. " + "; ".join(years) + "."


def centre_change_bars(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw each centre's change from the period before as a horizontal bar, in table order.

    Parameters
    ----------
    table : DataFrame
        ``centre`` and ``diff``, as :func:`reportlib.workbench.tables.centre_change` returns them (largest
        growth first, so at the top).
    ax : Axes, optional
        Axes to draw into; a new figure's when None.

    Returns
    -------
    Axes
    """
    ax = _axes(ax, (7, 0.4 * len(table) + 1))
    diffs = table["diff"].to_numpy()
    sns.barplot(x=diffs, y=table["centre"].to_numpy(), orient="h", color=BAR_COLOUR, ax=ax,
                order=list(table["centre"]))
    if ax.containers:
        ax.bar_label(ax.containers[0], labels=[_signed(int(d)) for d in diffs], padding=3)
    _plain_category_labels(ax, list(table["centre"]))
    ax.axvline(0, color="black", linewidth=0.8)
    reach = max([abs(int(d)) for d in diffs] + [1]) * 1.25
    ax.set_xlim(-reach if (diffs < 0).any() else 0, reach if (diffs > 0).any() else 0.5)
    ax.set(xlabel="Ændring i problemstillinger fra perioden før", ylabel="", xticks=[])
    sns.despine(ax=ax, bottom=True)
    return ax


def centre_change_alt_text(table: pd.DataFrame) -> str:
    """Describe the centre-change chart in Danish: every centre's count now, before, and the change."""
    parts = ", ".join(f"{row.centre} {_signed(int(row.diff))} ({format_int(row.previous)} til {format_int(row.count)})"
                      for row in table.itertuples(index=False))
    return f"Vandret søjlediagram over ændringen i problemstillinger pr. center fra perioden før: {parts or 'ingen'}."
