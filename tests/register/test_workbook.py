"""register.xlsx as a template: drop-downs from kommune.yml, formats, a guide; refreshing it loses nothing."""

import datetime as dt
import os
import re
import stat
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment

from conftest import KOMMUNE_PARTS_YML, KOMMUNE_YML
from reportlib import load_kommune, load_register
from reportlib.cli import main
from reportlib.exceptions import InputError, RunFailed, WorkbookRefused
from reportlib.register.workbook import LISTS_SHEET, refresh_workbook, write_new_workbook

DEAD_PID = 2**22 + 1  # above Linux's pid_max: no such process


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    write_new_workbook(tmp_path, load_kommune(tmp_path))
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


def enter(folder, change):
    """Open register.xlsx, let ``change`` edit it, save it; return its bytes."""
    book = load_workbook(folder / "register.xlsx")
    change(book)
    book.save(folder / "register.xlsx")
    return (folder / "register.xlsx").read_bytes()


def three_cases(book):
    sager = book["sager"]
    sager.append(["S1", dt.datetime(2019, 1, 10), dt.datetime(2019, 1, 20), "Klage", "Telefon", "Vejledt", "ja"])
    sager.append(["S2", dt.datetime(2019, 2, 1), None, "Anden henvendelse"])
    sager.append(["S3", dt.datetime(2019, 3, 5), None, "Klage", "Skriftlig"])
    for row in (["S1", "Social", "Jobcenter", "Partshøring", "ja"], ["S2", "Teknik", "Vej/park", "Andet"],
                ["S3", "Social", "Ydelser", "Andet"]):
        book["problemstillinger"].append(row)
    book["aktiviteter"].append([dt.datetime(2019, 9, 2), "Åben rådgivning", 3])


def with_cached_values(path, values):
    """Store, as Excel does when it saves, the value it computed for each formula cell (openpyxl writes none)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode("utf-8")
    for cell, value in values.items():
        xml, count = re.subn(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\1\2<v>{value}</v>", xml)
        assert count == 1, cell
    parts[sheet] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def leftovers(folder):
    """Files in the folder other than the register's own and the backups template keeps."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name not in ("kommune.yml", "register.xlsx") and not p.name.startswith("register-kopi-"))


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


def test_a_label_that_looks_like_a_formula_is_written_as_text(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]",
                                                              "kanaler: [Telefon, '=HYPERLINK(\"http://x\")']"),
                                          encoding="utf-8")
    write_new_workbook(tmp_path, load_kommune(tmp_path))
    lists = load_workbook(tmp_path / "register.xlsx")[LISTS_SHEET]
    cell = next(c for (c,) in lists.iter_rows(min_col=2, max_col=2) if c.value and c.value.startswith("="))
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
    assert "<f>" not in zipfile.ZipFile(tmp_path / "register.xlsx").read("xl/worksheets/sheet4.xml").decode()


def test_refreshing_the_lists_keeps_every_row_entered_and_a_dated_copy(folder):
    before = enter(folder, three_cases)
    (folder / "kommune.yml").write_text(KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]",
                                                            "kanaler: [Telefon, Skriftlig, Brev]"), encoding="utf-8")
    done = refresh_workbook(folder, load_kommune(folder), now=dt.datetime(2026, 12, 1, 9, 30, 5))
    assert done.rows == 3 + 3 + 1
    assert done.backup == folder / "register-kopi-20261201-093005.xlsx" and done.backup.read_bytes() == before
    book = load_workbook(done.path)
    assert [c.value for c in book["sager"][2]][:7] == ["S1", dt.datetime(2019, 1, 10), dt.datetime(2019, 1, 20),
                                                       "Klage", "Telefon", "Vejledt", "ja"]
    assert [c.value for c in book["aktiviteter"][2]][:3] == [dt.datetime(2019, 9, 2), "Åben rådgivning", 3]
    assert listed(book, validations(book["sager"])["E"][1]) == ["Telefon", "Skriftlig", "Brev"]
    assert len(load_register(folder).sager) == 3
    assert leftovers(folder) == []


def test_refreshing_keeps_the_users_own_sheets_columns_comments_and_empty_rows(folder):
    def change(book):
        three_cases(book)
        sager = book["sager"]
        sager.insert_rows(3)  # an empty row between S1 and S2
        sager["A2"].comment = Comment("ring tilbage fredag", "BR")
        sager["J1"], sager["J2"] = "sagsbehandler", "Hanne"
        sager["K1"], sager["K2"] = "sag_id", "dubleret"  # a second column of the same header
        sager["I4"] = "=> ring tilbage"  # a note, though it starts with "="
        sager["I4"].data_type = "s"
        own = book.create_sheet("Mine noter", 1)
        own["A1"], own["B1"] = "Husk", "=sager!B4+5"

    before = enter(folder, change)
    refresh_workbook(folder, load_kommune(folder))
    book = load_workbook(folder / "register.xlsx")
    sager = book["sager"]
    assert book.sheetnames == ["sager", "Mine noter", "problemstillinger", "aktiviteter", "Vejledning", LISTS_SHEET]
    assert [sager.cell(row=row, column=1).value for row in range(1, 6)] == ["sag_id", "S1", None, "S2", "S3"]
    assert sager["A2"].comment.text == "ring tilbage fredag"
    assert [sager["J1"].value, sager["J2"].value, sager["K1"].value, sager["K2"].value] == [
        "sagsbehandler", "Hanne", "sag_id", "dubleret"]
    assert (sager["I4"].value, sager["I4"].data_type) == ("=> ring tilbage", "s")
    assert (book["Mine noter"]["A1"].value, book["Mine noter"]["B1"].value) == ("Husk", "=sager!B4+5")
    assert load_workbook(folder / next(p.name for p in folder.glob("register-kopi-*"))).sheetnames == \
        load_workbook(__import__("io").BytesIO(before)).sheetnames


