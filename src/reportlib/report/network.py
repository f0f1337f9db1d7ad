"""The network's comparison report, rendered directly from the network document (no notebook, no kernel).

Per measure a chart (every member and the averages, :func:`reportlib.report.charts.comparison_bars`,
shown by :func:`reportlib.report.display.chart_html`) and its table folded beside it, as the
beretning shows a distribution; then what is not comparable and what was withheld. The text is in
``templates/network.html.j2`` (autoescaped: a municipality's name is always text). Also the rows of
a member's own section "Sammenlignet med andre kommuner" (:func:`member_rows`).

One way of writing per measure, a member's value and an average alike (:func:`shown`): whole
percent for a share, one decimal per 10,000 inhabitants and for days. A share stands with its base
(``17 % (1 af 6)``), a theme a member does not map reads "ikke kortlagt", and an average of fewer
than :data:`~reportlib.figures.network.MIN_MEMBERS` members is not shown: the report says which
groups have none, and why.

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

from reportlib.figures.network import (
    MAIN_MEASURES,
    MAPPING_UNKNOWN,
    MIN_MEMBERS,
    NOT_MAPPED,
    SUPPRESSED,
    band_of,
    danish_order,
    member_comparison,
    others,
)
from reportlib.formatting import (
    NBSP,
    NOT_AVAILABLE,
    format_count,
    format_date,
    format_decimal,
    format_int,
    format_pct,
    period_label,
)
from reportlib.formatting import SUPPRESSED as SUPPRESSED_CELL
from reportlib.jinja import environment
from reportlib.periods import period_between
from reportlib.report import charts, display, vocabulary
from reportlib.report.outputs import charts_for_print

TEMPLATE = "network.html.j2"
PDF_LINK = "Hent sammenligningen som PDF"
NETWORK_LABEL = "Alle kommuner"  # the network's average, in a table; in a chart "Gns. alle kommuner"
NOT_MAPPED_CELL = "ikke kortlagt"  # a theme none of the member's topics is mapped to: not known, never 0 %
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


def shown(value: float | int | None, kind: str) -> str:
    """A value as the report writes it, a member's and an average alike: ``40 %``, ``15,0`` per 10,000, ``14,0`` days.

    One rule per measure, so that a row never sets ``44 %`` beside ``38,8 %``: a share in whole
    percent (as the network rounds its average, :attr:`reportlib.figures.network.Measure.digits`),
    everything else to one decimal (a median of whole days is exact, so ``14,0`` says no more than it knows).
    """
    if value is None:
        return NOT_AVAILABLE
    return format_pct(value) if kind == "pct" else format_decimal(value)  # a share is whole already


def with_base(text: str, count: int | None, base: int | None) -> str:
    """A share with its base: ``17 % (1 af 6)``; ``75 % (af 28)`` where an older document gives the base alone."""
    if base is None:
        return text
    part = f"{format_int(count)}{NBSP}af{NBSP}" if count is not None else f"af{NBSP}"
    return f"{text} ({part}{format_int(base)})"


def averaged(value: float | int | None, members: int, kind: str) -> str:
    """An average with the number of municipalities it is of, ``37 % (4 kommuner)``; ``–`` where there is none."""
    return NOT_AVAILABLE if value is None else f"{shown(value, kind)} ({format_count(members, 'kommune', 'kommuner')})"


def missing_cell(missing: str) -> str:
    """What stands for a value not known: ``*`` withheld, ``ikke kortlagt`` for a theme not mapped, else ``–``."""
    return {SUPPRESSED: SUPPRESSED_CELL, NOT_MAPPED: NOT_MAPPED_CELL}.get(missing, NOT_AVAILABLE)


def value_cell(row: dict[str, Any], kind: str) -> str:
    """A member's value of a network document's measure as the report writes it, a share with its base."""
    if row["missing"]:
        return missing_cell(row["missing"])
    return with_base(shown(row["value"], kind), row.get("count"), row.get("base"))


def unit(kind: str) -> str:
    """The column heading's unit of a measure's values."""
    return {"decimal": "Pr. 10.000 indbyggere", "pct": "Andel", "days": "Dage"}[kind]


def band_name(label: str) -> str:
    return f"{label} indbyggere"


@dataclass(frozen=True)
class MeasureView:
    """One measure as the report shows it: heading, chart, table rows and the notes on its averages."""

    key: str
    name: str
    kind: str
    chart: Markup
    rows: list[tuple[str, str, str]]  # kommune, size band (inhabitants), value as written
    averages: list[tuple[str, int, str]]  # label, members averaged, average as written: only those shown
    left_out: list[tuple[str, str]]  # kommune, why it is not in the network's average
    members: int  # with a value: in the network's average, where it has one
    network_average: bool  # whether the network's average is shown (MIN_MEMBERS values or more)
    too_few: list[tuple[str, int]]  # size band (inhabitants) of enough members but too few values, and those values


def _groups(measure: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The network's average and each size band's that holds members: table label, chart label, spoken, average."""
    groups = [(NETWORK_LABEL, "Gns. alle kommuner", "gennemsnit for alle kommuner", measure["network"])]
    return groups + [(band["label"], f"Gns. {band['label']}", f"gennemsnit for kommuner med {band_name(band['label'])}",
                      band) for band in measure["bands"] if band["members"] or band["left_out"]]


