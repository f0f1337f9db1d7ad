"""Which periods a register covers: one rule for reports, the batch, the workbench and the scaffold.

A register is complete for a span of days: it holds every case and activity of them. kommune.yml
may say so (``komplet_fra``, ``komplet_til``); without it the span runs from the first day of the
month of the register's earliest date to the last day of the month of its latest (a case received
or closed, an activity held), since a register kept as the work goes on holds the month it was
last written in. A day not yet over is never complete.

A period is reported only when it has ended and lies within that span: a day outside would count
as a day without cases, which the register does not say (:func:`check_period`). An interim report
covers what the span holds of a period. The periods a register can report are the reporting years
(each followed by its halves) from the one holding its first date to the one holding its last that
it covers: ``run --all`` takes those that can be reported, ``latest`` the last such year, the
workbench every one with a case or activity.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from reportlib.exceptions import PeriodError
from reportlib.language import _
from reportlib.periods import LATEST, PERIOD_FORMS, Period, parse_period, reporting_periods
from reportlib.register.model import Register

_DAY = dt.timedelta(days=1)


def first_day(register: Register) -> dt.date | None:
    """The earliest date in the register, a case's ``modtaget`` or an activity's ``dato``; None when empty."""
    dates = _dates(register)
    return dates.min().date() if len(dates) else None


def last_day(register: Register) -> dt.date | None:
    """The latest date in the register, a case's ``modtaget`` or ``afsluttet`` or an activity's ``dato``."""
    dates = pd.concat([_dates(register), register.sager["afsluttet"].dropna()])
    return dates.max().date() if len(dates) else None


def _dates(register: Register) -> pd.Series:
    return pd.concat([register.sager["modtaget"], register.aktiviteter["dato"]]).dropna()


def complete_from(register: Register) -> dt.date | None:
    """The first day the register holds every case of: ``komplet_fra``, or the first of the month of its first date."""
    first = first_day(register)
    return register.kommune.komplet_fra or (first.replace(day=1) if first else None)


def complete_through(register: Register, today: dt.date) -> dt.date | None:
    """The last day the register holds every case of: ``komplet_til``, or the end of its latest date's month;
    never ``today`` or later, which are not over."""
    last = last_day(register)
    end = register.kommune.komplet_til or (_month_end(last) if last else None)
    return None if end is None else min(end, today - _DAY)


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - _DAY


def complete_span(register: Register, today: dt.date) -> Period | None:
    """The days the register is complete for (:func:`complete_from` to :func:`complete_through`); None if none."""
    start, end = complete_from(register), complete_through(register, today)
    return Period(start, end) if start is not None and end is not None and start <= end else None


def covers(register: Register, period: Period) -> bool:
    """Tell whether the register holds any case or activity dated in ``period``."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    return bool(register.sager["modtaget"].between(start, end).any()
                or register.aktiviteter["dato"].between(start, end).any())


def holds_before(register: Register, period: Period) -> bool:
    """Tell whether an earlier period can be compared: it starts no earlier than the register is complete."""
    start = complete_from(register)
    return start is not None and period.start >= start


def check_period(register: Register, period: Period, today: dt.date, *, interim: bool = False) -> Period:
    """The period to report: ``period`` itself when it has ended and the register is complete for it.

    With ``interim``, a period that has not ended or reaches past the register is cut to the days
    the register is complete for, and that part is returned (the whole period when it is complete).

    Raises
    ------
    PeriodError
        When the period has not ended, or reaches outside the days the register is complete for,
        and no interim report is asked for; or when the register is complete for none of its days.
    """
    span = complete_span(register, today)
    asked = _("{start} to {end}").format(start=period.start.isoformat(), end=period.end.isoformat())
    if span is None:  # its first date is today: no day of it is over
        raise PeriodError(_("period {asked}: the register is complete for no day before today yet; report it "
                            "after {first}").format(asked=asked, first=first_day(register).isoformat()))
    if interim:
        if period.end < span.start or period.start > span.end:
            raise PeriodError(_("period {asked}: the register is complete from {first} through {last}, none of "
                                "its days; give a period within them").format(
                asked=asked, first=span.start.isoformat(), last=span.end.isoformat()))
        return Period(max(period.start, span.start), min(period.end, span.end))
    if period.end >= today:
        raise PeriodError(_("period {asked} has not ended: its last days would count as days without cases; "
                            "report it after {end}, or report the days so far as an interim report with "
                            "--foreloebig").format(asked=asked, end=period.end.isoformat()))
    if period.end > span.end:
        why = (_("kommune.yml's komplet_til") if register.kommune.komplet_til else
               _("the end of the month of its latest date, {last}").format(last=last_day(register).isoformat()))
        raise PeriodError(_("period {asked} runs past {through}, the last day the register is complete for ({why}): "
                            "the days after would count as days without cases. If it holds every case and activity "
                            "through {end}, write 'komplet_til: {end}' in kommune.yml; or report the days it holds "
                            "with --foreloebig").format(asked=asked, through=span.end.isoformat(), why=why,
                                                        end=period.end.isoformat()))
    if period.start < span.start:
        why = (_("kommune.yml's komplet_fra") if register.kommune.komplet_fra else
               _("the month of its earliest date, {first}").format(first=first_day(register).isoformat()))
        raise PeriodError(_("period {asked} starts before {start}, the first day the register is complete for "
                            "({why}): the days before would count as days without cases. If it holds every case "
                            "and activity from {first}, write 'komplet_fra: {first}' in kommune.yml; or report the "
                            "days it holds with --foreloebig").format(asked=asked, start=span.start.isoformat(),
                                                                      why=why, first=period.start.isoformat()))
    return period


def covered_periods(register: Register, *, today: dt.date | None = None, halves: bool = True) -> list[Period]:
    """The reporting years (and, with ``halves``, their halves) the register covers, in time order.

    Parameters
    ----------
    register : Register
        The whole register.
    today : date, optional
        Only the periods that can be reported on that day (:func:`check_period`): ended, and within
        the days the register is complete for. Without it, every period with a case or an activity.
    halves : bool
        List each year's halves after it.
    """
    first, last = first_day(register), last_day(register)
    if first is None:
        return []
    span = complete_span(register, today) if today is not None else None
    if today is not None and span is None:
        return []
    return [period for period in reporting_periods(register.kommune.periode_start_maaned, first, last, halves=halves)
            if covers(register, period) and (span is None or (span.start <= period.start and period.end <= span.end))]


def latest_year(register: Register, today: dt.date) -> Period:
    """The most recent reporting year that can be reported on ``today`` (:func:`covered_periods`).

    Raises
    ------
    PeriodError
        When there is none.
    """
    years = covered_periods(register, today=today, halves=False)
    if not years:
        raise PeriodError(_("period 'latest': no reporting year has ended before {day} within the days the register "
                            "is complete for; give the period explicitly ({forms})").format(
            day=today.isoformat(), forms=_(PERIOD_FORMS)))
    return years[-1]


def named_period(text: str, register: Register, today: dt.date) -> Period:
    """The period a command names: ``latest`` (:func:`latest_year`) or any form :func:`parse_period` reads.

    Raises
    ------
    PeriodError
        When the text names no period, or ``latest`` finds none.
    """
    if text.strip().lower() == LATEST:
        return latest_year(register, today)
    return parse_period(text, register.kommune.periode_start_maaned)
