"""Reporting periods: parsing ``START:END`` and ``YYYY/YY``, and the previous period of equal length."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .exceptions import ReportlibError

_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$")
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
PERIOD_FORMS = "START:END (ISO dates, both inclusive, e.g. 2018-11-01:2019-10-31) or a reporting year YYYY/YY (e.g. 2018/19)"


class PeriodError(ReportlibError):
    """Raised when a period argument cannot be read or is empty."""


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
        """Return the period of equal length just before this one.

        A period of whole calendar months (such as a reporting year) moves back by that many months,
        so the year before 2019/20 is 2018/19 whatever the leap days; any other period moves back by
        its number of days.
        """
        after_end = self.end + dt.timedelta(days=1)
        if self.start.day == 1 and after_end.day == 1:
            months = (after_end.year - self.start.year) * 12 + after_end.month - self.start.month
            start = _add_months(self.start, -months)
            return Period(start, self.start - dt.timedelta(days=1))
        length = self.end - self.start + dt.timedelta(days=1)
        return Period(self.start - length, self.start - dt.timedelta(days=1))

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def reporting_year(first_year: int, start_month: int) -> Period:
    """Return the reporting year that starts in ``first_year`` in month ``start_month``."""
    start = dt.date(first_year, start_month, 1)
    return Period(start, _add_months(start, 12) - dt.timedelta(days=1))


def parse_period(text: str, start_month: int) -> Period:
    """Read a period argument.

    Parameters
    ----------
    text : str
        ``START:END`` with ISO dates, or ``YYYY/YY`` for the reporting year starting in YYYY.
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
        try:
            start, end = (dt.date.fromisoformat(g) for g in match.groups())
        except ValueError as exc:
            raise PeriodError(f"period '{text}': {exc}; use {PERIOD_FORMS}") from None
        if end < start:
            raise PeriodError(f"period '{text}': ends before it starts; put the earlier date first")
        return Period(start, end)
    if match := _YEAR.match(text):
        first, second = int(match.group(1)), int(match.group(2))
        if (first + 1) % 100 != second:
            raise PeriodError(f"period '{text}': the years must follow each other, e.g. {first}/{(first + 1) % 100:02d}")
        if start_month == 1:
            raise PeriodError(f"period '{text}': reporting years here follow the calendar year; "
                              f"use {first}-01-01:{first}-12-31")
        return reporting_year(first, start_month)
    raise PeriodError(f"period '{text}' not understood; use {PERIOD_FORMS}")
