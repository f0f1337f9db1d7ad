"""What the workbench is asked for: periods as the register counts them, labels as kommune.yml spells them,
the cases and problems they choose."""

import datetime as dt

import pytest

import stats_register
from reportlib.exceptions import LabelError
from reportlib.figures import stats
from reportlib.periods import Period, PeriodError
from reportlib.workbench import selection
from stats_register import YEAR, rows

# The fixtures of stats_register, used here too.
register, year, unkept = stats_register.register, stats_register.year, stats_register.unkept


def test_period_of_reads_both_forms_with_the_configured_start_month(register):
    assert selection.period_of(register, "2018/19") == YEAR  # November to October
    assert selection.period_of(register, "2019-01-01:2019-01-31") == Period(dt.date(2019, 1, 1), dt.date(2019, 1, 31))
    with pytest.raises(PeriodError, match="period '2018': reporting years here run from month 11"):
        selection.period_of(register, "2018")


def test_no_period_means_the_registers_latest_year_even_one_under_way_as_far_as_it_is_complete(register):
    # E (received 2019-11-01) and the drop-in of 2019-11-04 open 2019/20, the latest year with data; the
    # register is complete through 30 November 2019 (kommune.yml), so that is what is counted of it.
    assert selection.period_of(register) == Period(dt.date(2019, 11, 1), dt.date(2019, 11, 30))
    assert selection.period_of(register, " ") == selection.period_of(register)


def test_recorded_asks_the_registers_not_recorded(register, unkept):
    names = ("sager.kanal", "sager.udfald", "sager.moede_deltaget", "sager.klagebistand", "aktiviteter")
    assert all(selection.recorded(register, name) for name in names)
    assert not any(selection.recorded(unkept, name) for name in names)
    assert selection.recorded(unkept, "sager.henvendelsestype")  # a required column is always kept


def test_topics_of_an_area_and_of_a_centre(year):
    # Social rows: B Partshøring, C Andet, D Andet -> 1 of 3 and 2 of 3.
    assert rows(stats.topics(selection.problemstillinger_of(year, "Social"))) == [
        ("Partshøring", 1, 33), ("Sagsbehandlingstid", 0, 0), ("Andet", 2, 67)]
    # Ydelser: C Andet and D Andet.
    assert rows(stats.topics(selection.problemstillinger_of(year, "Social", "Ydelser"))) == [
        ("Partshøring", 0, 0), ("Sagsbehandlingstid", 0, 0), ("Andet", 2, 100)]
    # Vej/park: B Andet and C Sagsbehandlingstid.
    assert rows(stats.topics(selection.problemstillinger_of(year, "Teknik", "vej/park"))) == [
        ("Partshøring", 0, 0), ("Sagsbehandlingstid", 1, 50), ("Andet", 1, 50)]


def test_restricting_problems_keeps_the_cases(year):
    restricted = selection.problemstillinger_of(year, "Social", "Jobcenter")
    assert restricted.problemstillinger["sag_id"].tolist() == ["B"]
    assert restricted.sager["sag_id"].tolist() == ["B", "C", "D"]
    assert restricted.problemstillinger["case_row"].tolist() == [0]  # B is still the selection's first case


def test_unknown_area_or_centre_is_named_with_the_allowed_labels(year):
    with pytest.raises(LabelError, match=r"omraade 'Socail': unknown area; did you mean 'Social'\? "
                                                 r"allowed: 'Social', 'Teknik'"):
        selection.problemstillinger_of(year, "Socail")
    with pytest.raises(LabelError, match="center 'Vej/park': centre does not belong to area 'Social'; "
                                                 "its centres are: 'Jobcenter', 'Ydelser'"):
        selection.problemstillinger_of(year, "Social", "Vej/park")
    with pytest.raises(LabelError, match="center 'Jobcentre': unknown centre; did you mean 'Jobcenter'"):
        selection.problemstillinger_of(year, "Social", "Jobcentre")


def test_cases_of_keeps_cases_by_type_and_by_primary_problem(register):
    complaints = selection.cases_of(register, henvendelsestype="klage")
    assert complaints.sager["sag_id"].tolist() == ["A", "B", "D"]
    # Their problem rows come with them, renumbered to the new case rows: A 0, B 1 (two rows), D 2.
    assert complaints.problemstillinger["sag_id"].tolist() == ["A", "B", "B", "D"]
    assert complaints.problemstillinger["case_row"].tolist() == [0, 1, 1, 2]
    # Teknik is the primary area of E only; B's and C's Teknik rows are not primary.
    assert selection.cases_of(register, omraade="Teknik").sager["sag_id"].tolist() == ["E"]
    # A centre given alone is found in its area: Ydelser is the primary centre of C and D.
    assert selection.cases_of(register, center="ydelser").sager["sag_id"].tolist() == ["C", "D"]
    assert selection.resolve(register, center="ydelser") == ("", "Social", "Ydelser")
