"""Statistics on a hand-made register whose every figure is worked out in the comments."""

import datetime as dt

import stats_register
from conftest import TODAY
from reportlib import load_register
from reportlib.figures import coverage, stats
from reportlib.periods import Period
from stats_register import YEAR, rows

register, year = stats_register.register, stats_register.year  # the register's fixtures


def test_selection_includes_both_boundary_days(register, year):
    assert year.sager["sag_id"].tolist() == ["B", "C", "D"]
    assert year.problemstillinger["sag_id"].tolist() == ["B", "B", "C", "C", "D"]
    # case_row is remapped to the selection's own rows.
    assert year.problemstillinger["case_row"].tolist() == [0, 0, 1, 1, 2]
    assert year.aktiviteter["dato"].dt.strftime("%m-%d").tolist() == ["11-05", "09-02", "09-09", "09-16"]
    # The selection is a register like the whole one: the same columns, rows numbered from 0.
    for name in ("sager", "problemstillinger", "aktiviteter"):
        part, whole = getattr(year, name), getattr(register, name)
        assert list(part.columns) == list(whole.columns)
        assert part.index.tolist() == list(range(len(part)))


def test_first_day_is_the_first_case_or_the_first_activity(register):
    assert coverage.first_day(register) == dt.date(2018, 10, 31)  # case A, before any activity
    # 2018/19-H2 (May-October 2019) holds case D (31 October) and three drop-in sessions from 2 September.
    second_half = stats.select(register, Period(dt.date(2019, 5, 1), dt.date(2019, 10, 31)))
    assert coverage.first_day(second_half) == dt.date(2019, 9, 2)


def test_cases_by_type(year):
    # 1 of 3 and 2 of 3: 33.3 and 66.7 -> 33 and 67.
    assert rows(stats.cases_by_type(year)) == [("Anden henvendelse", 1, 33), ("Klage", 2, 67)]


def test_areas_count_cases_by_primary_problem(year):
    # B's first row (Social), C's marked row (Social), D's only row (Social); Teknik listed with 0.
    assert rows(stats.areas(year)) == [("Social", 3, 100), ("Teknik", 0, 0)]


def test_centres_count_problem_rows_within_each_area(year):
    assert rows(stats.centres(year)) == [
        ("Social", "Jobcenter", 1, 33), ("Social", "Ydelser", 2, 67), ("Teknik", "Vej/park", 2, 100)]


def test_topics_count_problem_rows(year):
    assert rows(stats.topics(year)) == [("Partshøring", 1, 20), ("Sagsbehandlingstid", 1, 20), ("Andet", 3, 60)]


def test_complaint_categories_use_the_primary_topic(year):
    # Complaints B (primary Partshøring) and D (Andet); C is not a complaint.
    assert rows(stats.complaint_categories(year)) == [("Forvaltningsloven", 1, 50), ("Øvrige", 1, 50)]


def test_channels_and_outcomes_skip_empty_values(year):
    assert rows(stats.channels(year)) == [("Telefon", 1, 50), ("Skriftlig", 1, 50)]
    assert rows(stats.outcomes(year)) == [("Vejledt", 1, 50), ("Afvist", 1, 50)]


def test_activities_and_drop_in(register, year):
    assert rows(stats.activities(year)) == [("Eksternt oplæg", 1), ("Åben rådgivning", 3)]
    # Three sessions in the year, one without a count: 3 + 2 citizens, 2.5 per counted session.
    # Three sessions, two of them counted (3 and 2 citizens; 16 September has no count).
    assert stats.drop_in(year) == {"sessions": 3, "counted": 2, "citizens": 5, "per_session": 2.5, "min": 2, "max": 3}
    # September to November 2019: four sessions, three counted (3, 2, 5): 10 / 3 = 3.33 -> 3.3 per session.
    autumn = stats.select(register, Period(dt.date(2019, 9, 1), dt.date(2019, 11, 30)))
    assert stats.drop_in(autumn) == {"sessions": 4, "counted": 3, "citizens": 10, "per_session": 3.3, "min": 2,
                                     "max": 5}


