"""Statistics over a validated register: tidy DataFrames, no plotting.

Every distribution is one row per category in ``kommune.yml`` order, with ``label``, ``count``
and ``pct`` columns; categories with nothing registered are listed with count 0. Percentages are
whole numbers rounded as :mod:`reportlib.figures.percent` says (shares by largest remainder, rates
half up). All work is vectorised: category codes are counted with ``numpy.bincount`` and
problem rows reach their case by position (``case_row``), never by joining on text ids.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from reportlib.figures import coverage
from reportlib.figures.percent import decimal, largest_remainder, rate
from reportlib.periods import Period
from reportlib.register.model import Register


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Turn a tidy table into JSON-ready rows: plain ints and strings, None where missing."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in rows]


def table(labels: Sequence[str], counts: Sequence[int] | np.ndarray) -> pd.DataFrame:
    """Return the tidy table ``label, count, pct`` for counts in category order."""
    counts = np.asarray(counts, dtype=np.int64)
    return pd.DataFrame({"label": list(labels), "count": counts, "pct": largest_remainder(counts)})


def distribution(values: pd.Series) -> pd.DataFrame:
    """Count a categorical Series by category (missing values are not counted)."""
    codes = values.cat.codes.to_numpy()
    categories = values.cat.categories
    return table(categories, np.bincount(codes[codes >= 0], minlength=len(categories)))


def select(register: Register, period: Period) -> Register:
    """Return the part of the register that belongs to ``period``.

    Cases whose ``modtaget`` lies in the period (both ends inclusive), their problem rows, and
    activities whose ``dato`` lies in it.
    """
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    chosen = keep_cases(register, register.sager["modtaget"].between(start, end).to_numpy())
    return dataclasses.replace(
        chosen,
        aktiviteter=register.aktiviteter[register.aktiviteter["dato"].between(start, end)].reset_index(drop=True))


def keep_cases(register: Register, keep: np.ndarray) -> Register:
    """Return the register with only the cases where ``keep`` (a boolean per case) is True.

    Their problem rows are kept with them (``case_row`` renumbered to the new case rows); the
    activities are kept as they are.
    """
    new_row = np.cumsum(keep) - 1
    problem_rows = register.problemstillinger["case_row"].to_numpy()
    keep_rows = keep[problem_rows]
    problemstillinger = register.problemstillinger[keep_rows].reset_index(drop=True)
    problemstillinger["case_row"] = new_row[problem_rows[keep_rows]]
    return dataclasses.replace(register, sager=register.sager[keep].reset_index(drop=True),
                               problemstillinger=problemstillinger)


def primary(register: Register, column: str) -> pd.Series:
    """One value per case, in case order: ``column`` (e.g. ``omraade``) of the case's primary problem."""
    rows = _primary(register)
    return rows.set_index("case_row")[column].reindex(pd.RangeIndex(len(register.sager))).reset_index(drop=True)


def cases_by_type(register: Register) -> pd.DataFrame:
    """Cases by ``henvendelsestype``."""
    return distribution(register.sager["henvendelsestype"])


TREND_PERIODS = 10  # at most this many periods in the trend: the report's and nine before it


def trend_periods(register: Register, period: Period) -> list[Period]:
    """Return ``period`` and the periods it is compared with before it, back to the first the register is
    complete for (:func:`~reportlib.figures.coverage.holds_before`): a year it holds only part of is no trend.

    Each step back is :meth:`Period.previous`: for a reporting year the year before, for a
    half-year the same half of the year before. At most :data:`TREND_PERIODS`, in date order.
    """
    periods = [period]
    while len(periods) < TREND_PERIODS and coverage.holds_before(register, before := periods[-1].previous()):
        periods.append(before)
    return periods[::-1]


def trend(register: Register, period: Period) -> pd.DataFrame:
    """Cases by type in each period of :func:`trend_periods`: ``start, end, label, count, pct``.

    Parameters
    ----------
    register : Register
        The whole register, not a selection.
    period : Period
        The report's period, the last of the trend.
    """
    received, types = register.sager["modtaget"], register.sager["henvendelsestype"]
    parts = [distribution(types[received.between(pd.Timestamp(p.start), pd.Timestamp(p.end))]).assign(
        start=p.start, end=p.end) for p in trend_periods(register, period)]
    return pd.concat(parts, ignore_index=True)[["start", "end", "label", "count", "pct"]]


def _primary(register: Register) -> pd.DataFrame:
    return register.problemstillinger[register.problemstillinger["primaer"].to_numpy()]


def areas(register: Register) -> pd.DataFrame:
    """Cases by the area of their primary problem."""
    return distribution(_primary(register)["omraade"])


def centres(register: Register) -> pd.DataFrame:
    """Problem rows by centre within each area: columns ``area, label, count, pct``.

    Percentages sum to 100 within each area.
    """
    problemstillinger = register.problemstillinger
    centre_index = problemstillinger["center"].cat.categories
    area_codes = problemstillinger["omraade"].cat.codes.to_numpy()
    centre_codes = problemstillinger["center"].cat.codes.to_numpy()
    pair_codes = area_codes * len(centre_index) + centre_codes
    pair_counts = np.bincount(pair_codes, minlength=len(register.kommune.omraader) * len(centre_index))
    parts = []
    for a, (area, members) in enumerate(register.kommune.omraader.items()):
        counts = pair_counts[a * len(centre_index) + centre_index.get_indexer(members)]
        parts.append(table(members, counts).assign(area=area))
    return pd.concat(parts, ignore_index=True)[["area", "label", "count", "pct"]]


