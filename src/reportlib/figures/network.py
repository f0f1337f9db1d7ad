"""A network's figures: the members' comparable sections side by side, with the network's and each size band's average.

Reads nothing of a member but the comparable section of its figures document (and the document's
period), so municipalities can share their ``figures.json`` without their registers. Every value is
the municipality's own figure as its document gives it, and a share goes with its base (``count``
of ``base``: criticised of examined, say). An average is the plain mean of the members' known
values (each municipality counts once, whatever its size), rounded once as the measure's values are
(:attr:`Measure.digits`); it says how many members it is over and names those it leaves out and
why: a value withheld by the member's small-cell rule stays withheld and is left out, and so is one
that is not known (no inhabitants, no results recorded, no case examined or closed, no target, a
theme the member does not map). An average of fewer than :data:`MIN_MEMBERS` values is None: one
member's would be its own figure, and two members' would give each one's figure to the other.

A network compares one period, whole: members' figures of different periods (a reporting year from
November beside calendar years) are refused, naming each one's period, and so are interim figures
(``interim_of``), which count only part of theirs. No plotting: dicts, and a tidy DataFrame per measure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlib.exceptions import NetworkInvalid
from reportlib.figures import percent
from reportlib.labels import label_key
from reportlib.language import N_, _

# The network document's own format (its key "network"); the vocabulary has its version apart ("version").
# 2: averages of at least MIN_MEMBERS values, rounded as the measure's values, and each share's base.
FORMAT = 2
# A member's report reads the other members' values, which format 1 has as well.
READABLE_FORMATS = (1, 2)
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
    ``"days"``; ``theme`` the national theme of a theme's share of the problems.
    """

    key: str
    kind: str
    theme: str | None = None

    @property
    def digits(self) -> int:
        """The decimals of the measure's values and of their averages alike: whole percent, else one."""
        return 0 if self.kind == "pct" else 1


# The measures of every network, in report order; each national theme's share of the problems follows them.
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
    cases within the target, or the problems by theme with some withheld, gives the base alone.
    """
    if measure.kind != "pct" or value_of(comparable, measure)[0] is None:
        return None, None
    if measure.theme is not None:
        counts = [row["count"] for row in comparable["themes"]]
        problems = comparable.get("problems", sum(counts) if None not in counts else None)
        return next(row["count"] for row in comparable["themes"] if row["label"] == measure.theme), problems
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


def average(values: Sequence[dict[str, Any]], digits: int = 1) -> dict[str, Any]:
    """The average of members' ``values`` rows (``kommune``, ``value``, ``missing``), as a network document gives it.

    Returns
    -------
    dict
        ``average`` (None below :data:`MIN_MEMBERS` known values), the ``members`` whose value it
        is over (or would be), and who is ``left_out`` and why (``kommune``, ``missing``).
    """
    known = [row["value"] for row in values if row["missing"] is None]
    return {"average": mean(known, digits) if len(known) >= MIN_MEMBERS else None, "members": len(known),
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
    """The network's own figures document (``network.json``), from members :func:`read_members` checked.

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
        The network document (:func:`network`, read by :func:`read_network`).

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


# -- Reading and checking -----------------------------------------------------------------------------------


def danish_order(name: str) -> str:
    """A sort key for municipalities' names in Danish alphabetical order: æ, ø, å after z."""
    return name.casefold().translate({ord("æ"): "z\x01", ord("ø"): "z\x02", ord("å"): "z\x03"})


def read_members(paths: Sequence[str | Path]) -> list[Member]:
    """Read and check the members' figures documents of one network, in Danish alphabetical order.

    Every file is read and every problem found before anything is refused.

    Raises
    ------
    NetworkInvalid
        Naming each file that cannot be read as JSON, is no figures document with a comparable
        section, holds interim figures, or is of another vocabulary version than the first, and
        each municipality given twice; when the members' periods differ, naming each one's; also
        when fewer than two files are given.
    """
    problems, members = [], []
    for path in map(Path, paths):
        try:
            members.append(read_member(path))
        except NetworkInvalid as exc:
            problems.append(str(exc))
    if members:
        first = members[0]
        problems += _periods_problem(members)
        for member in members[1:]:
            problems += _differences(member, first)
        by_name: dict[str, list[Member]] = {}
        for member in members:
            by_name.setdefault(label_key(member.kommune), []).append(member)
        problems += [_("{files}: {kommune} twice; a municipality is one member of a network, so give its figures "
                       "once").format(files=" and ".join(str(m.file) for m in same), kommune=same[0].kommune)
                     for same in by_name.values() if len(same) > 1]
    if len(paths) < 2 and not problems:
        problems.append(_("a network compares at least two municipalities; give each member's figures document "
                          "with --figures (the figures.json of its report)"))
    if problems:
        raise NetworkInvalid("\n".join(problems))
    return sorted(members, key=lambda m: danish_order(m.kommune))


