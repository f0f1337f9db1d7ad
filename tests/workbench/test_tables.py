"""The exploration tables, on the hand-made register of test_stats, every answer worked out in the comments.

Cases (see stats_register.py): A 2018-10-31 Klage, closed 2018-11-05; B 2018-11-01 Klage, closed 2018-11-11,
meeting; C 2019-03-15 Anden henvendelse, closed 2019-04-14, complaint letter; D 2019-10-31 Klage, open;
E 2019-11-01 Anden henvendelse, closed 2019-11-02. Primary problems: A Social/Jobcenter/Andet,
B Social/Jobcenter/Partshøring (its first row), C Social/Ydelser/Andet (marked), D Social/Ydelser/Andet,
E Teknik/Vej/park/Andet. Reporting years start in November.
"""

import datetime as dt
import math
import re
import subprocess
import sys

import pandas as pd
import pytest

import stats_register
from conftest import TODAY
from reportlib import ReportlibError, load_register
from reportlib.exceptions import LabelError
from reportlib.figures import stats
from reportlib.periods import Period
from reportlib.workbench import selection, tables
from stats_register import YEAR, rows

# The fixtures of stats_register, used here too.
register, year, unkept = stats_register.register, stats_register.year, stats_register.unkept

NR = selection.NOT_RECORDED

# 2019/20 as the workbench counts it: the register is complete through 30 November 2019 (COMPLETE_FROM_2017_18).
NOVEMBER_2019 = "2019/20 (opgjort 1.\u00a0november\u00a02019 – 30.\u00a0november\u00a02019)"


def test_overview_has_one_row_per_reporting_year(register):
    table = tables.overview(register)
    assert list(table.columns) == ["period", "cases_total", "complaints", "problemstillinger", "meetings_attended",
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
    # 2019/20 as far as the register is complete, November 2019 (named so): E (not a complaint, one
    # problem row); the 4 November 2019 session with 5 citizens; D still open on 30 November 2019; E
    # closes after 1 day.
    assert found[2] == (NOVEMBER_2019, 1, 0, 1, 0, 0, 1, 5, 1, 1.0)


def test_overview_says_not_recorded_for_what_the_register_does_not_keep(unkept):
    # As test_overview_has_one_row_per_reporting_year; meetings, complaint letters and both drop-in
    # figures are unknown (no moede_deltaget, no klagebistand, no activities), never 0.
    assert rows(tables.overview(unkept))[1] == ("2018/19", 3, 2, 5, NR, NR, NR, NR, 1, 10.0)
    assert rows(tables.overview(unkept))[2] == (NOVEMBER_2019, 1, 0, 1, NR, NR, NR, NR, 1, 1.0)


def test_cases_by_month_lists_every_month_and_type(register):
    table = tables.cases_by_month(register)
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
    assert list(tables.cases_by_month(empty).columns) == ["month", "type", "count"]
    assert tables.cases_by_month(empty).empty


def test_centres_in_one_area(year):
    # 2018/19's Social rows: B Jobcenter, C Ydelser, D Ydelser -> 1 and 2 of 3: 33 and 67 %.
    assert rows(tables.centres_in(year, "Social")) == [("Jobcenter", 1, 33), ("Ydelser", 2, 67)]
    # Teknik: B's and C's Vej/park rows. The area is matched ignoring case and spaces.
    assert rows(tables.centres_in(year, " teknik ")) == [("Vej/park", 2, 100)]


def test_case_table_lists_the_period_with_the_primary_problem(register):
    table = tables.case_table(register, YEAR)
    assert list(table.columns) == ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald",
                                   "moede_deltaget", "klagebistand", "omraade", "center", "emne"]
    # B, C and D are received in 2018/19; their primary problems as in the module docstring.
    assert rows(table[["sag_id", "henvendelsestype", "omraade", "center", "emne"]]) == [
        ("B", "Klage", "Social", "Jobcenter", "Partshøring"),
        ("C", "Anden henvendelse", "Social", "Ydelser", "Andet"),
        ("D", "Klage", "Social", "Ydelser", "Andet")]
    # B Telefon, Vejledt, a meeting; C Skriftlig, Afvist, a complaint letter; D open, nothing given.
    assert rows(table[["kanal", "udfald", "moede_deltaget", "klagebistand"]])[:2] == [
        ("Telefon", "Vejledt", True, False), ("Skriftlig", "Afvist", False, True)]
    assert table.loc[2, ["kanal", "udfald"]].isna().all() and not table.loc[2, ["moede_deltaget", "klagebistand"]].any()


