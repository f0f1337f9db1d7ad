"""Show charts and tables in a report notebook exactly as the board will get them.

``show(ax, alt="...")`` displays a chart as the report's own charts are displayed: an SVG with
Danish alt text, byte-identical between runs. ``show(frame)`` displays a DataFrame as an accessible
table (header cells with scope, no unnamed index column, Danish numbers). :func:`install` makes
the kernel's ordinary display do the same for every DataFrame and draw matplotlib's inline charts
as reproducible SVG, so what the analyst sees in JupyterLab is what the export publishes.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import numbers
import os
from collections.abc import Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import pandas as pd
from markupsafe import Markup
from matplotlib.figure import Figure

from reportlib.formatting import format_date, format_decimal, format_int, format_pct
from reportlib.language import _
from reportlib.report.outputs import PRINT_CHARTS_VARIABLE, PRINT_DPI, WARNING_MIMETYPE, chart_markup

# Fixed ids, so reruns give the same bytes. Text stays text (not glyph outlines): selectable and
# searchable in HTML and PDF, a third of the size, and laid out by WeasyPrint in half the time; its
# font list ends in sans-serif, so any machine can show it.
SVG_SETTINGS = {"svg.hashsalt": "reportlib", "svg.fonttype": "none"}
# The report's charts are drawn and saved in matplotlib's own defaults with these settings, never in a
# matplotlibrc the machine or its user has (another font or background would change the published bytes).
# "$5 og $10" in a label is text, not mathematics.
REPORT_SETTINGS = {**SVG_SETTINGS, "text.parse_math": False}
SVG_METADATA = dict.fromkeys(("Date", "Creator", "Format", "Type"))  # no metadata block: no timestamp
PNG_METADATA = {"Software": None}  # no matplotlib version in the PNG: the same chart, the same bytes


# A chart is drawn as wide as the page allows: on a phone 390 px wide that is 360 px. Below this size its
# text is hard to read; the report's own charts (reportlib.bars) keep theirs at about 12 px there.
PHONE_WIDTH_PX = 360
MIN_PHONE_TEXT_PX = 9.0


def phone_text_px(figure: Figure) -> float | None:
    """The size in CSS px of a chart's smallest text on a phone 390 px wide; None for a chart without text."""
    figure.draw_without_rendering()  # tick labels get their text when the figure is laid out
    sizes = [text.get_fontsize() for text in figure.findobj(matplotlib.text.Text)
             if text.get_visible() and text.get_text().strip()]
    if not sizes:
        return None
    width_px = figure.get_figwidth() * 96  # the SVG's own width: inches at CSS's 96 px
    return min(sizes) * 96 / 72 * min(1.0, PHONE_WIDTH_PX / width_px)


class Displayed:
    """An HTML fragment as the report shows it, displayed by Jupyter and exported unchanged."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        # Jupyter also stores text/plain; a short fixed repr keeps executed notebooks comparable.
        return self.text


def show(obj: Any, alt: str | None = None, *, caption: str | None = None) -> Displayed:
    """Display a chart or a table as the board will see it.

    Parameters
    ----------
    obj : matplotlib Axes or Figure, or pandas DataFrame
        The chart or table. A chart's figure is closed afterwards, so it is not shown twice.
    alt : str
        For a chart: Danish alt text, saying what the chart shows (required).
    caption : str, optional
        Figure caption under a chart, or table caption above a table.

    Returns
    -------
    Displayed
        Displayed by Jupyter when it is the cell's last expression.

    Raises
    ------
    ValueError
        When a chart has no alt text, or ``obj`` is neither a chart nor a DataFrame.
    """
    install()
    if isinstance(obj, pd.DataFrame):
        return Displayed(table_html(obj, caption=caption), f"<tabel: {caption}>" if caption else "<tabel>")
    figure = getattr(obj, "figure", obj)
    if not isinstance(figure, Figure):
        raise ValueError(_("show() takes a matplotlib Axes or Figure, or a pandas DataFrame, not {kind}").format(
            kind=type(obj).__name__))
    if not alt or not alt.strip():
        raise ValueError(_("show() needs alt text for a chart: describe in Danish what it shows, e.g. "
                           "show(ax, alt=\"Søjlediagram over sager pr. måned: ...\")"))
    _warn_if_small(figure, caption or alt)
    return Displayed(chart_html(figure, alt, caption=caption), f"<figur: {alt}>")


def _warn_if_small(figure: Figure, name: str) -> None:
    """Tell the analyst (in JupyterLab) and the run (its warnings) when a chart's text is too small on a phone."""
    size = phone_text_px(figure)
    if size is None or size >= MIN_PHONE_TEXT_PX:
        return
    from IPython.display import display  # only in a kernel's cell

    shown = format_decimal(size)
    message = _("chart '{name}': its smallest text is {size} px on a phone (390 px wide), below {least} px; draw "
                "it with reportlib.bars, or narrower (figsize) or with larger text").format(
        name=name[:60], size=shown, least=format_decimal(MIN_PHONE_TEXT_PX))
    display({WARNING_MIMETYPE: {"message": message},
             "text/plain": f"Advarsel: diagrammets mindste tekst bliver {shown} px på en telefon; tegn det med "
                           "reportlib.bars, smallere eller med større tekst."}, raw=True)


