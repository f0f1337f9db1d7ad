"""The report's sections and chapters, rendered as the board reads them.

Every section is a macro of ``templates/sections.html.j2`` (autoescaped, so a label such as
``<script>`` shows as text), filled from a :class:`~reportlib.report.beretning.Beretning` alone: the
figures document and kommune.yml, nothing row-level. Charts are drawn by
:mod:`reportlib.report.charts` from the document's rows and embedded as SVG with fixed ids and no
date, so the same inputs give byte-identical HTML. The advisor's chapters come from the narrative;
a chapter the notebook places but the file lacks is a :class:`Notice`, which the export never
publishes and the run reports.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from jinja2 import nodes as jinja_nodes
from markupsafe import Markup

from reportlib.jinja import environment
from reportlib.labels import closest
from reportlib.language import _
from reportlib.report import charts, display, vocabulary
from reportlib.report.narrative import FOREWORD, narrative_path
from reportlib.report.outputs import DOCUMENT_MIMETYPE, WARNING_MIMETYPE

if TYPE_CHECKING:  # a Beretning is rendered here, and calls this module to be: never imported back
    from reportlib.report.beretning import Beretning


def _section_names() -> tuple[str, ...]:
    """The template's sections: its public macros of the one argument ``b``, in the template's order.

    A new section is one macro in ``sections.html.j2`` and one notebook cell; nothing to list here.
    """
    env = environment()
    source = env.loader.get_source(env, "sections.html.j2")[0]
    return tuple(macro.name for macro in env.parse(source).find_all(jinja_nodes.Macro)
                 if not macro.name.startswith("_") and [arg.name for arg in macro.args] == ["b"])


# In report order. "followup", the status of earlier recommendations, follows the Anbefalinger chapter; it and
# the other sections of the register's optional parts ("trend" aside: it needs two periods) are None without them.
SECTIONS = _section_names()


@dataclass(frozen=True)
class Section:
    """One section of the report, displayed as HTML in Jupyter and exported by the HTML template.

    ``document`` carries facts about the whole document (its title) for the export.
    """

    name: str
    html: str
    document: dict[str, str] | None = None

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        # Jupyter also stores text/plain; a fixed repr keeps executed notebooks comparable.
        bundle: dict[str, Any] = {"text/html": self.html, "text/plain": repr(self)}
        if self.document:
            bundle[DOCUMENT_MIMETYPE] = self.document
        return bundle

    def __repr__(self) -> str:
        return f"<section {self.name}>"


@dataclass(frozen=True)
class Notice:
    """Something the report lacks: shown to the analyst in the notebook, reported by the run, never published.

    ``message`` is for the run's log (in the language of every command's output); ``advarsel`` is what
    the analyst reads in JupyterLab.
    """

    message: str
    advarsel: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {WARNING_MIMETYPE: {"message": self.message}, "text/plain": f"Advarsel: {self.advarsel}"}


def section(beretning: Beretning, name: str) -> Section | None:
    """Render one section of figures; None when it has nothing to show.

    Parameters
    ----------
    beretning : Beretning
    name : str
        One of :data:`SECTIONS`.
    """
    if name not in SECTIONS:
        raise ValueError(_("unknown section {name}; the sections are {sections}").format(
            name=repr(name), sections=", ".join(SECTIONS)))
    html = str(getattr(_template(), name)(beretning)).strip()
    document = {"title": beretning.title} if name == "title" else None
    return Section(name, html, document) if html else None


def chapter(beretning: Beretning, name: str) -> Section | Notice | None:
    """Render one of the advisor's chapters from the narrative file, or a warning that it is missing.

    Parameters
    ----------
    beretning : Beretning
    name : str
        One of :data:`reportlib.report.narrative.CHAPTERS` (or any heading of the file).

    Returns
    -------
    Section, Notice or None
        None for a chapter headed but not written: no empty heading is published, and the narrative's
        own warnings say so (:meth:`reportlib.report.narrative.Narrative.empty`).
    """
    found = beretning.narrative.chapter(name)
    if found is not None and found.empty:
        return None
    if found is not None:
        # The advisor signs the foreword (kommune.yml's borgerraadgiver).
        signed = beretning.advisor if found.heading.casefold() == FOREWORD.casefold() else None
        return Section(f"chapter {found.heading}", str(_template().chapters([found], signed)).strip())
    source = beretning.narrative.source
    if source is None:
        file = narrative_path(beretning.data_dir, beretning.period).name
        period = beretning.period
        return Notice(_("{file}: no narrative file, so chapter '{name}' is left out; "
                        "'reportlib narrative --period {start}:{end}' writes one to fill in").format(
                            file=file, name=name, start=period.start, end=period.end),
                      f"der er ingen {file}, så kapitlet »{name}« er udeladt.")
    guess = closest(name, [c.heading for c in beretning.narrative.others()])
    if guess is not None:  # "# Anbefaling" for "# Anbefalinger": the chapter is there, misspelt
        return Notice(_("{file}: no chapter '# {name}', so it is left out of the report; did you mean "
                        "'# {guess}'? Write its heading as '# {name}'").format(file=source.name, name=name,
                                                                               guess=guess),
                      f"{source.name} har intet kapitel »# {name}«, så det er udeladt. Mente du »# {guess}«? "
                      f"Skriv overskriften som »# {name}«.")
    return Notice(_("{file}: no chapter '# {name}', so it is left out of the report").format(file=source.name,
                                                                                             name=name),
                  f"{source.name} har intet kapitel »# {name}«, så det er udeladt.")


def other_chapters(beretning: Beretning) -> Section | None:
    """Render the narrative's chapters of the advisor's own naming, in file order; None if there are none."""
    html = str(_template().chapters(beretning.narrative.others())).strip()
    return Section("other chapters", html) if html else None


# -- What the template calls: the document's rows drawn as charts, and two facts about a table ------------

def bar_figure(rows: list[dict[str, Any]], subject: str, caption: str, value: str = "pct") -> Markup:
    """A distribution chart as a ``<figure>`` with Danish alt text and a caption; nothing for one category.

    A chart of one category (one bar of 100 %, the others 0) says nothing the table does not, nor
    does one of withheld cells only: neither is drawn. A withheld cell beside a shown one counts as
    a category, since it may hold cases.
    """
    shown = sum(1 for row in rows if row["count"])
    if not shown or shown + sum(1 for row in rows if row["count"] is None) < 2:
        return Markup("")
    table = pd.DataFrame(rows, columns=["label", "count", "pct"])
    with display.chart_style():
        ax = charts.bars(table, value=value)
    return display.chart_html(ax, charts.alt_text(table, subject, value=value), caption=caption)


def months(rows: list[dict[str, Any]], caption: str) -> Markup:
    """The cases-per-month chart as a ``<figure>`` with Danish alt text and a caption."""
    table = pd.DataFrame(rows, columns=["month", "count"])
    with display.chart_style():
        ax = charts.monthly_bars(table)
    return display.chart_html(ax, charts.monthly_alt_text(table), caption=caption)


def trend_chart(trend: list[dict[str, Any]], caption: str) -> Markup:
    """The trend chart (cases per period by type) as a ``<figure>`` with Danish alt text and a caption."""
    table = pd.DataFrame([{"period": entry["period"], "label": row["label"], "count": row["count"]}
                          for entry in trend for row in entry["by_type"]], columns=["period", "label", "count"])
    with display.chart_style():
        ax = charts.trend_bars(table)
    return display.chart_html(ax, charts.trend_alt_text(table), caption=caption)


def largest(rows: list[dict[str, Any]], total: int) -> dict[str, Any] | None:
    """The row with the most, where that is a fact: None on a tie, when all are zero, or when the cells
    withheld (together ``total`` less the rows shown) could hold as many."""
    shown = sorted((row for row in rows if row["count"]), key=lambda row: -row["count"])
    withheld = total - sum(row["count"] for row in shown)
    if not shown or (len(shown) > 1 and shown[1]["count"] == shown[0]["count"]) or withheld >= shown[0]["count"]:
        return None
    return shown[0]


def visible_total(rows: list[dict[str, Any]]) -> int | None:
    """A table's total, or None when a cell is withheld: with the total, one withheld cell could be recovered."""
    return None if any(row.get("suppressed") for row in rows) else sum(row["count"] for row in rows)


@functools.cache
def _template() -> Any:
    """The sections template as a module of macros, with the charts and the vocabulary to call."""
    return environment().get_template("sections.html.j2").make_module(
        {"bar_figure": bar_figure, "months": months, "trend_chart": trend_chart, "largest": largest,
         "visible_total": visible_total, "words": vocabulary})