def topics(register: Register) -> pd.DataFrame:
    """Problem rows by topic (``emne``)."""
    return distribution(register.problemstillinger["emne"])


def _is_complaint(register: Register) -> np.ndarray:
    """Boolean per case: its type is the configured complaint type."""
    return (register.sager["henvendelsestype"] == register.kommune.complaint_type).to_numpy()


def complaint_categories(register: Register) -> pd.DataFrame:
    """Complaints by the category of their primary problem's topic."""
    primary = _primary(register)
    return distribution(primary["kategori"][_is_complaint(register)[primary["case_row"].to_numpy()]])


def channels(register: Register) -> pd.DataFrame:
    """Cases by channel, among cases with a channel registered."""
    return distribution(register.sager["kanal"])


def outcomes(register: Register) -> pd.DataFrame:
    """Cases by outcome, among cases with an outcome registered."""
    return distribution(register.sager["udfald"])


def activities(register: Register) -> pd.DataFrame:
    """Activities by type: ``label, count`` (no percentages: the types do not make up a whole)."""
    return distribution(register.aktiviteter["aktivitet"])[["label", "count"]]


def drop_in(register: Register) -> dict[str, float | int | None]:
    """Drop-in sessions (the ``aaben_raadgivning`` activity) and the citizens who came, where counted."""
    sessions = register.aktiviteter[register.aktiviteter["aktivitet"] == register.kommune.drop_in_activity]
    citizens = sessions["antal_borgere"]
    known = citizens.dropna()
    return {
        "sessions": len(sessions),
        "counted": len(known),  # the sessions whose citizens were counted: "citizens" is theirs
        "citizens": int(known.sum()),
        "per_session": decimal(float(known.mean())) if len(known) else None,
        "min": int(known.min()) if len(known) else None,
        "max": int(known.max()) if len(known) else None,
    }


def cases_per_month(register: Register, period: Period) -> pd.DataFrame:
    """Cases received per calendar month of the period: ``month`` (``YYYY-MM``), ``count``."""
    months = pd.period_range(period.start, period.end, freq="M")
    counts = register.sager["modtaget"].dt.to_period("M").value_counts()
    return pd.DataFrame({"month": months.strftime("%Y-%m"), "count": counts.reindex(months, fill_value=0).to_numpy()})


def handling_days(register: Register, period: Period) -> pd.DataFrame:
    """List the handling time of every case closed in the period (whenever received).

    Parameters
    ----------
    register : Register
        The whole register (or a part of it chosen by area or type), not a period's selection: a case
        closed in the period may have come in before it.
    period : Period

    Returns
    -------
    DataFrame
        ``area, days``: the area of the case's primary problem (categorical, kommune.yml order) and
        the days from ``modtaget`` to ``afsluttet``, one row per closed case in register order.
    """
    sager = register.sager
    closed = sager["afsluttet"].between(pd.Timestamp(period.start), pd.Timestamp(period.end)).to_numpy()
    area = pd.Categorical(primary(register, "omraade")[closed], categories=register.kommune.areas)
    days = (sager["afsluttet"] - sager["modtaget"]).dt.days.to_numpy()[closed]
    return pd.DataFrame({"area": area, "days": days.astype(np.int64)})


def handling_time(register: Register, period: Period) -> dict[str, float | int | None]:
    """The advisor's handling time, in days, for cases closed in the period (whenever received).

    Parameters
    ----------
    register : Register
        The whole register, not a selection: a case closed in the period may have come earlier.
    period : Period
    """
    days = handling_days(register, period)["days"].to_numpy()
    target = register.kommune.maal_sagsbehandlingstid_dage
    result: dict[str, float | int | None] = {"closed": len(days), "median": None, "p90": None,
                                              "target_days": target, "within_target_pct": None}
    if len(days):
        result["median"] = float(np.median(days))
        result["p90"] = decimal(float(np.percentile(days, 90)))
        if target is not None:
            result["within_target_pct"] = rate(int((days <= target).sum()), len(days))
    return result


def open_at_end(register: Register, period: Period) -> int:
    """Cases received by the period's end and not closed by then (the whole register counts)."""
    end = pd.Timestamp(period.end)
    sager = register.sager
    return int(((sager["modtaget"] <= end) & ~(sager["afsluttet"] <= end)).sum())


def key_figures(register: Register) -> dict[str, int | None]:
    """The headline counts of a period's selection, for the summary and for comparing periods.

    A count of a column or table the register does not keep (``moede_deltaget``, ``klagebistand``,
    ``aktiviteter``) is None.
    """
    visits = drop_in(register) if "aktiviteter" not in register.not_recorded else {"sessions": None, "citizens": None}

    def kept(column: str) -> int | None:
        return None if f"sager.{column}" in register.not_recorded else int(register.sager[column].sum())

    return {
        "cases_total": len(register.sager),
        "complaints": int(_is_complaint(register).sum()),
        "problemstillinger": len(register.problemstillinger),
        "meetings_attended": kept("moede_deltaget"),
        "complaint_letters": kept("klagebistand"),
        "drop_in_sessions": visits["sessions"],
        "drop_in_citizens": visits["citizens"],
    }
