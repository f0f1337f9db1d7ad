"""A workbook's sheets read as the CSV files are: date cells, sheet names, damaged and far-reaching workbooks."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from conftest import TODAY, problems_of, write_workbook
from reportlib import load_register

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


def test_a_sheet_below_a_title_with_a_totals_row_reads_as_the_csv_file_does(make_register):
    folder = make_register(sager=None, problemstillinger=None, aktiviteter=None)
    sager = [["Sagsoversigt 2019"], [], *XLSX_TABLES["sager"], [None, None, None, None, None], ["2 sager"]]
    write_workbook(folder / "register.xlsx", {**XLSX_TABLES, "sager": sager})
    register = load_register(folder, today=TODAY)
    assert list(register.sager["sag_id"]) == ["S1", "7"]
    assert register.left_out == {f"{folder}/register.xlsx[sager]": [(1, "Sagsoversigt 2019"), (7, "2 sager")]}


def test_workbook_problems_name_the_sheet_and_row(make_register):
    folder = make_register(sager=None, problemstillinger=None, aktiviteter=None)
    tables = {**XLSX_TABLES,
              "aktiviteter": [["dato", "aktivitet", "antal_borgere"], ["2019-09-02", "Åben rådgivning", 2.5]]}
    write_workbook(folder / "register.xlsx", tables)
    assert problems_of(folder) == [
        f"{folder}/register.xlsx[aktiviteter]:2 (C): column 'antal_borgere': value '2.5': "
        "not a whole number; write a count such as 0, 2 or 15"
    ]


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


def test_table_both_in_csv_andwrite_workbook(make_register):
    folder = make_register()
    write_workbook(folder / "register.xlsx", XLSX_TABLES)
    found = problems_of(folder)
    assert len(found) == 3
    assert found[-1] == (f"{folder}/sager.csv: table 'sager' is both in this file and in a sheet of "
                         f"{folder}/register.xlsx; keep one of them")