def test_case_table_says_not_recorded_in_the_columns_the_register_does_not_keep(unkept):
    table = tables.case_table(unkept, YEAR)
    assert list(table.columns) == list(tables.CASE_COLUMNS + tables.PRIMARY_COLUMNS)
    assert rows(table.drop(columns=["modtaget", "afsluttet"])) == [
        ("B", "Klage", NR, NR, NR, NR, "Social", "Jobcenter", "Partshøring"),
        ("C", "Anden henvendelse", NR, NR, NR, NR, "Social", "Ydelser", "Andet"),
        ("D", "Klage", NR, NR, NR, NR, "Social", "Ydelser", "Andet")]


def test_a_column_present_but_empty_in_every_row_is_not_recorded(make_register):
    # Kanal left empty for every case: unknown. Udfald and the rest are kept and shown as before.
    folder = make_register(sager=stats_register.SAGER.replace("Telefon", "").replace("Skriftlig", ""),
                           problemstillinger=stats_register.PROBLEMSTILLINGER)
    table = tables.case_table(load_register(folder, today=TODAY), YEAR)
    assert rows(table[["sag_id", "kanal", "udfald", "moede_deltaget"]])[:2] == [("B", NR, "Vejledt", True),
                                                                               ("C", NR, "Afvist", False)]


def test_case_table_filters(register):
    def ids(**filters):
        return tables.case_table(register, YEAR, **filters)["sag_id"].tolist()

    assert ids(henvendelsestype="klage") == ["B", "D"]
    assert ids(center="Ydelser") == ["C", "D"]  # by the primary problem: B's Ydelser row is not primary
    assert ids(henvendelsestype="Klage", omraade="Social", center="Ydelser") == ["D"]
    assert ids(omraade="Teknik") == []  # B and C have Teknik rows, but not as their primary problem
    whole = Period(dt.date(2017, 11, 1), dt.date(2020, 10, 31))
    assert tables.case_table(register, whole, omraade="Teknik")["sag_id"].tolist() == ["E"]
    with pytest.raises(LabelError, match="henvendelsestype 'Klager': unknown type; did you mean 'Klage'"):
        tables.case_table(register, YEAR, henvendelsestype="Klager")


def test_case_table_never_shows_free_text(make_register):
    # conftest's default register has a note (with a name and a CPR-like number) and a beskrivelse.
    register = load_register(make_register(), today=TODAY)
    table = tables.case_table(register, YEAR)
    assert table["sag_id"].tolist() == ["S1", "S2"]
    assert not {"note", "beskrivelse"} & set(table.columns)
    assert "Testesen" not in table.to_string()


def test_explore_imports_no_plotting_library():
    code = "import sys, reportlib.workbench.tables; assert 'matplotlib' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# The analyst's next questions. In 2018/19 (B, C, D): B Klage, Social/Jobcenter primary, Vejledt; C Anden
# henvendelse, Social/Ydelser primary (marked), Afvist; D Klage, Social/Ydelser, open without an outcome.


def test_areas_by_type_counts_cases_with_row_percentages(year):
    # Social: C is another inquiry, B and D are complaints: 1 and 2 of 3 -> 33 and 67 %. Teknik has no case
    # with a primary problem there: 0 and 0 %.
    assert rows(tables.areas_by_type(year)) == [
        ("Social", "Anden henvendelse", 1, 33), ("Social", "Klage", 2, 67),
        ("Teknik", "Anden henvendelse", 0, 0), ("Teknik", "Klage", 0, 0)]


def test_centres_by_outcome_counts_cases_with_an_outcome(year, register):
    # Jobcenter: B Vejledt (1 of 1 -> 100 %). Ydelser: C Afvist; D has no outcome and is not counted.
    assert rows(tables.centres_by_outcome(year)) == [
        ("Social", "Jobcenter", "Vejledt", 1, 100), ("Social", "Jobcenter", "Afvist", 0, 0),
        ("Social", "Ydelser", "Vejledt", 0, 0), ("Social", "Ydelser", "Afvist", 1, 100),
        ("Teknik", "Vej/park", "Vejledt", 0, 0), ("Teknik", "Vej/park", "Afvist", 0, 0)]
    # Over the whole register, within Teknik only: E (Vej/park, Vejledt).
    assert rows(tables.centres_by_outcome(register, " teknik")) == [
        ("Teknik", "Vej/park", "Vejledt", 1, 100), ("Teknik", "Vej/park", "Afvist", 0, 0)]


