"""reportlib template: the workbook given the template anew keeps every row, cell, comment and sheet of the
user's, or is refused and left as it was."""

import datetime as dt
import os
import re
import stat
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment

from conftest import KOMMUNE_PARTS_YML, KOMMUNE_YML, listed, validations
from reportlib import load_kommune, load_register
from reportlib.cli import main
from reportlib.exceptions import RunFailed, WorkbookRefused
from reportlib.register.refresh import refresh_workbook
from reportlib.register.workbook import LISTS_SHEET, write_new_workbook

DEAD_PID = 2**22 + 1  # above Linux's pid_max: no such process


def enter(workbook_folder, change):
    """Open register.xlsx, let ``change`` edit it, save it; return its bytes."""
    book = load_workbook(workbook_folder / "register.xlsx")
    change(book)
    book.save(workbook_folder / "register.xlsx")
    return (workbook_folder / "register.xlsx").read_bytes()


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


def leftovers(workbook_folder):
    """Files in the workbook_folder other than the register's own and the backups template keeps."""
    return sorted(p.name for p in workbook_folder.iterdir()
                  if p.name not in ("kommune.yml", "register.xlsx") and not p.name.startswith("register-kopi-"))


def test_refreshing_the_lists_keeps_every_row_entered_and_a_dated_copy(workbook_folder):
    before = enter(workbook_folder, three_cases)
    (workbook_folder / "kommune.yml").write_text(KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]",
                                                            "kanaler: [Telefon, Skriftlig, Brev]"), encoding="utf-8")
    done = refresh_workbook(workbook_folder, load_kommune(workbook_folder), now=dt.datetime(2026, 12, 1, 9, 30, 5))
    assert done.rows == 3 + 3 + 1
    assert done.backup == workbook_folder / "register-kopi-20261201-093005.xlsx" and done.backup.read_bytes() == before
    book = load_workbook(done.path)
    assert [c.value for c in book["sager"][2]][:7] == ["S1", dt.datetime(2019, 1, 10), dt.datetime(2019, 1, 20),
                                                       "Klage", "Telefon", "Vejledt", "ja"]
    assert [c.value for c in book["aktiviteter"][2]][:3] == [dt.datetime(2019, 9, 2), "Åben rådgivning", 3]
    assert listed(book, validations(book["sager"])["E"][1]) == ["Telefon", "Skriftlig", "Brev"]
    assert len(load_register(workbook_folder).sager) == 3
    assert leftovers(workbook_folder) == []


def test_refreshing_keeps_the_users_own_sheets_columns_comments_and_empty_rows(workbook_folder):
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

    before = enter(workbook_folder, change)
    refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    book = load_workbook(workbook_folder / "register.xlsx")
    sager = book["sager"]
    assert book.sheetnames == ["sager", "Mine noter", "problemstillinger", "aktiviteter", "Vejledning", LISTS_SHEET]
    assert [sager.cell(row=row, column=1).value for row in range(1, 6)] == ["sag_id", "S1", None, "S2", "S3"]
    assert sager["A2"].comment.text == "ring tilbage fredag"
    assert [sager["J1"].value, sager["J2"].value, sager["K1"].value, sager["K2"].value] == [
        "sagsbehandler", "Hanne", "sag_id", "dubleret"]
    assert (sager["I4"].value, sager["I4"].data_type) == ("=> ring tilbage", "s")
    assert (book["Mine noter"]["A1"].value, book["Mine noter"]["B1"].value) == ("Husk", "=sager!B4+5")
    backup = next(workbook_folder.glob("register-kopi-*"))
    assert load_workbook(backup).sheetnames == load_workbook(__import__("io").BytesIO(before)).sheetnames


def test_refreshing_adds_a_configured_column_after_the_sheets_own(workbook_folder):
    enter(workbook_folder,
          lambda book: (three_cases(book), book["sager"].cell(row=1, column=10, value="sagsbehandler")))
    (workbook_folder / "kommune.yml").write_text(KOMMUNE_PARTS_YML, encoding="utf-8")
    refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    sager = load_workbook(workbook_folder / "register.xlsx")["sager"]
    assert [c.value for c in sager[1]][8:] == ["note", "sagsbehandler", "metode", "resultat"]
    assert sager["K2"].value is None and validations(sager)["K"][0] == "list"


def test_refreshing_keeps_an_optional_column_the_workbook_has_where_it_is(workbook_folder):
    enter(workbook_folder, lambda book: (book["sager"].cell(row=1, column=10, value="metode"),
                                book["sager"].append(["S1", dt.datetime(2019, 1, 10), None, "Klage", None, None,
                                                      None, None, "en note", "Dialog"])))
    done = refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    sager = load_workbook(done.path)["sager"]
    assert done.rows == 1
    assert [c.value for c in sager[1]][-2:] == ["note", "metode"]
    assert [c.value for c in sager[2]][-2:] == ["en note", "Dialog"]
    assert "J" not in validations(sager)  # no metoder in kommune.yml: no drop-down yet


