"""All figures of a period as one JSON-ready document (what ``reportlib figures`` prints)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlib import inputs
from reportlib.exceptions import FiguresMismatch
from reportlib.figures import coverage, disclosure, parts, percent, stats, suppress
from reportlib.figures.comparable import comparable, per_10000
from reportlib.figures.document_format import FIGURES, FORMAT, current, parse, problem
from reportlib.figures.stats import records
from reportlib.formatting import period_label
from reportlib.language import N_, _
from reportlib.periods import Period
from reportlib.register.model import Register


def _change(current: dict[str, int | None], previous: dict[str, int | None]) -> dict[str, dict[str, int | None]]:
    """The change of each key figure; None where either year's figure is unknown (a column not kept)."""
    return {
        key: ({"diff": current[key] - previous[key], "pct": percent.change(current[key], previous[key])}
              if current[key] is not None and previous[key] is not None else None)
        for key in current
    }


def figures(register: Register, period: Period, *, min_celle: int | None = None,
            interim_of: Period | None = None, published: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Compute every figure of the report for ``period``.

    Parameters
    ----------
    register : Register
        The whole validated register.
    period : Period
        The days the figures count (:func:`reportlib.figures.coverage.check_period` decides which may be reported).
    min_celle : int, optional
        Small-cell threshold; defaults to ``min_celle`` in kommune.yml (0 = off).
    interim_of : Period, optional
        For an interim report, the whole period ``period`` is the part of that the register covers so far.
    published : sequence of dict
        The figures documents published before from this register (:mod:`reportlib.publish.ledger`):
        no count withheld there or here may be recovered from them and this one together
        (:mod:`reportlib.figures.disclosure`). One made from another version of the register (a shown
        count differs) cannot be held to and is named in ``disclosure.disregarded``.

    Returns
    -------
    dict
        The document described in the README ("The figures document"); labels as written in
        kommune.yml, withheld cells as ``count: None, pct: None, suppressed: True``.
    """
    threshold = register.kommune.min_celle if min_celle is None else min_celle
    document = _counted(register, period, threshold, interim_of)
    suppress.apply(document, threshold)
    document["disclosure"] = _protected(document, register, threshold, published) if threshold > 0 else None
    return document


def _counted(register: Register, period: Period, threshold: int, interim_of: Period | None) -> dict[str, Any]:
    """The figures document of ``period`` with every count shown."""
    kommune = register.kommune
    current = stats.select(register, period)
    no_activities = "aktiviteter" in register.not_recorded  # no table aktiviteter: unknown, not none
    key_figures = stats.key_figures(current)
    open_at_end = stats.open_at_end(register, period)
    before = period.previous()
    previous = None
    if coverage.holds_before(register, before):
        previous_figures = {**stats.key_figures(stats.select(register, before)),
                            "open_at_end": stats.open_at_end(register, before)}
        previous = {"period": before.as_dict(), **previous_figures,
                    "cases_per_10000": per_10000(previous_figures["cases_total"], kommune.indbyggere),
                    "handling_days": stats.handling_time(register, before),
                    "change": _change({**key_figures, "open_at_end": open_at_end}, previous_figures)}
    return {
        "format": FORMAT,
        "kommune": kommune.kommune,
        "funktion": kommune.funktion,
        "period": period.as_dict(),
        "interim_of": interim_of.as_dict() if interim_of is not None else None,
        "min_celle": threshold,
        "key_figures": key_figures,
        "cases": {"total": key_figures["cases_total"], "by_type": records(stats.cases_by_type(current))},
        "cases_per_10000": per_10000(key_figures["cases_total"], kommune.indbyggere),
        "areas": records(stats.areas(current)),
        "centres": _by_area(stats.centres(current)),
        "complaint_categories": records(stats.complaint_categories(current)),
        "topics": records(stats.topics(current)),
        # Null where the register does not keep the column: unknown, not zero (register.not_recorded).
        "not_recorded": sorted(register.not_recorded),
        "channels": None if "sager.kanal" in register.not_recorded else records(stats.channels(current)),
        "channel_not_given": int(current.sager["kanal"].isna().sum()),
        "outcomes": None if "sager.udfald" in register.not_recorded else records(stats.outcomes(current)),
        "outcome_not_given": int(current.sager["udfald"].isna().sum()),
        "meetings_attended": key_figures["meetings_attended"],
        "complaint_letters": key_figures["complaint_letters"],
        "activities": None if no_activities else records(stats.activities(current)),
        "drop_in": None if no_activities else stats.drop_in(current),
        "cases_per_month": records(stats.cases_per_month(current, period)),
        "open_at_end": open_at_end,
        "handling_days": stats.handling_time(register, period),
        "previous": previous,
        # The register's optional parts: null where the register lacks the part.
        "methods": _methods(current) if "sager.metode" in register.parts else None,
        "results": records(parts.results(current)) if "sager.resultat" in register.parts else None,
        "criticism": _criticism(register, period) if "sager.resultat" in register.parts else None,
        "own_initiative": (_own_initiative(current) if "egen_drift" in register.parts and not no_activities
                           else None),
        "recommendations_followup": _followup(register, period) if "anbefalinger" in register.parts else None,
        "trend": _trend(register, period),
        # What a network of municipalities compares (reportlib network), in the national vocabulary.
        "comparable": comparable(register, period, threshold),
    }


def _protected(document: dict[str, Any], register: Register, min_celle: int,
               published: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Withhold in ``document`` what protects every small count from it and ``published`` together; say what."""

    truth = _truth(register)
    draft = disclosure.publication(document)
    earlier, disregarded = _agreeing(published, truth)
    protection = disclosure.protect(draft, earlier, _relations(register, [draft, *earlier]), min_celle, truth)
    suppress.withhold(document, protection.extra)
    return {"withheld": len(protection.draft.withheld),
            "protecting": len(protection.extra),
            "published_with": _periods(earlier),
            "disregarded": _periods(disregarded),
            "given": [{"period": span.as_dict(), "cell": list(key)} for span, key in protection.given]}


def audit(register: Register, document: dict[str, Any],
          published: Sequence[dict[str, Any]]) -> list[disclosure.Finding]:
    """What a reader of ``document`` and the publications before it can tell of every small count (``reportlib tjek``).

    The publications made from another version of the register are left out, as :func:`figures` leaves them.
    """
    truth = _truth(register)
    publications = [disclosure.publication(document), *_agreeing(published, truth)[0]]
    return disclosure.audit(publications, _relations(register, publications), document["min_celle"], truth)


def _truth(register: Register):
    @functools.cache
    def truth(span: Period) -> dict[suppress.Key, int]:
        """Every cell's count in ``span``, as the register has it."""
        return disclosure.publication(_counted(register, span, 0, None)).cells

    return truth


def _agreeing(published: Sequence[dict[str, Any]],
              truth) -> tuple[list[disclosure.Publication], list[disclosure.Publication]]:
    """The publications made from this register, and those whose shown counts it does not give."""
    agreeing, disregarded = [], []
    for other in published:
        publication = disclosure.publication(other)
        (agreeing if publication.agrees(truth(publication.period)) else disregarded).append(publication)
    return agreeing, disregarded


def _relations(register: Register, publications: Sequence[disclosure.Publication]) -> list[disclosure.Relation]:
    kommune = register.kommune
    return disclosure.relations(set().union(*(p.cells for p in publications)),
                                topic_category=kommune.topic_category(), topic_theme=kommune.topic_theme)


def _periods(publications: Sequence[disclosure.Publication]) -> list[dict[str, str]]:
    return [dict(p) for p in sorted({tuple(pub.period.as_dict().items()) for pub in publications})]


def _by_area(table) -> dict[str, list[dict[str, Any]]]:
    return {area: records(group.drop(columns="area")) for area, group in table.groupby("area", sort=False)}


def _methods(current: Register) -> dict[str, Any]:
    return {"overall": records(parts.methods(current)),
            "by_area": _by_area(parts.methods_by_area(current)),
            "not_given": int(current.sager["metode"].isna().sum())}


def _criticism(register: Register, period: Period) -> dict[str, Any]:
    current = stats.select(register, period)
    by_area = parts.criticism_by_area(current)
    before = period.previous()
    previous = ({"period": before.as_dict(), **parts.criticism(stats.select(register, before))}
                if coverage.holds_before(register, before) else None)
    return {**parts.criticism(current), "by_result": records(parts.examined_results(current)),
            "by_area": records(by_area.rename(columns={"label": "area"})), "previous": previous}


def _own_initiative(current: Register) -> dict[str, Any]:
    by_area = records(parts.own_initiative(current)) if "aktiviteter.omraade" in current.parts else None
    return {"total": parts.own_initiative_total(current), "by_area": by_area}


def _followup(register: Register, period: Period) -> dict[str, Any]:
    rows = parts.followup(register, period)
    followed = int(rows["followed"].sum())
    return {"reported": len(rows), "followed": followed, "followed_pct": percent.rate(followed, len(rows)),
            "rows": records(rows)}


def _trend(register: Register, period: Period) -> list[dict[str, Any]]:
    start_month = register.kommune.periode_start_maaned
    return [{"period": period_label(Period(start, end), start_month), "start": start.isoformat(),
             "end": end.isoformat(), "total": int(group["count"].sum()),
             "by_type": records(group[["label", "count", "pct"]])}
            for (start, end), group in stats.trend(register, period).groupby(["start", "end"], sort=False)]


def to_json(document: dict[str, Any]) -> str:
    """Serialise a figures document as ``reportlib figures`` prints it and ``figures.json`` holds it."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_FIGURES_FILE = N_("the figures document as `reportlib figures` prints it (a report's figures.json)")


def read_json(path: str | Path) -> dict[str, Any]:
    """Read a figures document as :func:`to_json` wrote it (``figures.json``); an earlier format's with today's keys.

    Raises
    ------
    FiguresMismatch
        When the file cannot be read, is not JSON (or holds ``NaN`` or ``Infinity``), or is not a
        figures document of a format this reportlib reads with every key as it writes it
        (:data:`~reportlib.figures.document_format.FIGURES`), naming the file and the key.
    """
    what = _(_FIGURES_FILE)
    try:
        document = parse(inputs.read_bytes(path, inputs.FIGURES), path, what, FiguresMismatch)
    except FileNotFoundError:
        raise FiguresMismatch(_("{file}: file not found; give {what}").format(file=path, what=what)) from None
    except OSError as exc:
        raise FiguresMismatch(_("{file}: cannot be read ({reason}); check the file's permissions").format(
            file=path, reason=exc.strerror or exc)) from None
    if not isinstance(document, dict):
        raise FiguresMismatch(_("{file}: not a figures document; give {what}").format(file=path, what=what))
    document = current(document)
    wrong = problem(document, FIGURES, "")
    if wrong is not None:
        raise FiguresMismatch(_("{file}: {problem}; the figures document is not as reportlib writes it, so make it "
                                "again with `reportlib figures` or `reportlib run`").format(file=path, problem=wrong))
    return document