def test_cases_per_month(year):
    months = stats.cases_per_month(year, YEAR)
    assert len(months) == 12
    assert months.set_index("month")["count"].to_dict() == {
        "2018-11": 1, "2018-12": 0, "2019-01": 0, "2019-02": 0, "2019-03": 1, "2019-04": 0,
        "2019-05": 0, "2019-06": 0, "2019-07": 0, "2019-08": 0, "2019-09": 0, "2019-10": 1}


def test_handling_time_counts_cases_closed_in_the_period(register):
    # A (5 days), B (10), C (30) close in the year; median 10; p90 = 10 + 0.8 * (30 - 10) = 26;
    # within the 10-day target: 2 of 3 -> 67 %.
    assert stats.handling_time(register, YEAR) == {
        "closed": 3, "median": 10.0, "p90": 26.0, "target_days": 10, "within_target_pct": 67}


def test_handling_time_of_two_cases(register):
    # November 2018: A (5 days) and B (10 days) close in it. Median (5 + 10) / 2 = 7.5;
    # p90 = 5 + 0.9 * (10 - 5) = 9.5; both within the 10-day target (B on the day): 100 %.
    november = Period(dt.date(2018, 11, 1), dt.date(2018, 11, 30))
    assert stats.handling_time(register, november) == {
        "closed": 2, "median": 7.5, "p90": 9.5, "target_days": 10, "within_target_pct": 100}


def test_open_at_end(register):
    assert stats.open_at_end(register, YEAR) == 1  # D
    assert stats.open_at_end(register, Period(dt.date(2018, 11, 1), dt.date(2018, 11, 10))) == 1  # B
    # B is closed on 11 November, the last day of this period: closed by its end, so not open.
    assert stats.open_at_end(register, Period(dt.date(2018, 11, 1), dt.date(2018, 11, 11))) == 0


def test_key_figures(year):
    assert stats.key_figures(year) == {"cases_total": 3, "complaints": 2, "problemstillinger": 5,
                                       "meetings_attended": 1, "complaint_letters": 1, "drop_in_sessions": 3,
                                       "drop_in_citizens": 5}


def test_period_without_cases(register):
    empty = stats.select(register, Period(dt.date(2015, 11, 1), dt.date(2016, 10, 31)))
    assert rows(stats.areas(empty)) == [("Social", 0, 0), ("Teknik", 0, 0)]
    assert stats.centres(empty)["count"].tolist() == [0, 0, 0]
    assert stats.drop_in(empty) == {"sessions": 0, "counted": 0, "citizens": 0, "per_session": None, "min": None,
                                    "max": None}
    assert not coverage.covers(register, Period(dt.date(2015, 11, 1), dt.date(2016, 10, 31)))


def test_statistics_import_no_plotting_library():
    import subprocess
    import sys

    code = "import sys, reportlib.figures.stats, reportlib.figures.document; print('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_the_primary_values_follow_the_cases_not_the_problem_rows(make_register):
    # The problems list C before A before B; the values come in case order A, B, C.
    sager = "sag_id,modtaget,henvendelsestype\nA,2019-01-01,Klage\nB,2019-01-02,Klage\nC,2019-01-03,Klage\n"
    problems = ("sag_id,omraade,center,emne\nC,Teknik,Vej/park,Andet\nA,Social,Jobcenter,Andet\n"
                "B,Social,Ydelser,Andet\n")
    register = load_register(make_register(sager=sager, problemstillinger=problems), today=TODAY)
    assert stats.primary(register, "center").tolist() == ["Jobcenter", "Ydelser", "Vej/park"]


def test_handling_days_are_those_of_the_cases_closed_in_the_period_with_their_area(register):
    # Closed in 2018/19, whenever received: A after 5 days, B after 10, C after 30, all with a Social
    # primary problem (C's primary row is Social/Ydelser); E closes in 2019/20, D is open.
    days = stats.handling_days(register, YEAR)
    assert rows(days) == [("Social", 5), ("Social", 10), ("Social", 30)]
    assert list(days["area"].cat.categories) == ["Social", "Teknik"]