def test_centres_by_outcome_without_udfald_is_unknown_not_zero(unkept):
    # One row per centre, the outcome not recorded and no count: never the grid of 0 and 0 %.
    year = stats.select(unkept, YEAR)
    table = tables.centres_by_outcome(year)
    assert list(table.columns) == ["area", "centre", "outcome", "count", "pct"]
    assert [row[:3] for row in rows(table)] == [("Social", "Jobcenter", NR), ("Social", "Ydelser", NR),
                                                ("Teknik", "Vej/park", NR)]
    assert table["count"].isna().all() and table["pct"].isna().all()
    assert [row[1] for row in rows(tables.centres_by_outcome(year, "teknik"))] == ["Vej/park"]


def test_handling_time_spreads_per_area_against_the_target(register):
    # Closed in 2018/19, whenever received: A after 5 days, B after 10, C after 30, all with a Social primary
    # problem (E closes in 2019/20). Percentiles of [5, 10, 30], linear between the sorted values at
    # position p/100 * 2: q1 at 0.5 -> 7.5; median 10; q3 at 1.5 -> 20; p90 at 1.8 -> 10 + 0.8 * 20 = 26.
    # Within the 10-day target: A and B, 2 of 3 -> 67 %.
    social, teknik = rows(tables.handling_time_by_area(register, YEAR))
    assert social == ("Social", 3, 7.5, 10.0, 20.0, 26.0, 30.0, 2, 67)
    assert teknik[:2] == ("Teknik", 0) and all(math.isnan(v) for v in teknik[2:7])
    # 2019/20: E, Teknik, closed after 1 day, within the target.
    assert rows(tables.handling_time_by_area(register, Period(dt.date(2019, 11, 1), dt.date(2020, 10, 31))))[1] == (
        "Teknik", 1, 1.0, 1.0, 1.0, 1.0, 1.0, 1, 100)


def test_handling_time_without_a_target(make_register):
    from stats_register import AKTIVITETER, PROBLEMSTILLINGER, SAGER
    folder = make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER)
    table = tables.handling_time_by_area(load_register(folder, today=TODAY), YEAR)
    assert table["within_target"].isna().all() and table["within_target_pct"].isna().all()


def test_centre_change_compares_with_the_period_before_largest_first(register):
    # 2018/19 problem rows: Jobcenter B; Ydelser C, D; Vej/park B, C. The year before, 2017/18: Jobcenter A.
    # Ydelser and Vej/park grow by 2 (from 0: no percentage), Jobcenter stays at 1 (0 %). Equal growth keeps
    # the order of kommune.yml.
    assert rows(tables.centre_change(register, YEAR)) == [
        ("Social", "Ydelser", 2, 0, 2, pd.NA), ("Teknik", "Vej/park", 2, 0, 2, pd.NA),
        ("Social", "Jobcenter", 1, 1, 0, 0)]
    # 2019/20 has E's Vej/park row only: Jobcenter 1 -> 0 (-1, -100 %), Ydelser 2 -> 0 (-2, -100 %),
    # Vej/park 2 -> 1 (-1, -50 %). Largest first: the two -1 in kommune.yml order, then -2.
    next_year = Period(dt.date(2019, 11, 1), dt.date(2020, 10, 31))
    assert rows(tables.centre_change(register, next_year)) == [
        ("Social", "Jobcenter", 0, 1, -1, -100), ("Teknik", "Vej/park", 1, 2, -1, -50),
        ("Social", "Ydelser", 0, 2, -2, -100)]
    assert [r[1] for r in rows(tables.centre_change(register, next_year, "Social"))] == ["Jobcenter", "Ydelser"]


def test_centre_change_leaves_out_centres_without_rows_in_either_period(register):
    # 2017/18 against 2016/17: only A's Jobcenter row, in 2017/18.
    assert rows(tables.centre_change(register, Period(dt.date(2017, 11, 1), dt.date(2018, 10, 31)))) == [
        ("Social", "Jobcenter", 1, 0, 1, pd.NA)]


