"""Period arguments and the previous period of equal length."""

import datetime as dt

import pytest

from reportlib.periods import Period, PeriodError, complete_periods, latest_year, parse_period, reporting_year_of

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


# The example register's shape: data from 2018-11-21; Ballerup's year starts in November.
FIRST = D(2018, 11, 21)


@pytest.mark.parametrize("today,expected", [
    (D(2019, 10, 31), None),  # 2018/19 has its last day today: not ended yet
    (D(2019, 11, 1), Period(D(2018, 11, 1), D(2019, 10, 31))),
    (D(2021, 10, 31), Period(D(2019, 11, 1), D(2020, 10, 31))),
    (D(2021, 11, 1), Period(D(2020, 11, 1), D(2021, 10, 31))),
])
def test_latest_is_the_last_ended_reporting_year(today, expected):
    if expected is None:
        with pytest.raises(PeriodError, match="no reporting year has ended before 2019-10-31 with data"):
            latest_year(11, FIRST, today)
    else:
        assert latest_year(11, FIRST, today) == expected


def test_latest_skips_ended_years_without_data():
    # By 2026 the years up to 2025/26 have ended, but data stop in October 2021.
    def covers(period):
        return period.start < D(2021, 11, 1)
    assert latest_year(11, FIRST, D(2026, 11, 26), covers) == Period(D(2020, 11, 1), D(2021, 10, 31))


def test_latest_in_a_calendar_year_municipality():
    assert latest_year(1, D(2019, 3, 5), D(2021, 1, 1)) == Period(D(2020, 1, 1), D(2020, 12, 31))


def test_complete_periods_list_each_year_then_its_halves():
    # On 2020-06-01: 2018/19 and both its halves have ended; of 2019/20 only H1 (ended 2020-04-30).
    assert complete_periods(11, FIRST, D(2020, 6, 1)) == [
        Period(D(2018, 11, 1), D(2019, 10, 31)),
        Period(D(2018, 11, 1), D(2019, 4, 30)),
        Period(D(2019, 5, 1), D(2019, 10, 31)),
        Period(D(2019, 11, 1), D(2020, 4, 30)),
    ]


def test_a_period_ending_today_has_not_ended():
    # On 31 October 2019, the last day of 2018/19 and of its second half, only the first half has ended.
    assert complete_periods(11, FIRST, D(2019, 10, 31)) == [Period(D(2018, 11, 1), D(2019, 4, 30))]


def test_complete_periods_start_with_the_year_holding_the_first_day():
    # A first case in October 2019 lies in 2018/19 (November to October), so that year is listed.
    periods = complete_periods(11, D(2019, 10, 15), D(2019, 11, 1), covers=lambda p: p.end >= D(2019, 10, 15))
    assert periods == [Period(D(2018, 11, 1), D(2019, 10, 31)), Period(D(2019, 5, 1), D(2019, 10, 31))]


@pytest.mark.parametrize("text", ["0001-01-01:9999-12-31", "1989-12-31:1990-12-31", "2199-01-01:2200-01-01",
                                  "9999/00", "1989/90"])
def test_a_period_far_outside_any_register_is_a_message(text):
    with pytest.raises(PeriodError, match=r"give (dates from 1990-01-01 to 2199-12-31|a reporting year from 1990)"):
        parse_period(text, 11)
