"""The workbench's building blocks: a table as the analyst sees it, a box that also renders without
widgets, and what a section shows.

A :class:`Table` is itables' ``ITable`` widget, its cells Danish text (DataTables is told that ``,``
is the decimal mark, so numbers still sort as numbers), and the accessible static table of
:func:`reportlib.report.display.table_html` where no widget can be drawn. :class:`Panel` carries that
static rendering beside the widgets. :mod:`reportlib.workbench.widgets` puts them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd
from markupsafe import Markup, escape

from reportlib.formatting import format_pct
from reportlib.report.display import format_cell, table_html
from reportlib.workbench.selection import NOT_RECORDED

#: DataTables' own words in Danish, and the Danish decimal mark so that "12,5" sorts as a number.
LANGUAGE = {
    "decimal": ",", "thousands": ".", "search": "Søg:", "lengthMenu": "_MENU_ rækker pr. side",
    "info": "Række _START_ til _END_ af _TOTAL_", "infoEmpty": "Ingen rækker", "infoFiltered": "(fundet blandt _MAX_)",
    "zeroRecords": "Ingen rækker passer til søgningen", "emptyTable": "Ingen sager i udvalget",
}
#: Rows keep to one line; a long text is cut with "…" and shown whole on hover (its title).
CSS = """
.reportlib-table { font-size: 0.95em; }
.reportlib-table td { white-space: nowrap; }
.reportlib-table th { white-space: normal; vertical-align: bottom; }
.reportlib-table .reportlib-cut { display: inline-block; max-width: 6em; overflow: hidden;
  text-overflow: ellipsis; vertical-align: bottom; }
"""
LONG_TEXT = 12  # characters; longer cell texts are cut (where a table cuts)
#: Headers that may break (soft hyphen) or must not (no-break space) on screen.
HEADER_BREAKS = {"Klagebistand": "Klage\u00adbistand", "Problemstillinger": "Problem\u00adstillinger",
                 "I alt": "I\u00a0alt"}
TABLE_STYLE = "table-layout:auto;width:auto;margin:0;caption-side:top"


@dataclass
class Table:
    """A table as the analyst sees it: Danish headers, values as numbers, dates, booleans and text.

    Attributes
    ----------
    caption : str
        Shown above the table.
    frame : DataFrame
        The rows, without an index to show.
    sheet : str
        Its sheet's name in an Excel export (31 characters at most).
    percent : tuple of str
        The columns that hold whole percentages (shown ``63 %``).
    paged : bool
        Show ten rows a page (for the case table); the others show all their rows.
    cut : bool
        Cut long texts to one short line, whole on hover (for the wide case table).
    hide : tuple of str
        Columns left out on screen (all one value, given by the choices), kept in the Excel export.
    """

    caption: str
    frame: pd.DataFrame
    sheet: str
    percent: tuple[str, ...] = ()
    paged: bool = False
    cut: bool = False
    hide: tuple[str, ...] = ()

    def html(self) -> Markup:
        """The static, accessible rendering (:func:`reportlib.report.display.table_html`).

        A table that cuts long texts on screen keeps its rows to one line here too (case ids and dates
        do not wrap) and scrolls sideways where it is wider than the page.
        """
        html = table_html(self.frame.drop(columns=list(self.hide)), caption=self.caption, percent=self.percent)
        if not self.cut:
            return html
        return Markup('<style>.reportlib-one-line td {{ white-space: nowrap; }}</style>'
                      '<div class="reportlib-one-line" style="overflow-x: auto">{}</div>').format(html)

    def cells(self) -> pd.DataFrame:
        """The rows as the interactive table shows them: Danish text, HTML-escaped, long texts cut if asked."""
        columns = {}
        for name in self.frame.columns.drop(list(self.hide)):
            values = self.frame[name]
            if name in self.percent:
                texts = ["" if pd.isna(v) else format_pct(v) for v in values]
            elif pd.api.types.is_datetime64_any_dtype(values):
                texts = ["" if pd.isna(v) else v.date().isoformat() for v in values]
            else:
                texts = [_cut(format_cell(v)) if self.cut else str(escape(format_cell(v))) for v in values]
            columns[HEADER_BREAKS.get(name, str(escape(name)))] = texts
        return pd.DataFrame(columns, index=pd.RangeIndex(len(self.frame)))

    def options(self) -> dict[str, Any]:
        """The ITable options: Danish, no index, no download, ten rows a page when paged."""
        options: dict[str, Any] = {"showIndex": False, "allow_html": True, "maxBytes": 0, "language": LANGUAGE,
                                   "classes": "display compact reportlib-table", "style": TABLE_STYLE, "css": CSS}
        if self.paged:
            options.update(pageLength=10, lengthMenu=[10, 25, 50, 100], scrollX=True)  # scrolls, never clipped
        else:
            options.update(paging=False, layout={"topStart": None, "topEnd": "search", "bottomStart": None,
                                                  "bottomEnd": None})
        return options


def _cut(text: str) -> str:
    """Escape a cell's text; a long one is cut to one line, with the whole text as its title."""
    if len(text) <= LONG_TEXT or text == NOT_RECORDED:  # cut, "ikke regi…" would say nothing
        return str(escape(text))
    return str(Markup('<span class="reportlib-cut" title="{0}">{0}</span>').format(text))


class Panel(widgets.VBox):
    """A box of widgets that also renders as static HTML where no widget can be drawn (headless runs).

    Jupyter gets both: JupyterLab draws the widgets, an executed notebook without a widget front end
    shows the HTML, and ``text/plain`` is a short fixed text, so executed notebooks stay comparable.
    """

    def __init__(self, title: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.title = title
        self.static_html: Callable[[], str] = lambda: ""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = str(self.static_html())
        bundle["text/plain"] = f"<{self.title}>"
        return bundle


@dataclass
class Content:
    """What a section shows: a note on the selection, its tables and its charts (HTML figures)."""

    note: str
    tables: list[Table]
    charts: list[str] = field(default_factory=list)
