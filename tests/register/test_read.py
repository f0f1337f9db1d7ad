"""Reading tables: dialects, encodings, spreadsheet line numbers, xlsx, and what is dropped at the door."""

import codecs
import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import AKTIVITETER, KOMMUNE_YML, PROBLEMSTILLINGER, SAGER, TODAY, problems_of, write_workbook
from reportlib import load_register
from reportlib.register import csvfile, records
from reportlib.register.read import read_tables
from reportlib.register.schema import SCHEMA

CONTRACT = {name: [column.name for column in table.read] for name, table in SCHEMA.items()}

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
    folder = make_register(sager=SAGER + ",,,,,,,,Ringede igen\n")
    assert problems_of(folder) == [f"{folder}/sager.csv:4: column '{column}': value '': required value is empty"
                                   for column in ("sag_id", "modtaget", "henvendelsestype")]


def test_empty_cells_beyond_the_header_are_ignored(make_register):
    register = load_register(make_register(sager=SAGER.replace(",,,,\n", ",,,,,,,\n")), today=TODAY)
    assert list(register.sager["sag_id"]) == ["S1", "S2"]


def test_a_column_named_twice(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("primaer\n", "primaer, Emne\n"))
    # Named as the header writes its second appearance (matched ignoring case and spaces).
    assert problems_of(folder) == [f"{folder}/problemstillinger.csv:1: column 'Emne': column appears twice in the "
                                   "header; keep one"]


def test_values_that_look_like_numbers_or_booleans_stay_as_written(make_register):
    aktiviteter = "dato,aktivitet,antal_borgere\n2019-09-02,TRUE,02\n2019-09-09,true,2\n2019-09-16,True,2.0\n"
    tables, _ = read_tables(make_register(aktiviteter=aktiviteter), CONTRACT)
    frame = tables["aktiviteter"].frame
    assert list(frame["antal_borgere"]) == ["02", "2", "2.0"]
    assert list(frame["aktivitet"]) == ["TRUE", "true", "True"]


def test_the_header_as_written_is_kept_for_messages(make_register):
    tables, _ = read_tables(make_register(sager=SAGER.replace("sag_id,modtaget", " Sag_ID ,MODTAGET")), CONTRACT)
    sager = tables["sager"]
    assert sager.header[:2] == (" Sag_ID ", "MODTAGET")
    assert (sager.position["sag_id"], sager.position["modtaget"], sager.position["klagebistand"]) == (0, 1, 7)


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


def test_header_is_matched_ignoring_case_and_spaces_and_extra_columns_are_ignored(make_register):
    sager = SAGER.replace("sag_id,modtaget", " SAG_ID ,Modtaget ").replace("note\n", "note,sagsbehandler\n")
    register = load_register(make_register(sager=sager), today=TODAY)
    assert list(register.sager["sag_id"]) == ["S1", "S2"]
    assert "sagsbehandler" not in register.sager.columns


def test_free_text_is_never_read_even_when_asked_for(make_register):
    columns = {"sager": ["sag_id", "note"], "aktiviteter": ["dato", "beskrivelse"]}
    tables, problems = read_tables(make_register(), columns)
    assert problems == []
    assert list(tables["sager"].frame.columns) == ["sag_id"]
    assert list(tables["aktiviteter"].frame.columns) == ["dato"]


def test_row_with_too_many_cells(make_register):
    folder = make_register(aktiviteter=AKTIVITETER + "2019-09-09,Åben rådgivning,2,Biblioteket,ekstra\n")
    assert problems_of(folder) == [
        f"{folder}/aktiviteter.csv:3: row has 5 cells but the header has 4; quote values that contain the separator"
    ]


def test_missing_file(make_register):
    folder = make_register(problemstillinger=None)
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv: file not found; the register needs problemstillinger.csv or a sheet "
        "'problemstillinger' in register.xlsx, with at least the columns sag_id, omraade, center, emne; a sheet of "
        "another name is given under ark in kommune.yml (ark: {problemstillinger: Mit ark}), and two tables may "
        "share one sheet"
    ]


def test_a_register_may_keep_no_activities_but_a_sheet_kommune_yml_names_must_be_there(make_register):
    assert "aktiviteter" in load_register(make_register(aktiviteter=None), today=TODAY).not_recorded
    folder = make_register(aktiviteter=None, kommune=KOMMUNE_YML + "ark:\n  aktiviteter: Aktiviteter 2022\n")
    [problem] = problems_of(folder)
    assert problem.startswith(f"{folder}/aktiviteter.csv: file not found; the register needs aktiviteter.csv or a "
                              "sheet 'Aktiviteter 2022' in register.xlsx, with at least the columns dato, aktivitet")


def test_a_missing_table_after_an_unreadable_kommune_yml_says_which_to_fix_first(make_register):
    folder = make_register(problemstillinger=None, kommune="kommune: [Testby\nfunktion: x\n")  # never closed
    found = problems_of(folder)
    assert any(problem.startswith(f"{folder}/kommune.yml:2: not valid YAML") for problem in found)
    assert found[-1].endswith("in register.xlsx, with at least the columns sag_id, omraade, center, emne; kommune.yml "
                             "could not be read, so its ark and kolonner were not applied: fix it first")


def test_completely_empty_file(make_register):
    folder = make_register(aktiviteter="")
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:1: the table is empty: the first line must be the header"]


