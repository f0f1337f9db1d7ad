"""The network's comparison report, rendered directly from the network document (no notebook, no kernel).

Per measure a chart (every member and the averages, :func:`reportlib.report.charts.comparison_bars`,
shown by :func:`reportlib.report.display.chart_html`) and its table folded beside it, as the
beretning shows a distribution; then what is not comparable and what was withheld. The text is in
``templates/network.html.j2`` (autoescaped: a municipality's name is always text). Also the rows of
a member's own section "Sammenlignet med andre kommuner" (:func:`member_rows`).

Publishing (:mod:`reportlib.publish.network`) sanitizes the body, wraps it in the page, finishes
the document as the beretning's export does and lays out the PDF and Word document.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from reportlib.figures.network import MAIN_MEASURES, SUPPRESSED, band_of, danish_order, member_comparison
from reportlib.formatting import NBSP, NOT_AVAILABLE, format_date, format_decimal, format_int, format_pct, period_label
from reportlib.formatting import SUPPRESSED as SUPPRESSED_CELL
from reportlib.jinja import environment
from reportlib.periods import period_between
from reportlib.report import charts, display, vocabulary
from reportlib.report.outputs import charts_for_print

TEMPLATE = "network.html.j2"
PDF_LINK = "Hent sammenligningen som PDF"
NETWORK_LABEL = "Alle kommuner"  # the network's average, in a table; in a chart "Gns. alle kommuner"
# Each measure's group in the report: its heading, and the measures under it (the themes get theirs).
GROUPS = (("Sager og klager", ("cases_per_10000", "complaints_per_10000", "complaint_share")),
          ("Undersøgelser og kritik", ("criticism_rate",)),
          ("Sagsbehandlingstid", ("handling_median", "handling_p90", "within_target")))


def period_name(period: dict[str, str]) -> str:
    """The period as a title names it: ``2025`` or ``2018/19`` for a year, else its first and last day."""
    chosen = period_between(period["start"], period["end"])
    start = chosen.start
    if start.day == 1 and chosen.end == start.replace(year=start.year + 1) - dt.timedelta(days=1):
        return period_label(chosen, start.month)
    return f"{format_date(chosen.start)} – {format_date(chosen.end)}"


def title(document: dict[str, Any]) -> str:
    """The report's title, e.g. ``Sammenligning af kommunernes borgerrådgivere 2025``."""
    return f"Sammenligning af kommunernes borgerrådgivere {period_name(document['period'])}"


def shown(value: float | int | None, kind: str, *, average: bool = False) -> str:
    """A value as the report writes it: ``15,0`` per 10,000, ``40 %``, ``10,5`` days; an average to one decimal."""
    if value is None:
        return NOT_AVAILABLE
    if average or kind == "decimal":
        text = format_decimal(value)
    elif kind == "days":
        text = format_int(value) if float(value).is_integer() else format_decimal(value)
    else:
        return format_pct(value)
    return f"{text}{NBSP}%" if kind == "pct" else text


def missing_cell(missing: str) -> str:
    """What stands in a table for a value not known: ``*`` for a withheld one, ``–`` for one not known."""
    return SUPPRESSED_CELL if missing == SUPPRESSED else NOT_AVAILABLE


def unit(kind: str) -> str:
    """The column heading's unit of a measure's values."""
    return {"decimal": "Pr. 10.000 indbyggere", "pct": "Andel", "days": "Dage"}[kind]


def band_name(label: str) -> str:
    return f"{label} indbyggere"


@dataclass(frozen=True)
class MeasureView:
    """One measure as the report shows it: heading, chart, table rows and the note on its averages."""

    key: str
    name: str
    kind: str
    chart: Markup
    rows: list[tuple[str, str, str]]  # kommune, size band (inhabitants), value as written
    averages: list[tuple[str, int, str]]  # label, members averaged, average as written
    left_out: list[tuple[str, str]]  # kommune, why it is not in the network's average
    members: int  # in the network's average


def _view(measure: dict[str, Any], total: int) -> MeasureView:
    name, kind = vocabulary.network_measure(measure["key"]), measure["kind"]
    rows = [(row["kommune"], row["band"] or "ikke oplyst",
             missing_cell(row["missing"]) if row["missing"] else shown(row["value"], kind))
            for row in measure["values"]]
    network = measure["network"]
    averages = [(NETWORK_LABEL, network["members"], shown(network["average"], kind, average=True))]
    averages += [(band["label"], band["members"], shown(band["average"], kind, average=True))
                 for band in measure["bands"] if band["members"] or band["left_out"]]
    left_out = [(row["kommune"], vocabulary.NETWORK_MISSING[row["missing"]]) for row in network["left_out"]]
    return MeasureView(measure["key"], name, kind, _chart(measure, name), rows, averages, left_out,
                       network["members"])


