"""The comparable section of a figures document: the figures other municipalities' documents can stand beside.

Counted in the national vocabulary (:mod:`reportlib.register.national`), by one rule for every
municipality, and suppressed by the same small-cell rule as the rest of the document, so the
section can be shared: ``reportlib network`` reads nothing else of a member.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from reportlib.figures import parts, percent, stats
from reportlib.figures.stats import records
from reportlib.figures.suppress import suppress
from reportlib.periods import Period
from reportlib.register.national import unmapped, vocabulary
from reportlib.register.validate import Register


def themes(register: Register) -> pd.DataFrame:
    """Problem rows by national theme, every theme in the vocabulary's order: ``label, count, pct``."""
    labels = list(vocabulary().themes)
    theme_of = register.kommune.topic_theme
    topics = register.problemstillinger["emne"]
    index_of_topic = np.array([labels.index(theme_of[topic]) for topic in topics.cat.categories], dtype=np.int64)
    codes = topics.cat.codes.to_numpy()
    return stats.table(labels, np.bincount(index_of_topic[codes[codes >= 0]], minlength=len(labels)))


def per_10000(count: int, inhabitants: int | None) -> float | None:
    """A count per 10,000 inhabitants, to one decimal; None without the population."""
    return percent.decimal(count / inhabitants * 10_000) if inhabitants else None


def comparable(register: Register, period: Period, min_celle: int) -> dict[str, Any]:
    """The comparable section of ``period``'s figures document.

    Returns
    -------
    dict
        ``version`` (the vocabulary's), the municipality, its inhabitants and the period; cases,
        complaints and other inquiries, also per 10,000 inhabitants; problems by national theme
        (suppressed below ``min_celle``) and the topics counted as "andet" for want of a mapping;
        criticism (None without the register's results); handling time.
    """
    kommune = register.kommune
    current = stats.select(register, period)
    key_figures = stats.key_figures(current)
    cases, complaints = key_figures["cases_total"], key_figures["complaints"]
    seen = set(current.problemstillinger["emne"].dropna())
    return {
        "version": vocabulary().version,
        "kommune": kommune.kommune,
        "indbyggere": kommune.indbyggere,
        "period": period.as_dict(),
        "min_celle": min_celle,
        "cases": cases,
        "complaints": complaints,
        "other_inquiries": cases - complaints,
        "cases_per_10000": per_10000(cases, kommune.indbyggere),
        "complaints_per_10000": per_10000(complaints, kommune.indbyggere),
        "themes": records(suppress(themes(current), min_celle)),
        "unmapped_topics": [t for t in unmapped(kommune.emner, kommune.sammenligning.temaer) if t in seen],
        "criticism": parts.criticism(current) if "sager.resultat" in register.parts else None,
        "handling_days": stats.handling_time(register, period),
    }