XLSX_TABLES = {
    "sager": [
        ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "moede_deltaget"],
        ["S1", dt.datetime(2019, 1, 10), "20-01-2019", "Klage", True],
        [7, dt.date(2019, 2, 1), None, "Anden henvendelse", None],
    ],
    "problemstillinger": [
        ["sag_id", "omraade", "center", "emne"],
        ["S1", "Social", "Jobcenter", "Partshøring"],
        [7, "Teknik", "Vej/park", "Andet"],
    ],
    "aktiviteter": [["dato", "aktivitet", "antal_borgere"], [dt.datetime(2019, 9, 2), "Åben rådgivning", 3.0]],
}


def test_workbook_with_date_cells(make_register):
    folder = make_register(sager=None, problemstillinger=None, aktiviteter=None)
    write_workbook(folder / "register.xlsx", XLSX_TABLES)
    register = load_register(folder, today=TODAY)
    assert list(register.sager["sag_id"]) == ["S1", "7"]
    assert list(register.sager["modtaget"].dt.strftime("%d.%m.%Y")) == ["10.01.2019", "01.02.2019"]
    assert list(register.sager["moede_deltaget"]) == [True, False]
    assert register.aktiviteter["antal_borgere"].tolist() == [3]


def test_workbook_problems_name_the_sheet_and_row(make_register):
    folder = make_register(sager=None, problemstillinger=None, aktiviteter=None)
    tables = {**XLSX_TABLES,
              "aktiviteter": [["dato", "aktivitet", "antal_borgere"], ["2019-09-02", "Åben rådgivning", 2.5]]}
    write_workbook(folder / "register.xlsx", tables)
    assert problems_of(folder) == [
        f"{folder}/register.xlsx[aktiviteter]:2 (C): column 'antal_borgere': value '2.5': "
        "not a whole number; write a count such as 0, 2 or 15"
    ]


def test_table_both_in_csv_andwrite_workbook(make_register):
    folder = make_register()
    write_workbook(folder / "register.xlsx", XLSX_TABLES)
    found = problems_of(folder)
    assert len(found) == 3
    assert found[-1] == (f"{folder}/sager.csv: table 'sager' is both in this file and in a sheet of "
                         f"{folder}/register.xlsx; keep one of them")


def test_brokenwrite_workbook(make_register):
    folder = make_register(sager=None)
    (folder / "register.xlsx").write_bytes(b"not a zip file")
    found = problems_of(folder)
    assert found[0].startswith(f"{folder}/register.xlsx: cannot be read as an Excel workbook")


def test_sheets_whose_names_differ_only_in_case_and_spaces_are_a_problem(make_register):
    folder = make_register(sager=None, problemstillinger=None, aktiviteter=None)
    write_workbook(folder / "register.xlsx", {**XLSX_TABLES, "SAGER ": XLSX_TABLES["sager"]})
    assert problems_of(folder) == [
        f"{folder}/register.xlsx[SAGER ]: sheet name is the same as 'sager' when case and spaces are ignored; "
        "rename or remove one of them"]


def test_a_workbook_with_a_malformed_part_names_the_file(make_register):
    import zipfile

    folder = make_register(sager=None, problemstillinger=None, aktiviteter=None)
    write_workbook(folder / "good.xlsx", XLSX_TABLES)
    with zipfile.ZipFile(folder / "good.xlsx") as good, zipfile.ZipFile(folder / "register.xlsx", "w") as broken:
        for item in good.infolist():
            content = good.read(item)
            broken.writestr(item, content[: len(content) // 2] if item.filename.endswith("sheet1.xml") else content)
    (folder / "good.xlsx").unlink()
    unreadable = [p for p in problems_of(folder) if p.startswith(f"{folder}/register.xlsx: ")]
    assert len(unreadable) == 1 and unreadable[0].startswith(
        f"{folder}/register.xlsx: cannot be read as an Excel workbook (")
    assert unreadable[0].endswith("); open it in Excel and save it again as .xlsx")


@pytest.mark.slow
def test_a_far_cell_is_a_problem_found_in_bounded_memory(make_register):
    import tracemalloc

    folder = make_register(sager=None, problemstillinger=None, aktiviteter=None)
    write_workbook(folder / "register.xlsx", XLSX_TABLES)
    book = load_workbook(folder / "register.xlsx")
    book["sager"]["XFD1048576"] = "x"  # one stray value claims the whole sheet: 17 billion cells
    book.save(folder / "register.xlsx")
    tracemalloc.start()
    try:
        found = problems_of(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [f"{folder}/register.xlsx[sager]: cell XFD1048576 holds a value, beyond the 1,000,000 rows and "
                     "1,000 columns a register sheet may use; delete it (Ctrl+End in Excel goes to the last used "
                     "cell) and save the workbook again"]
    assert peak < 100 * 1024 * 1024  # allocating the claimed range would take gigabytes


def test_a_sheet_named_almost_as_kommune_yml_says_is_suggested(make_register):
    folder = make_register(problemstillinger=None, kommune=KOMMUNE_YML + "ark:\n  problemstillinger: Problemer 2022\n")
    write_workbook(folder / "register.xlsx", {"Problemer2022": [["sag_id", "omraade", "center", "emne"]]})
    [problem] = problems_of(folder)
    assert problem.startswith(f"{folder}/problemstillinger.csv: file not found; the register needs "
                              "problemstillinger.csv or a sheet 'Problemer 2022' in register.xlsx")
    assert problem.endswith("; did you mean the sheet 'Problemer2022'?")
