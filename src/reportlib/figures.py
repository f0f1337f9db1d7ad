"""All figures of a period as one JSON-ready document (what ``reportlib figures`` prints)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from . import stats
from .periods import Period
from .suppress import suppress
from .validate import Register


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Turn a tidy table into JSON-ready rows: plain ints and strings, None where missing."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in rows]


def _change(current: dict[str, int], previous: dict[str, int]) -> dict[str, dict[str, int | None]]:
    return {
        key: {"diff": current[key] - previous[key],
              "pct": stats.change_pct(current[key], previous[key])}
        for key in current
    }


def figures(register: Register, period: Period, *, min_celle: int | None = None) -> dict[str, Any]:
    """Compute every figure of the report for ``period``.

    Parameters
    ----------
    register : Register
        The whole validated register.
    period : Period
    min_celle : int, optional
        Small-cell threshold; defaults to ``min_celle`` in kommune.yml (0 = off).

    Returns
    -------
    dict
        The document described in the README ("The figures document"); labels as written in
        kommune.yml, suppressed cells as ``count: None, pct: None, suppressed: True``.
    """
    kommune = register.kommune
    threshold = kommune.min_celle if min_celle is None else min_celle
    current = stats.select(register, period)
    key_figures = stats.key_figures(current)
    centre_table = suppress(stats.centres(current), threshold, by="area")
    open_at_end = stats.open_at_end(register, period)
    before = period.previous()
    previous = None
    if stats.covers(register, before):
        previous_figures = {**stats.key_figures(stats.select(register, before)),
                            "open_at_end": stats.open_at_end(register, before)}
        previous = {"period": before.as_dict(), **previous_figures,
                    "handling_days": stats.handling_time(register, before),
                    "change": _change({**key_figures, "open_at_end": open_at_end}, previous_figures)}
    return {
        "kommune": kommune.kommune,
        "funktion": kommune.funktion,
        "period": period.as_dict(),
        "min_celle": threshold,
        "key_figures": key_figures,
        "cases": {"total": key_figures["cases_total"], "by_type": records(stats.cases_by_type(current))},
        "cases_per_10000": (round(key_figures["cases_total"] / kommune.indbyggere * 10_000, 1)
                            if kommune.indbyggere else None),
        "areas": records(suppress(stats.areas(current), threshold)),
        "centres": {area: records(group.drop(columns="area"))
                    for area, group in centre_table.groupby("area", sort=False)},
        "complaint_categories": records(suppress(stats.complaint_categories(current), threshold)),
        "topics": records(suppress(stats.topics(current), threshold)),
        "channels": records(stats.channels(current)),
        "channel_not_given": int(current.sager["kanal"].isna().sum()),
        "outcomes": records(stats.outcomes(current)),
        "outcome_not_given": int(current.sager["udfald"].isna().sum()),
        "meetings_attended": key_figures["meetings_attended"],
        "complaint_letters": key_figures["complaint_letters"],
        "activities": records(stats.activities(current)),
        "drop_in": stats.drop_in(current),
        "cases_per_month": records(stats.cases_per_month(current, period)),
        "open_at_end": open_at_end,
        "handling_days": stats.handling_time(register, period),
        "previous": previous,
    }


def to_json(document: dict[str, Any]) -> str:
    """Serialise a figures document as ``reportlib figures`` prints it and ``figures.json`` holds it."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_json(path: str | Path) -> dict[str, Any]:
    """Read a figures document as :func:`to_json` wrote it (``figures.json``)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
