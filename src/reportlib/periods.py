"""Reporting periods: parsing ``START:END``, ``YYYY/YY`` and ``YYYY/YY-H1``; the periods a register can report."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from reportlib.exceptions import PeriodError
from reportlib.language import N_, _

_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$")
_YEAR = re.compile(r"^(\d{4})/(\d{2})(?:-H([12]))?$", re.IGNORECASE)
_CALENDAR_YEAR = re.compile(r"^(\d{4})(?:-H([12]))?$", re.IGNORECASE)
LATEST = "latest"
# Before any borgerrådgiver, an earlier date is a mistyped year; a period must also end before LAST_DAY.
EARLIEST_DATE = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
# The forms a period may be written in, as messages name them: marked with N_, shown as _(PERIOD_FORMS).
PERIOD_FORMS = N_("START:END (ISO dates, both inclusive, e.g. 2018-11-01:2019-10-31), a reporting year YYYY/YY "
                  "(e.g. 2018/19), or YYYY where it follows the calendar year (e.g. 2025), one of its halves "
                  "(2018/19-H1, 2025-H2), or latest (the last complete reporting year the register covers)")


@dataclass(frozen=True)
class Period:
    """A closed date interval ``[start, end]``."""

    start: dt.date
    end: dt.date

    @property
    def slug(self) -> str:
        """Folder-name form, e.g. ``2018-11-01_2019-10-31``."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def previous(self) -> Period:
        """Return the period this one is compared with.

        A period of up to a year is compared with the same days one year earlier: the months are
        seasonal, so a half-year goes with the same half of the year before (and 2019/20 with
        2018/19, whatever the leap days). A longer period goes with the period of equal length just
        before it: by whole months when it is whole calendar months, else by days.
        """
        if (self.end - self.start).days < 366:
            return Period(_year_earlier(self.start), _year_earlier(self.end))
        after_end = self.end + dt.timedelta(days=1)
        if self.start.day == 1 and after_end.day == 1:
            months = (after_end.year - self.start.year) * 12 + after_end.month - self.start.month
            start = _add_months(self.start, -months)
            return Period(start, self.start - dt.timedelta(days=1))
        length = self.end - self.start + dt.timedelta(days=1)
        return Period(self.start - length, self.start - dt.timedelta(days=1))

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def _refused(text: str, reason: str | None) -> PeriodError:
    """The error of a period that cannot be read: ``period 'TEXT': REASON``.

    ``reason`` (translated) says what is wrong and what to do; it is kept as the error's ``reason``
    for a message that names the value already (a register's ``periode`` column). None: the text
    has none of the forms (:data:`PERIOD_FORMS`).
    """
    if reason is None:
        error = PeriodError(_("period '{text}' not understood; use {forms}").format(text=text, forms=_(PERIOD_FORMS)))
    else:
        error = PeriodError(_("period '{text}': {reason}").format(text=text, reason=reason))
    error.reason = reason
    return error


def _year_earlier(day: dt.date) -> dt.date:
    """The same day a year earlier; 29 February becomes 28 February."""
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def reporting_year(first_year: int, start_month: int) -> Period:
    """Return the reporting year that starts in ``first_year`` in month ``start_month``."""
    start = dt.date(first_year, start_month, 1)
    return Period(start, _add_months(start, 12) - dt.timedelta(days=1))


def reporting_year_of(day: dt.date, start_month: int) -> Period:
    """Return the reporting year that ``day`` falls in."""
    return reporting_year(day.year if day.month >= start_month else day.year - 1, start_month)


def half_years(year: Period) -> tuple[Period, Period]:
    """Split a reporting year into its first and second six months."""
    middle = _add_months(year.start, 6)
    return Period(year.start, middle - dt.timedelta(days=1)), Period(middle, year.end)


