"""Danish number and date formatting for the report: ``1.234``, ``12,5``, ``63 %``, ``1. november 2018``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

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
