"""A network's figures: the members' comparable sections side by side, with the network's and each size band's average.

Reads nothing of a member but the comparable section of its figures document (and the document's
period), so municipalities can share their ``figures.json`` without their registers. Every value is
the municipality's own figure as its document gives it. An average is the plain mean of the members'
known values (each municipality counts once, whatever its size), to one decimal; it says how many
members it is over and names those it leaves out and why: a value withheld by the member's
small-cell rule stays withheld and is left out, and so is one that is not known (no inhabitants,
no results recorded, no case examined or closed, no target). No plotting: dicts, and a tidy
DataFrame per measure.
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
FORMAT = 1


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


@dataclass(frozen=True)
class Measure:
    """One figure every member has (or says why not): its key, and how it is written.

    ``kind`` is ``"decimal"`` (one decimal: per 10,000 inhabitants), ``"pct"`` (whole percent) or
    ``"days"``; ``theme`` the national theme of a theme's share of the problems.
    """

    key: str
    kind: str
    theme: str | None = None


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
        if not comparable["cases"]:
            return None, NO_CASES
        row = next(row for row in comparable["themes"] if row["label"] == measure.theme)
        return (None, SUPPRESSED) if row["suppressed"] else (row["pct"], None)
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


def mean(values: Sequence[float | int]) -> float | None:
    """The plain mean of ``values`` to one decimal (:func:`reportlib.figures.percent.decimal`); None for none.

    Summed as decimals, so the mean of 12.5 and 13 is exactly 12.75 before it is rounded (to 12.8).
    """
    if not values:
        return None
    return percent.decimal(float(sum(Decimal(repr(v)) for v in values) / len(values)))


def _average(values: list[dict[str, Any]]) -> dict[str, Any]:
    known = [row["value"] for row in values if row["missing"] is None]
    return {"average": mean(known), "members": len(known),
            "left_out": [{"kommune": row["kommune"], "missing": row["missing"]} for row in values
                         if row["missing"] is not None]}


def _measure(measure: Measure, members: list[Member]) -> dict[str, Any]:
    values = []
    for member in members:
        value, missing = value_of(member.comparable, measure)
        band = band_of(member.comparable["indbyggere"])
        values.append({"kommune": member.kommune, "band": band.label if band else None, "value": value,
                       "missing": missing})
    return {"key": measure.key, "kind": measure.kind, "theme": measure.theme, "values": values,
            "network": _average(values),
            "bands": [{"label": band.label, **_average([row for row in values if row["band"] == band.label])}
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
        ``size_bands`` (``label``, ``lowest``, ``highest`` inhabitants), ``members`` (``kommune``,
        ``indbyggere``, ``band``, ``sha256`` of the file read, and its ``comparable`` section as
        given) and ``measures``: per measure its ``values`` (each member's ``value``, or None and
        why it is ``missing``), and the average of the ``network`` and of each band (``average``,
        the number of ``members`` it is over, and who is ``left_out`` and why).
    """
    members = list(members)
    first = members[0].comparable
    themes = [row["label"] for row in first["themes"]]
    return {
        "network": FORMAT,
        "version": first["version"],
        "period": first["period"],
        "size_bands": [{"label": band.label, "lowest": band.lowest, "highest": band.highest} for band in SIZE_BANDS],
        "members": [{"kommune": m.kommune, "indbyggere": m.comparable["indbyggere"],
                     "band": band.label if (band := band_of(m.comparable["indbyggere"])) else None,
                     "sha256": m.sha256, "comparable": m.comparable} for m in members],
        "measures": [_measure(measure, members) for measure in measures_of(themes)],
    }


def measure_table(document: dict[str, Any], key: str):
    """One measure of a network document as a tidy DataFrame: ``kommune, band, value, missing``, a row per member."""
    import pandas as pd  # only for the analyst's table: the network itself is plain data

    measure = next(m for m in document["measures"] if m["key"] == key)
    return pd.DataFrame(measure["values"], columns=["kommune", "band", "value", "missing"])


