"""The report's content: the sections the report notebook displays, as HTML built from the figures.

The notebook calls :func:`load_beretning` once and then shows one section or chapter per cell.
Every section is rendered by a macro of ``templates/sections.html.j2`` (autoescaped, so a label
such as ``<script>`` shows as text) from the figures document alone: nothing row-level reaches the
report. Charts are drawn by :mod:`reportlib.report.charts` and embedded as SVG with fixed ids and no date,
so the same inputs give byte-identical HTML. The advisor's chapters come from the period's
narrative file; a chapter the notebook places but the file lacks is shown as a warning, which the
export never publishes and the run reports.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from reportlib import formatting
from reportlib.exceptions import FiguresMismatch
from reportlib.figures.document import figures, read_json
from reportlib.figures.parts import EXAMINED
from reportlib.jinja import environment
from reportlib.periods import Period, period_between
from reportlib.register.kommune import Kommune, load_kommune
from reportlib.register.validate import load_register
from reportlib.report import charts, display, vocabulary
from reportlib.report.narrative import Narrative, narrative_path, read_narrative
from reportlib.report.outputs import DOCUMENT_MIMETYPE, WARNING_MIMETYPE

# In report order. "followup", the status of earlier recommendations, follows the Anbefalinger chapter; it and
# the other sections of the register's optional parts ("trend" aside: it needs two periods) are None without them.
SECTIONS = ("title", "summary", "followup", "cases", "trend", "areas", "centres", "complaints", "criticism",
            "channels_outcomes", "methods", "assistance", "handling", "outreach", "own_initiative", "method")


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

    ``message`` is for the run's log (English, like every command's output); ``advarsel`` is what
    the analyst reads in JupyterLab.
    """

    message: str
    advarsel: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {WARNING_MIMETYPE: {"message": self.message}, "text/plain": f"Advarsel: {self.advarsel}"}


