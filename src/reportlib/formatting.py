"""Danish number and date formatting for the report: ``1.234``, ``12,5``, ``63 %``, ``1. november 2018``.

A non-breaking space joins a number to its unit or ``%`` and the parts of a date, so a line never
breaks inside "63 %", "19 dage" or "31. oktober".
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from reportlib.periods import Period, half_years, reporting_year_of

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
SUPPRESSED = "*"  # shown for a withheld cell; the report's method note explains it
NOT_AVAILABLE = "–"  # shown where there is nothing to compute, e.g. no case was closed
NBSP = "\u00a0"
MINUS = "\u2212"


def _swap_separators(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".").replace("-", MINUS)


def format_int(value: int | None) -> str:
    """Whole number with ``.`` between thousands: ``1234`` -> ``1.234``; missing -> ``*``."""
    return SUPPRESSED if value is None or pd.isna(value) else _swap_separators(f"{int(value):,}")


def format_decimal(value: float | None, digits: int = 1) -> str:
    """Decimal number with a decimal comma: ``12.5`` -> ``12,5``, ``1234.5`` -> ``1.234,5``."""
    return SUPPRESSED if value is None or pd.isna(value) else _swap_separators(f"{value:,.{digits}f}")


def format_pct(value: int | None) -> str:
    """Whole percentage with a (non-breaking) space before the sign: ``63`` -> ``63 %``."""
    return SUPPRESSED if value is None or pd.isna(value) else f"{format_int(value)}{NBSP}%"


def format_count(value: int, one: str, many: str) -> str:
    """A count with its noun in singular or plural: ``1 sag``, ``2 sager``, ``1.234 sager``."""
    return f"{format_int(value)}{NBSP}{one if value == 1 else many}"


# Counts up to twelve are spelled out in running text, as a Danish editor would; larger ones are digits.
_SPELLED = ("", "", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv")


def format_count_spelled(value: int, one: str, many: str, neuter: bool = False) -> str:
    """A count for running text: ``ingen sager``, ``én sag`` (``ét møde``), ``fem sager``, ``16 sager``.

    Tables keep digits (:func:`format_count`); a sentence reads better with the small numbers in words.
    """
    if value == 0:
        return f"ingen {many}"
    space = " " if value < len(_SPELLED) else NBSP  # "16 sager" never breaks, as in format_count
    return f"{format_number_spelled(value, neuter)}{space}{one if value == 1 else many}"


def format_number_spelled(value: int, neuter: bool = False) -> str:
    """A number for running text without its noun: ``ingen``, ``én`` (``ét``), ``fem``, ``16``, ``1.234``."""
    if value == 0:
        return "ingen"
    if value == 1:
        return "ét" if neuter else "én"
    return _SPELLED[value] if value < len(_SPELLED) else format_int(value)


def format_days(value: float | None) -> str:
    """Days, rounded up to whole days: "half the cases within 14,5 days" holds for 15 days too.

    None (no case was closed) is shown as ``–``.
    """
    return NOT_AVAILABLE if value is None else format_count(math.ceil(value), "dag", "dage")


def format_date(day: dt.date) -> str:
    """Danish long date: ``2018-11-01`` -> ``1. november 2018``."""
    return f"{day.day}.{NBSP}{MONTHS[day.month - 1]}{NBSP}{day.year}"


def month_name(month: str, *, short: bool = False) -> str:
    """The Danish name of a ``YYYY-MM`` month: ``maj``, ``november``; short: ``nov.``, ``juni``."""
    name = MONTHS[int(month[5:7]) - 1]
    return f"{name[:3]}." if short and len(name) > 4 else name


def format_month(month: str, *, short: bool = False) -> str:
    """Danish month and year: ``2019-05`` -> ``maj 2019``; short: ``2019-11`` -> ``nov. 2019``."""
    return f"{month_name(month, short=short)}{NBSP}{month[:4]}"


def format_change(change: dict | None) -> str:
    """A change on the previous period: ``{"diff": 17, "pct": 15}`` -> ``+17 (+15 %)``; missing -> ``–``."""
    if change is None:
        return NOT_AVAILABLE
    diff = f"{'+' if change['diff'] > 0 else ''}{format_int(change['diff'])}"
    if change["pct"] is None:
        return diff
    return f"{diff} ({'+' if change['pct'] > 0 else ''}{format_pct(change['pct'])})"


def period_label(period: Period, start_month: int) -> str:
    """Short name of a period: ``2018/19`` (reporting year), ``2019`` (calendar year),
    ``2018/19, 1. halvår`` (half of one), else ``1. november 2018 – 30. april 2019``."""
    year = reporting_year_of(period.start, start_month)
    first_year = year.start.year
    name = str(first_year) if start_month == 1 else f"{first_year}/{(first_year + 1) % 100:02d}"
    if period == year:
        return name
    for number, half in enumerate(half_years(year), start=1):
        if period == half:
            return f"{name}, {number}. halvår"
    return f"{format_date(period.start)} – {format_date(period.end)}"
