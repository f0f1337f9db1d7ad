"""Validation: one test per defect class, each asserting the exact file, line, column and value."""

import datetime as dt

import pandas as pd
import pytest

from conftest import (
    AKTIVITETER,
    KOMMUNE_PARTS_YML,
    KOMMUNE_YML,
    PROBLEMSTILLINGER,
    SAGER,
    TODAY,
    problems_of,
    write_workbook,
)
from reportlib import load_register


def test_valid_register_is_typed(make_register):
    register = load_register(make_register(), today=TODAY)
    sager, problemstillinger = register.sager, register.problemstillinger
    assert list(sager.columns) == ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald",
                                   "moede_deltaget", "klagebistand", "metode", "resultat"]
    # The register has none of the optional parts: their columns are there, empty, and no part is recorded.
    assert sager["metode"].isna().all() and sager["resultat"].isna().all()
    assert register.aktiviteter["omraade"].isna().all()
    assert (register.anbefalinger, register.parts) == (None, frozenset())
    assert list(sager["henvendelsestype"].cat.categories) == ["Anden henvendelse", "Klage"]
    # kommune.yml's order, unused labels included (Skriftlig is in no row; alphabetically it comes first).
    assert list(sager["kanal"].cat.categories) == ["Telefon", "Skriftlig"]
    assert list(problemstillinger.columns) == ["sag_id", "omraade", "center", "emne", "kategori", "primaer", "case_row"]
    assert list(register.aktiviteter.columns) == ["dato", "aktivitet", "antal_borgere", "omraade"]
    assert str(register.aktiviteter["antal_borgere"].dtype) == "Int64"
    assert sager["afsluttet"].isna().tolist() == [False, True]
    assert sager["kanal"].isna().tolist() == [False, True]
    # S1 marks its second row primary; S2 marks none, so its first (only) row is primary.
    assert problemstillinger["primaer"].tolist() == [False, True, True]
    assert problemstillinger["kategori"].tolist() == ["Forvaltningsloven", "Øvrige", "Forvaltningsloven"]
    assert register.aktiviteter["antal_borgere"].tolist() == [3]
    assert [p.name for p in register.files] == ["kommune.yml", "aktiviteter.csv", "problemstillinger.csv", "sager.csv"]


def test_a_register_of_the_required_columns_only(make_register):
    folder = make_register(sager="sag_id,modtaget,henvendelsestype\nS1,2019-01-10,Klage\n"
                                 "S2,2019-02-01,Anden henvendelse\n",
                           problemstillinger="sag_id,omraade,center,emne\nS1,Social,Jobcenter,Partshøring\n"
                                             "S1,Teknik,Vej/park,Andet\nS2,Social,Ydelser,Sagsbehandlingstid\n",
                           aktiviteter="dato,aktivitet\n2019-09-02,Åben rådgivning\n")
    register = load_register(folder, today=TODAY)
    sager = register.sager
    assert sager["afsluttet"].isna().all() and str(sager["afsluttet"].dtype) == "datetime64[ns]"
    assert sager["kanal"].isna().all() and list(sager["kanal"].cat.categories) == ["Telefon", "Skriftlig"]
    assert sager["udfald"].isna().all() and list(sager["udfald"].cat.categories) == ["Vejledt", "Afvist"]
    assert sager["moede_deltaget"].tolist() == sager["klagebistand"].tolist() == [False, False]
    assert register.problemstillinger["primaer"].tolist() == [True, False, True]  # no column: each case's first row
    assert register.aktiviteter["antal_borgere"].isna().tolist() == [True]
    assert str(register.aktiviteter["antal_borgere"].dtype) == "Int64"


def test_the_limits_themselves_are_accepted(make_register):
    # Closed the day it came in, and on the day of the check; an activity on 1 January 1990 with 100,000 citizens.
    sager = SAGER.replace("2019-01-10,2019-01-20", "2026-11-26,2026-11-26")
    folder = make_register(sager=sager, aktiviteter=AKTIVITETER.replace("2019-09-02,Åben rådgivning,3",
                                                                        "1990-01-01,Åben rådgivning,100000"))
    register = load_register(folder, today=TODAY)
    assert register.sager["afsluttet"].iloc[0] == register.sager["modtaget"].iloc[0] == pd.Timestamp("2026-11-26")
    assert register.aktiviteter[["dato", "antal_borgere"]].values.tolist() == [[pd.Timestamp("1990-01-01"), 100000]]