def member_comparison(comparable: dict[str, Any], document: dict[str, Any]) -> list[dict[str, Any]]:
    """A member's main figures beside the network's average and its size band's, for its own report.

    Parameters
    ----------
    comparable : dict
        The member's own comparable section (its figures document's ``comparable``).
    document : dict
        The network document (:func:`network`, read by :func:`read_network`).

    Returns
    -------
    list of dict
        Per main measure: ``key``, ``kind``, the member's ``own`` value (None, and why ``missing``),
        the ``network`` average and the number of ``network_members`` it is over, and the ``band``
        average and ``band_members`` (None and 0 without the member's inhabitants).
    """
    band = band_of(comparable["indbyggere"])
    by_key = {measure["key"]: measure for measure in document["measures"]}
    rows = []
    for measure in MEASURES:
        own, missing = value_of(comparable, measure)
        averaged = by_key[measure.key]
        band_average = next((b for b in averaged["bands"] if band and b["label"] == band.label), None)
        rows.append({"key": measure.key, "kind": measure.kind, "own": own, "missing": missing,
                     "network": averaged["network"]["average"], "network_members": averaged["network"]["members"],
                     "band": band_average["average"] if band_average else None,
                     "band_members": band_average["members"] if band_average else 0})
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
        section, or is of another period or vocabulary version than the first, and each
        municipality given twice; also when fewer than two files are given.
    """
    problems, members = [], []
    for path in map(Path, paths):
        try:
            members.append(read_member(path))
        except NetworkInvalid as exc:
            problems.append(str(exc))
    if members:
        first = members[0]
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


def _differences(member: Member, first: Member) -> list[str]:
    """What keeps ``member`` from standing beside ``first``: another period, vocabulary version or list of themes."""
    ours, theirs = member.comparable, first.comparable
    if ours["period"] != theirs["period"]:
        return [_("{file}: the figures of {start} to {end}, not of {first_start} to {first_end} as in {first_file}; "
                  "a network compares one period, so give every member's figures of the same period").format(
            file=member.file, start=ours["period"]["start"], end=ours["period"]["end"],
            first_start=theirs["period"]["start"], first_end=theirs["period"]["end"], first_file=first.file)]
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
        (one made before reportlib compared municipalities has none), or the section is not as
        reportlib writes it (naming the key).
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
        "themes": isinstance(section.get("themes"), list) and bool(section["themes"]) and all(
            isinstance(row, dict) and isinstance(row.get("label"), str) and isinstance(row.get("suppressed"), bool)
            and _whole(row.get("count"), empty=row["suppressed"]) and _whole(row.get("pct"), empty=row["suppressed"])
            for row in section["themes"]),
        "unmapped_topics": isinstance(section.get("unmapped_topics"), list)
        and all(isinstance(topic, str) for topic in section["unmapped_topics"]),
        "criticism": section.get("criticism", ...) is None or (
            isinstance(section.get("criticism"), dict) and _whole(section["criticism"].get("examined"))
            and _whole(section["criticism"].get("criticised")) and _whole(section["criticism"].get("rate_pct"),
                                                                         empty=True)),
        "handling_days": isinstance(section.get("handling_days"), dict) and _whole(section["handling_days"].get(
            "closed")) and all(_number(section["handling_days"].get(name)) for name in ("median", "p90"))
        and all(_whole(section["handling_days"].get(name), empty=True) for name in ("target_days",
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
        and (handling["within_target_pct"] is not None) == bool(handling["closed"] and handling["target_days"]),
        "criticism": section["criticism"] is None
        or (section["criticism"]["rate_pct"] is not None) == bool(section["criticism"]["examined"]),
    }
    wrong = next((name for name, good in consistent.items() if not good), None)
    return key(wrong) if wrong is not None else None


_NETWORK_FILE = N_("the network's figures: the network.json that `reportlib network` published")


def read_network(path: str | Path, *, period: dict[str, str] | None = None,
                 version: int | None = None) -> dict[str, Any]:
    """Read a network's own figures document (``network.json``), for a member's report.

    Parameters
    ----------
    path : str or Path
    period : dict, optional
        The member's report period (``{start, end}``); the network's must be the same.
    version : int, optional
        The vocabulary version of the member's own figures; the network's must be the same.

    Raises
    ------
    NetworkInvalid
        When the file cannot be read as JSON, is not a network document, or is of another period or
        vocabulary version than asked for.
    """
    path = Path(path)
    document, _content = _load(path, _(_NETWORK_FILE))
    if (not isinstance(document, dict) or document.get("network") != FORMAT
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
    return document


def _averages_problem(document: dict[str, Any]) -> str | None:
    """What of a network document a member's section reads is missing or not as written, as a message; else None."""
    def averaged(row: Any) -> bool:
        return isinstance(row, dict) and _number(row.get("average")) and _whole(row.get("members"))

    measures = {m.get("key"): m for m in document["measures"] if isinstance(m, dict)}
    for key in MAIN_MEASURES:
        measure = measures.get(key)
        if not (measure is not None and averaged(measure.get("network")) and isinstance(measure.get("bands"), list)
                and all(averaged(band) and isinstance(band.get("label"), str) for band in measure["bands"])):
            return _("measures.{key} is missing or not as reportlib writes it").format(key=key)
    if not all(isinstance(m, dict) and isinstance(m.get("kommune"), str) for m in document["members"]):
        return _("members is not as reportlib writes it")
    return None
