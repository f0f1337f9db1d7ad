"""Danish number and date formats."""

import datetime as dt

import pytest

from reportlib.formatting import format_date, format_decimal, format_int, format_pct


@pytest.mark.parametrize("value,expected", [(0, "0"), (999, "999"), (1234, "1.234"), (1234567, "1.234.567"), (None, "*")])
def test_format_int(value, expected):
    assert format_int(value) == expected


@pytest.mark.parametrize("value,digits,expected", [(12.5, 1, "12,5"), (1234.56, 1, "1.234,6"), (0.25, 2, "0,25")])
def test_format_decimal(value, digits, expected):
    assert format_decimal(value, digits) == expected


def test_format_pct():
    assert format_pct(63) == "63 %"
    assert format_pct(None) == "*"


def test_format_date():
    assert format_date(dt.date(2018, 11, 1)) == "1. november 2018"