@dataclass(frozen=True)
class Beretning:
    """A period's report: the configuration, the figures document and the advisor's narrative."""

    kommune: Kommune
    period: Period
    figures: dict[str, Any]
    narrative: Narrative
    data_dir: Path

    @property
    def period_label(self) -> str:
        return formatting.period_label(self.period, self.kommune.periode_start_maaned)

    @property
    def previous_label(self) -> str | None:
        """The short name of the period compared with, e.g. ``2017/18``; None when there is none."""
        previous = self.figures["previous"]
        if previous is None:
            return None
        return formatting.period_label(period_between(**previous["period"]), self.kommune.periode_start_maaned)

    @property
    def title(self) -> str:
        return formatting.report_title(self.kommune, self.period)

    @property
    def funktion(self) -> str:
        """The function's name as written mid-sentence (``borgerrådgiveren``)."""
        return self.kommune.function_in_text

    def explained_categories(self) -> list[tuple[str, str]]:
        """The complaint categories with kommune.yml's one-line explanation, in kommune.yml order."""
        return [(category, text) for category in self.kommune.emner
                if (text := self.kommune.explanation(category)) is not None]

    def section(self, name: str) -> Section | None:
        """Render one section of figures; None when it has nothing to show.

        Parameters
        ----------
        name : str
            One of :data:`SECTIONS`.
        """
        if name not in SECTIONS:
            raise ValueError(f"unknown section {name!r}; the sections are {', '.join(SECTIONS)}")
        html = str(getattr(_template(), name)(self)).strip()
        document = {"title": self.title} if name == "title" else None
        return Section(name, html, document) if html else None

    def chapter(self, name: str) -> Section | Notice:
        """Render one of the advisor's chapters from the narrative file, or a warning that it is missing.

        Parameters
        ----------
        name : str
            One of :data:`reportlib.report.narrative.CHAPTERS` (or any heading of the file).
        """
        chapter = self.narrative.chapter(name)
        if chapter is not None:
            return Section(f"chapter {chapter.heading}", str(_template().chapters([chapter])).strip())
        source = self.narrative.source
        if source is None:
            file = narrative_path(self.data_dir, self.period).name
            return Notice(f"{file}: no narrative file, so chapter '{name}' is left out; "
                           f"'reportlib narrative --period {self.period.start}:{self.period.end}' writes one to "
                           "fill in",
                           f"der er ingen {file}, så kapitlet »{name}« er udeladt.")
        return Notice(f"{source.name}: no chapter '# {name}', so it is left out of the report",
                       f"{source.name} har intet kapitel »# {name}«, så det er udeladt.")

    def other_chapters(self) -> Section | None:
        """Render the narrative's chapters of the advisor's own naming, in file order; None if there are none."""
        html = str(_template().chapters(self.narrative.others())).strip()
        return Section("other chapters", html) if html else None

    def key_figure_labels(self) -> list[tuple[str, str]]:
        """The key figures (keys of ``figures["key_figures"]``) with their Danish names, in report order."""
        return vocabulary.key_figures(self.kommune)

    def examined_results(self) -> list[dict[str, Any]]:
        """The result rows of the examined kinds (``kritik``, ``ingen kritik``), in kommune.yml order."""
        return [row for row in self.figures["results"] if self.kommune.resultater[row["label"]] in EXAMINED]

    def outreach_activities(self) -> list[dict[str, Any]]:
        """The activity rows but the own-initiative investigations, which have a section of their own."""
        return [row for row in self.figures["activities"] if row["label"] != self.kommune.own_initiative_activity]

    def topic_groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The topic table split by category, in kommune.yml order."""
        rows = {row["label"]: row for row in self.figures["topics"]}
        return [(category, [rows[t] for t in topics]) for category, topics in self.kommune.emner.items()]


def load_beretning(data_dir: str | Path, start: str, end: str, *, min_celle: int = -1,
                   narrativ: str | Path = "", figurer: str | Path = "") -> Beretning:
    """Load everything the report shows for one period: its figures, configuration and narrative.

    Parameters
    ----------
    data_dir : str or Path
        The register folder.
    start, end : str
        First and last day of the period, ISO dates.
    min_celle : int
        Small-cell threshold; -1 takes ``min_celle`` from kommune.yml.
    narrativ : str or Path
        The advisor's Markdown file; empty means ``beretning_START_END.md`` in ``data_dir`` if it exists.
    figurer : str or Path
        The period's figures document (JSON, as ``figures.json``), already computed from the
        validated register, as ``reportlib run`` hands it over; empty means: read and validate
        the register in ``data_dir`` and compute the figures here.

    In a Jupyter kernel this also makes DataFrames and inline charts display as the report shows
    them (:func:`reportlib.report.display.install`).

    Raises
    ------
    RegisterInvalid
        When the register (or, with ``figurer``, kommune.yml) breaks the input contract.
    PeriodError
        When the dates cannot be read or the period ends before it starts.
    FiguresMismatch
        When ``figurer`` holds the figures of another period or small-cell threshold.
    """
    display.install()
    period = period_between(start, end)
    threshold = None if min_celle < 0 else min_celle
    if figurer:
        kommune = load_kommune(data_dir)
        document = read_json(figurer)
        asked = {"period": period.as_dict(), "min_celle": kommune.min_celle if threshold is None else threshold}
        given = {key: document.get(key) for key in asked}
        if given != asked:
            raise FiguresMismatch(f"{figurer}: the figures of {given}, not of {asked} as asked for")
    else:
        register = load_register(data_dir)
        kommune, document = register.kommune, figures(register, period, min_celle=threshold)
    path = Path(narrativ) if narrativ else narrative_path(data_dir, period)
    narrative = read_narrative(path, required=bool(narrativ))
    return Beretning(kommune, period, document, narrative, Path(data_dir))


def bars(rows: list[dict[str, Any]], subject: str, caption: str, value: str = "pct") -> Markup:
    """A distribution chart as a ``<figure>`` with Danish alt text and a caption."""
    table = pd.DataFrame(rows, columns=["label", "count", "pct"])
    ax = charts.distribution_bars(table, value=value)
    return display.chart_html(ax, charts.alt_text(table, subject, value=value), caption=caption)


def months(rows: list[dict[str, Any]], caption: str) -> Markup:
    """The cases-per-month chart as a ``<figure>`` with Danish alt text and a caption."""
    table = pd.DataFrame(rows, columns=["month", "count"])
    ax = charts.monthly_bars(table)
    return display.chart_html(ax, charts.monthly_alt_text(table), caption=caption)


def trend_chart(trend: list[dict[str, Any]], caption: str) -> Markup:
    """The trend chart (cases per period by type) as a ``<figure>`` with Danish alt text and a caption."""
    table = pd.DataFrame([{"period": entry["period"], "label": row["label"], "count": row["count"]}
                          for entry in trend for row in entry["by_type"]], columns=["period", "label", "count"])
    ax = charts.trend_bars(table)
    return display.chart_html(ax, charts.trend_alt_text(table), caption=caption)


def largest(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row with the highest count (the first listed on a tie); None when all are zero or withheld."""
    shown = [row for row in rows if row["count"]]
    return max(shown, key=lambda row: row["count"]) if shown else None


def visible_total(rows: list[dict[str, Any]]) -> int | None:
    """A table's total, or None when a cell is withheld: with the total, one withheld cell could be recovered."""
    return None if any(row.get("suppressed") for row in rows) else sum(row["count"] for row in rows)


@functools.cache
def _template() -> Any:
    """The sections template as a module of macros, with the report's charts and vocabulary to call."""
    return environment().get_template("sections.html.j2").make_module(
        {"bars": bars, "months": months, "trend_chart": trend_chart, "largest": largest,
         "visible_total": visible_total, "words": vocabulary})