def _periods_problem(members: Sequence[Member]) -> list[str]:
    """Members' figures of different periods, as one message naming each member's period; none if they share one.

    Figures counted over other days cannot be set side by side (a reporting year from November is
    not the calendar year), and a network cannot recount them: each member makes its figures of the
    period most of them have.
    """
    periods: dict[tuple[str, str], int] = {}
    for member in members:
        key = (member.comparable["period"]["start"], member.comparable["period"]["end"])
        periods[key] = periods.get(key, 0) + 1
    if len(periods) < 2:
        return []
    start, end = max(periods, key=periods.__getitem__)  # the most common; of equals, the first given
    each = "; ".join(_("{file} ({kommune}): {start} to {end}").format(
        file=member.file, kommune=member.kommune, start=member.comparable["period"]["start"],
        end=member.comparable["period"]["end"]) for member in members)
    return [_("the members' figures are of different periods: {members}; a network compares one period, so give "
              "every member's figures of the same days, e.g. of {start} to {end}, made where a reporting year runs "
              "otherwise with `reportlib figures --period {start}:{end} --data DIR`").format(
        members=each, start=start, end=end)]


def _differences(member: Member, first: Member) -> list[str]:
    """What keeps ``member`` from standing beside ``first``: another vocabulary version or list of themes."""
    ours, theirs = member.comparable, first.comparable
    if ours["version"] != theirs["version"]:
        return [_("{file}: counted in version {version} of the national vocabulary, not version {first_version} as "
                  "{first_file}; make every member's figures with the same version of reportlib").format(
            file=member.file, version=ours["version"], first_version=theirs["version"], first_file=first.file)]
    if [row["label"] for row in ours["themes"]] != [row["label"] for row in theirs["themes"]]:
        return [_("{file}: its national themes differ from those of {first_file}, though both say version {version} "
                  "of the vocabulary; make both figures documents again with reportlib").format(
            file=member.file, first_file=first.file, version=ours["version"])]
    return []