def _view(measure: dict[str, Any], total: int) -> MeasureView:
    name, kind = vocabulary.network_measure(measure["key"]), measure["kind"]
    rows = [(row["kommune"], row["band"] or "ikke oplyst", value_cell(row, kind)) for row in measure["values"]]
    groups = _groups(measure)
    averages = [(label, group["members"], shown(group["average"], kind)) for label, _chart, _spoken, group in groups
                if group["average"] is not None]
    # A band of fewer members than an average needs is said to be so once, in the list of bands; here only
    # one large enough whose members too seldom have the figure.
    too_few = [(band_name(label), group["members"]) for label, _chart, _spoken, group in groups[1:]
               if group["average"] is None and group["members"] + len(group["left_out"]) >= MIN_MEMBERS]
    network = measure["network"]
    left_out = [(row["kommune"], vocabulary.NETWORK_MISSING[row["missing"]]) for row in network["left_out"]]
    return MeasureView(measure["key"], name, kind, _chart(measure, name, groups), rows, averages, left_out,
                       network["members"], network["average"] is not None, too_few)


def _chart(measure: dict[str, Any], name: str, groups: list[tuple[str, str, str, dict[str, Any]]]) -> Markup:
    """Every member's bar, largest first, under the averages shown (the network's, then each size band's)."""
    kind = measure["kind"]
    references = [(label, spoken, group["average"]) for _label, label, spoken, group in groups
                  if group["average"] is not None]
    known = sorted((row for row in measure["values"] if row["missing"] is None), key=lambda row: -row["value"])
    unknown = [row for row in measure["values"] if row["missing"] is not None]
    rows = ([(label, spoken, value, shown(value, kind), True) for label, spoken, value in references]
            + [(row["kommune"], row["kommune"], row["value"], value_cell(row, kind), False) for row in known]
            + [(row["kommune"], row["kommune"], None, missing_cell(row["missing"]), False) for row in unknown])
    table = pd.DataFrame([{"label": label, "value": value, "text": text, "reference": reference}
                          for label, _spoken, value, text, reference in rows],
                         columns=["label", "value", "text", "reference"])
    spoken = "; ".join(f"{words} {_ALT_TEXT.get(text, text)}" for _label, words, _value, text, _reference in rows)
    alt = f"Vandret søjlediagram, kommune for kommune: {name}. {spoken}."
    with display.chart_style():
        ax = charts.comparison_bars(table)
    return display.chart_html(ax, alt, caption=name)


