"""The comparable section of a figures document: the figures other municipalities' documents can stand beside.

Counted in the national vocabulary (:mod:`reportlib.register.national`), by one rule for every
municipality, and suppressed by the same small-cell rule as the rest of the document, so the
section can be shared: ``reportlib network`` reads nothing else of a member.

Every rate goes with its base (criticised of examined, within the target of closed, a theme's
problemstillinger of all of them), and a theme none of the municipality's topics is mapped to is not
known (``mapped: false``, count and share null), never 0 %. The keys that say so
(``problemstillinger``, a theme's ``mapped``, ``handling_days.within_target``) came after the
section's first form: a reader takes a document without them as one made before
(:mod:`reportlib.figures.network`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from reportlib.figures import parts, percent, stats
from reportlib.figures.stats import records
from reportlib.periods import Period
from reportlib.register.kommune import Kommune
from reportlib.register.model import Register
from reportlib.register.national import OTHER, unmapped, vocabulary


def themes(register: Register) -> pd.DataFrame:
    """Problem rows by national theme, every theme in the vocabulary's order: ``label, count, pct``."""
    labels = list(vocabulary().themes)
    theme_of = register.kommune.topic_theme
    topics = register.problemstillinger["emne"]
    index_of_topic = np.array([labels.index(theme_of[topic]) for topic in topics.cat.categories], dtype=np.int64)
    codes = topics.cat.codes.to_numpy()
    return stats.table(labels, np.bincount(index_of_topic[codes[codes >= 0]], minlength=len(labels)))


def mapped_themes(kommune: Kommune) -> set[str]:
    """The national themes at least one of the municipality's topics is mapped to (by line, category or spelling).

    Under a theme no topic maps to, no problem can be counted: its share is not known, not 0 %. "andet"
    takes what is mapped nowhere, so it is known only beside a theme that is mapped; a municipality
    that maps none of its topics has no theme known.
    """
    left_out = set(unmapped(kommune.emner, kommune.sammenligning.temaer))
    mapped = {theme for topic, theme in kommune.topic_theme.items() if topic not in left_out}
    return mapped | {OTHER} if mapped - {OTHER} else set()


def theme_rows(register: Register) -> list[dict[str, Any]]:
    """The rows of the section's ``themes``: ``label, count, pct, suppressed, mapped``, in the vocabulary's order.

    Only the mapped themes are cells (:func:`reportlib.figures.suppress.tables`; an unmapped one's zero
    is no count), their shares of the mapped ones; an unmapped theme's count and share are None. Nothing
    is withheld here: the figures document withholds in all its tables at once.
    """
    table = themes(register)
    mapped = table["label"].isin(mapped_themes(register.kommune))
    shown = iter(records(table[mapped]))
    return [{**next(shown), "suppressed": False, "mapped": True} if known else
            {"label": label, "count": None, "pct": None, "suppressed": False, "mapped": False}
            for label, known in zip(table["label"], mapped, strict=True)]


def handling(register: Register, period: Period) -> dict[str, Any]:
    """The handling time (:func:`reportlib.figures.stats.handling_time`) and ``within_target``, the cases it counts.

    The count is the base of ``within_target_pct``; it is added here, so that the document's own
    ``handling_days`` keeps the keys it had.
    """
    result = stats.handling_time(register, period)
    target = result["target_days"]
    days = stats.handling_days(register, period)["days"].to_numpy()
    result["within_target"] = int((days <= target).sum()) if len(days) and target is not None else None
    return result


def per_10000(count: int, inhabitants: int | None) -> float | None:
    """A count per 10,000 inhabitants, to one decimal; None without the population."""
    return percent.decimal(count / inhabitants * 10_000) if inhabitants else None


def comparable(register: Register, period: Period, min_celle: int) -> dict[str, Any]:
    """The comparable section of ``period``'s figures document.

    Returns
    -------
    dict
        ``version`` (the vocabulary's), the municipality, its inhabitants and the period; cases,
        complaints and other inquiries, also per 10,000 inhabitants; ``problemstillinger`` and those by
        national theme (suppressed below ``min_celle``; None, ``mapped: false``, where no topic maps
        to the theme) and the topics counted as "andet" for want of a mapping; criticism (None
        without the register's results); handling time, with the cases closed within the target.
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
        "problemstillinger": int(current.problemstillinger["emne"].notna().sum()),  # the base of every theme's share
        "themes": theme_rows(current),
        "unmapped_topics": [t for t in unmapped(kommune.emner, kommune.sammenligning.temaer) if t in seen],
        "criticism": parts.criticism(current) if "sager.resultat" in register.parts else None,
        "handling_days": handling(register, period),
    }
