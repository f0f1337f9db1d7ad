"""The figures document's format: the number it carries (its key ``format``), an earlier format read as today's,
and what a document read back must be.

A figures document outlives the reportlib that wrote it: earlier reports' ``figures.json`` are read
from the publication ledger, and members' documents by a network. Each reader takes it through
:func:`current`, so that no reader knows an earlier key. (A ``network.json`` keeps its members'
comparable sections as they were given; a member's report reads only its measures.) Plain dicts:
nothing here needs pandas.

A document read from a file a user gives is checked before anything reads it. Its JSON has no
``NaN`` or ``Infinity`` (:func:`parse`; Python's json reads them, and no document reportlib writes
holds them), and every key is as reportlib writes it (:func:`problem`, against :data:`FIGURES` or
:data:`COMPARABLE`): each number of its kind (a count a whole number, never a float) and within what
it can be (:func:`whole`, :func:`number`), so that no number a report writes is infinite or hundreds
of digits long, and each value that can be missing is missing exactly when the rule says.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from reportlib.exceptions import InputError
from reportlib.language import _

# 2: a count of problemstillinger is "problemstillinger" (format 1 said "problems", the word for a defect the
# validator finds). Format 1 documents carry no "format".
FORMAT = 2
# Each earlier format's keys that today's name otherwise, wherever the document has them.
_RENAMED = {"problems": "problemstillinger"}

# The largest count a document may hold: far beyond any municipality's cases or inhabitants.
MAX_COUNT = 10**9
# The longest handling time or target, in days: a hundred years (the register's dates are from 1990 on).
MAX_DAYS = 36_525
# The largest count per 10,000 inhabitants: MAX_COUNT of a single inhabitant.
MAX_PER_10000 = MAX_COUNT * 10_000


def current(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with today's keys: a new dict for one of an earlier format, else ``document`` itself.

    Format 1's ``problems`` is ``problemstillinger`` in the key figures, the comparable section, and
    the period compared with and its changes.
    """
    if "format" in document:  # written since documents say their format: today's keys
        return document
    renamed = {key: _renamed(value) if key in ("key_figures", "comparable") else value
               for key, value in document.items()}
    if isinstance(document.get("previous"), dict):
        renamed["previous"] = {key: _renamed(value) if key == "change" else value
                               for key, value in _renamed(document["previous"]).items()}
    return {"format": FORMAT, **renamed}


def _renamed(value: Any) -> Any:
    return {_RENAMED.get(key, key): item for key, item in value.items()} if isinstance(value, dict) else value


def parse(content: bytes, file: Any, what: str, error: type[InputError]) -> Any:
    """The JSON value of a file's ``content``, as :func:`json.loads` reads it but for ``NaN`` and ``Infinity``.

    No document reportlib writes holds those (a number too large for a float, ``1e400``, reads as
    infinite too, and :func:`number` refuses it). ``what`` says in a message what the file should be.

    Raises
    ------
    error
        When ``content`` is not UTF-8 JSON, nests too deep, or holds ``NaN``, ``Infinity`` or ``-Infinity``;
        the message names the file.
    """
    def not_finite(constant: str) -> NoReturn:
        raise error(_("{file}: {constant} is no number reportlib writes (its documents hold finite numbers only); "
                      "give {what}").format(file=file, constant=constant, what=what))

    try:
        return json.loads(content.decode("utf-8"), parse_constant=not_finite)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise error(_("{file}: not JSON ({reason}); give {what}").format(file=file, reason=reason,
                                                                        what=what)) from None


def whole(value: Any, most: int = MAX_COUNT) -> bool:
    """Whether ``value`` is a whole number from 0 to ``most``: an int, never a float or a bool."""
    return type(value) is int and 0 <= value <= most


def number(value: Any, most: float) -> bool:
    """Whether ``value`` is a number from 0 to ``most`` (an int or a float; never NaN, infinite or a bool)."""
    return type(value) in (int, float) and 0 <= value <= most


# A schema: a predicate of the value; a dict of the keys a dict must have, each with its schema (other keys
# are let be: nothing reads them); a list of one schema, that of every item; or one of the wrappers below.
@dataclass(frozen=True)
class Nullable:
    """None, or as ``schema`` says."""

    schema: Any


@dataclass(frozen=True)
class Added:
    """A key added since the first documents, which those of an earlier reportlib lack; where there, as ``schema``."""

    schema: Any


@dataclass(frozen=True)
class Table:
    """A dict of any keys (an area's name), each value as ``schema`` says."""

    schema: Any


@dataclass(frozen=True)
class Rules:
    """As ``schema`` says, and then each rule true of the whole (a rule is named by the key it is about)."""

    schema: Any
    rules: dict[str, Callable[[dict[str, Any]], bool]]