def reporting_periods(start_month: int, first_day: dt.date, last_day: dt.date, *,
                      halves: bool = True) -> list[Period]:
    """Every reporting year from the one holding ``first_day`` to the one holding ``last_day``, each followed
    by its two halves (unless ``halves`` is False), in time order.

    The calendar only: which of them a register covers is :func:`reportlib.figures.coverage.covered_periods`.
    """
    found = []
    for year in range(reporting_year_of(first_day, start_month).start.year,
                      reporting_year_of(last_day, start_month).start.year + 1):
        whole = reporting_year(year, start_month)
        found += [whole, *half_years(whole)] if halves else [whole]
    return found


def period_between(start: str, end: str) -> Period:
    """Build the period from ``start`` to ``end``, ISO dates, both inclusive.

    Raises
    ------
    PeriodError
        When a date is not a date in the calendar, or the period ends before it starts.
    """
    text = f"{start}:{end}"
    try:
        period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    except ValueError as exc:
        # The error is Python's, in English: "month must be in 1..12".
        raise _refused(text, _("{error}; use {forms}").format(error=exc, forms=_(PERIOD_FORMS))) from None
    if period.end < period.start:
        raise _refused(text, _("ends before it starts; put the earlier date first"))
    return _within_bounds(period, text)


def _within_bounds(period: Period, text: str) -> Period:
    """Refuse a period before the first borgerrådgivere or far in the future: it can only be a typing error."""
    if period.start < EARLIEST_DATE or period.end > LAST_DAY:
        raise _refused(text, _("give dates from {first} to {last}; check the years").format(
            first=EARLIEST_DATE.isoformat(), last=LAST_DAY.isoformat()))
    return period


def _reporting_year(text: str, first: int, start_month: int, half: str | None) -> Period:
    if not EARLIEST_DATE.year <= first < LAST_DAY.year:
        raise _refused(text, _("give a reporting year from {first} to {last}; check the years").format(
            first=EARLIEST_DATE.year, last=LAST_DAY.year - 1))
    year = reporting_year(first, start_month)
    return half_years(year)[int(half) - 1] if half else year


def parse_period(text: str, start_month: int) -> Period:
    """Read a period argument (``latest`` needs the register: see :func:`latest_year`).

    Parameters
    ----------
    text : str
        ``START:END`` with ISO dates, ``YYYY/YY`` for the reporting year starting in YYYY (``YYYY``
        where reporting years follow the calendar year), or ``YYYY/YY-H1`` / ``YYYY-H2`` and the like
        for its first or second half.
    start_month : int
        The month reporting years start in (``periode_start_maaned`` in kommune.yml).

    Returns
    -------
    Period

    Raises
    ------
    PeriodError
        When ``text`` has neither form, names an impossible date, or ends before it starts.
    """
    text = text.strip()
    if match := _RANGE.match(text):
        return period_between(*match.groups())
    if match := _YEAR.match(text):
        first, second = int(match.group(1)), int(match.group(2))
        if (first + 1) % 100 != second:
            raise _refused(text, _("the years must follow each other, e.g. {example}").format(
                example=f"{first}/{(first + 1) % 100:02d}"))
        if start_month == 1:
            half = f"-H{match.group(3)}" if match.group(3) else ""
            raise _refused(text, _("reporting years here follow the calendar year; use {year}").format(
                year=f"{first}{half}"))
        return _reporting_year(text, first, start_month, match.group(3))
    if match := _CALENDAR_YEAR.match(text):
        first = int(match.group(1))
        if start_month != 1:
            half = f"-H{match.group(2)}" if match.group(2) else ""
            raise _refused(text, _("reporting years here run from month {month} to the next year; use {year} "
                                   "(or {previous} for the one ending in {first})").format(
                month=start_month, year=f"{first}/{(first + 1) % 100:02d}{half}",
                previous=f"{first - 1}/{first % 100:02d}{half}", first=first))
        return _reporting_year(text, first, start_month, match.group(2))
    raise _refused(text, None)
