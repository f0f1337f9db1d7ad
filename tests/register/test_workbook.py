"""register.xlsx as a template: drop-downs from kommune.yml, formats, a guide; refreshing it loses nothing."""

import zipfile

import pytest
from openpyxl import load_workbook

from conftest import KOMMUNE_PARTS_YML, KOMMUNE_YML, listed, validations
from reportlib import load_kommune
from reportlib.exceptions import InputError
from reportlib.register.workbook import LISTS_SHEET, write_new_workbook


def test_the_sheets_headers_and_frozen_header_row(workbook_folder):
    book = load_workbook(workbook_folder / "register.xlsx")
    assert book.sheetnames == ["sager", "problemstillinger", "aktiviteter", "Vejledning", LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    sager = book["sager"]
    assert [c.value for c in sager[1]] == ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald",
                                           "moede_deltaget", "klagebistand", "note"]
    assert sager.freeze_panes == "A2"
    assert sager.column_dimensions["B"].number_format == sager.column_dimensions["C"].number_format == "DD-MM-YYYY"
    assert sager.column_dimensions["D"].width == len("Anden henvendelse") + 3


def test_the_drop_downs_are_kommune_ymls_lists(workbook_folder):
    book = load_workbook(workbook_folder / "register.xlsx")
    sager, problems, activities = (validations(book[name]) for name in ("sager", "problemstillinger", "aktiviteter"))
    assert listed(book, sager["D"][1]) == ["Anden henvendelse", "Klage"]
    assert listed(book, sager["E"][1]) == ["Telefon", "Skriftlig"]
    assert listed(book, sager["F"][1]) == ["Vejledt", "Afvist"]
    assert listed(book, sager["G"][1]) == listed(book, sager["H"][1]) == ["ja", "nej"]
    assert sager["B"] == ("date", "DATE(1990,1,1)")
    assert listed(book, problems["B"][1]) == ["Social", "Teknik"]
    assert listed(book, problems["C"][1]) == ["Jobcenter", "Ydelser", "Vej/park"]
    assert listed(book, problems["D"][1]) == ["Partshøring", "Sagsbehandlingstid", "Andet"]
    assert listed(book, activities["B"][1]) == ["Eksternt oplæg", "Åben rådgivning"]
    assert activities["C"] == ("whole", "0")
    assert "A" not in sager  # a case number is free text


def test_the_guide_explains_every_column_in_danish(workbook_folder):
    guide = load_workbook(workbook_folder / "register.xlsx")["Vejledning"]
    rows = [[c.value for c in row] for row in guide.iter_rows(min_row=2)]
    assert [row[:3] for row in rows[:2]] == [["sager", "sag_id", "ja"], ["sager", "modtaget", "ja"]]
    assert len(rows) == 9 + 5 + 4 and all(row[3] for row in rows)
    assert rows[8][3].startswith("Dine egne noter.")  # sager.note


def test_a_label_that_looks_like_a_formula_is_written_as_text(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]",
                                                              "kanaler: [Telefon, '=HYPERLINK(\"http://x\")']"),
                                          encoding="utf-8")
    write_new_workbook(tmp_path, load_kommune(tmp_path))
    lists = load_workbook(tmp_path / "register.xlsx")[LISTS_SHEET]
    cell = next(c for (c,) in lists.iter_rows(min_col=2, max_col=2) if c.value and c.value.startswith("="))
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
    assert "<f>" not in zipfile.ZipFile(tmp_path / "register.xlsx").read("xl/worksheets/sheet4.xml").decode()


def test_a_template_never_replaces_a_workbook(workbook_folder):
    with pytest.raises(InputError, match="exists already and was left untouched"):
        write_new_workbook(workbook_folder, load_kommune(workbook_folder))


def test_the_optional_parts_have_a_place_where_kommune_yml_configures_them(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_PARTS_YML, encoding="utf-8")
    write_new_workbook(tmp_path, load_kommune(tmp_path))
    book = load_workbook(tmp_path / "register.xlsx")
    assert book.sheetnames == ["sager", "problemstillinger", "aktiviteter", "anbefalinger", "Vejledning", LISTS_SHEET]
    assert [c.value for c in book["sager"][1]][-3:] == ["metode", "resultat", "note"]
    assert [c.value for c in book["aktiviteter"][1]] == ["dato", "aktivitet", "antal_borgere", "omraade", "beskrivelse"]
    assert [c.value for c in book["anbefalinger"][1]] == ["periode", "nr", "anbefaling", "omraade", "status",
                                                          "status_dato"]
    sager, recommendations = validations(book["sager"]), validations(book["anbefalinger"])
    assert listed(book, sager["I"][1]) == ["Vejledning", "Dialog", "Undersøgelse"]
    assert listed(book, sager["J"][1]) == ["Kritik", "Delvis kritik", "Ingen kritik", "Ikke undersøgt"]
    assert listed(book, recommendations["E"][1]) == ["Ny", "Igangsat", "Fulgt"]
    assert recommendations["F"] == ("date", "DATE(1990,1,1)") and "A" not in recommendations  # the period is text
    guide = [[c.value for c in row] for row in book["Vejledning"].iter_rows(min_row=2)]
    assert len(guide) == 11 + 5 + 5 + 6 and all(row[3] for row in guide)