# How a chart's alt text reads a missing value ("ikke kortlagt" reads as itself).
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
        "not_mapped": [(section["kommune"], not_mapped_themes(section)) for section in sections
                       if not_mapped_themes(section)],
        "all_themes": len(sections[0]["themes"]),
        # Documents made before the comparable section said which themes are mapped, with a theme at zero.
        "mapping_unknown": sorted({row["kommune"] for measure in document["measures"] for row in measure["values"]
                                   if row["missing"] == MAPPING_UNKNOWN}, key=danish_order),
    }


def theme_name(label: str) -> str:
    """A national theme as running text names it: ``partshøring``; "andet" is ``andre emner``."""
    return "andre emner" if label == "andet" else label


def not_mapped_themes(comparable: dict[str, Any]) -> list[str]:
    """The national themes none of a member's topics is mapped to, as running text names them."""
    return [theme_name(row["label"]) for row in comparable["themes"] if row.get("mapped") is False]


def member_rows(comparable: dict[str, Any], document: dict[str, Any]) -> list[dict[str, str]]:
    """A member's main figures beside the other members' averages, all and of its size, written for its report.

    Each row: ``name`` of the measure, the member's ``own`` value (a share with its base, ``50 % (1
    af 2)``), the ``network`` and ``band`` averages of the *other* members as written with the
    number of municipalities each is of (``36 % (4 kommuner)``; ``–`` where fewer than
    :data:`~reportlib.figures.network.MIN_MEMBERS` have a value). Each measure is written by one
    rule (:func:`shown`), the member's value and the averages alike.
    """
    rows = []
    for row in member_comparison(comparable, document):
        own = (missing_cell(row["missing"]) if row["missing"]
               else with_base(shown(row["own"], row["kind"]), row["count"], row["base"]))
        rows.append({"key": row["key"], "name": vocabulary.NETWORK_MEASURES[row["key"]], "own": own,
                     "network": averaged(row["network"], row["network_members"], row["kind"]),
                     "band": averaged(row["band"], row["band_members"], row["kind"])})
    return rows


def member_facts(comparable: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """What a member's section says besides its figures: whom it is compared with, and what it leaves out.

    Returns
    -------
    dict
        ``members`` of the network; ``member`` (whether the municipality is one); ``others`` (the
        members but itself, whose averages the section shows); ``band`` (its size band as named,
        None without inhabitants) and ``band_others`` (the others in it); ``minimum``
        (:data:`~reportlib.figures.network.MIN_MEMBERS`); whether the section has an average of the
        ``network`` and of the ``band`` at all (enough others); ``unmapped`` (its topics counted as
        andet), ``not_mapped`` (its themes no topic maps to) of all ``themes``, ``withheld`` (its
        withheld themes).
    """
    rest = others(comparable, document)
    band = band_of(comparable["indbyggere"])
    band_others = sum(1 for member in rest if band and member["band"] == band.label)
    return {"members": len(document["members"]), "member": len(rest) < len(document["members"]),
            "others": len(rest), "band": member_band(comparable), "band_others": band_others,
            "minimum": MIN_MEMBERS, "network": len(rest) >= MIN_MEMBERS,
            "band_average": band is not None and band_others >= MIN_MEMBERS,
            "unmapped": comparable["unmapped_topics"], "not_mapped": not_mapped_themes(comparable),
            "themes": len(comparable["themes"]),
            "withheld": [row["label"] for row in comparable["themes"] if row["suppressed"]]}


def member_band(comparable: dict[str, Any]) -> str | None:
    """The size band of a member, as its section names it (``under 30.000 indbyggere``); None without inhabitants."""
    band = band_of(comparable["indbyggere"])
    return band_name(band.label) if band else None


@functools.cache
def _template() -> Any:
    return environment().get_template(TEMPLATE).make_module(
        {"period_name": period_name, "band_name": band_name, "unit": unit, "main": MAIN_MEASURES,
         "sorted_names": lambda names: sorted(names, key=danish_order), "NBSP": NBSP, "minimum": MIN_MEMBERS,
         "not_mapped_cell": NOT_MAPPED_CELL})
