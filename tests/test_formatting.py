"""Danish number and date formats."""

import datetime as dt

import pytest

from reportlib import formatting
from reportlib.formatting import (
    format_change,
    format_count,
    format_date,
    format_days,
    format_decimal,
    format_int,
    format_month,
    format_pct,
    period_label,
)
from reportlib.periods import Period


# Lines never break inside "63 %" or "1. november 2018": the spaces there are non-breaking (written _ here).
def nb(text):
    return text.replace("_", "\u00a0")


@pytest.mark.parametrize("value,expected", [(0, "0"), (999, "999"), (1234, "1.234"), (1234567, "1.234.567"),
                                            (None, "*"), (-5, "\u22125")])  # a real minus sign
def test_format_int(value, expected):
    assert format_int(value) == expected


@pytest.mark.parametrize("value,digits,expected", [(12.5, 1, "12,5"), (1234.56, 1, "1.234,6"), (0.25, 2, "0,25")])
def test_format_decimal(value, digits, expected):
    assert format_decimal(value, digits) == expected


def test_format_pct():
    assert format_pct(63) == nb("63_%")
    assert format_pct(None) == "*"


def test_format_date():
    assert format_date(dt.date(2018, 11, 1)) == nb("1._november_2018")


@pytest.mark.parametrize("value,expected", [(1, "1_sag"), (0, "0_sager"), (1234, "1.234_sager")])
def test_format_count_says_one_or_many(value, expected):
    assert format_count(value, "sag", "sager") == nb(expected)


@pytest.mark.parametrize("value,expected", [(19.0, "19_dage"), (14.5, "15_dage"), (43.8, "44_dage"), (0.4, "1_dag"),
                                            (None, "–")])  # nothing closed: not a withheld cell
def test_days_round_up_so_that_within_stays_true(value, expected):
    assert format_days(value) == nb(expected)


@pytest.mark.parametrize("change,expected", [
    ({"diff": 17, "pct": 15}, "+17 (+15_%)"),
    ({"diff": -1234, "pct": -50}, "\u22121.234 (\u221250_%)"),
    ({"diff": 0, "pct": 0}, "0 (0_%)"),
    ({"diff": 3, "pct": None}, "+3"),  # from zero: no percentage
    (None, "–"),
])
def test_format_change(change, expected):
    assert format_change(change) == nb(expected)


@pytest.mark.parametrize("month,short,expected", [
    ("2019-05", False, "maj 2019"),
    ("2018-11", True, "nov. 2018"),
    ("2019-06", True, "juni 2019"),
])
def test_format_month(month, short, expected):
    assert format_month(month, short=short) == nb(expected.replace(" ", "_"))


@pytest.mark.parametrize("start,end,start_month,expected", [
    ((2018, 11, 1), (2019, 10, 31), 11, "2018/19"),
    ((2019, 1, 1), (2019, 12, 31), 1, "2019"),
    ((2018, 11, 1), (2019, 4, 30), 11, "2018/19, 1. halvår"),
    ((2019, 5, 1), (2019, 10, 31), 11, "2018/19, 2. halvår"),
    ((2019, 7, 1), (2019, 12, 31), 1, "2019, 2. halvår"),
    ((2018, 11, 1), (2019, 3, 31), 11, "1. november 2018 – 31. marts 2019"),
    ((2019, 1, 1), (2019, 12, 31), 11, "1. januar 2019 – 31. december 2019"),
])
def test_period_label(start, end, start_month, expected):
    label = period_label(Period(dt.date(*start), dt.date(*end)), start_month)
    assert label.replace("\u00a0", " ") == expected


@pytest.mark.parametrize("value,neuter,expected", [
    (0, False, "ingen sager"), (1, False, "én sag"), (1, True, "ét møde"), (2, True, "to møder"),
    (5, False, "fem sager"), (12, False, "tolv sager"), (13, False, "13\u00a0sager"), (1234, False, "1.234\u00a0sager"),
])
def test_running_text_spells_out_counts_up_to_twelve(value, neuter, expected):
    one, many = ("møde", "møder") if neuter else ("sag", "sager")
    assert formatting.format_count_spelled(value, one, many, neuter=neuter) == expected


def test_a_number_alone_in_running_text():
    assert [formatting.format_number_spelled(n) for n in (0, 1, 7, 16)] == ["ingen", "én", "syv", "16"]
    assert formatting.format_number_spelled(1, neuter=True) == "ét"
