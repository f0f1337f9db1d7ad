"""The documents of a network, read and checked: the members' figures documents it is made of, and ``network.json``.

A member's document gives its comparable section only if that is as reportlib writes it
(:data:`reportlib.figures.document_format.COMPARABLE`: every key, of its kind and range, and each
value that can be missing missing exactly when the rule says), of the one period the members share,
whole (no interim figures), and of the first member's vocabulary; every problem of every file is
found before anything is refused. A network's own document (written by
:func:`reportlib.figures.network.network`) is read back for a member's report, of its period and
vocabulary, in any format that has what that report reads: each measure's values of their kind and
range, of the network's members, and its averages those of its values, as the network took them.
Neither file may hold JSON's ``NaN`` or ``Infinity``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlib.exceptions import NetworkInvalid
from reportlib.figures.document_format import (
    COMPARABLE,
    MAX_DAYS,
    MAX_PER_10000,
    PERIOD,
    Added,
    Nullable,
    Rules,
    current,
    not_as_written,
    number,
    parse,
    percentage,
    problem,
    text,
    whole,
)
from reportlib.figures.network import (
    FORMAT,
    MEASURES,
    MIN_MEMBERS,
    SIZE_BANDS,
    THEME_PREFIX,
    Measure,
    Member,
    average,
    danish_order,
)
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
    return parse(content, path, what, NetworkInvalid), content


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
        counted, whole_period = (value if problem(value, PERIOD, "period") is None else {}
                                 for value in (comparable.get("period"), interim))
        raise NetworkInvalid(_("{file}: interim figures (--foreloebig) of {start} to {end}, only part of the period "
                               "{whole_start} to {whole_end}; interim figures cannot be compared, so give the "
                               "figures of the whole period, made once it has ended and the register is complete for "
                               "it").format(
            file=path, start=counted.get("start"), end=counted.get("end"), whole_start=whole_period.get("start"),
            whole_end=whole_period.get("end")))
    wrong = problem(comparable, COMPARABLE, "comparable")
    if wrong is None and document.get("period", comparable["period"]) != comparable["period"]:
        wrong = _("the period of the comparable section is not the document's")
    if wrong is not None:
        raise NetworkInvalid(_("{file}: {problem}; the comparable section is not as reportlib writes it, so make the "
                               "figures document again with `reportlib figures` or `reportlib run`").format(
            file=path, problem=wrong))
    return Member(path, hashlib.sha256(content).hexdigest(), comparable)


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
    problem = _network_problem(document)
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


# The values of a measure of each kind: a share in whole percent, a count per 10,000 inhabitants, days. An average
# of shares is whole since format 2 (format 1 gave one decimal).
_HIGHEST = {"pct": 100, "decimal": MAX_PER_10000, "days": MAX_DAYS}
_MAIN = {measure.key: measure.kind for measure in MEASURES}


def _measure_schema(kind: str) -> dict[str, Any]:
    """A measure of network.json with values of ``kind``, as the network writes it (a share's base since format 2)."""
    def in_range(value: Any) -> bool:
        return number(value, _HIGHEST[kind])

    group = {"average": Nullable(in_range), "members": whole, "left_out": [{"kommune": text, "missing": text}]}
    value = Rules({"kommune": text, "band": Nullable(text),
                   "value": Nullable(percentage if kind == "pct" else in_range), "missing": Nullable(text),
                   "count": Added(Nullable(whole)), "base": Added(Nullable(whole))},
                  {"value": lambda row: (row["value"] is None) == (row["missing"] is not None)})
    return {"key": text, "kind": text, "values": [value], "network": group, "bands": [{"label": text, **group}]}


_MEASURE = {kind: _measure_schema(kind) for kind in _HIGHEST}
_BANDS = [band.label for band in SIZE_BANDS]
_NETWORK = {"network": lambda value: whole(value) and value in READABLE_FORMATS, "version": whole, "period": PERIOD,
            "size_bands": [{"label": text, "lowest": whole, "highest": Nullable(whole)}],
            "members": [{"kommune": text, "band": Nullable(lambda band: band in _BANDS)}],
            "measures": [{"key": text, "kind": lambda kind: isinstance(kind, str) and kind in _HIGHEST}]}


def _network_problem(document: dict[str, Any]) -> str | None:
    """What of a network document a member's section reads is missing or not as written, as a message; else None.

    Each measure (the main ones all there) is of its kind, its values of that kind and range and of the network's
    members (name and size band) in order, and each of its averages that of its values (:func:`_averages_problem`).
    """
    wrong = problem(document, _NETWORK, "")
    if wrong is not None:
        return wrong
    members = [(member["kommune"], member["band"]) for member in document["members"]]
    seen = set()
    for measure in document["measures"]:
        key, path = measure["key"], f"measures.{measure['key']}"
        wrong = problem(measure, _MEASURE[measure["kind"]], path)
        if wrong is not None:
            return wrong
        if (key in seen or measure["kind"] != _MAIN.get(key, "pct" if key.startswith(THEME_PREFIX) else None)
                or [(row["kommune"], row["band"]) for row in measure["values"]] != members
                or [band["label"] for band in measure["bands"]] != _BANDS):
            return not_as_written(path)
        seen.add(key)
        wrong = _averages_problem(measure, document["network"])
        if wrong is not None:
            return wrong
    absent = next((key for key in _MAIN if key not in seen), None)
    return None if absent is None else not_as_written(f"measures.{absent}")


def _averages_problem(measure: dict[str, Any], network_format: int) -> str | None:
    """Whether the network's and each size band's average of ``measure`` are what its values give, as a message.

    Each is taken again as :func:`reportlib.figures.network.network` took it when it wrote the format: its
    average (rounded as then), the members it is over and those it leaves out. A value changed in the file, or
    an average, is found so. None when every average is its values'.
    """
    # Format 1 averaged every known value, however few, to one decimal.
    digits, minimum = (1, 1) if network_format == 1 else (Measure(measure["key"], measure["kind"]).digits,
                                                         MIN_MEMBERS)

    def differs(stored: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
        return {name: stored[name] for name in ("average", "members", "left_out")} != average(rows, digits, minimum)

    if differs(measure["network"], measure["values"]):
        return _("measures.{key}: the network's average is not that of the members' values in the file").format(
            key=measure["key"])
    band = next((band["label"] for band in measure["bands"]
                 if differs(band, [row for row in measure["values"] if row["band"] == band["label"]])), None)
    if band is not None:
        return _("measures.{key}: the average of the members with {band} inhabitants is not that of their values in "
                 "the file").format(key=measure["key"], band=band)
    return None