def chart_style() -> contextlib.AbstractContextManager[None]:
    """Draw and save inside this block for the report: matplotlib's defaults and :data:`REPORT_SETTINGS` alone."""
    return plt.style.context(["default", REPORT_SETTINGS])


def chart_html(figure: Any, alt: str, *, caption: str | None = None) -> Markup:
    """Render a chart as ``<figure>`` with an SVG ``<img>`` and its alt text; closes the figure.

    In a kernel whose run writes the Word document (:data:`~reportlib.report.outputs.PRINT_CHARTS_VARIABLE`),
    the chart is also drawn as a PNG at print resolution, which the export gives Word in place of the SVG.
    """
    figure = getattr(figure, "figure", figure)
    buffer = io.BytesIO()
    printed = None
    with chart_style():
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
        if os.environ.get(PRINT_CHARTS_VARIABLE) == "1":
            raster = io.BytesIO()
            figure.savefig(raster, format="png", dpi=PRINT_DPI, bbox_inches="tight", metadata=PNG_METADATA)
            printed = base64.b64encode(raster.getvalue()).decode("ascii")
    plt.close(figure)
    return chart_markup("image/svg+xml", base64.b64encode(buffer.getvalue()).decode("ascii"), alt, caption=caption,
                        print_png=printed)


def table_html(frame: pd.DataFrame, *, caption: str | None = None, percent: Sequence[str] = ()) -> Markup:
    """Render a DataFrame as an accessible table: column headers with scope, Danish numbers.

    A default (unnamed, 0..n-1) index is left out; any other index becomes the row headers. The
    columns named in ``percent`` hold whole percentages and are shown as ``63 %``.
    """
    show_index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
                      and frame.index.start == 0 and frame.index.step == 1)
    head = [str(frame.index.name or "")] if show_index else []
    head += [" – ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
               for dtype in frame.dtypes]
    percentages = [column in percent for column in frame.columns]
    header_classes = ([""] if show_index else []) + [' class="num"' if n else "" for n in numeric]
    parts = ["<table>"]
    if caption:
        parts.append(Markup("<caption>{}</caption>").format(caption))
    parts.append("<thead><tr>" + "".join(Markup('<th scope="col"{}>{}</th>').format(Markup(cls), name)
                                         for cls, name in zip(header_classes, head, strict=True)) + "</tr></thead>")
    parts.append("<tbody>")
    for label, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = [Markup('<th scope="row">{}</th>').format(format_cell(label))] if show_index else []
        cells += [Markup('<td{}>{}</td>').format(Markup(' class="num"' if n else ""),
                                                 format_pct(value) if p and not pd.isna(value) else format_cell(value))
                  for n, p, value in zip(numeric, percentages, row, strict=True)]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return Markup('<div class="table-wrap">{}</div>').format(Markup("".join(str(p) for p in parts)))


def format_cell(value: Any) -> str:
    """A table cell in Danish: ``1.234``, ``12,5``, ``ja``/``nej``, ``1. november 2018``; empty for missing."""
    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (pd.Timestamp, dt.date)):
        return format_date(value)
    if isinstance(value, numbers.Integral):
        return format_int(value)
    if isinstance(value, numbers.Real):
        return format_int(value) if float(value).is_integer() else format_decimal(float(value))
    return str(value)


_installed = False


def install() -> None:
    """Make the running IPython kernel display DataFrames and inline charts as the report does.

    DataFrames show as :func:`table_html`; matplotlib's inline backend draws SVG with fixed ids, text
    as text and no date. Does nothing outside IPython, and only once per kernel (once per period in
    a kernel kept between periods, which :func:`uninstall` before each).
    """
    global _installed
    if _installed:
        return
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    matplotlib.rcParams.update(REPORT_SETTINGS)  # the analyst's own charts too
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, lambda frame: str(table_html(frame)))
    if "inline" in matplotlib.get_backend():
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", metadata=SVG_METADATA)
    _installed = True


def uninstall() -> None:
    """Forget that :func:`install` ran, so that the next call installs again.

    For a kernel kept for the next period (:mod:`reportlib.report.session`), which has put the
    display formatters and matplotlib's settings back as a fresh kernel has them.
    """
    global _installed
    _installed = False
