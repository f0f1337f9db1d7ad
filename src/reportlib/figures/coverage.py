"""Which periods a register covers: one rule for the batch, the workbench and the scaffold.

A register covers a period when it has a case received or an activity held in it. The periods it
can report are the reporting years from the one holding its first date to the one holding its last
(cases and activities alike), each followed by its halves, that it covers: ``run --all`` takes those
that have ended, ``latest`` the last ended year, the workbench all of them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from reportlib.exceptions import PeriodError
from reportlib.language import _
from reportlib.periods import PERIOD_FORMS, Period, reporting_periods
from reportlib.register.validate import Register


def first_day(register: Register) -> dt.date | None:
    """The earliest date in the register, a case's ``modtaget`` or an activity's ``dato``; None when empty."""
    dates = _dates(register)
    return dates.min().date() if len(dates) else None


def last_day(register: Register) -> dt.date | None:
    """The latest date in the register, a case's ``modtaget`` or an activity's ``dato``; None when empty."""
    dates = _dates(register)
    return dates.max().date() if len(dates) else None


def _dates(register: Register) -> pd.Series:
    return pd.concat([register.sager["modtaget"], register.aktiviteter["dato"]]).dropna()


def covers(register: Register, period: Period) -> bool:
    """Tell whether the register holds any case or activity dated in ``period``."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    return bool(register.sager["modtaget"].between(start, end).any()
                or register.aktiviteter["dato"].between(start, end).any())


def covered_periods(register: Register, *, ended_before: dt.date | None = None,
                    halves: bool = True) -> list[Period]:
    """The reporting years (and, with ``halves``, their halves) the register covers, in time order.

    Parameters
    ----------
    register : Register
        The whole register.
    ended_before : date, optional
        Only the periods whose last day is before it (today, for the periods that can be reported).
    halves : bool
        List each year's halves after it.
    """
    first, last = first_day(register), last_day(register)
    if first is None:
        return []
    return [period for period in reporting_periods(register.kommune.periode_start_maaned, first, last, halves=halves)
            if (ended_before is None or period.end < ended_before) and covers(register, period)]


def latest_year(register: Register, today: dt.date) -> Period:
    """The most recent reporting year that has ended before ``today`` and that the register covers.

    Raises
    ------
    PeriodError
        When there is none.
    """
    years = covered_periods(register, ended_before=today, halves=False)
    if not years:
        raise PeriodError(_("period 'latest': no reporting year has ended before {day} with data in the register; "
                            "give the period explicitly ({forms})").format(day=today.isoformat(),
                                                                           forms=_(PERIOD_FORMS)))
    return years[-1]
