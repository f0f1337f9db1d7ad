"""Period arguments and the previous period of equal length."""

import datetime as dt

import pytest

from reportlib.periods import Period, PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize("text,start_month,expected", [
    ("2018/19", 11, Period(D(2018, 11, 1), D(2019, 10, 31))),
    ("1999/00", 7, Period(D(1999, 7, 1), D(2000, 6, 30))),
    (" 2019-01-01:2019-01-01 ", 11, Period(D(2019, 1, 1), D(2019, 1, 1))),
])
def test_parse(text, start_month, expected):
    assert parse_period(text, start_month) == expected


@pytest.mark.parametrize("text,message", [
    ("2018/20", "period '2018/20': the years must follow each other, e.g. 2018/19"),
    ("2019-02-30:2019-03-01", "period '2019-02-30:2019-03-01': day is out of range for month"),
    ("2019-03-01:2019-02-01", "ends before it starts"),
    ("last year", "period 'last year' not understood; use START:END"),
])
def test_bad_periods(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text, 11)


def test_reporting_year_label_needs_a_split_year():
    with pytest.raises(PeriodError, match="follow the calendar year; use 2022-01-01:2022-12-31"):
        parse_period("2022/23", 1)


def test_previous_reporting_year_across_a_leap_day():
    assert parse_period("2019/20", 11).previous() == Period(D(2018, 11, 1), D(2019, 10, 31))


def test_previous_of_an_arbitrary_range_has_the_same_number_of_days():
    assert Period(D(2020, 1, 1), D(2020, 1, 10)).previous() == Period(D(2019, 12, 22), D(2019, 12, 31))


def test_slug():
    assert parse_period("2018/19", 11).slug == "2018-11-01_2019-10-31"