def test_a_missing_table_is_named_and_the_others_still_checked(make_register):
    folder = make_register(problemstillinger=None, sager=SAGER.replace(",Anden henvendelse,", ",,"))
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv: file not found; the register needs problemstillinger.csv or a sheet "
        "'problemstillinger' in register.xlsx, with at least the columns sag_id, omraade, center, emne; a sheet of "
        "another name is given under ark in kommune.yml (ark: {problemstillinger: Mit ark}), and two tables may "
        "share one sheet",
        f"{folder}/sager.csv:3: column 'henvendelsestype': value '': required value is empty"]


def test_an_area_written_as_its_synonym_holds_its_centres(make_register):
    folder = make_register(kommune=KOMMUNE_YML + "synonymer:\n  Social: [Socialområdet]\n",
                           problemstillinger=PROBLEMSTILLINGER.replace("S1,Social,", "S1,socialområdet,"))
    problemstillinger = load_register(folder, today=TODAY).problemstillinger
    assert problemstillinger[["omraade", "center"]].values.tolist()[0] == ["Social", "Jobcenter"]


def test_an_empty_centre_is_an_empty_required_value_only(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Social,Ydelser,", "Social,,"))
    assert problems_of(folder) == [f"{folder}/problemstillinger.csv:4: column 'center': value '': "
                                   "required value is empty"]


def test_first_row_is_primary_when_none_is_marked(make_register):
    rows = PROBLEMSTILLINGER.replace("Andet,ja", "Andet,nej")
    register = load_register(make_register(problemstillinger=rows), today=TODAY)
    assert register.problemstillinger["primaer"].tolist() == [True, False, True]


@pytest.mark.parametrize("written", ["2019-01-10", "10-01-2019", "10.01.2019", "10/01/2019", "2019-1-10", "10-1-2019"])
def test_date_forms(make_register, written):
    register = load_register(make_register(sager=SAGER.replace("2019-01-10", written)), today=TODAY)
    assert register.sager["modtaget"].iloc[0].date().isoformat() == "2019-01-10"


@pytest.mark.parametrize("written,expected", [("ja", True), ("J", True), ("1", True), ("TRUE", True), ("x", True),
                                              ("nej", False), ("n", False), ("0", False), ("false", False),
                                              ("", False)])
def test_boolean_forms(make_register, written, expected):
    sager = SAGER.replace("Vejledt,ja,", f"Vejledt,{written},")
    assert load_register(make_register(sager=sager), today=TODAY).sager["moede_deltaget"].tolist() == [expected, False]


def test_missing_column(make_register):
    folder = make_register(sager=SAGER.replace("modtaget,", "modtagetdato,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:1: column 'modtaget': required column is missing; the header has: sag_id, modtagetdato, "
        "afsluttet, henvendelsestype, kanal, udfald, moede_deltaget, klagebistand"
    ]


def test_table_with_header_only(make_register):
    folder = make_register(problemstillinger="sag_id,omraade,center,emne\n")
    found = problems_of(folder)
    assert (f"{folder}/problemstillinger.csv:2: the table has a header but no rows; the register needs at least one"
            in found)


def test_activities_may_be_empty(make_register):
    register = load_register(make_register(aktiviteter="dato,aktivitet\n"), today=TODAY)
    assert register.aktiviteter.empty


def test_duplicate_case_id(make_register):
    folder = make_register(sager=SAGER + "S1,2019-03-01,,Klage,,,,,\n")
    assert problems_of(folder) == [
        f"{folder}/sager.csv:4: column 'sag_id': value 'S1': duplicate sag_id; first used on line 2; "
        "every case needs its own"
    ]


def test_empty_required_value(make_register):
    folder = make_register(sager=SAGER.replace(",Anden henvendelse,", ",,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:3: column 'henvendelsestype': value '': required value is empty"]


def test_unparseable_date(make_register):
    folder = make_register(sager=SAGER.replace("2019-02-01", "1. februar 2019"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:3: column 'modtaget': value '1. februar 2019': "
        "not a date; write it as YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY"
    ]


def test_impossible_date(make_register):
    folder = make_register(aktiviteter=AKTIVITETER.replace("2019-09-02", "31-09-2019"))
    assert problems_of(folder) == [
        f"{folder}/aktiviteter.csv:2: column 'dato': value '31-09-2019': "
        "no such date in the calendar; check day and month (day comes first)"
    ]


def test_date_in_the_future(make_register):
    folder = make_register(sager=SAGER.replace("2019-01-20", "2091-01-20"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'afsluttet': value '2091-01-20': "
        "date lies in the future (today is 2026-11-26); check the year"
    ]


def test_closed_before_received(make_register):
    folder = make_register(sager=SAGER.replace("2019-01-20", "09.01.2019"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'afsluttet': value '09.01.2019': "
        "case closed before it was received (modtaget 2019-01-10); check both dates"
    ]


def test_unknown_label_suggests_the_closest(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Social,Jobcenter", "Social,Jobcentret"))
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:2: column 'center': value 'Jobcentret': unknown centre; "
        "did you mean 'Jobcenter'? allowed: 'Jobcenter', 'Ydelser' (labels are set in kommune.yml)"
    ]


def test_unknown_label_without_a_close_one(make_register):
    folder = make_register(sager=SAGER.replace(",Telefon,", ",Brevdue,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'kanal': value 'Brevdue': unknown channel; "
        "allowed: 'Telefon', 'Skriftlig'; add 'Brevdue' to kanaler in kommune.yml, or under synonymer as another "
        "spelling of one of them"
    ]


def test_centre_outside_its_area(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Teknik,Vej/park", "Social,Vej/park"))
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:3: column 'center': value 'Vej/park': "
        "centre does not belong to area 'Social'; its centres are: 'Jobcenter', 'Ydelser'"
    ]


def test_problem_row_without_case(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER + "S9,Social,Ydelser,Andet,\n")
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:5: column 'sag_id': value 'S9': "
        f"no case with this sag_id in {folder}/sager.csv; add the case or correct the id"
    ]


def test_case_without_problem_row(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("S2,", "S1,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:3: column 'sag_id': value 'S2': "
        f"case has no row in {folder}/problemstillinger.csv; every case needs at least one problem"
    ]


def test_more_than_one_primary_problem(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Partshøring,", "Partshøring,x"))
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:3: column 'primaer': value 'ja': "
        "case 'S1' already has its primary problem on line 2; mark at most one per case"
    ]


@pytest.mark.parametrize("count,reason", [
    ("-2", "a number of citizens cannot be negative; write 0 or more"),
    ("2,5", "not a whole number; write a count such as 0, 2 or 15"),
    ("tre", "not a whole number; write a count such as 0, 2 or 15"),
])
def test_bad_citizen_count(make_register, count, reason):
    folder = make_register(aktiviteter=AKTIVITETER.replace(",3,", f',"{count}",'))
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:2: column 'antal_borgere': value '{count}': {reason}"]


def test_bad_boolean(make_register):
    folder = make_register(sager=SAGER.replace("Vejledt,ja,", "Vejledt,måske,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'moede_deltaget': value 'måske': "
        "not a yes/no value; write ja/nej, j/n, 1/0, true/false, or x/empty"
    ]


def test_malformed_kommune_yml_is_reported_with_the_table_problems(make_register):
    folder = make_register(kommune=KOMMUNE_YML.replace("kommune: Testby Kommune\n", ""),
                           sager=SAGER.replace("2019-02-01", "2019-02-30"))
    assert problems_of(folder) == [
        f"{folder}/kommune.yml:1: key 'kommune': required key is missing",
        f"{folder}/sager.csv:3: column 'modtaget': value '2019-02-30': "
        "no such date in the calendar; check day and month (day comes first)",
    ]


def test_every_problem_in_one_pass(make_register):
    folder = make_register(
        sager=SAGER.replace("2019-01-20", "2019-01-32").replace(",Anden henvendelse,", ",Klagee,"),
        problemstillinger=PROBLEMSTILLINGER.replace("Sagsbehandlingstid", "Sagsbehandling"),
        aktiviteter=AKTIVITETER.replace(",3,", ",-1,"),
    )
    found = problems_of(folder)
    assert [m.split(": ")[0:2] for m in found] == [
        [f"{folder}/aktiviteter.csv:2", "column 'antal_borgere'"],
        [f"{folder}/problemstillinger.csv:4", "column 'emne'"],
        [f"{folder}/sager.csv:2", "column 'afsluttet'"],
        [f"{folder}/sager.csv:3", "column 'henvendelsestype'"],
    ]
    assert "did you mean 'Klage'?" in found[3]


@pytest.mark.parametrize("table,written", [("sager", "1019-01-10"), ("sager", "10-01-1019"),
                                           ("aktiviteter", "1019-09-02")])
def test_a_date_before_1990_is_a_mistyped_year(make_register, table, written):
    text = {"sager": SAGER.replace("2019-01-10", written), "aktiviteter": AKTIVITETER.replace("2019-09-02", written)}
    folder = make_register(**{table: text[table]})
    column = "modtaget" if table == "sager" else "dato"
    assert problems_of(folder) == [
        f"{folder}/{table}.csv:2: column '{column}': value '{written}': date lies before 1990; check the year"]


@pytest.mark.parametrize("written", ["\uff11\uff12", "\u0663", "\u0967\u0968"])  # fullwidth, Arabic-Indic, Devanagari
def test_digits_other_than_0_to_9_are_named_not_lost(make_register, written):
    folder = make_register(aktiviteter=AKTIVITETER.replace(",3,", f",{written},"))
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:2: column 'antal_borgere': value '{written}': "
                                   "write the number with the digits 0-9"]


@pytest.mark.parametrize("written", ["99999999999999999999", "100001"])
def test_a_number_of_citizens_too_large_to_be_true(make_register, written):
    folder = make_register(aktiviteter=AKTIVITETER.replace(",3,", f",{written},"))
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:2: column 'antal_borgere': value '{written}': "
                                   "more than 100,000 citizens is surely a typing error; check the number"]


def test_a_centre_under_an_unknown_area_is_reported_as_an_unknown_area_only(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("S2,Social,Ydelser", "S2,Sociall,Ydelser"))
    [message] = problems_of(folder)
    assert message.startswith(f"{folder}/problemstillinger.csv:4: column 'omraade': value 'Sociall': unknown area; "
                              "did you mean 'Social'?")


@pytest.mark.parametrize("first,second", [("10/01/2019", "31/01/2019"), ("10/1/2019", "1/2/2019")])
def test_slashed_dates_are_read_day_first_as_danish_exports_write_them(make_register, first, second):
    sager = SAGER.replace("2019-01-10", first).replace("2019-02-01", second)
    register = load_register(make_register(sager=sager), today=TODAY)
    assert register.sager["modtaget"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-01-10", "2019-01-31" if first.startswith("10/01") else "2019-02-01"]


def test_a_column_that_shows_the_month_first_is_read_month_first(make_register):
    # 12/25/2019 can only be 25 December: so 01/10/2019 in the same column is 10 January.
    sager = SAGER.replace("2019-01-10", "01/10/2019").replace("2019-02-01", "12/25/2019")
    register = load_register(make_register(sager=sager), today=TODAY)
    assert register.sager["modtaget"].dt.strftime("%Y-%m-%d").tolist() == ["2019-01-10", "2019-12-25"]


@pytest.mark.parametrize("first,second,expected", [
    ("12/11/2019", "12/25/2019", ["2019-12-11", "2019-12-25"]),  # 12 first is no evidence of the day first
    ("11/12/2019", "25/12/2019", ["2019-12-11", "2019-12-25"]),  # 12 second is no evidence of the month first
])
def test_twelve_shows_neither_order(make_register, first, second, expected):
    sager = SAGER.replace("2019-01-20", "2019-12-31").replace("2019-01-10", first).replace("2019-02-01", second)
    register = load_register(make_register(sager=sager), today=TODAY)
    assert register.sager["modtaget"].dt.strftime("%Y-%m-%d").tolist() == expected


MIXED = "write every date in the column the same way"


@pytest.mark.parametrize("first,second,expected", [
    # Day first on line 2, month first on line 3: the column is read day first, so 12/13/2019 is no date either.
    ("13/12/2019", "12/13/2019", [
        f"3: column 'modtaget': value '12/13/2019': this date reads month first, but the one on line 2 (13/12/2019) "
        f"reads day first; {MIXED}",
        "3: column 'modtaget': value '12/13/2019': no such date in the calendar; check day and month (day comes "
        "first)"]),
    ("12/25/2019", "25/12/2019", [
        f"3: column 'modtaget': value '25/12/2019': this date reads day first, but the one on line 2 (12/25/2019) "
        f"reads month first; {MIXED}",
        "2: column 'modtaget': value '12/25/2019': no such date in the calendar; check day and month (day comes "
        "first)"]),
    # 14/13 and 13/14 are no dates in either order, so they show neither: the column keeps the other's order.
    ("12/25/2019", "14/13/2019", [
        "3: column 'modtaget': value '14/13/2019': no such date in the calendar; check day and month (month comes "
        "first in this column)"]),
    ("25/12/2019", "13/14/2019", [
        "3: column 'modtaget': value '13/14/2019': no such date in the calendar; check day and month (day comes "
        "first)"]),
])
def test_the_order_of_a_column_and_its_problems(make_register, first, second, expected):
    sager = SAGER.replace("2019-01-20", "2019-12-31").replace("2019-01-10", first).replace("2019-02-01", second)
    folder = make_register(sager=sager)
    assert sorted(problems_of(folder)) == sorted(f"{folder}/sager.csv:{line}" for line in expected)


def test_a_column_that_mixes_day_first_and_month_first_names_an_example_row(make_register):
    sager = SAGER.replace("2019-01-10", "25/12/2019").replace("2019-02-01", "12/25/2019")
    folder = make_register(sager=sager)
    assert (f"{folder}/sager.csv:3: column 'modtaget': value '12/25/2019': this date reads month first, but the one "
            "on line 2 (25/12/2019) reads day first; write every date in the column the same way") in (
        problems_of(folder))


# -- The optional parts (docs/register.md): methods, results, own initiative, recommendations --------

PARTS_SAGER = """\
sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand,metode,resultat
S1,2019-01-10,2019-01-20,Klage,Telefon,Vejledt,ja,,undersøgelse,Delvis kritik
S2,2019-02-01,,Anden henvendelse,,,,,,
"""
PARTS_AKTIVITETER = """\
dato,aktivitet,antal_borgere,omraade
2019-09-02,Åben rådgivning,3,
2019-10-01,Egen drift,,Teknik
"""
ANBEFALINGER = """\
periode,nr,anbefaling,omraade,status,status_dato
2017/18,1,Svar inden for fristen,Social,Ny,2018-10-31
2017/18,1,Svar inden for fristen,Social,Fulgt,2019-10-31
2018-11-01:2019-04-30,2,Klar klagevejledning,,igangsat,2019-04-30
"""


def test_the_optional_parts_are_read_and_recorded(make_register):
    folder = make_register(kommune=KOMMUNE_PARTS_YML, sager=PARTS_SAGER, aktiviteter=PARTS_AKTIVITETER,
                           anbefalinger=ANBEFALINGER)
    register = load_register(folder, today=TODAY)
    assert register.parts == {"sager.metode", "sager.resultat", "aktiviteter.omraade", "egen_drift", "anbefalinger"}
    # Labels as kommune.yml writes them; empty while the case is open.
    assert register.sager["metode"].tolist()[0] == "Undersøgelse" and register.sager["metode"].isna().tolist()[1]
    assert register.sager["resultat"].tolist()[0] == "Delvis kritik"
    assert register.aktiviteter["omraade"].isna().tolist() == [True, False]
    recommendations = register.anbefalinger
    assert recommendations["periode_start"].dt.strftime("%Y-%m-%d").tolist() == ["2017-11-01", "2017-11-01",
                                                                                "2018-11-01"]
    assert recommendations["periode_slut"].dt.strftime("%Y-%m-%d").tolist() == ["2018-10-31", "2018-10-31",
                                                                               "2019-04-30"]
    assert recommendations["status"].tolist() == ["Ny", "Fulgt", "Igangsat"]
    assert recommendations["nr"].tolist() == ["1", "1", "2"] and recommendations["omraade"].isna().tolist()[2]
    assert register.anbefalinger["anbefaling"].tolist()[2] == "Klar klagevejledning"
    assert "anbefalinger.csv" in [p.name for p in register.files]


def test_the_recommendations_are_one_tidy_table(make_register):
    register = load_register(make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=ANBEFALINGER), today=TODAY)
    assert list(register.anbefalinger.columns) == ["periode_start", "periode_slut", "nr", "anbefaling", "omraade",
                                                   "status", "status_dato"]
    assert register.anbefalinger.index.tolist() == [0, 1, 2]


def test_a_part_is_there_when_its_column_is_even_if_every_cell_is_empty(make_register):
    sager = SAGER.replace(",note\n", ",note,metode\n").replace("\nS2,2019-02-01,,Anden henvendelse,,,,,",
                                                                "\nS2,2019-02-01,,Anden henvendelse,,,,,,")
    register = load_register(make_register(kommune=KOMMUNE_YML, sager=sager), today=TODAY)
    assert register.parts == {"sager.metode"}  # and no egen_drift: KOMMUNE_YML names none


def test_the_recommendations_may_be_a_sheet_of_the_workbook(make_register):

    folder = make_register(kommune=KOMMUNE_PARTS_YML)
    write_workbook(folder / "register.xlsx", {"anbefalinger": [
        ["periode", "nr", "anbefaling", "status", "status_dato"],
        ["2018/19", 1, "Svar inden for fristen", "Ny", dt.datetime(2019, 10, 31)]]})
    register = load_register(folder, today=TODAY)
    assert register.anbefalinger[["nr", "status"]].values.tolist() == [["1", "Ny"]]
    assert register.anbefalinger["status_dato"].tolist() == [pd.Timestamp("2019-10-31")]


def test_an_unknown_method_or_result_is_an_unknown_label(make_register):
    sager = PARTS_SAGER.replace("undersøgelse,Delvis kritik", "Undersøgning,Kritisk")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, sager=sager)
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'metode': value 'Undersøgning': unknown method; did you mean 'Undersøgelse'? "
        "allowed: 'Vejledning', 'Dialog', 'Undersøgelse'; add 'Undersøgning' to metoder in kommune.yml, or under "
        "synonymer as another spelling of 'Undersøgelse'",
        f"{folder}/sager.csv:2: column 'resultat': value 'Kritisk': unknown result; did you mean 'Kritik'? "
        "allowed: 'Kritik', 'Delvis kritik', 'Ingen kritik', 'Ikke undersøgt'; add 'Kritisk' to resultater in "
        "kommune.yml, or under synonymer as another spelling of 'Kritik'",
    ]


def test_a_method_column_without_metoder_in_kommune_yml(make_register):
    folder = make_register(sager=PARTS_SAGER)  # KOMMUNE_YML lists no metoder and no resultater
    assert problems_of(folder)[0] == (
        f"{folder}/sager.csv:2: column 'metode': value 'undersøgelse': unknown method; "
        "allowed: (none configured); add 'undersøgelse' to metoder in kommune.yml")


@pytest.mark.parametrize("written,reason", [
    ("2018-19", "not a period; write the period the recommendation was made in as YYYY/YY (e.g. 2018/19), "
                "YYYY/YY-H1, YYYY/YY-H2, or START:END with ISO dates (2018-11-01:2019-10-31)"),
    ("2018/20", "the years must follow each other, e.g. 2018/19"),
    ("2019-05-01:2019-04-30", "ends before it starts; put the earlier date first"),
])
def test_a_period_that_cannot_be_read(make_register, written, reason):
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=ANBEFALINGER.replace("2017/18,1,Svar",
                                                                                        f"{written},1,Svar", 1))
    assert problems_of(folder) == [f"{folder}/anbefalinger.csv:2: column 'periode': value '{written}': {reason}"]


def test_the_same_status_date_twice_for_one_recommendation(make_register):
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=ANBEFALINGER.replace(
        "Fulgt,2019-10-31", "Fulgt,31-10-2018"))
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:3: column 'status_dato': value '31-10-2018': recommendation 1 of 2017/18 has a "
        "status of this date on line 2 already; give each status of a recommendation its own date, or remove one "
        "of the rows"]


def test_a_recommendation_needs_its_columns_and_known_labels(make_register):
    table = ANBEFALINGER.replace(",Social,Fulgt,", ",Socialt,Fulgt,").replace("igangsat,2019-04-30", ",2019-04-30")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table.replace(",nr,", ",nummer,"))
    found = problems_of(folder)
    assert found[0] == (f"{folder}/anbefalinger.csv:1: column 'nr': required column is missing; the header has: "
                        "periode, nummer, anbefaling, omraade, status, status_dato")
    assert found[1].startswith(f"{folder}/anbefalinger.csv:3: column 'omraade': value 'Socialt': unknown area; "
                               "did you mean 'Social'?")
    assert found[2] == f"{folder}/anbefalinger.csv:4: column 'status': value '': required value is empty"
    assert len(found) == 3


