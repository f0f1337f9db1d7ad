"""The exploration tables, on the hand-made register of test_stats, every answer worked out in the comments.

Cases (see test_stats.py): A 2018-10-31 Klage, closed 2018-11-05; B 2018-11-01 Klage, closed 2018-11-11,
meeting; C 2019-03-15 Anden henvendelse, closed 2019-04-14, complaint letter; D 2019-10-31 Klage, open;
E 2019-11-01 Anden henvendelse, closed 2019-11-02. Primary problems: A Social/Jobcenter/Andet,
B Social/Jobcenter/Partshøring (its first row), C Social/Ydelser/Andet (marked), D Social/Ydelser/Andet,
E Teknik/Vej/park/Andet. Reporting years start in November.
"""

import datetime as dt
import math
import subprocess
import sys

import pytest

from conftest import TODAY
from reportlib import explore, load_register, stats
from reportlib.periods import Period, PeriodError
from test_stats import YEAR, register, rows, year  # noqa: F401  (register, year: test_stats' fixtures)


def test_period_of_reads_both_forms_with_the_configured_start_month(register):
    assert explore.period_of(register, "2018/19") == YEAR  # November to October
    assert explore.period_of(register, "2019-01-01:2019-01-31") == Period(dt.date(2019, 1, 1), dt.date(2019, 1, 31))
    with pytest.raises(PeriodError, match="period '2018' not understood"):
        explore.period_of(register, "2018")


def test_reporting_years_run_from_the_first_case_to_the_last(register):
    # A (31 October 2018) falls in 2017/18, E (1 November 2019) in 2019/20: three years, all with cases.
    assert [(p.start.isoformat(), p.end.isoformat()) for p in explore.reporting_years(register)] == [
        ("2017-11-01", "2018-10-31"), ("2018-11-01", "2019-10-31"), ("2019-11-01", "2020-10-31")]


def test_overview_has_one_row_per_reporting_year(register):
    table = explore.overview(register)
    assert list(table.columns) == ["period", "cases_total", "complaints", "problems", "meetings_attended",
                                   "complaint_letters", "drop_in_sessions", "drop_in_citizens", "open_at_end",
                                   "median_days"]
    found = rows(table)
    # 2017/18: A only (a complaint, one problem row); no activity before 5 November 2018; A is still
    # open on 31 October 2018 (closed 5 November); nothing closes in the year, so no median.
    assert found[0][:9] == ("2017/18", 1, 1, 1, 0, 0, 0, 0, 1) and math.isnan(found[0][9])
    # 2018/19: B, C, D (complaints B and D; 2 + 2 + 1 problem rows; B's meeting; C's letter); sessions
    # on 2, 9 and 16 September with 3 + 2 citizens; D open at the end; A, B, C close after 5, 10 and
    # 30 days: median 10.
    assert found[1] == ("2018/19", 3, 2, 5, 1, 1, 3, 5, 1, 10.0)
    # 2019/20: E (not a complaint, one problem row); the 4 November 2019 session with 5 citizens;
    # D still open on 31 October 2020; E closes after 1 day.
    assert found[2] == ("2019/20", 1, 0, 1, 0, 0, 1, 5, 1, 1.0)


def test_cases_by_month_lists_every_month_and_type(register):
    table = explore.cases_by_month(register)
    # October 2018 (A) to November 2019 (E): 14 months, each with both types.
    assert list(table.columns) == ["month", "type", "count"] and len(table) == 14 * 2
    assert rows(table[:4]) == [("2018-10", "Anden henvendelse", 0), ("2018-10", "Klage", 1),
                               ("2018-11", "Anden henvendelse", 0), ("2018-11", "Klage", 1)]
    # A and B are complaints in October and November 2018, C is an inquiry in March 2019, D a
    # complaint in October 2019, E an inquiry in November 2019; every other cell is 0.
    assert rows(table[table["count"] > 0]) == [
        ("2018-10", "Klage", 1), ("2018-11", "Klage", 1), ("2019-03", "Anden henvendelse", 1),
        ("2019-10", "Klage", 1), ("2019-11", "Anden henvendelse", 1)]


def test_cases_by_month_of_an_empty_selection(register):
    empty = stats.select(register, Period(dt.date(2015, 1, 1), dt.date(2015, 12, 31)))
    assert list(explore.cases_by_month(empty).columns) == ["month", "type", "count"]
    assert explore.cases_by_month(empty).empty


