"""A network's figures: the members' comparable sections side by side, with the network's and each size band's average.

Made of nothing of a member but the comparable section of its figures document, read and checked by
:mod:`reportlib.figures.network_documents`, so municipalities can share their ``figures.json``
without their registers. Every value is the municipality's own figure as its document gives it, and
a share goes with its base (``count`` of ``base``: criticised of examined, say). An average is the
plain mean of the members' known values (each municipality counts once, whatever its size), rounded
once as the measure's values are (:attr:`Measure.digits`); it says how many members it is over and
names those it leaves out and why: a value withheld by the member's small-cell rule stays withheld
and is left out, and so is one that is not known (no inhabitants, no results recorded, no case
examined or closed, no target, a theme the member does not map). An average of fewer than
:data:`MIN_MEMBERS` values is None: one member's would be its own figure, and two members' would
give each one's figure to the other.

A network compares one period, whole: members' figures of different periods (a reporting year from
November beside calendar years) are refused, naming each one's period, and so are interim figures
(``interim_of``), which count only part of theirs. No plotting: dicts, and a tidy DataFrame per measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlib.figures import percent
from reportlib.labels import label_key

# The network document's own format (its key "network"); the vocabulary has its version apart ("version").
# 2: averages of at least MIN_MEMBERS values, rounded as the measure's values, and each share's base.
# 3: the members' comparable sections of figures documents of format 2 (figures.document_format): problemstillinger.
FORMAT = 3
# The fewest values an average is taken of: one member's "average" is its own figure, and two members'
# gives each the other's.
MIN_MEMBERS = 3


@dataclass(frozen=True)
class SizeBand:
    """Municipalities of ``lowest`` to ``highest`` inhabitants, both included (``highest`` None: no upper bound)."""

    label: str  # as the report states it, before "indbyggere"
    lowest: int
    highest: int | None

    def holds(self, inhabitants: int) -> bool:
        return self.lowest <= inhabitants and (self.highest is None or inhabitants <= self.highest)


# Municipalities of similar size, by inhabitants (kommune.yml's indbyggere), fixed so that every network
# and every year draws the same lines: about a third of Denmark's municipalities have under 30,000, and
# only a few more than 100,000. A member without indbyggere is in no band (and has no figures per 10,000).
SIZE_BANDS = (SizeBand("under 30.000", 0, 29_999), SizeBand("30.000–59.999", 30_000, 59_999),
              SizeBand("60.000–99.999", 60_000, 99_999), SizeBand("100.000 og flere", 100_000, None))

# Why a member's value is not in an average (the report words each).
SUPPRESSED = "suppressed"  # withheld by the member's small-cell rule (min_celle)
NO_INHABITANTS = "no_inhabitants"  # kommune.yml gives no indbyggere
NO_CASES = "no_cases"  # no case in the period: no share to take
NOT_RECORDED = "not_recorded"  # the register keeps no results (resultat)
NONE_EXAMINED = "none_examined"  # no case examined: no criticism rate
NONE_CLOSED = "none_closed"  # no case closed: no handling time
NO_TARGET = "no_target"  # no maal_sagsbehandlingstid_dage
NOT_MAPPED = "not_mapped"  # none of the member's topics is mapped to the theme: its share is not known
# A theme's zero in a document made before the comparable section said which themes are mapped: it may be either.
MAPPING_UNKNOWN = "mapping_unknown"


@dataclass(frozen=True)
class Measure:
    """One figure every member has (or says why not): its key, and how it is written.

    ``kind`` is ``"decimal"`` (per 10,000 inhabitants), ``"pct"`` (a share, with its base) or
    ``"days"``; ``theme`` the national theme of a theme's share of the problemstillinger.
    """

    key: str
    kind: str
    theme: str | None = None

    @property
    def digits(self) -> int:
        """The decimals of the measure's values and of their averages alike: whole percent, else one."""
        return 0 if self.kind == "pct" else 1


# The measures of every network, in report order; each national theme's share of the problemstillinger follows them.
MEASURES = (Measure("cases_per_10000", "decimal"), Measure("complaints_per_10000", "decimal"),
            Measure("complaint_share", "pct"), Measure("criticism_rate", "pct"), Measure("handling_median", "days"),
            Measure("handling_p90", "days"), Measure("within_target", "pct"))
# What a member's own report sets beside the network's (reportlib run --network): all but the themes.
MAIN_MEASURES = tuple(measure.key for measure in MEASURES)
THEME_PREFIX = "theme:"


@dataclass(frozen=True)
class Member:
    """A member's figures document as read: the file, the SHA-256 of its bytes, its comparable section."""

    file: Path
    sha256: str
    comparable: dict[str, Any]

    @property
    def kommune(self) -> str:
        return self.comparable["kommune"]