def test_refreshing_adds_a_configured_column_after_the_sheets_own(folder):
    enter(folder, lambda book: (three_cases(book), book["sager"].cell(row=1, column=10, value="sagsbehandler")))
    (folder / "kommune.yml").write_text(KOMMUNE_PARTS_YML, encoding="utf-8")
    refresh_workbook(folder, load_kommune(folder))
    sager = load_workbook(folder / "register.xlsx")["sager"]
    assert [c.value for c in sager[1]][8:] == ["note", "sagsbehandler", "metode", "resultat"]
    assert sager["K2"].value is None and validations(sager)["K"][0] == "list"


def test_refreshing_keeps_an_optional_column_the_workbook_has_where_it_is(folder):
    enter(folder, lambda book: (book["sager"].cell(row=1, column=10, value="metode"),
                                book["sager"].append(["S1", dt.datetime(2019, 1, 10), None, "Klage", None, None,
                                                      None, None, "en note", "Dialog"])))
    done = refresh_workbook(folder, load_kommune(folder))
    sager = load_workbook(done.path)["sager"]
    assert done.rows == 1
    assert [c.value for c in sager[1]][-2:] == ["note", "metode"]
    assert [c.value for c in sager[2]][-2:] == ["en note", "Dialog"]
    assert "J" not in validations(sager)  # no metoder in kommune.yml: no drop-down yet


def test_a_users_own_drop_down_on_another_column_stays(folder):
    from openpyxl.worksheet.datavalidation import DataValidation

    def change(book):
        rule = DataValidation(type="list", formula1='"A,B"')
        book["sager"].add_data_validation(rule)
        rule.add("J2:J100")

    enter(folder, change)
    refresh_workbook(folder, load_kommune(folder))
    rules = validations(load_workbook(folder / "register.xlsx")["sager"])
    assert rules["J"] == ("list", '"A,B"') and rules["D"][0] == "list"


def test_two_sheets_that_read_as_one_table_are_refused_and_nothing_changes(folder):
    def change(book):
        three_cases(book)
        other = book.create_sheet("Sager ")
        other.append(["sag_id", "modtaget"])
        other.append(["T1", dt.datetime(2019, 5, 1)])

    before = enter(folder, change)
    with pytest.raises(WorkbookRefused, match=r"\[Sager \]: sheet name is the same as 'sager'"):
        refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before and leftovers(folder) == []


def test_formula_cells_in_a_table_sheet_are_refused_by_name_and_their_values_stay_readable(folder):
    def change(book):
        three_cases(book)
        for row in (2, 3, 4):
            book["sager"][f"C{row}"] = f"=B{row}+10"
            book["sager"][f"C{row}"].number_format = "DD-MM-YYYY"  # as Excel formats a date plus days

    enter(folder, change)
    # Excel saves the value it computed beside each formula; 43485 is 2019-01-20 as an Excel date.
    with_cached_values(folder / "register.xlsx", {"C2": 43485, "C3": 43507, "C4": 43539})
    before = (folder / "register.xlsx").read_bytes()
    assert load_register(folder).sager["afsluttet"].notna().sum() == 3
    with pytest.raises(WorkbookRefused, match=r"3 cells hold formulas \(sager!C2, sager!C3, sager!C4\).*Values"):
        refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before and leftovers(folder) == []
    assert load_register(folder).sager["afsluttet"].notna().sum() == 3  # no case reopened


def test_text_of_ones_own_in_the_templates_guide_sheet_is_refused(folder):
    before = enter(folder, lambda book: book["Vejledning"].cell(row=3, column=6, value="min egen huskeliste"))
    with pytest.raises(WorkbookRefused, match=r"Vejledning!F3 holds text of your own"):
        refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before


@pytest.mark.parametrize("lock,program", [("~$register.xlsx", "Excel"), (".~lock.register.xlsx#", "LibreOffice")])
def test_a_workbook_open_in_a_spreadsheet_program_is_refused(folder, lock, program):
    before = enter(folder, three_cases)
    (folder / lock).write_text("owner", encoding="utf-8")
    with pytest.raises(WorkbookRefused, match=f"open in {program}; close it there"):
        refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before