def problem(value: Any, schema: Any, path: str) -> str | None:
    """The first key of ``value`` (named from ``path``) that is missing or not as ``schema`` says, as a message.

    None when ``value`` is as ``schema`` says.
    """
    wrong = _wrong(value, schema, path)
    return None if wrong is None else not_as_written(wrong)


def not_as_written(key: str) -> str:
    """The message for a key that is missing or not as reportlib writes it (``comparable.cases``)."""
    return _("{key} is missing or not as reportlib writes it").format(key=key)


def _at(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _wrong(value: Any, schema: Any, path: str) -> str | None:
    """The path of the first part of ``value`` not as ``schema`` says; None if none."""
    if isinstance(schema, Nullable):
        return None if value is None else _wrong(value, schema.schema, path)
    if isinstance(schema, Rules):
        wrong = _wrong(value, schema.schema, path)
        return wrong if wrong is not None else next(
            (_at(path, name) for name, rule in schema.rules.items() if not rule(value)), None)
    if isinstance(schema, list | Table | dict) and not isinstance(value, list if isinstance(schema, list) else dict):
        return path
    if isinstance(schema, list):
        items = ((f"{path}[{index}]", item, schema[0]) for index, item in enumerate(value))
    elif isinstance(schema, Table):
        items = ((_at(path, key), item, schema.schema) for key, item in value.items())
    elif isinstance(schema, dict):
        missing = next((key for key, item in schema.items() if key not in value and not isinstance(item, Added)), None)
        if missing is not None:
            return _at(path, missing)
        items = ((_at(path, key), value[key], item.schema if isinstance(item, Added) else item)
                 for key, item in schema.items() if key in value)
    else:
        return None if schema(value) else path
    return next((wrong for where, item, inner in items if (wrong := _wrong(item, inner, where)) is not None), None)


def _iso(value: Any) -> bool:
    """A day as reportlib writes it: ``2025-01-31``."""
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except (TypeError, ValueError):
        return False


def _month(value: Any) -> bool:
    """A month as reportlib writes it: ``2025-01``."""
    return isinstance(value, str) and _iso(f"{value}-01")


def text(value: Any) -> bool:
    return isinstance(value, str)


def _name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


def percentage(value: Any) -> bool:
    return whole(value, 100)


def per_10000(value: Any) -> bool:
    return number(value, MAX_PER_10000)


def days(value: Any) -> bool:
    return number(value, MAX_DAYS)


def _signed(most: int) -> Callable[[Any], bool]:
    return lambda value: type(value) is int and -most <= value <= most


PERIOD = Rules({"start": _iso, "end": _iso}, {"end": lambda period: period["start"] <= period["end"]})

# A table row, {label, count, pct}; where a cell can be withheld, also "suppressed", and then no count or share.
_ROW = {"label": text, "count": whole, "pct": percentage}
_CELL = Rules({"label": text, "count": Nullable(whole), "pct": Nullable(percentage), "suppressed": _flag},
              {"count": lambda row: (row["count"] is None) == (row["pct"] is None) == row["suppressed"]})


def _theme_counted(row: dict[str, Any]) -> bool:
    """A theme no topic maps to (``mapped`` only since it says so) has nothing counted, nothing withheld."""
    if row.get("mapped") is False:
        return row["count"] is None and row["pct"] is None and not row["suppressed"]
    return (row["count"] is None) == (row["pct"] is None) == row["suppressed"]


# handling_days: within_target (the count behind the share) only in the comparable section, since it gave the base.
# The handling time is known exactly when a case was closed; the share within the target also needs a target.
_HANDLING = Rules({"closed": whole, "median": Nullable(days), "p90": Nullable(days),
                   "target_days": Nullable(lambda target: whole(target, MAX_DAYS) and target > 0),
                   "within_target": Added(Nullable(whole)), "within_target_pct": Nullable(percentage)},
                  {"median": lambda handling: (handling["median"] is None) == (not handling["closed"]),
                   "p90": lambda handling: (handling["p90"] is None) == (not handling["closed"]),
                   "within_target_pct": lambda handling: (handling["within_target_pct"] is None) == (
                       not (handling["closed"] and handling["target_days"])),
                   "within_target": lambda handling: "within_target" not in handling or (
                       (handling["within_target"] is None) == (handling["within_target_pct"] is None))})


def _criticism(**more: Any) -> Rules:
    """The cases examined and criticised, and the rate (none with none examined); with ``more`` keys."""
    return Rules({"examined": whole, "criticised": whole, "rate_pct": Nullable(percentage), **more},
                 {"rate_pct": lambda counted: (counted["rate_pct"] is None) == (not counted["examined"])})


def _per_inhabitants(key: str) -> Callable[[dict[str, Any]], bool]:
    """A count per 10,000 inhabitants is there exactly when the inhabitants are."""
    return lambda section: (section[key] is None) == (section["indbyggere"] is None)


# The comparable section, as reportlib.figures.comparable writes it. Documents of an earlier reportlib have no
# problemstillinger (read from format 1 as "problems": current), no theme's "mapped" and no within_target.
COMPARABLE = Rules({
    "version": whole, "kommune": _name, "indbyggere": Nullable(lambda people: whole(people) and people > 0),
    "period": PERIOD, "min_celle": whole, "cases": whole, "complaints": whole, "other_inquiries": whole,
    "cases_per_10000": Nullable(per_10000), "complaints_per_10000": Nullable(per_10000),
    "problemstillinger": Added(whole),
    "themes": [Rules({"label": text, "count": Nullable(whole), "pct": Nullable(percentage), "suppressed": _flag,
                      "mapped": Added(_flag)}, {"count": _theme_counted})],
    "unmapped_topics": [text],
    "criticism": Nullable(_criticism()),
    "handling_days": _HANDLING,
}, {"themes": lambda section: bool(section["themes"]), "cases_per_10000": _per_inhabitants("cases_per_10000"),
    "complaints_per_10000": _per_inhabitants("complaints_per_10000")})

_KEY_FIGURES = {"cases_total": whole, "complaints": whole, "problemstillinger": whole,
                "meetings_attended": Nullable(whole), "complaint_letters": Nullable(whole),
                "drop_in_sessions": Nullable(whole), "drop_in_citizens": Nullable(whole)}

# The whole figures document, as reportlib.figures.document.figures writes it (README, "The figures document").
FIGURES = {
    "format": lambda value: whole(value, FORMAT) and value > 0,
    "kommune": _name, "funktion": text, "period": PERIOD, "interim_of": Nullable(PERIOD), "min_celle": whole,
    "key_figures": _KEY_FIGURES,
    "cases": {"total": whole, "by_type": [_ROW]},
    "cases_per_10000": Nullable(per_10000),
    "areas": [_CELL], "centres": Table([_CELL]), "complaint_categories": [_CELL], "topics": [_CELL],
    "not_recorded": [text],
    "channels": Nullable([_ROW]), "channel_not_given": whole,
    "outcomes": Nullable([_ROW]), "outcome_not_given": whole,
    "meetings_attended": Nullable(whole), "complaint_letters": Nullable(whole),
    "activities": Nullable([{"label": text, "count": whole}]),
    "drop_in": Nullable({"sessions": whole, "counted": whole, "citizens": whole,
                         "per_session": Nullable(lambda mean: number(mean, MAX_COUNT)), "min": Nullable(whole),
                         "max": Nullable(whole)}),
    "cases_per_month": [{"month": _month, "count": whole}],
    "open_at_end": whole,
    "handling_days": _HANDLING,
    "previous": Nullable({
        "period": PERIOD, **_KEY_FIGURES, "open_at_end": whole, "cases_per_10000": Nullable(per_10000),
        "handling_days": _HANDLING,
        "change": Table(Nullable({"diff": _signed(MAX_COUNT), "pct": Nullable(_signed(100 * MAX_COUNT))}))}),
    "methods": Nullable({"overall": [_ROW], "by_area": Table([_CELL]), "not_given": whole}),
    "results": Nullable([_ROW]),
    "criticism": Nullable(_criticism(
        by_result=[_ROW],
        by_area=[Rules({"area": text, "examined": Nullable(whole), "criticised": Nullable(whole),
                        "rate_pct": Nullable(percentage), "suppressed": _flag},
                       {"examined": lambda row: (row["examined"] is None) == row["suppressed"]})],
        previous=Nullable(_criticism(period=PERIOD)))),
    "own_initiative": Nullable({"total": whole, "by_area": Nullable([_ROW])}),
    "recommendations_followup": Nullable({
        "reported": whole, "followed": whole, "followed_pct": Nullable(percentage),
        "rows": [{"periode": text, "nr": text, "anbefaling": text, "omraade": Nullable(text), "status": text,
                  "followed": _flag, "status_dato": _iso}]}),
    "trend": [{"period": text, "start": _iso, "end": _iso, "total": whole, "by_type": [_ROW]}],
    "disclosure": Nullable({"withheld": whole, "protecting": whole, "published_with": [PERIOD],
                            "disregarded": [PERIOD], "given": [{"period": PERIOD, "cell": [text]}]}),
    "comparable": COMPARABLE,
}
