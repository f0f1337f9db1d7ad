"""A CSV file read as written: its encoding, separator, line numbers, quotes, and rows read a block at a time."""

import codecs
import datetime as dt

import pandas as pd
import pytest

from conftest import AKTIVITETER, PROBLEMSTILLINGER, SAGER, TODAY, problems_of
from reportlib import load_register
from reportlib.register import csvfile, records
from reportlib.register.read import read_tables
from reportlib.register.validate import table_request

CONTRACT = table_request(None)["columns"]
DANISH_SAGER = (
    "Sag_ID ; Modtaget;afsluttet;henvendelsestype;kanal;udfald;moede_deltaget;klagebistand\n"
    "S1;10-01-2019;20.01.2019;klage;telefon;vejledt;JA;nej\n"
    "S2;01/02/2019;;Anden henvendelse;;;;\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_semicolon_csv_in_each_encoding(make_register, encoding):
    register = load_register(make_register(sager=DANISH_SAGER, encoding=encoding), today=TODAY)
    sager = register.sager
    assert list(sager["modtaget"].dt.strftime("%Y-%m-%d")) == ["2019-01-10", "2019-02-01"]
    assert sager["afsluttet"].iloc[0] == dt.datetime(2019, 1, 20)
    # Labels show as written in kommune.yml, whatever case the register used.
    assert list(sager["henvendelsestype"]) == ["Klage", "Anden henvendelse"]
    assert list(sager["moede_deltaget"]) == [True, False]


def test_a_byte_that_is_not_utf8_after_a_byte_order_mark(make_register):
    folder = make_register()
    (folder / "sager.csv").write_bytes(codecs.BOM_UTF8 + SAGER.encode() + b"S3,2019-03-01,,Klage,,,,,\xff\n")
    assert problems_of(folder) == [
        f"{folder}/sager.csv: unreadable encoding: byte 0xff on line 4 is neither UTF-8 nor Windows-1252; "
        "save it as 'CSV UTF-8' or 'CSV (semikolonsepareret)'"
    ]


def test_unreadable_encoding(make_register):
    folder = make_register()
    (folder / "sager.csv").write_bytes(SAGER.encode() + b"S3,2019-03-01,,Klage,,,,,\x81\n")
    assert problems_of(folder) == [
        f"{folder}/sager.csv: unreadable encoding: byte 0x81 on line 4 is neither UTF-8 nor Windows-1252; "
        "save it as 'CSV UTF-8' or 'CSV (semikolonsepareret)'"
    ]


def test_utf16_is_refused(make_register):
    assert problems_of(make_register(sager=SAGER, encoding="utf-16"))[0].endswith(
        "unreadable encoding: looks like UTF-16 or a binary file; save it as 'CSV UTF-8' or 'CSV (semikolonsepareret)'")


def test_line_numbers_count_spreadsheet_rows_not_text_lines(make_register):
    sager = SAGER.replace("Jytte Testesen", '"two\nline note"') + "\n" + "S3,2019-13-01,,Klage,,,,,\n"
    problem_rows = PROBLEMSTILLINGER + "S3,Social,Ydelser,Andet,\n"
    # Header = 1, S1 (its note spans two text lines) = 2, S2 = 3, blank row = 4, S3 = 5.
    assert problems_of(make_register(sager=sager, problemstillinger=problem_rows)) == [
        f"{make_register()}/sager.csv:5: column 'modtaget': value '2019-13-01': "
        "no such date in the calendar; check day and month (day comes first)"
    ]


def test_windows_and_old_mac_line_breaks_count_as_one_row_each(make_register):
    lines = ["sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand,note",
             'S1,2019-01-10,2019-01-20,Klage,Telefon,Vejledt,ja,,"first line\r\nsecond line"',
             "S2,2019-02-01,,Anden henvendelse,,,,,", "S3,2019-02-30,,Klage,,,,,"]
    sager = "\r\n".join(lines[:3]) + "\r" + lines[3] + "\r"
    rows = PROBLEMSTILLINGER + "S3,Social,Ydelser,Andet,\n"
    folder = make_register(sager=sager, problemstillinger=rows)
    assert problems_of(folder) == [f"{folder}/sager.csv:4: column 'modtaget': value '2019-02-30': "
                                   "no such date in the calendar; check day and month (day comes first)"]


def test_a_quote_that_is_never_closed_is_named_with_its_line(make_register):
    folder = make_register(aktiviteter=AKTIVITETER + '2019-09-09,Åben rådgivning,2,"Biblioteket\n')
    assert problems_of(folder) == [f'{folder}/aktiviteter.csv:3: a quoted value starts on this line and is never '
                                   'closed; add the closing quote (") or remove the opening one']


def test_a_row_with_only_a_note_is_not_empty(make_register):
    sager = SAGER.replace("S2,", ",,,,,,,,Ringede igen\nS2,")
    folder = make_register(sager=sager)
    assert problems_of(folder) == [f"{folder}/sager.csv:3: column '{column}': value '': required value is empty"
                                   for column in ("sag_id", "modtaget", "henvendelsestype")]


def test_title_rows_above_the_header_and_a_foot_are_left_out_and_named(make_register):
    sager = "Borgerrådgivningen – sagsoversigt,,,\n\n" + SAGER + "2 sager,,,\n,,,,,,,,Udtrukket af NN\n"
    register = load_register(make_register(sager=sager), today=TODAY)
    assert register.sager["sag_id"].tolist() == ["S1", "S2"]
    assert register.sager.index.tolist() == [0, 1]
    [(source, rows)] = register.left_out.items()
    assert source.endswith("sager.csv") and rows == [
        (1, "Borgerrådgivningen – sagsoversigt"), (6, "2 sager"), (7, "Udtrukket af NN")]


def test_a_semicolon_file_below_a_title_without_separators_is_read_by_semicolon(make_register):
    sager = "Sagsoversigt\n" + SAGER.replace(",", ";")
    assert load_register(make_register(sager=sager), today=TODAY).sager["sag_id"].tolist() == ["S1", "S2"]


def test_a_problem_below_a_title_row_names_the_line_the_sheet_shows(make_register):
    folder = make_register(sager="Sager 2019\n" + SAGER.replace("2019-02-01", "2019-02-30"))
    assert problems_of(folder) == [f"{folder}/sager.csv:4: column 'modtaget': value '2019-02-30': "
                                   "no such date in the calendar; check day and month (day comes first)"]


def test_values_that_look_like_numbers_or_booleans_stay_as_written(make_register):
    aktiviteter = "dato,aktivitet,antal_borgere\n2019-09-02,TRUE,02\n2019-09-09,true,2\n2019-09-16,True,2.0\n"
    tables, _ = read_tables(make_register(aktiviteter=aktiviteter), CONTRACT)
    frame = tables["aktiviteter"].frame
    assert list(frame["antal_borgere"]) == ["02", "2", "2.0"]
    assert list(frame["aktivitet"]) == ["TRUE", "true", "True"]


def test_reading_in_blocks_gives_the_same_table(make_register, monkeypatch):
    """Blocks of a record each: rows narrower than the header, empty rows, wide rows and quoted breaks across blocks."""
    sager = (SAGER + "\n" + 'S3,2019-03-01,,Klage,,,,,"a\nb"\n' + "S4,2019-03-02,,Klage\n"
             + "S5,2019-03-03,,Klage,,,,,,x\n")
    folder = make_register(sager=sager)
    whole, whole_problems = read_tables(folder, CONTRACT, {"sag_id"})
    monkeypatch.setattr(csvfile, "CHUNK", 1)
    monkeypatch.setattr(records, "CHUNK", 1)
    blocks, block_problems = read_tables(folder, CONTRACT, {"sag_id"})
    assert [str(p) for p in block_problems] == [str(p) for p in whole_problems] == [
        f"{folder}/sager.csv:7: row has 10 cells but the header has 9; quote values that contain the separator"]
    for name, table in whole.items():
        pd.testing.assert_frame_equal(blocks[name].frame.astype(object), table.frame.astype(object))
    assert list(whole["sager"].frame.index) == [2, 3, 5, 6]
    assert list(whole["sager"].frame["klagebistand"]) == ["", "", "", ""]


def test_row_with_too_many_cells(make_register):
    folder = make_register(aktiviteter=AKTIVITETER + "2019-09-09,Åben rådgivning,2,Biblioteket,ekstra\n")
    assert problems_of(folder) == [
        f"{folder}/aktiviteter.csv:3: row has 5 cells but the header has 4; quote values that contain the separator"
    ]