def test_a_case_saved_while_the_template_runs_is_not_lost(folder):
    enter(folder, three_cases)

    def excel_saves_meanwhile(step):
        if step.startswith("checking"):
            enter(folder, lambda book: book["sager"].append(["S4", dt.datetime(2019, 4, 1), None, "Klage"]))

    with pytest.raises(WorkbookRefused, match="was changed while the template was being written"):
        refresh_workbook(folder, load_kommune(folder), progress=excel_saves_meanwhile)
    assert load_workbook(folder / "register.xlsx")["sager"]["A5"].value == "S4" and leftovers(folder) == []


def test_a_symbolic_link_is_written_through_and_the_mode_is_kept(folder):
    shared = folder / "delt"
    shared.mkdir()
    os.replace(folder / "register.xlsx", shared / "register.xlsx")
    (folder / "register.xlsx").symlink_to(shared / "register.xlsx")
    os.chmod(shared / "register.xlsx", 0o640)
    enter(folder, three_cases)
    (folder / "kommune.yml").write_text(KOMMUNE_YML.replace("[Vejledt, Afvist]", "[Vejledt, Afvist, Henvist]"),
                                        encoding="utf-8")
    refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").is_symlink()
    assert stat.S_IMODE((shared / "register.xlsx").stat().st_mode) == 0o640
    assert listed(load_workbook(shared / "register.xlsx"),
                  validations(load_workbook(shared / "register.xlsx")["sager"])["F"][1])[-1] == "Henvist"


def test_a_read_only_workbook_is_refused(folder):
    before = enter(folder, three_cases)
    os.chmod(folder / "register.xlsx", 0o444)
    with pytest.raises(WorkbookRefused, match="is read-only"):
        refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before


def test_a_full_disk_leaves_the_workbook_and_no_temporary_file(folder, monkeypatch):
    from openpyxl import Workbook

    before = enter(folder, three_cases)

    def full(self, filename):
        with open(filename, "wb") as stream:
            stream.write(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", full)
    with pytest.raises(RunFailed, match="No space left on device.*left as it was"):
        refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before and leftovers(folder) == []


def test_a_killed_refresh_leaves_a_temporary_file_the_next_one_removes(folder):
    (folder / f".register.reportlib-{DEAD_PID}.xlsx").write_bytes(b"half a workbook")
    mine = folder / f".register.reportlib-{os.getppid()}.xlsx"  # a live process's copy is its own
    mine.write_bytes(b"in use")
    refresh_workbook(folder, load_kommune(folder))
    assert leftovers(folder) == [mine.name]


def test_a_far_cell_is_a_message_not_a_memory_error(folder):
    before = enter(folder, lambda book: book["sager"].cell(row=1048576, column=16384, value="x"))
    with pytest.raises(WorkbookRefused, match=r"cell XFD1048576 holds a value, beyond the 1,000,000 rows"):
        refresh_workbook(folder, load_kommune(folder))
    assert (folder / "register.xlsx").read_bytes() == before


def test_the_command_says_what_it_kept_and_exits_2_when_it_refuses(folder):
    runner = CliRunner()
    enter(folder, three_cases)
    done = runner.invoke(main, ["template", "--data", str(folder)])
    assert done.exit_code == 0
    assert "all 7 rows and everything else kept; the old workbook is kept as register-kopi-" in done.stdout
    (folder / "~$register.xlsx").write_text("owner", encoding="utf-8")
    refused = runner.invoke(main, ["template", "--data", str(folder)])
    assert refused.exit_code == 2 and "open in Excel" in refused.stderr and "Traceback" not in refused.output


def test_a_template_never_replaces_a_workbook(folder):
    with pytest.raises(InputError, match="exists already and was left untouched"):
        write_new_workbook(folder, load_kommune(folder))


def test_a_mapped_register_gets_its_own_headers_and_sheet_names_and_keeps_its_rows(folder):
    (folder / "kommune.yml").write_text(KOMMUNE_YML + "kolonner:\n  sager:\n    sag_id: Sagsnr.\n"
                                        "    modtaget: Dato modtaget\nark:\n  sager: Sager 2024\n", encoding="utf-8")
    (folder / "register.xlsx").unlink()
    write_new_workbook(folder, load_kommune(folder))
    book = load_workbook(folder / "register.xlsx")
    assert book.sheetnames[:3] == ["Sager 2024", "problemstillinger", "aktiviteter"]
    assert [c.value for c in book["Sager 2024"][1]][:3] == ["Sagsnr.", "Dato modtaget", "afsluttet"]
    assert [row[:2] for row in book["Vejledning"].iter_rows(min_row=2, max_row=3, values_only=True)] == [
        ("Sager 2024", "Sagsnr."), ("Sager 2024", "Dato modtaget")]
    book["Sager 2024"].append(["S1", dt.datetime(2019, 1, 10), None, "Klage"])
    book.save(folder / "register.xlsx")
    done = refresh_workbook(folder, load_kommune(folder))
    assert done.rows == 1 and load_workbook(folder / "register.xlsx")["Sager 2024"]["A2"].value == "S1"


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