def test_a_users_own_drop_down_on_another_column_stays(workbook_folder):
    from openpyxl.worksheet.datavalidation import DataValidation

    def change(book):
        rule = DataValidation(type="list", formula1='"A,B"')
        book["sager"].add_data_validation(rule)
        rule.add("J2:J100")

    enter(workbook_folder, change)
    refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    rules = validations(load_workbook(workbook_folder / "register.xlsx")["sager"])
    assert rules["J"] == ("list", '"A,B"') and rules["D"][0] == "list"


def test_two_sheets_that_read_as_one_table_are_refused_and_nothing_changes(workbook_folder):
    def change(book):
        three_cases(book)
        other = book.create_sheet("Sager ")
        other.append(["sag_id", "modtaget"])
        other.append(["T1", dt.datetime(2019, 5, 1)])

    before = enter(workbook_folder, change)
    with pytest.raises(WorkbookRefused, match=r"\[Sager \]: sheet name is the same as 'sager'"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").read_bytes() == before and leftovers(workbook_folder) == []


def test_formula_cells_in_a_table_sheet_are_refused_by_name_and_their_values_stay_readable(workbook_folder):
    def change(book):
        three_cases(book)
        for row in (2, 3, 4):
            book["sager"][f"C{row}"] = f"=B{row}+10"
            book["sager"][f"C{row}"].number_format = "DD-MM-YYYY"  # as Excel formats a date plus days

    enter(workbook_folder, change)
    # Excel saves the value it computed beside each formula; 43485 is 2019-01-20 as an Excel date.
    with_cached_values(workbook_folder / "register.xlsx", {"C2": 43485, "C3": 43507, "C4": 43539})
    before = (workbook_folder / "register.xlsx").read_bytes()
    assert load_register(workbook_folder).sager["afsluttet"].notna().sum() == 3
    with pytest.raises(WorkbookRefused, match=r"3 cells hold formulas \(sager!C2, sager!C3, sager!C4\).*Values"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").read_bytes() == before and leftovers(workbook_folder) == []
    assert load_register(workbook_folder).sager["afsluttet"].notna().sum() == 3  # no case reopened


def test_text_of_ones_own_in_the_templates_guide_sheet_is_refused(workbook_folder):
    before = enter(workbook_folder, lambda book: book["Vejledning"].cell(row=3, column=6, value="min egen huskeliste"))
    with pytest.raises(WorkbookRefused, match=r"Vejledning!F3 holds text of your own"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").read_bytes() == before


@pytest.mark.parametrize("lock,program", [("~$register.xlsx", "Excel"), (".~lock.register.xlsx#", "LibreOffice")])
def test_a_workbook_open_in_a_spreadsheet_program_is_refused(workbook_folder, lock, program):
    before = enter(workbook_folder, three_cases)
    (workbook_folder / lock).write_text("owner", encoding="utf-8")
    with pytest.raises(WorkbookRefused, match=f"open in {program}; close it there"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").read_bytes() == before


def test_a_case_saved_while_the_template_runs_is_not_lost(workbook_folder):
    enter(workbook_folder, three_cases)

    def excel_saves_meanwhile(step):
        if step.startswith("checking"):
            enter(workbook_folder, lambda book: book["sager"].append(["S4", dt.datetime(2019, 4, 1), None, "Klage"]))

    with pytest.raises(WorkbookRefused, match="was changed while the template was being written"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder), progress=excel_saves_meanwhile)
    assert load_workbook(workbook_folder / "register.xlsx")["sager"]["A5"].value == "S4"
    assert leftovers(workbook_folder) == []


def test_a_symbolic_link_is_written_through_and_the_mode_is_kept(workbook_folder):
    shared = workbook_folder / "delt"
    shared.mkdir()
    os.replace(workbook_folder / "register.xlsx", shared / "register.xlsx")
    (workbook_folder / "register.xlsx").symlink_to(shared / "register.xlsx")
    os.chmod(shared / "register.xlsx", 0o640)
    enter(workbook_folder, three_cases)
    (workbook_folder / "kommune.yml").write_text(KOMMUNE_YML.replace("[Vejledt, Afvist]", "[Vejledt, Afvist, Henvist]"),
                                        encoding="utf-8")
    refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").is_symlink()
    assert stat.S_IMODE((shared / "register.xlsx").stat().st_mode) == 0o640
    assert listed(load_workbook(shared / "register.xlsx"),
                  validations(load_workbook(shared / "register.xlsx")["sager"])["F"][1])[-1] == "Henvist"


def test_a_read_only_workbook_is_refused(workbook_folder):
    before = enter(workbook_folder, three_cases)
    os.chmod(workbook_folder / "register.xlsx", 0o444)
    with pytest.raises(WorkbookRefused, match="is read-only"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").read_bytes() == before


def test_a_full_disk_leaves_the_workbook_and_no_temporary_file(workbook_folder, monkeypatch):
    from openpyxl import Workbook

    before = enter(workbook_folder, three_cases)

    def full(self, stream):  # openpyxl writes each sheet into a temporary file first, which fills the disk
        stream.write(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", full)
    with pytest.raises(RunFailed, match="No space left on device.*left as it was"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").read_bytes() == before and leftovers(workbook_folder) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a file-size limit is set in the child before it runs")
@pytest.mark.parametrize("kilobytes", [3, 9])  # lxml's stream fails at the first, the written file at the second
def test_a_file_size_limit_is_one_message_and_the_workbook_is_kept(workbook_folder, kilobytes):
    import resource
    import subprocess
    import sys

    before = enter(workbook_folder, three_cases)
    limit = kilobytes * 1024
    result = subprocess.run([sys.executable, "-m", "reportlib", "--sprog", "en", "template", "--data",
                             str(workbook_folder)], capture_output=True, text=True, timeout=120,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(f"error: {workbook_folder / 'register.xlsx'}: cannot write the "
                                                     "new workbook beside it (File too large); the workbook was left")
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert (workbook_folder / "register.xlsx").read_bytes() == before and leftovers(workbook_folder) == []


def test_a_killed_refresh_leaves_a_temporary_file_the_next_one_removes(workbook_folder):
    (workbook_folder / f".register.reportlib-{DEAD_PID}.xlsx").write_bytes(b"half a workbook")
    mine = workbook_folder / f".register.reportlib-{os.getppid()}.xlsx"  # a live process's copy is its own
    mine.write_bytes(b"in use")
    refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert leftovers(workbook_folder) == [mine.name]


def test_a_far_cell_is_a_message_not_a_memory_error(workbook_folder):
    before = enter(workbook_folder, lambda book: book["sager"].cell(row=1048576, column=16384, value="x"))
    with pytest.raises(WorkbookRefused, match=r"cell XFD1048576 holds a value, beyond the 1,000,000 rows"):
        refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert (workbook_folder / "register.xlsx").read_bytes() == before


def test_the_command_says_what_it_kept_and_exits_2_when_it_refuses(workbook_folder):
    runner = CliRunner()
    enter(workbook_folder, three_cases)
    done = runner.invoke(main, ["template", "--data", str(workbook_folder)])
    assert done.exit_code == 0
    assert "all 7 rows and everything else kept; the old workbook is kept as register-kopi-" in done.stdout
    (workbook_folder / "~$register.xlsx").write_text("owner", encoding="utf-8")
    refused = runner.invoke(main, ["template", "--data", str(workbook_folder)])
    assert refused.exit_code == 2 and "open in Excel" in refused.stderr and "Traceback" not in refused.output


def test_a_mapped_register_gets_its_own_headers_and_sheet_names_and_keeps_its_rows(workbook_folder):
    (workbook_folder / "kommune.yml").write_text(KOMMUNE_YML + "kolonner:\n  sager:\n    sag_id: Sagsnr.\n"
                                        "    modtaget: Dato modtaget\nark:\n  sager: Sager 2024\n", encoding="utf-8")
    (workbook_folder / "register.xlsx").unlink()
    write_new_workbook(workbook_folder, load_kommune(workbook_folder))
    book = load_workbook(workbook_folder / "register.xlsx")
    assert book.sheetnames[:3] == ["Sager 2024", "problemstillinger", "aktiviteter"]
    assert [c.value for c in book["Sager 2024"][1]][:3] == ["Sagsnr.", "Dato modtaget", "afsluttet"]
    assert [row[:2] for row in book["Vejledning"].iter_rows(min_row=2, max_row=3, values_only=True)] == [
        ("Sager 2024", "Sagsnr."), ("Sager 2024", "Dato modtaget")]
    book["Sager 2024"].append(["S1", dt.datetime(2019, 1, 10), None, "Klage"])
    book.save(workbook_folder / "register.xlsx")
    done = refresh_workbook(workbook_folder, load_kommune(workbook_folder))
    assert done.rows == 1 and load_workbook(workbook_folder / "register.xlsx")["Sager 2024"]["A2"].value == "S1"
