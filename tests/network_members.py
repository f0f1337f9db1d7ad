"""Invented members of a network, as figures documents with only what a network reads (not a test file itself).

``section(...)`` writes a member's document: its period and its comparable section, as
reportlib.figures.comparable makes it. The figures of tests/figures/test_network.py and the member's
section of tests/report/test_comparison.py are worked out from these by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

from reportlib.register.national import vocabulary

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
REPORTING_YEAR = {"start": "2018-11-01", "end": "2019-10-31"}  # conftest's register's 2018/19
NO_CASE_CLOSED = {"closed": 0, "median": None, "p90": None, "target_days": None, "within_target_pct": None}


def section(kommune: str, indbyggere: int | None, cases: int, complaints: int, *, per_10000=None,
            partshoering=(0, 0), min_celle=0, criticism=None, handling=None, unmapped=(), period=YEAR,
            version=1) -> dict:
    """A member's figures document: ``partshoering`` is (count, pct) of that theme, the others 0 (withheld below
    ``min_celle``); ``per_10000`` the (cases, complaints) per 10,000 inhabitants as the document gives them."""
    count, pct = partshoering
    themes = [{"label": label, "count": 0, "pct": 0, "suppressed": False} for label in vocabulary().themes]
    withheld = 0 < count < min_celle
    themes[2] = {"label": "partshøring", "count": None if withheld else count, "pct": None if withheld else pct,
                 "suppressed": withheld}
    per = per_10000 or (None, None)
    return {"kommune": kommune, "period": period, "comparable": {
        "version": version, "kommune": kommune, "indbyggere": indbyggere, "period": period, "min_celle": min_celle,
        "cases": cases, "complaints": complaints, "other_inquiries": cases - complaints,
        "cases_per_10000": per[0], "complaints_per_10000": per[1], "themes": themes,
        "unmapped_topics": list(unmapped), "criticism": criticism, "handling_days": handling or NO_CASE_CLOSED}}


def write(path: Path, document: dict | str) -> Path:
    """Write a document (or any text) as a member would hand it over."""
    path.write_text(document if isinstance(document, str) else json.dumps(document, ensure_ascii=False),
                    encoding="utf-8")
    return path