def _load(path: Path, what: str) -> tuple[Any, bytes]:
    """The JSON value of a file and its bytes; ``what`` says in the message what the file should be."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise NetworkInvalid(_("{file}: file not found; give {what}").format(file=path, what=what)) from None
    except OSError as exc:
        raise NetworkInvalid(_("{file}: cannot be read ({reason}); check the file's permissions").format(
            file=path, reason=exc.strerror or exc)) from None
    try:
        return json.loads(content.decode("utf-8")), content
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise NetworkInvalid(_("{file}: not JSON ({reason}); give {what}").format(file=path, reason=reason,
                                                                                 what=what)) from None


_MEMBER_FILE = N_("a member's figures document: the figures.json of its report, or what `reportlib figures` prints")


def read_member(path: Path) -> Member:
    """Read one member's figures document and check its comparable section.

    Raises
    ------
    NetworkInvalid
        When the file cannot be read as JSON, is no figures document with a comparable section
        (one made before reportlib compared municipalities has none), holds interim figures
        (``interim_of``: only part of a period), or the section is not as reportlib writes it
        (naming the key).
    """
    document, content = _load(path, _(_MEMBER_FILE))
    if isinstance(document, dict) and "network" in document and "members" in document:
        raise NetworkInvalid(_("{file}: a network's own document (network.json), not a member's figures; give each "
                               "member's figures.json with --figures").format(file=path))
    if not isinstance(document, dict) or not isinstance(document.get("comparable"), dict):
        raise NetworkInvalid(_("{file}: not a figures document with a comparable section (one made before reportlib "
                               "compared municipalities has none); make it again with `reportlib figures --period P "
                               "--data DIR` or `reportlib run`").format(file=path))
    comparable = document["comparable"]
    interim = document.get("interim_of")
    if interim:  # a part of a period beside others' whole ones would read as fewer cases, not as fewer days
        counted = comparable.get("period") if isinstance(comparable.get("period"), dict) else {}
        whole = interim if isinstance(interim, dict) else {}
        raise NetworkInvalid(_("{file}: interim figures (--foreloebig) of {start} to {end}, only part of the period "
                               "{whole_start} to {whole_end}; interim figures cannot be compared, so give the "
                               "figures of the whole period, made once it has ended and the register is complete for "
                               "it").format(
            file=path, start=counted.get("start"), end=counted.get("end"), whole_start=whole.get("start"),
            whole_end=whole.get("end")))
    problem = _section_problem(comparable)
    if problem is None and document.get("period", comparable["period"]) != comparable["period"]:
        problem = _("the period of the comparable section is not the document's")
    if problem is not None:
        raise NetworkInvalid(_("{file}: {problem}; the comparable section is not as reportlib writes it, so make the "
                               "figures document again with `reportlib figures` or `reportlib run`").format(
            file=path, problem=problem))
    return Member(path, hashlib.sha256(content).hexdigest(), comparable)


def _whole(value: Any, *, empty: bool = False) -> bool:
    return (empty and value is None) or (type(value) is int and value >= 0)


def _number(value: Any, *, empty: bool = True) -> bool:
    return (empty and value is None) or (type(value) in (int, float) and value >= 0)


def _iso(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _theme_row(row: Any) -> bool:
    """Whether a row of comparable.themes is as reportlib writes it (``mapped`` only since it says so)."""
    if not (isinstance(row, dict) and isinstance(row.get("label"), str) and isinstance(row.get("suppressed"), bool)
            and isinstance(row.get("mapped", True), bool)):
        return False
    if row.get("mapped") is False:  # no topic maps to the theme: nothing counted, nothing withheld
        return row.get("count") is None and row.get("pct") is None and not row["suppressed"]
    return _whole(row.get("count"), empty=row["suppressed"]) and _whole(row.get("pct"), empty=row["suppressed"])


def _section_problem(section: dict[str, Any]) -> str | None:
    """The first key of a comparable section that is missing or of the wrong kind, as a message; None if none."""
    def key(name: str) -> str:
        return _("comparable.{key} is missing or not as reportlib writes it").format(key=name)

    checks = {
        "version": _whole(section.get("version")),
        "kommune": isinstance(section.get("kommune"), str) and bool(section.get("kommune", "").strip()),
        "indbyggere": _whole(section.get("indbyggere"), empty=True) and section.get("indbyggere") != 0,
        "period": isinstance(section.get("period"), dict) and _iso(section["period"].get("start"))
        and _iso(section["period"].get("end")),
        "min_celle": _whole(section.get("min_celle")),
        "cases": _whole(section.get("cases")),
        "complaints": _whole(section.get("complaints")),
        "cases_per_10000": _number(section.get("cases_per_10000")),
        "complaints_per_10000": _number(section.get("complaints_per_10000")),
        "problems": "problems" not in section or _whole(section["problems"]),  # since the shares' bases
        "themes": isinstance(section.get("themes"), list) and bool(section["themes"])
        and all(_theme_row(row) for row in section["themes"]),
        "unmapped_topics": isinstance(section.get("unmapped_topics"), list)
        and all(isinstance(topic, str) for topic in section["unmapped_topics"]),
        "criticism": section.get("criticism", ...) is None or (
            isinstance(section.get("criticism"), dict) and _whole(section["criticism"].get("examined"))
            and _whole(section["criticism"].get("criticised")) and _whole(section["criticism"].get("rate_pct"),
                                                                         empty=True)),
        "handling_days": isinstance(section.get("handling_days"), dict) and _whole(section["handling_days"].get(
            "closed")) and all(_number(section["handling_days"].get(name)) for name in ("median", "p90"))
        and all(_whole(section["handling_days"].get(name), empty=True) for name in ("target_days", "within_target",
                                                                                    "within_target_pct")),
    }
    wrong = next((name for name, good in checks.items() if not good), None)
    if wrong is not None:
        return key(wrong)
    # Each value that can be missing is missing exactly when the document's rule says: never a hole unexplained.
    inhabitants, handling = section["indbyggere"] is not None, section["handling_days"]
    consistent = {
        "cases_per_10000": (section["cases_per_10000"] is not None) == inhabitants,
        "complaints_per_10000": (section["complaints_per_10000"] is not None) == inhabitants,
        "handling_days": all((handling[name] is not None) == bool(handling["closed"]) for name in ("median", "p90"))
        and (handling["within_target_pct"] is not None) == bool(handling["closed"] and handling["target_days"])
        and ("within_target" not in handling
             or (handling["within_target"] is None) == (handling["within_target_pct"] is None)),
        "criticism": section["criticism"] is None
        or (section["criticism"]["rate_pct"] is not None) == bool(section["criticism"]["examined"]),
    }
    wrong = next((name for name, good in consistent.items() if not good), None)
    return key(wrong) if wrong is not None else None


_NETWORK_FILE = N_("the network's figures: the network.json that `reportlib network` published")


def read_network(path: str | Path, *, period: dict[str, str] | None = None, version: int | None = None,
                 interim_of: dict[str, str] | None = None) -> dict[str, Any]:
    """Read a network's own figures document (``network.json``), for a member's report.

    Parameters
    ----------
    path : str or Path
    period : dict, optional
        The member's report period (``{start, end}``); the network's must be the same.
    version : int, optional
        The vocabulary version of the member's own figures; the network's must be the same.
    interim_of : dict, optional
        The member's figures document's ``interim_of``: given (an interim report), the network is refused.

    Raises
    ------
    NetworkInvalid
        When the file cannot be read as JSON, is not a network document (of a format this reportlib
        reads), or is of another period or vocabulary version than asked for; and for an interim report.
    """
    path = Path(path)
    document, _content = _load(path, _(_NETWORK_FILE))
    if (not isinstance(document, dict) or document.get("network") not in READABLE_FORMATS
            or not all(isinstance(document.get(k), list) for k in ("members", "measures", "size_bands"))
            or not isinstance(document.get("period"), dict)):
        raise NetworkInvalid(_("{file}: not a network's figures document; give the network.json that `reportlib "
                               "network` published (in OUT/network_START_END/)").format(file=path))
    problem = _averages_problem(document)
    if problem is not None:
        raise NetworkInvalid(_("{file}: {problem}; the network's figures are not as reportlib writes them, so "
                               "publish them again with `reportlib network`").format(file=path, problem=problem))
    if period is not None and document["period"] != period:
        raise NetworkInvalid(_("{file}: the network's figures of {start} to {end}, not of {report_start} to "
                               "{report_end} as the report; give the network.json of the report's period").format(
            file=path, start=document["period"].get("start"), end=document["period"].get("end"),
            report_start=period["start"], report_end=period["end"]))
    if version is not None and document.get("version") != version:
        raise NetworkInvalid(_("{file}: counted in version {version} of the national vocabulary, not version "
                               "{ours} as the report's own figures; make the network's figures with the same version "
                               "of reportlib").format(file=path, version=document.get("version"), ours=version))
    if interim_of:  # the network's whole period beside the days an interim report counts: not comparable
        raise NetworkInvalid(_("{file}: the report's figures are interim (--foreloebig), only part of {start} to "
                               "{end}, and interim figures cannot be compared with a network's; leave out the "
                               "network, or make the report once the period has ended and the register is complete "
                               "for it").format(file=path, start=interim_of.get("start"), end=interim_of.get("end")))
    return document


def _averages_problem(document: dict[str, Any]) -> str | None:
    """What of a network document a member's section reads is missing or not as written, as a message; else None."""
    def averaged(row: Any) -> bool:
        return isinstance(row, dict) and _number(row.get("average")) and _whole(row.get("members"))

    def value(row: Any) -> bool:  # a member's value, which the member's section averages with the others'
        return (isinstance(row, dict) and isinstance(row.get("kommune"), str) and _number(row.get("value"))
                and isinstance(row.get("band"), str | None) and isinstance(row.get("missing"), str | None)
                and (row.get("value") is None) == (row.get("missing") is not None))

    measures = {m.get("key"): m for m in document["measures"] if isinstance(m, dict)}
    for key in MAIN_MEASURES:
        measure = measures.get(key)
        if not (measure is not None and averaged(measure.get("network")) and isinstance(measure.get("bands"), list)
                and all(averaged(band) and isinstance(band.get("label"), str) for band in measure["bands"])
                and isinstance(measure.get("values"), list) and all(value(row) for row in measure["values"])):
            return _("measures.{key} is missing or not as reportlib writes it").format(key=key)
    if not all(isinstance(m, dict) and isinstance(m.get("kommune"), str) for m in document["members"]):
        return _("members is not as reportlib writes it")
    return None
