"""Validation: one test per defect class, each asserting the exact file, line, column and value."""

import datetime as dt
import os

import pandas as pd
import pytest

from conftest import (
    AKTIVITETER,
    KOMMUNE_PARTS_YML,
    KOMMUNE_YML,
    PARTS_AKTIVITETER,
    PARTS_ANBEFALINGER,
    PARTS_SAGER,
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


def test_first_row_is_primary_when_none_is_marked(make_register):
    rows = PROBLEMSTILLINGER.replace("Andet,ja", "Andet,nej")
    register = load_register(make_register(problemstillinger=rows), today=TODAY)
    assert register.problemstillinger["primaer"].tolist() == [True, False, True]


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


# -- The optional parts (docs/register.md): methods, results, own initiative, recommendations --------

def test_the_optional_parts_are_read_and_recorded(make_register):
    folder = make_register(kommune=KOMMUNE_PARTS_YML, sager=PARTS_SAGER, aktiviteter=PARTS_AKTIVITETER,
                           anbefalinger=PARTS_ANBEFALINGER)
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
    register = load_register(make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=PARTS_ANBEFALINGER), today=TODAY)
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


def test_a_method_column_without_metoder_in_kommune_yml(make_register):
    folder = make_register(sager=PARTS_SAGER)  # KOMMUNE_YML lists no metoder and no resultater
    assert problems_of(folder)[0] == (
        f"{folder}/sager.csv:2: column 'metode': value 'undersøgelse': unknown method; "
        "allowed: (none configured); add 'undersøgelse' to metoder in kommune.yml")


def test_a_recommendation_needs_its_columns_and_known_labels(make_register):
    table = PARTS_ANBEFALINGER.replace(",Social,Fulgt,", ",Socialt,Fulgt,").replace("igangsat,2019-04-30",
                                                                                     ",2019-04-30")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table.replace(",nr,", ",nummer,"))
    found = problems_of(folder)
    assert found[0] == (f"{folder}/anbefalinger.csv:1: column 'nr': required column is missing; the header has: "
                        "periode, nummer, anbefaling, omraade, status, status_dato")
    assert found[1].startswith(f"{folder}/anbefalinger.csv:3: column 'omraade': value 'Socialt': unknown area; "
                               "did you mean 'Social'?")
    assert found[2] == f"{folder}/anbefalinger.csv:4: column 'status': value '': required value is empty"
    assert len(found) == 3


def test_a_column_left_empty_in_every_row_is_not_recorded_but_one_no_is(make_register):
    # klagebistand is in the header of conftest's sager but empty on both rows: it says nothing.
    assert "sager.klagebistand" in load_register(make_register(), today=TODAY).not_recorded
    spaces = SAGER.replace("Vejledt,ja,,", "Vejledt,ja,  ,")  # a cell of spaces says nothing either
    assert "sager.klagebistand" in load_register(make_register(sager=spaces), today=TODAY).not_recorded
    sager = SAGER.replace("Vejledt,ja,,", "Vejledt,ja,nej,")  # one explicit "nej": the column is kept
    assert "sager.klagebistand" not in load_register(make_register(sager=sager), today=TODAY).not_recorded


def test_a_logo_the_run_could_not_read_is_a_problem_of_kommune_yml(make_register):
    folder = make_register(kommune=KOMMUNE_YML + "logo: logo.png\n")
    assert problems_of(folder) == [f"{folder / 'kommune.yml'}: key 'logo': value 'logo.png': no such file in the "
                                   "register folder; put the logo there, or remove 'logo'"]
    if not os.path.exists("/dev/zero"):
        pytest.skip("the platform has no /dev/zero")
    (folder / "logo.png").symlink_to("/dev/zero")  # read whole, it would never end
    assert problems_of(folder) == [f"{folder / 'kommune.yml'}: key 'logo': value 'logo.png': {folder / 'logo.png'}: "
                                   "a device, not a regular file; an image is read from a file saved on disk, so "
                                   "give one"]
