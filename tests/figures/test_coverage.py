"""Which periods a register covers: one rule, for run --all, latest and the workbench, on a register worked by hand.

The register (Ballerup's year starts in November): cases on 21 November 2018 (2018/19, first half)
and 15 August 2019 (2018/19, second half); an activity only on 2 March 2021 (2020/21, first half).
Nothing in 2019/20.
"""

import datetime as dt

import pytest

from conftest import TODAY
from reportlib import load_register
from reportlib.exceptions import PeriodError
from reportlib.figures import coverage, stats
from reportlib.periods import Period

D = dt.date
SAGER = "sag_id,modtaget,henvendelsestype\nS1,2018-11-21,Klage\nS2,2019-08-15,Anden henvendelse\n"
PROBLEMSTILLINGER = "sag_id,omraade,center,emne\nS1,Social,Jobcenter,Andet\nS2,Teknik,Vej/park,Andet\n"
AKTIVITETER = "dato,aktivitet,antal_borgere\n2021-03-02,Eksternt oplæg,\n"
Y2018, Y2020 = Period(D(2018, 11, 1), D(2019, 10, 31)), Period(D(2020, 11, 1), D(2021, 10, 31))
H2018_1, H2018_2 = Period(D(2018, 11, 1), D(2019, 4, 30)), Period(D(2019, 5, 1), D(2019, 10, 31))
H2020_1 = Period(D(2020, 11, 1), D(2021, 4, 30))


@pytest.fixture
def register(make_register):
    return load_register(make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER),
                         today=TODAY)


def test_the_first_and_last_day_are_a_case_or_an_activity(register):
    assert (coverage.first_day(register), coverage.last_day(register)) == (D(2018, 11, 21), D(2021, 3, 2))


def test_the_covered_periods_are_the_years_and_halves_with_a_case_or_an_activity(register):
    # 2019/20 has nothing; 2020/21 only the activity (in its first half).
    assert coverage.covered_periods(register) == [Y2018, H2018_1, H2018_2, Y2020, H2020_1]
    assert coverage.covered_periods(register, halves=False) == [Y2018, Y2020]


def test_only_the_periods_that_have_ended_can_be_reported(register):
    # On 1 May 2021 the first half of 2020/21 (to 30 April) has ended; the year has not.
    assert coverage.covered_periods(register, ended_before=D(2021, 5, 1)) == [Y2018, H2018_1, H2018_2, H2020_1]
    assert coverage.covered_periods(register, ended_before=D(2019, 10, 31)) == [H2018_1]  # its last day: not ended


def test_latest_is_the_last_ended_year_the_register_covers(register):
    assert coverage.latest_year(register, D(2021, 11, 1)) == Y2020
    assert coverage.latest_year(register, D(2021, 10, 31)) == Y2018  # 2019/20 has ended but holds nothing
    with pytest.raises(PeriodError, match="no reporting year has ended before 2019-10-31 with data in the register"):
        coverage.latest_year(register, D(2019, 10, 31))


def test_a_selection_with_nothing_dated_covers_nothing(register):
    nothing = stats.select(register, Period(D(2030, 1, 1), D(2030, 12, 31)))
    assert (coverage.first_day(nothing), coverage.last_day(nothing), coverage.covered_periods(nothing)) == (
        None, None, [])
