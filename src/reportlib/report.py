"""The report's content: the sections the report notebook displays, as HTML built from the figures.

The notebook calls :func:`load_beretning` once and then shows one section per cell. Every section is
rendered by a macro of ``templates/sections.html.j2`` (autoescaped, so a label such as ``<script>``
shows as text) from the figures document alone: nothing row-level reaches the report. Charts are
drawn by :mod:`reportlib.plots` and embedded as SVG data URIs with fixed ids and no date, so the same
inputs give byte-identical HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import matplotlib.pyplot as plt
import pandas as pd
from markupsafe import Markup

from . import formatting, plots
from .config import Kommune
from .figures import figures
from .narrative import Narrative, narrative_path, read_narrative
from .periods import Period, period_between
from .validate import load_register

SECTIONS = ("title", "foreword", "summary", "cases", "areas", "centres", "complaints", "channels_outcomes",
            "assistance", "handling", "outreach", "recommendations", "method")

# Fixed ids, so reruns give the same bytes. Text stays text (not glyph outlines): selectable and
# searchable in HTML and PDF, a third of the size, and laid out by WeasyPrint in half the time; its
# font list ends in sans-serif, so any machine can show it.
_SVG_SETTINGS = {"svg.hashsalt": "reportlib", "svg.fonttype": "none"}


@dataclass(frozen=True)
class Section:
    """One section of the report, displayed as HTML in Jupyter and exported by the HTML template."""

    name: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        # Jupyter also stores text/plain; a fixed repr keeps executed notebooks comparable.
        return f"<section {self.name}>"


@dataclass(frozen=True)
class Beretning:
    """A period's report: the configuration, the figures document and the advisor's narrative."""

    kommune: Kommune
    period: Period
    figures: dict[str, Any]
    narrative: Narrative

    @property
    def period_label(self) -> str:
        return formatting.period_label(self.period, self.kommune.periode_start_maaned)

    @property
    def title(self) -> str:
        return formatting.report_title(self.kommune, self.period)

    def section(self, name: str) -> Section | None:
        """Render one section; None when it has nothing to show (e.g. no foreword was written).

        Parameters
        ----------
        name : str
            One of :data:`SECTIONS`.
        """
        if name not in SECTIONS:
            raise ValueError(f"unknown section {name!r}; the sections are {', '.join(SECTIONS)}")
        html = str(getattr(_template().module, name)(self)).strip()
        return Section(name, html) if html else None

    def topic_groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The topic table split by category, in kommune.yml order."""
        rows = {row["label"]: row for row in self.figures["topics"]}
        return [(category, [rows[t] for t in topics]) for category, topics in self.kommune.emner.items()]


def load_beretning(data_dir: str | Path, start: str, end: str, *, min_celle: int = -1,
                   narrativ: str | Path = "") -> Beretning:
    """Load the register and compute everything the report shows for one period.

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

    Raises
    ------
    RegisterInvalid
        When the register breaks the input contract.
    PeriodError
        When the dates cannot be read or the period ends before it starts.
    """
    period = period_between(start, end)
    register = load_register(data_dir)
    document = figures(register, period, min_celle=None if min_celle < 0 else min_celle)
    path = Path(narrativ) if narrativ else narrative_path(data_dir, period)
    narrative = read_narrative(path, required=bool(narrativ))
    return Beretning(register.kommune, period, document, narrative)


def bars(rows: list[dict[str, Any]], subject: str, value: str = "pct") -> Markup:
    """A distribution chart as an ``<img>`` with Danish alt text."""
    table = pd.DataFrame(rows, columns=["label", "count", "pct"])
    ax = plots.distribution_bars(table, value=value)
    return _img(ax, plots.alt_text(table, subject, value=value))


def months(rows: list[dict[str, Any]]) -> Markup:
    """The cases-per-month chart as an ``<img>`` with Danish alt text."""
    table = pd.DataFrame(rows, columns=["month", "count"])
    ax = plots.monthly_bars(table)
    return _img(ax, plots.monthly_alt_text(table))


def largest(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row with the highest count (the first listed on a tie); None when all are zero or withheld."""
    shown = [row for row in rows if row["count"]]
    return max(shown, key=lambda row: row["count"]) if shown else None


def visible_total(rows: list[dict[str, Any]]) -> int | None:
    """A table's total, or None when a cell is withheld: with the total, one withheld cell could be recovered."""
    return None if any(row.get("suppressed") for row in rows) else sum(row["count"] for row in rows)


def _img(ax, alt: str) -> Markup:
    buffer = io.BytesIO()
    with plt.rc_context(_SVG_SETTINGS):
        ax.figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(ax.figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Markup('<img src="data:image/svg+xml;base64,{}" alt="{}">').format(Markup(data), alt)


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("reportlib", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(n=formatting.format_int, pct=formatting.format_pct, dec=formatting.format_decimal,
                       date=formatting.format_date, month=formatting.format_month, change=formatting.format_change,
                       isodate=dt.date.fromisoformat)
    env.globals.update(bars=bars, months=months, largest=largest, visible_total=visible_total)
    return env.get_template("sections.html.j2")
