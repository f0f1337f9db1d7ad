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
    """The register as its dates say: complete from 1 November 2018 through 31 March 2021, a month at a time."""
    return load_register(make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER,
                                       complete=None), today=TODAY)


@pytest.fixture
def declared(make_register):
    """The same register, which kommune.yml says is complete from 1 November 2017 through 31 October 2021."""
    return load_register(make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER,
                                       complete="komplet_fra: 2017-11-01\nkomplet_til: 2021-10-31\n"), today=TODAY)


def test_the_first_and_last_day_are_a_case_or_an_activity(register):
    assert (coverage.first_day(register), coverage.last_day(register)) == (D(2018, 11, 21), D(2021, 3, 2))


def test_the_last_day_is_a_case_closed_too(make_register):
    closed = load_register(make_register(sager="sag_id,modtaget,afsluttet,henvendelsestype\n"
                                               "S1,2018-11-21,2019-02-04,Klage\nS2,2019-01-15,,Klage\n",
                                         problemstillinger=PROBLEMSTILLINGER.replace("S2,Teknik,Vej/park",
                                                                                     "S2,Social,Jobcenter"),
                                         aktiviteter=None, complete=None), today=TODAY)
    assert coverage.last_day(closed) == D(2019, 2, 4)
    assert coverage.complete_span(closed, TODAY) == Period(D(2018, 11, 1), D(2019, 2, 28))


def test_the_days_complete_run_a_month_at_a_time_from_the_first_date_to_the_last_and_never_into_today(register):
    assert coverage.complete_span(register, TODAY) == Period(D(2018, 11, 1), D(2021, 3, 31))
    assert coverage.complete_span(register, D(2021, 3, 10)) == Period(D(2018, 11, 1), D(2021, 3, 9))


def test_kommune_yml_says_which_days_are_complete(declared):
    assert coverage.complete_span(declared, TODAY) == Period(D(2017, 11, 1), D(2021, 10, 31))
    assert coverage.complete_span(declared, D(2021, 6, 1)) == Period(D(2017, 11, 1), D(2021, 5, 31))


def test_the_covered_periods_are_the_years_and_halves_with_a_case_or_an_activity(register):
    # 2019/20 has nothing; 2020/21 only the activity (in its first half).
    assert coverage.covered_periods(register) == [Y2018, H2018_1, H2018_2, Y2020, H2020_1]
    assert coverage.covered_periods(register, halves=False) == [Y2018, Y2020]


def test_only_the_periods_that_have_ended_within_the_complete_days_can_be_reported(register, declared):
    # On 1 May 2021 the first half of 2020/21 (to 30 April) has ended, but the register's dates reach March only.
    assert coverage.covered_periods(register, today=D(2021, 5, 1)) == [Y2018, H2018_1, H2018_2]
    assert coverage.covered_periods(declared, today=D(2021, 5, 1)) == [Y2018, H2018_1, H2018_2, H2020_1]
    assert coverage.covered_periods(register, today=D(2019, 10, 31)) == [H2018_1]  # its last day: not ended


def test_latest_is_the_last_ended_year_the_register_is_complete_for(register, declared):
    assert coverage.latest_year(declared, D(2021, 11, 1)) == Y2020
    assert coverage.latest_year(register, D(2021, 11, 1)) == Y2018  # 2020/21 runs past March 2021
    assert coverage.latest_year(declared, D(2021, 10, 31)) == Y2018  # 2019/20 has ended but holds nothing
    with pytest.raises(PeriodError, match="no reporting year has ended before 2019-10-31 within the days the "
                                          "register is complete for"):
        coverage.latest_year(register, D(2019, 10, 31))


def test_a_command_names_a_period_as_latest_or_in_the_register_s_own_reporting_year(declared):
    # The register's years start in November (kommune.yml's periode_start_maaned 11).
    assert coverage.named_period(" Latest ", declared, D(2021, 11, 1)) == Y2020
    assert coverage.named_period("2018/19-H2", declared, D(2021, 11, 1)) == H2018_2
    with pytest.raises(PeriodError):
        coverage.named_period("2018/2019/20", declared, D(2021, 11, 1))


def test_a_period_that_has_not_ended_is_refused_with_the_interim_report_as_the_fix(declared):
    with pytest.raises(PeriodError, match=r"^period 2020-11-01 to 2021-10-31 has not ended: its last days would "
                                          r"count as days without cases; report it after 2021-10-31, or report the "
                                          r"days so far as an interim report with --foreloebig$"):
        coverage.check_period(declared, Y2020, D(2021, 10, 31))
    assert coverage.check_period(declared, Y2020, D(2021, 11, 1)) == Y2020


def test_a_period_past_the_complete_days_is_refused_naming_them_and_the_fix(register):
    with pytest.raises(PeriodError, match=r"^period 2020-11-01 to 2021-10-31 runs past 2021-03-31, the last day the "
                                          r"register is complete for \(the end of the month of its latest date, "
                                          r"2021-03-02\): the days after would count as days without cases. If it "
                                          r"holds every case and activity through 2021-10-31, write 'komplet_til: "
                                          r"2021-10-31' in kommune.yml; or report the days it holds with "
                                          r"--foreloebig$"):
        coverage.check_period(register, Y2020, TODAY)


def test_a_period_before_the_complete_days_is_refused_naming_them_and_the_fix(register):
    before = Period(D(2018, 1, 1), D(2018, 12, 31))
    with pytest.raises(PeriodError, match=r"^period 2018-01-01 to 2018-12-31 starts before 2018-11-01, the first day "
                                          r"the register is complete for \(the month of its earliest date, "
                                          r"2018-11-21\): .* write 'komplet_fra: 2018-01-01' in kommune.yml"):
        coverage.check_period(register, before, TODAY)


def test_an_interim_report_counts_the_days_the_register_holds(register, declared):
    assert coverage.check_period(register, Y2020, TODAY, interim=True) == Period(D(2020, 11, 1), D(2021, 3, 31))
    assert coverage.check_period(declared, Y2020, D(2021, 6, 1), interim=True) == Period(D(2020, 11, 1),
                                                                                       D(2021, 5, 31))
    assert coverage.check_period(register, Y2018, TODAY, interim=True) == Y2018  # complete: the whole period
    with pytest.raises(PeriodError, match="the register is complete from 2018-11-01 through 2021-03-31, none of its "
                                          "days"):
        coverage.check_period(register, Period(D(2022, 1, 1), D(2022, 12, 31)), TODAY, interim=True)


def test_a_year_without_cases_is_reported_where_kommune_yml_says_the_register_is_complete_for_it(declared):
    # 2019/20 holds nothing: by kommune.yml, none came in, which is a figure; by the dates alone it is no year.
    quiet = Period(D(2019, 11, 1), D(2020, 10, 31))
    assert coverage.check_period(declared, quiet, TODAY) == quiet
    assert quiet not in coverage.covered_periods(declared, today=TODAY)  # --all reports what has cases or activities


def test_a_selection_with_nothing_dated_covers_nothing(register):
    nothing = stats.select(register, Period(D(2030, 1, 1), D(2030, 12, 31)))
    assert (coverage.first_day(nothing), coverage.last_day(nothing), coverage.covered_periods(nothing)) == (
        None, None, [])