def test_centres_in_one_area(year):
    # 2018/19's Social rows: B Jobcenter, C Ydelser, D Ydelser -> 1 and 2 of 3: 33 and 67 %.
    assert rows(explore.centres_in(year, "Social")) == [("Jobcenter", 1, 33), ("Ydelser", 2, 67)]
    # Teknik: B's and C's Vej/park rows. The area is matched ignoring case and spaces.
    assert rows(explore.centres_in(year, " teknik ")) == [("Vej/park", 2, 100)]


def test_topics_of_an_area_and_of_a_centre(year):
    # Social rows: B Partshøring, C Andet, D Andet -> 1 of 3 and 2 of 3.
    assert rows(stats.topics(explore.problems_of(year, "Social"))) == [
        ("Partshøring", 1, 33), ("Sagsbehandlingstid", 0, 0), ("Andet", 2, 67)]
    # Ydelser: C Andet and D Andet.
    assert rows(stats.topics(explore.problems_of(year, "Social", "Ydelser"))) == [
        ("Partshøring", 0, 0), ("Sagsbehandlingstid", 0, 0), ("Andet", 2, 100)]
    # Vej/park: B Andet and C Sagsbehandlingstid.
    assert rows(stats.topics(explore.problems_of(year, "Teknik", "vej/park"))) == [
        ("Partshøring", 0, 0), ("Sagsbehandlingstid", 1, 50), ("Andet", 1, 50)]


def test_restricting_problems_keeps_the_cases(year):
    restricted = explore.problems_of(year, "Social", "Jobcenter")
    assert restricted.problemer["sag_id"].tolist() == ["B"]
    assert restricted.sager["sag_id"].tolist() == ["B", "C", "D"]
    assert restricted.problemer["case_row"].tolist() == [0]  # B is still the selection's first case


def test_unknown_area_or_centre_is_named_with_the_allowed_labels(year):
    with pytest.raises(explore.LabelError, match=r"omraade 'Socail': unknown area; did you mean 'Social'\? "
                                                 r"allowed: 'Social', 'Teknik'"):
        explore.problems_of(year, "Socail")
    with pytest.raises(explore.LabelError, match="center 'Vej/park': centre does not belong to area 'Social'; "
                                                 "its centres are: 'Jobcenter', 'Ydelser'"):
        explore.problems_of(year, "Social", "Vej/park")
    with pytest.raises(explore.LabelError, match="center 'Jobcentre': unknown centre; did you mean 'Jobcenter'"):
        explore.problems_of(year, "Social", "Jobcentre")


def test_case_table_lists_the_period_with_the_primary_problem(register):
    table = explore.case_table(register, YEAR)
    assert list(table.columns) == ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald",
                                   "moede_deltaget", "klagebistand", "omraade", "center", "emne"]
    # B, C and D are received in 2018/19; their primary problems as in the module docstring.
    assert rows(table[["sag_id", "henvendelsestype", "omraade", "center", "emne"]]) == [
        ("B", "Klage", "Social", "Jobcenter", "Partshøring"),
        ("C", "Anden henvendelse", "Social", "Ydelser", "Andet"),
        ("D", "Klage", "Social", "Ydelser", "Andet")]
    assert table.loc[0, "moede_deltaget"] and table.loc[1, "klagebistand"]  # B's meeting, C's letter


def test_case_table_filters(register):
    def ids(**filters):
        return explore.case_table(register, YEAR, **filters)["sag_id"].tolist()

    assert ids(henvendelsestype="klage") == ["B", "D"]
    assert ids(center="Ydelser") == ["C", "D"]  # by the primary problem: B's Ydelser row is not primary
    assert ids(henvendelsestype="Klage", omraade="Social", center="Ydelser") == ["D"]
    assert ids(omraade="Teknik") == []  # B and C have Teknik rows, but not as their primary problem
    whole = Period(dt.date(2017, 11, 1), dt.date(2020, 10, 31))
    assert explore.case_table(register, whole, omraade="Teknik")["sag_id"].tolist() == ["E"]
    with pytest.raises(explore.LabelError, match="henvendelsestype 'Klager': unknown type; did you mean 'Klage'"):
        explore.case_table(register, YEAR, henvendelsestype="Klager")


def test_case_table_never_shows_free_text(make_register):
    # conftest's default register has a note (with a name and a CPR-like number) and a beskrivelse.
    register = load_register(make_register(), today=TODAY)
    table = explore.case_table(register, YEAR)
    assert table["sag_id"].tolist() == ["S1", "S2"]
    assert not {"note", "beskrivelse"} & set(table.columns)
    assert "Testesen" not in table.to_string()


def test_explore_imports_no_plotting_library():
    code = "import sys, reportlib.explore; assert 'matplotlib' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