def _chart(measure: dict[str, Any], name: str) -> Markup:
    """Every member's bar, largest first, under the averages (the network's, then each size band's with members)."""
    kind = measure["kind"]
    references = [("Gns. alle kommuner", "gennemsnit for alle kommuner", measure["network"]["average"])]
    references += [(f"Gns. {band['label']}", f"gennemsnit for kommuner med {band_name(band['label'])}",
                    band["average"]) for band in measure["bands"] if band["members"]]
    known = sorted((row for row in measure["values"] if row["missing"] is None), key=lambda row: -row["value"])
    unknown = [row for row in measure["values"] if row["missing"] is not None]
    rows = ([(label, spoken, value, shown(value, kind, average=True), True) for label, spoken, value in references]
            + [(row["kommune"], row["kommune"], row["value"], shown(row["value"], kind), False) for row in known]
            + [(row["kommune"], row["kommune"], None, missing_cell(row["missing"]), False) for row in unknown])
    table = pd.DataFrame([{"label": label, "value": value, "text": text, "reference": reference}
                          for label, _spoken, value, text, reference in rows],
                         columns=["label", "value", "text", "reference"])
    spoken = "; ".join(f"{words} {_ALT_TEXT.get(text, text)}" for _label, words, _value, text, _reference in rows)
    alt = f"Vandret søjlediagram, kommune for kommune: {name}. {spoken}."
    with display.chart_style():
        ax = charts.comparison_bars(table)
    return display.chart_html(ax, alt, caption=name)


# How a chart's alt text reads a missing value.
_ALT_TEXT = {NOT_AVAILABLE: "intet tal", SUPPRESSED_CELL: "skjult"}


def body(document: dict[str, Any], *, print_images: bool = False) -> Markup:
    """The comparison report's content (``<main>``'s inside), for the publish step to sanitize and wrap.

    Parameters
    ----------
    document : dict
        The network document (:func:`reportlib.figures.network.network`).
    print_images : bool
        Also draw each chart as a PNG at print resolution (``data-print``), for the Word document.
    """
    display.install()
    members = document["members"]
    with charts_for_print(print_images):
        views = {measure["key"]: _view(measure, len(members)) for measure in document["measures"]}
    groups = [(heading, [views[key] for key in keys]) for heading, keys in GROUPS]
    themes = [view for key, view in views.items() if key.startswith("theme:")]
    return Markup(_template().report(document, title(document), groups, themes, _notes(document)))


def page(content: str, page_title: str) -> str:
    """The whole HTML document around ``content``: ``lang="da"``, the beretning's stylesheet inline, nothing fetched."""
    return str(_template().page(page_title, Markup(content)))


def _notes(document: dict[str, Any]) -> dict[str, Any]:
    """What is not comparable, and what was withheld, per member, for the report's notes."""
    members = document["members"]
    sections = [member["comparable"] for member in members]
    withheld = [(section["kommune"], [row["label"] for row in section["themes"] if row["suppressed"]])
                for section in sections]
    targets = [(section["kommune"], section["handling_days"]["target_days"]) for section in sections]
    return {
        "unmapped": [(section["kommune"], section["unmapped_topics"]) for section in sections
                     if section["unmapped_topics"]],
        "withheld": [(kommune, labels) for kommune, labels in withheld if labels],
        "thresholds": sorted({section["min_celle"] for section in sections}),
        "by_threshold": {threshold: [s["kommune"] for s in sections if s["min_celle"] == threshold]
                         for threshold in {section["min_celle"] for section in sections}},
        "targets": [(kommune, days) for kommune, days in targets if days is not None],
        "no_target": [kommune for kommune, days in targets if days is None],
        "no_inhabitants": [member["kommune"] for member in members if member["indbyggere"] is None],
        "no_results": [section["kommune"] for section in sections if section["criticism"] is None],
        "bands": [(band_name(band["label"]), [m["kommune"] for m in members if m["band"] == band["label"]])
                  for band in document["size_bands"]],
    }


def member_rows(comparable: dict[str, Any], document: dict[str, Any]) -> list[dict[str, str]]:
    """A member's main figures beside the network's and its size band's averages, written for its report.

    Each row: ``name`` of the measure, the member's ``own`` value, the ``network`` and ``band``
    averages as written (``–`` where there is none).
    """
    rows = []
    for row in member_comparison(comparable, document):
        own = missing_cell(row["missing"]) if row["missing"] else shown(row["own"], row["kind"])
        rows.append({"key": row["key"], "name": vocabulary.NETWORK_MEASURES[row["key"]], "own": own,
                     "network": shown(row["network"], row["kind"], average=True),
                     "band": shown(row["band"], row["kind"], average=True) if row["band_members"] else NOT_AVAILABLE})
    return rows


def member_band(comparable: dict[str, Any]) -> str | None:
    """The size band of a member, as its section names it (``under 30.000 indbyggere``); None without inhabitants."""
    band = band_of(comparable["indbyggere"])
    return band_name(band.label) if band else None


@functools.cache
def _template() -> Any:
    return environment().get_template(TEMPLATE).make_module(
        {"period_name": period_name, "band_name": band_name, "unit": unit, "main": MAIN_MEASURES,
         "sorted_names": lambda names: sorted(names, key=danish_order), "NBSP": NBSP})
