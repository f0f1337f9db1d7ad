"""Danish number and date formatting for the report: ``1.234``, ``12,5``, ``63 %``, ``1. november 2018``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .periods import Period, reporting_year

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
SUPPRESSED = "*"  # shown for a withheld cell; the report's method note explains it


def _swap_separators(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_int(value: int | None) -> str:
    """Whole number with ``.`` between thousands: ``1234`` -> ``1.234``; missing -> ``*``."""
    return SUPPRESSED if value is None or pd.isna(value) else _swap_separators(f"{int(value):,}")


def format_decimal(value: float | None, digits: int = 1) -> str:
    """Decimal number with a decimal comma: ``12.5`` -> ``12,5``, ``1234.5`` -> ``1.234,5``."""
    return SUPPRESSED if value is None or pd.isna(value) else _swap_separators(f"{value:,.{digits}f}")


def format_pct(value: int | None) -> str:
    """Whole percentage with a space before the sign: ``63`` -> ``63 %``."""
    return SUPPRESSED if value is None or pd.isna(value) else f"{format_int(value)} %"


def format_date(day: dt.date) -> str:
    """Danish long date: ``2018-11-01`` -> ``1. november 2018``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def format_month(month: str, *, short: bool = False) -> str:
    """Danish month and year: ``2019-05`` -> ``maj 2019``; short: ``2019-11`` -> ``nov. 2019``."""
    name = MONTHS[int(month[5:7]) - 1]
    if short and len(name) > 4:
        name = f"{name[:3]}."
    return f"{name} {month[:4]}"


def format_change(change: dict | None) -> str:
    """A change on the previous period: ``{"diff": 17, "pct": 15}`` -> ``+17 (+15 %)``; missing -> ``–``."""
    if change is None:
        return "–"
    diff = f"{'+' if change['diff'] > 0 else ''}{format_int(change['diff'])}"
    if change["pct"] is None:
        return diff
    return f"{diff} ({'+' if change['pct'] > 0 else ''}{format_pct(change['pct'])})"


def period_label(period: Period, start_month: int) -> str:
    """Short name of a period: ``2018/19`` for a reporting year, ``2019`` for a calendar year, else dates."""
    start, end = period.start, period.end
    if start.day == 1 and start.month == start_month and end == reporting_year(start.year, start_month).end:
        return str(start.year) if start_month == 1 else f"{start.year}/{(start.year + 1) % 100:02d}"
    return f"{format_date(start)} – {format_date(end)}"
