"""register.xlsx as a template: drop-downs from kommune.yml, formats, a guide, and refreshing it keeps the rows."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from conftest import KOMMUNE_PARTS_YML, KOMMUNE_YML
from reportlib import load_kommune
from reportlib.exceptions import InputError
from reportlib.workbook import LISTS_SHEET, refresh_template, write_template


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    write_template(tmp_path, load_kommune(tmp_path))
    return tmp_path


def validations(sheet):
    """Each validated column letter with the rule's type and source."""
    return {str(rule.sqref).split(":")[0].rstrip("0123456789"): (rule.type, rule.formula1)
            for rule in sheet.data_validations.dataValidation}


def listed(book, formula):
    """The labels a list rule offers, read from the hidden sheet it points at."""
    sheet_name, cells = formula.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for (c,) in book[sheet_name][f"{first}:{last}"]]


def test_the_sheets_headers_and_frozen_header_row(folder):
    book = load_workbook(folder / "register.xlsx")
    assert book.sheetnames == ["sager", "problemstillinger", "aktiviteter", "Vejledning", LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    sager = book["sager"]
    assert [c.value for c in sager[1]] == ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald",
                                           "moede_deltaget", "klagebistand", "note"]
    assert sager.freeze_panes == "A2"
    assert sager.column_dimensions["B"].number_format == sager.column_dimensions["C"].number_format == "DD-MM-YYYY"
    assert sager.column_dimensions["D"].width == len("Anden henvendelse") + 3


def test_the_drop_downs_are_kommune_ymls_lists(folder):
    book = load_workbook(folder / "register.xlsx")
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


def test_the_guide_explains_every_column_in_danish(folder):
    guide = load_workbook(folder / "register.xlsx")["Vejledning"]
    rows = [[c.value for c in row] for row in guide.iter_rows(min_row=2)]
    assert [row[:3] for row in rows[:2]] == [["sager", "sag_id", "ja"], ["sager", "modtaget", "ja"]]
    assert len(rows) == 9 + 5 + 4 and all(row[3] for row in rows)
    assert rows[8][3].startswith("Dine egne noter.")  # sager.note


def test_refreshing_the_lists_keeps_every_row_entered(folder):
    book = load_workbook(folder / "register.xlsx")
    book["sager"].append(["S1", dt.datetime(2019, 1, 10), None, "Klage", "Telefon", None, "ja", None, "en note"])
    book["aktiviteter"].append([dt.datetime(2019, 9, 2), "Åben rådgivning", 3])
    book.save(folder / "register.xlsx")
    (folder / "kommune.yml").write_text(KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]",
                                                            "kanaler: [Telefon, Skriftlig, Brev]"), encoding="utf-8")
    path, kept = refresh_template(folder, load_kommune(folder))
    assert kept == 2
    book = load_workbook(path)
    assert [c.value for c in book["sager"][2]] == ["S1", dt.datetime(2019, 1, 10), None, "Klage", "Telefon", None,
                                                   "ja", None, "en note"]
    assert [c.value for c in book["aktiviteter"][2]][:3] == [dt.datetime(2019, 9, 2), "Åben rådgivning", 3]
    assert listed(book, validations(book["sager"])["E"][1]) == ["Telefon", "Skriftlig", "Brev"]


@pytest.mark.parametrize("change,message", [
    (lambda book: book.create_sheet("Mine noter").append(["hemmeligt"]),
     r"\[Mine noter\]: a sheet the template has no place for"),
    (lambda book: book["sager"].cell(row=1, column=10, value="sagsbehandler"),
     r"\[sager\]: column 'sagsbehandler' is not a column of the register, so the new template would lose it"),
])
def test_refreshing_refuses_what_it_cannot_keep_and_writes_nothing(folder, change, message):
    book = load_workbook(folder / "register.xlsx")
    change(book)
    book.save(folder / "register.xlsx")
    before = (folder / "register.xlsx").read_bytes()
    with pytest.raises(InputError, match=message):
        refresh_template(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before


def test_a_template_never_replaces_a_workbook(folder):
    with pytest.raises(InputError, match="exists already and was left untouched"):
        write_template(folder, load_kommune(folder))


def test_a_mapped_register_gets_its_own_headers_and_sheet_names_and_keeps_its_rows(folder):
    (folder / "kommune.yml").write_text(KOMMUNE_YML + "kolonner:\n  sager:\n    sag_id: Sagsnr.\n"
                                        "    modtaget: Dato modtaget\nark:\n  sager: Sager 2024\n", encoding="utf-8")
    (folder / "register.xlsx").unlink()
    write_template(folder, load_kommune(folder))
    book = load_workbook(folder / "register.xlsx")
    assert book.sheetnames[:3] == ["Sager 2024", "problemstillinger", "aktiviteter"]
    assert [c.value for c in book["Sager 2024"][1]][:3] == ["Sagsnr.", "Dato modtaget", "afsluttet"]
    assert [row[:2] for row in book["Vejledning"].iter_rows(min_row=2, max_row=3, values_only=True)] == [
        ("Sager 2024", "Sagsnr."), ("Sager 2024", "Dato modtaget")]
    book["Sager 2024"].append(["S1", dt.datetime(2019, 1, 10), None, "Klage"])
    book.save(folder / "register.xlsx")
    _, kept = refresh_template(folder, load_kommune(folder))
    assert kept == 1 and load_workbook(folder / "register.xlsx")["Sager 2024"]["A2"].value == "S1"


def test_the_optional_parts_have_a_place_where_kommune_yml_configures_them(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_PARTS_YML, encoding="utf-8")
    write_template(tmp_path, load_kommune(tmp_path))
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


def test_refreshing_keeps_an_optional_column_the_workbook_has(folder):
    book = load_workbook(folder / "register.xlsx")  # KOMMUNE_YML configures no optional part
    book["sager"].cell(row=1, column=10, value="metode")
    book["sager"].append(["S1", dt.datetime(2019, 1, 10), None, "Klage", None, None, None, None, "en note", "Dialog"])
    book.save(folder / "register.xlsx")
    path, kept = refresh_template(folder, load_kommune(folder))
    book = load_workbook(path)
    assert kept == 1
    assert [c.value for c in book["sager"][1]][-2:] == ["metode", "note"]
    assert [c.value for c in book["sager"][2]][-2:] == ["Dialog", "en note"]
    assert "I" not in validations(book["sager"])  # no metoder in kommune.yml: no drop-down yet
