"""Period arguments and the previous period of equal length."""

import datetime as dt

import pytest

from reportlib.periods import Period, PeriodError, parse_period, reporting_periods, reporting_year_of

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


def test_a_calendar_year_municipality_names_its_year_by_the_year():
    assert parse_period("2025", 1) == Period(D(2025, 1, 1), D(2025, 12, 31))
    assert parse_period("2025-H2", 1) == Period(D(2025, 7, 1), D(2025, 12, 31))
    with pytest.raises(PeriodError, match="follow the calendar year; use 2022$"):
        parse_period("2022/23", 1)
    with pytest.raises(PeriodError, match="follow the calendar year; use 2022-H1$"):
        parse_period("2022/23-H1", 1)


def test_a_split_year_is_not_named_by_one_year():
    # November to October: 2025 could be either year it touches, so the message names both.
    with pytest.raises(PeriodError, match=r"run from month 11 to the next year; use 2025/26 \(or 2024/25 for the "
                                          r"one ending in 2025\)"):
        parse_period("2025", 11)
    with pytest.raises(PeriodError, match="give a reporting year from 1990 to"):
        parse_period("1900", 1)


def test_previous_reporting_year_across_a_leap_day():
    assert parse_period("2019/20", 11).previous() == Period(D(2018, 11, 1), D(2019, 10, 31))


@pytest.mark.parametrize("period,compared_with", [
    # A half-year goes with the same half of the year before, not with the half just before it.
    (Period(D(2020, 5, 1), D(2020, 10, 31)), Period(D(2019, 5, 1), D(2019, 10, 31))),
    (Period(D(2020, 1, 1), D(2020, 1, 10)), Period(D(2019, 1, 1), D(2019, 1, 10))),
    (Period(D(2020, 2, 1), D(2020, 2, 29)), Period(D(2019, 2, 1), D(2019, 2, 28))),  # no 29 February in 2019
    (Period(D(2020, 1, 1), D(2020, 12, 31)), Period(D(2019, 1, 1), D(2019, 12, 31))),  # 366 days: still a year
])
def test_a_period_of_up_to_a_year_is_compared_with_the_same_days_a_year_earlier(period, compared_with):
    assert period.previous() == compared_with


def test_a_longer_period_is_compared_with_the_period_of_equal_length_before_it():
    assert Period(D(2019, 11, 1), D(2021, 10, 31)).previous() == Period(D(2017, 11, 1), D(2019, 10, 31))
    # 375 days (2020 has 366, plus 9): the 375 days up to 31 December 2019 start on 22 December 2018.
    assert Period(D(2020, 1, 1), D(2021, 1, 9)).previous() == Period(D(2018, 12, 22), D(2019, 12, 31))
    # 367 days, one more than the longest year: 2019 (365) plus 1 and 2 January 2020. The 367 days up
    # to 31 December 2018 are 30 and 31 December 2017 and all 365 of 2018.
    assert Period(D(2019, 1, 1), D(2020, 1, 2)).previous() == Period(D(2017, 12, 30), D(2018, 12, 31))


@pytest.mark.parametrize("day,start_month,year", [
    (D(2019, 10, 31), 11, Period(D(2018, 11, 1), D(2019, 10, 31))),  # before November: the year from 2018
    (D(2019, 11, 1), 11, Period(D(2019, 11, 1), D(2020, 10, 31))),
    (D(2019, 12, 31), 11, Period(D(2019, 11, 1), D(2020, 10, 31))),
    (D(2020, 1, 1), 1, Period(D(2020, 1, 1), D(2020, 12, 31))),  # a calendar-year municipality
])
def test_the_reporting_year_a_day_falls_in(day, start_month, year):
    assert reporting_year_of(day, start_month) == year


def test_slug():
    assert parse_period("2018/19", 11).slug == "2018-11-01_2019-10-31"


@pytest.mark.parametrize("text,expected", [
    ("2018/19-H1", Period(D(2018, 11, 1), D(2019, 4, 30))),
    ("2018/19-h2", Period(D(2019, 5, 1), D(2019, 10, 31))),
    ("2019/20-H1", Period(D(2019, 11, 1), D(2020, 4, 30))),  # the leap day falls inside
])
def test_half_years(text, expected):
    assert parse_period(text, 11) == expected


def test_half_year_labels_refuse_a_third_half():
    with pytest.raises(PeriodError, match="period '2018/19-H3' not understood"):
        parse_period("2018/19-H3", 11)


def test_the_reporting_periods_are_each_year_then_its_halves_from_the_first_day_to_the_last():
    # Ballerup's year starts in November: 21 November 2018 lies in 2018/19, 2 March 2020 in 2019/20.
    assert reporting_periods(11, D(2018, 11, 21), D(2020, 3, 2)) == [
        Period(D(2018, 11, 1), D(2019, 10, 31)), Period(D(2018, 11, 1), D(2019, 4, 30)),
        Period(D(2019, 5, 1), D(2019, 10, 31)),
        Period(D(2019, 11, 1), D(2020, 10, 31)), Period(D(2019, 11, 1), D(2020, 4, 30)),
        Period(D(2020, 5, 1), D(2020, 10, 31))]
    assert reporting_periods(11, D(2018, 11, 21), D(2020, 3, 2), halves=False) == [
        Period(D(2018, 11, 1), D(2019, 10, 31)), Period(D(2019, 11, 1), D(2020, 10, 31))]


def test_a_first_day_in_october_lies_in_the_year_that_began_the_november_before():
    assert reporting_periods(11, D(2019, 10, 15), D(2019, 10, 15), halves=False) == [
        Period(D(2018, 11, 1), D(2019, 10, 31))]
    assert reporting_periods(1, D(2019, 3, 5), D(2020, 1, 1), halves=False) == [  # calendar years
        Period(D(2019, 1, 1), D(2019, 12, 31)), Period(D(2020, 1, 1), D(2020, 12, 31))]



@pytest.mark.parametrize("text", ["0001-01-01:9999-12-31", "1989-12-31:1990-12-31", "2199-01-01:2200-01-01",
                                  "9999/00", "1989/90"])
def test_a_period_far_outside_any_register_is_a_message(text):
    with pytest.raises(PeriodError, match=r"give (dates from 1990-01-01 to 2199-12-31|a reporting year from 1990)"):
        parse_period(text, 11)