def band_of(inhabitants: int | None) -> SizeBand | None:
    """The size band of a municipality of ``inhabitants``; None without them."""
    if inhabitants is None:
        return None
    return next(band for band in SIZE_BANDS if band.holds(inhabitants))


def value_of(comparable: dict[str, Any], measure: Measure) -> tuple[float | int | None, str | None]:
    """A member's value of ``measure`` from its comparable section, and why there is none (None when there is)."""
    handling, criticism = comparable["handling_days"], comparable["criticism"]
    if measure.theme is not None:
        row = next(row for row in comparable["themes"] if row["label"] == measure.theme)
        if row.get("mapped") is False:
            return None, NOT_MAPPED
        if not comparable["cases"]:
            return None, NO_CASES
        if row["suppressed"]:
            return None, SUPPRESSED
        # A document without "mapped" cannot tell a theme with no problem from one no topic maps to.
        return (None, MAPPING_UNKNOWN) if "mapped" not in row and row["count"] == 0 else (row["pct"], None)
    key = measure.key
    if key in ("cases_per_10000", "complaints_per_10000"):
        return (comparable[key], None) if comparable["indbyggere"] else (None, NO_INHABITANTS)
    if key == "complaint_share":
        cases = comparable["cases"]
        return (percent.rate(comparable["complaints"], cases), None) if cases else (None, NO_CASES)
    if key == "criticism_rate":
        if criticism is None:
            return None, NOT_RECORDED
        return (criticism["rate_pct"], None) if criticism["examined"] else (None, NONE_EXAMINED)
    if key == "within_target" and handling["target_days"] is None:
        return None, NO_TARGET
    if not handling["closed"]:
        return None, NONE_CLOSED
    return {"handling_median": handling["median"], "handling_p90": handling["p90"],
            "within_target": handling["within_target_pct"]}[key], None


def base_of(comparable: dict[str, Any], measure: Measure) -> tuple[int | None, int | None]:
    """The base of a member's share: the ``count`` it is of the ``base`` (``(1, 6)`` for 17 %); Nones for none.

    Only a share (``kind`` ``"pct"``) with a value has one. A document made before the section gave the
    cases within the target, or the problemstillinger by theme with some withheld, gives the base alone.
    """
    if measure.kind != "pct" or value_of(comparable, measure)[0] is None:
        return None, None
    if measure.theme is not None:
        counts = [row["count"] for row in comparable["themes"]]
        base = comparable.get("problemstillinger", sum(counts) if None not in counts else None)
        return next(row["count"] for row in comparable["themes"] if row["label"] == measure.theme), base
    if measure.key == "complaint_share":
        return comparable["complaints"], comparable["cases"]
    if measure.key == "criticism_rate":
        return comparable["criticism"]["criticised"], comparable["criticism"]["examined"]
    handling = comparable["handling_days"]
    return handling.get("within_target"), handling["closed"]


def mean(values: Sequence[float | int], digits: int = 1) -> float | int | None:
    """The plain mean of ``values`` to ``digits`` decimals (:func:`reportlib.figures.percent.decimal`); None for none.

    Summed as decimals, so the mean of 12.5 and 13 is exactly 12.75 before it is rounded (to 12.8),
    once: a whole percent (``digits=0``) is rounded from the exact mean (38.46 is 38), and is an int.
    """
    if not values:
        return None
    rounded = percent.decimal(float(sum(Decimal(repr(v)) for v in values) / len(values)), digits)
    return int(rounded) if digits == 0 else rounded


def average(values: Sequence[dict[str, Any]], digits: int = 1, minimum: int = MIN_MEMBERS) -> dict[str, Any]:
    """The average of members' ``values`` rows (``kommune``, ``value``, ``missing``), as a network document gives it.

    ``minimum`` is other than :data:`MIN_MEMBERS` only to check a document of format 1, which took an
    average of any number of values.

    Returns
    -------
    dict
        ``average`` (None below ``minimum`` known values), the ``members`` whose value it is over
        (or would be), and who is ``left_out`` and why (``kommune``, ``missing``).
    """
    known = [row["value"] for row in values if row["missing"] is None]
    return {"average": mean(known, digits) if len(known) >= minimum else None, "members": len(known),
            "left_out": [{"kommune": row["kommune"], "missing": row["missing"]} for row in values
                         if row["missing"] is not None]}


def _measure(measure: Measure, members: list[Member]) -> dict[str, Any]:
    values = []
    for member in members:
        value, missing = value_of(member.comparable, measure)
        count, base = base_of(member.comparable, measure)
        band = band_of(member.comparable["indbyggere"])
        values.append({"kommune": member.kommune, "band": band.label if band else None, "value": value,
                       "missing": missing, "count": count, "base": base})
    return {"key": measure.key, "kind": measure.kind, "theme": measure.theme, "values": values,
            "network": average(values, measure.digits),
            "bands": [{"label": band.label, **average([row for row in values if row["band"] == band.label],
                                                      measure.digits)}
                      for band in SIZE_BANDS]}