def test_seasonality_lists_the_months_of_every_reporting_year(register):
    table = tables.seasonality(register)
    # 2017/18 and 2018/19, twelve months each, November first; of 2019/20 the month the register is complete for.
    assert list(table.columns) == ["year", "month", "count"] and len(table) == 25
    assert rows(table[::12]) == [("2017/18", "2017-11", 0), ("2018/19", "2018-11", 1), (NOVEMBER_2019, "2019-11", 1)]
    # A in October 2018 (2017/18); B, C, D in November 2018, March and October 2019; E in November 2019.
    assert rows(table[table["count"] > 0]) == [
        ("2017/18", "2018-10", 1), ("2018/19", "2018-11", 1), ("2018/19", "2019-03", 1), ("2018/19", "2019-10", 1),
        (NOVEMBER_2019, "2019-11", 1)]


def test_seasonality_of_no_cases_is_zero_in_every_month_of_the_years_covered(register):
    none = selection.cases_of(register, omraade="Teknik", henvendelsestype="Klage")  # E is not a complaint
    # The activities stay with the selection: 2018/19 and 2019/20 are covered, with no such case in either.
    table = tables.seasonality(none)
    assert list(dict.fromkeys(table["year"])) == ["2018/19", NOVEMBER_2019] and (table["count"] == 0).all()


def test_to_excel_writes_one_sheet_per_table(tmp_path):
    import openpyxl

    cases = pd.DataFrame({"Sag": ["B", "C"], "Modtaget": pd.to_datetime(["2018-11-01", "2019-03-15"]),
                          "Møde": [True, False], "Dage": [10, 30]})
    areas = pd.DataFrame({"Område": ["Social", "Teknik"], "Sager": [3, 0]})
    path = tables.to_excel({"Sager": cases, "Område x type: 2018/19 og et meget langt navn": areas},
                            tmp_path / "ud" / "udtraek.xlsx")
    assert path == tmp_path / "ud" / "udtraek.xlsx"
    book = openpyxl.load_workbook(path)
    # ":" and "/" are not allowed in a sheet name, and 31 characters is the most.
    assert book.sheetnames == ["Sager", "Område x type- 2018-19 og et me"]
    sheet = book["Sager"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Sag", "Modtaget", "Møde", "Dage"], ["B", dt.datetime(2018, 11, 1), "ja", 10],
        ["C", dt.datetime(2019, 3, 15), "nej", 30]]
    assert sheet["B2"].number_format == "DD-MM-YYYY" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"


def test_to_excel_says_not_recorded_never_nej(unkept, register, tmp_path):
    import openpyxl

    def sheet(register):
        path = tables.to_excel({"Sager": tables.case_table(register, YEAR)}, tmp_path / "sager.xlsx")
        return [[cell.value for cell in row] for row in openpyxl.load_workbook(path)["Sager"].iter_rows()]

    header, *found = sheet(unkept)
    columns = [header.index(c) for c in ("kanal", "udfald", "moede_deltaget", "klagebistand")]
    assert [[row[i] for i in columns] for row in found] == [[NR] * 4] * 3  # B, C, D
    # The register that keeps them: C Skriftlig, Afvist, no meeting, a complaint letter; D open, nothing given.
    assert [[row[i] for i in columns] for row in sheet(register)[2:]] == [["Skriftlig", "Afvist", "nej", "ja"],
                                                                          [None, None, "nej", "nej"]]


def test_to_excel_defaults_to_the_internal_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "INTERNAL", tmp_path / "intern")
    path = tables.to_excel(pd.DataFrame({"Sager": [1]}))
    assert path.parent == tmp_path / "intern" and re.fullmatch(r"udtraek-\d{8}-\d{6}\.xlsx", path.name)
    import openpyxl
    assert openpyxl.load_workbook(path).sheetnames == ["Tabel"]


def test_to_excel_refuses_free_text(tmp_path):
    with pytest.raises(ReportlibError, match="to_excel: table 'Sager' has the free-text column 'note'"):
        tables.to_excel({"Sager": pd.DataFrame({"sag_id": ["S1"], "note": ["Jytte"]})}, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_to_excel_writes_a_text_that_looks_like_a_formula_as_text(tmp_path):
    import openpyxl

    table = pd.DataFrame({'=HYPERLINK("http://x","klik")': ["=1+1", "=> ring tilbage", "Jobcenter"]})
    path = tables.to_excel(table, tmp_path / "ud.xlsx")
    sheet = openpyxl.load_workbook(path)["Tabel"]
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows()] == [
        ('=HYPERLINK("http://x","klik")', "s"), ("=1+1", "s"), ("=> ring tilbage", "s"), ("Jobcenter", "s")]