def test_a_repeated_status_is_found_even_when_another_row_lacks_its_date(make_register):
    # Row 4 has no status date (one problem); rows 2 and 3 give recommendation 1 the same date (another).
    table = ANBEFALINGER.replace("Fulgt,2019-10-31", "Fulgt,2018-10-31").replace("igangsat,2019-04-30", "igangsat,")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table)
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:3: column 'status_dato': value '2018-10-31': recommendation 1 of 2017/18 has a "
        "status of this date on line 2 already; give each status of a recommendation its own date, or remove one "
        "of the rows",
        f"{folder}/anbefalinger.csv:4: column 'status_dato': value '': required value is empty",
    ]


def test_rows_without_a_period_or_number_are_not_called_repeated_statuses(make_register):
    # Two statuses of one date for a recommendation without a period, and two for one without a number:
    # each empty cell is named once, and no row is called a repeat of another.
    table = ("periode,nr,anbefaling,omraade,status,status_dato\n"
             ",1,Svar inden for fristen,,Ny,2018-10-31\n,1,Svar inden for fristen,,Fulgt,2018-10-31\n"
             "2018/19,,Klar klagevejledning,,Ny,2019-10-31\n2018/19,,Klar klagevejledning,,Fulgt,2019-10-31\n")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table)
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:{line}: column '{column}': value '': required value is empty"
        for line, column in ((2, "periode"), (3, "periode"), (4, "nr"), (5, "nr"))
    ]


def test_a_recommendation_text_with_a_cpr_like_number_is_named_by_line_not_repeated(make_register):
    table = ANBEFALINGER.replace("Klar klagevejledning", "Ring til borgeren 0101901234 om klagevejledning")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table)
    found = problems_of(folder)
    assert found == [f"{folder}/anbefalinger.csv:4: column 'anbefaling': the text holds what looks like a CPR number "
                     "(a date and four digits); the report is public, so remove it (the number is not repeated here)"]


def test_a_column_left_empty_in_every_row_is_not_recorded_but_one_no_is(make_register):
    # klagebistand is in the header of conftest's sager but empty on both rows: it says nothing.
    assert "sager.klagebistand" in load_register(make_register(), today=TODAY).not_recorded
    sager = SAGER.replace("Vejledt,ja,,", "Vejledt,ja,nej,")  # one explicit "nej": the column is kept
    assert "sager.klagebistand" not in load_register(make_register(sager=sager), today=TODAY).not_recorded