def measures_of(themes: Sequence[str]) -> tuple[Measure, ...]:
    """Every measure of a network whose vocabulary has ``themes``: :data:`MEASURES`, then each theme's share."""
    return (*MEASURES, *(Measure(f"{THEME_PREFIX}{theme}", "pct", theme) for theme in themes))


def network(members: Sequence[Member]) -> dict[str, Any]:
    """The network's own figures document (``network.json``), of members checked as they were read.

    The members come from :func:`reportlib.figures.network_documents.read_members`.

    Returns
    -------
    dict
        ``network`` (this document's format), ``version`` (the national vocabulary's), ``period``,
        ``min_members`` (:data:`MIN_MEMBERS`), ``size_bands`` (``label``, ``lowest``, ``highest``
        inhabitants), ``members`` (``kommune``, ``indbyggere``, ``band``, ``sha256`` of the file
        read, and its ``comparable`` section as given) and ``measures``: per measure its ``values``
        (each member's ``value``, or None and why it is ``missing``; a share's ``count`` and
        ``base``), and the average of the ``network`` and of each band (``average``, None below
        ``min_members`` values; the number of ``members`` it is over; who is ``left_out`` and why).
    """
    members = list(members)
    first = members[0].comparable
    themes = [row["label"] for row in first["themes"]]
    return {
        "network": FORMAT,
        "version": first["version"],
        "period": first["period"],
        "min_members": MIN_MEMBERS,
        "size_bands": [{"label": band.label, "lowest": band.lowest, "highest": band.highest} for band in SIZE_BANDS],
        "members": [{"kommune": m.kommune, "indbyggere": m.comparable["indbyggere"],
                     "band": band.label if (band := band_of(m.comparable["indbyggere"])) else None,
                     "sha256": m.sha256, "comparable": m.comparable} for m in members],
        "measures": [_measure(measure, members) for measure in measures_of(themes)],
    }


def measure_table(document: dict[str, Any], key: str):
    """One measure of a network document as a tidy DataFrame: ``kommune, band, value, missing, count, base``.

    A row per member; ``count`` and ``base`` are a share's base (missing for other measures).
    """
    import pandas as pd  # only for the analyst's table: the network itself is plain data

    measure = next(m for m in document["measures"] if m["key"] == key)
    return pd.DataFrame(measure["values"], columns=["kommune", "band", "value", "missing", "count", "base"])


def danish_order(name: str) -> str:
    """A sort key for municipalities' names in Danish alphabetical order: æ, ø, å after z."""
    return name.casefold().translate({ord("æ"): "z\x01", ord("ø"): "z\x02", ord("å"): "z\x03"})


def others(comparable: dict[str, Any], document: dict[str, Any]) -> list[dict[str, Any]]:
    """The network document's members but the municipality of ``comparable`` (all of them if it is none)."""
    own = label_key(comparable["kommune"])
    return [member for member in document["members"] if label_key(member["kommune"]) != own]


def member_comparison(comparable: dict[str, Any], document: dict[str, Any]) -> list[dict[str, Any]]:
    """A member's main figures beside the other members' average and its size band's, for its own report.

    The averages are of the *other* members' values (:func:`others`): the member's own figure is
    never in what it is compared with. Each is taken as the network's are (:func:`average`), so one
    of fewer than :data:`MIN_MEMBERS` other members is None.

    Parameters
    ----------
    comparable : dict
        The member's own comparable section (its figures document's ``comparable``).
    document : dict
        The network document (:func:`network`, read by :func:`~reportlib.figures.network_documents.read_network`).

    Returns
    -------
    list of dict
        Per main measure: ``key``, ``kind``, the member's ``own`` value (None, and why ``missing``)
        and, for a share, its ``count`` of ``base``; the other members' ``network`` average and the
        number of ``network_members`` with a value; the ``band`` average of the others of the
        member's size and ``band_members`` (None and 0 without the member's inhabitants).
    """
    band = band_of(comparable["indbyggere"])
    names = {label_key(member["kommune"]) for member in others(comparable, document)}
    by_key = {measure["key"]: measure for measure in document["measures"]}
    rows = []
    for measure in MEASURES:
        own, missing = value_of(comparable, measure)
        count, base = base_of(comparable, measure)
        values = [row for row in by_key[measure.key]["values"] if label_key(row["kommune"]) in names]
        network_average = average(values, measure.digits)
        band_average = average([row for row in values if band and row["band"] == band.label], measure.digits)
        rows.append({"key": measure.key, "kind": measure.kind, "own": own, "missing": missing, "count": count,
                     "base": base, "network": network_average["average"],
                     "network_members": network_average["members"],
                     "band": band_average["average"] if band else None,
                     "band_members": band_average["members"] if band else 0})
    return rows
