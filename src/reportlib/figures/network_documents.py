"""The documents of a network, read and checked: the members' figures documents it is made of, and ``network.json``.

A member's document gives its comparable section only if that is as reportlib writes it (every key,
of its kind, and each value that can be missing missing exactly when the rule says), of the one
period the members share, whole (no interim figures), and of the first member's vocabulary; every
problem of every file is found before anything is refused. A network's own document (written by
:func:`reportlib.figures.network.network`) is read back for a member's report, of its period and
vocabulary, in any format that has what that report reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlib.exceptions import NetworkInvalid
from reportlib.figures.document_format import current
from reportlib.figures.network import FORMAT, MAIN_MEASURES, Member, danish_order
from reportlib.inputs import FIGURES, NETWORK, Limit, read_bytes
from reportlib.labels import label_key
from reportlib.language import N_, _

# A member's report reads the other members' values and names, which formats 1 and 2 have as well.
READABLE_FORMATS = (1, 2, FORMAT)


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


def _load(path: Path, what: str, limit: Limit) -> tuple[Any, bytes]:
    """The JSON value of a file and its bytes; ``what`` says in the message what the file should be."""
    try:
        content = read_bytes(path, limit)
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
    document, content = _load(path, _(_MEMBER_FILE), FIGURES)
    if isinstance(document, dict) and "network" in document and "members" in document:
        raise NetworkInvalid(_("{file}: a network's own document (network.json), not a member's figures; give each "
                               "member's figures.json with --figures").format(file=path))
    if not isinstance(document, dict) or not isinstance(document.get("comparable"), dict):
        raise NetworkInvalid(_("{file}: not a figures document with a comparable section (one made before reportlib "
                               "compared municipalities has none); make it again with `reportlib figures --period P "
                               "--data DIR` or `reportlib run`").format(file=path))
    comparable = current(document)["comparable"]
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
        # Since the shares' bases; read from format 1 as "problems" (figures.document_format.current).
        "problemstillinger": "problemstillinger" not in section or _whole(section["problemstillinger"]),
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
    document, _content = _load(path, _(_NETWORK_FILE), NETWORK)
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
