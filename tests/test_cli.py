"""The command line: `validate`, argument handling of `run`, and period forms; never a traceback or a write."""

import hashlib
import json
import re

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, SAGER
from reportlib.cli import main
from reportlib.paths import DATA_RAW


def run(*args):
    return CliRunner().invoke(main, list(args))


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_summary_names_the_optional_parts_the_register_has():
    result = run("validate", "--data", str(DATA_RAW))
    assert "  optional parts     aktiviteter.omraade, anbefalinger, egen_drift, sager.metode, sager.resultat\n" in (
        result.output)


def test_valid_register_prints_summary(make_register):
    folder = make_register()
    before = snapshot(folder)
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert "register is valid" in result.output
    assert "cases              2" in result.output
    assert "problemstillinger  3" in result.output
    assert "activities         1" in result.output
    assert "first received     2019-01-10" in result.output
    assert "last received      2019-02-01" in result.output
    assert "open cases         1" in result.output
    assert "optional parts" not in result.output  # the register has none
    assert snapshot(folder) == before


def test_invalid_register_prints_every_problem_and_exits_2(make_register):
    folder = make_register(sager=SAGER.replace("2019-01-10", "2019-01-99").replace("Telefon", "Telfon"))
    before = snapshot(folder)
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{folder}/sager.csv:2: column 'modtaget': value '2019-01-99'")
    assert lines[1].startswith(f"{folder}/sager.csv:2: column 'kanal': value 'Telfon': unknown channel; "
                               "did you mean 'Telefon'?")
    assert lines[2] == f"error: 2 problems found in {folder}; nothing was produced"
    assert "Traceback" not in result.output
    assert snapshot(folder) == before


def test_missing_folder_exits_2(tmp_path):
    result = run("validate", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "register folder not found" in result.output


def test_example_register_is_valid():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "Ballerup Kommune" in result.output
    assert "first received     2018-11" in result.output


def test_other_municipality_danish_excel_export():
    """Fjordby: own kommune.yml, ';'-separated Windows-1252, DD-MM-YYYY dates, ja/nej booleans."""
    folder = FIXTURES / "fjordby"
    raw = (folder / "sager.csv").read_bytes()
    assert b";" in raw.splitlines()[0]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # a real Windows-1252 export: its ø, Å and Ø are single bytes, not UTF-8
    assert "Borger Åse Ørsted" in raw.decode("cp1252")  # Å is byte 0xC5 and Ø 0xD8 in Windows-1252
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert "Fjordby Kommune" in result.output
    assert re.search(r"\n  cases +3\n", result.output)
    # The export's own column (the case worker) is named once and never read; its note never is.
    assert f"  ignored columns    {folder}/sager.csv: Sagsbehandler (not read)\n" in result.output


def test_validate_names_the_rows_it_left_out(make_register):
    sager = "Sagsoversigt,,\n" + SAGER + "2 sager,,\n"
    folder = make_register(sager=sager)
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert (f"  rows not read      {folder}/sager.csv: line 1 'Sagsoversigt'; line 5 '2 sager' (a title, totals or "
            "note, not a case)\n") in result.output


def test_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert str(DATA_RAW.name) in run("validate", "--help").output


def test_help_lists_commands_and_run_documents_its_outputs():
    assert {"validate", "figures", "run"} <= set(run("--help").output.split())
    assert "OUT/START_END.failed.ipynb" in run("run", "--help").output


@pytest.mark.parametrize("args", [[], ["--period", "2018/19", "--all"]])
def test_run_needs_exactly_one_of_period_and_all(args):
    result = run("run", *args)
    assert result.exit_code == 2
    assert "give either --period P or --all" in result.output


def test_latest_is_the_last_ended_year_with_data():
    # The example register runs to 31 October 2021; every later year has ended by now but is empty.
    result = run("figures", "--period", "latest")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["period"] == {"start": "2020-11-01", "end": "2021-10-31"}


def test_half_years_and_bad_kommune_yml_before_a_run(make_register, tmp_path):
    assert json.loads(run("figures", "--period", "2018/19-H2").stdout)["period"] == {
        "start": "2019-05-01", "end": "2019-10-31"}
    folder = make_register(kommune="kommune: Testby\n")  # most keys missing
    result = run("run", "--period", "2018/19", "--data", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "kommune.yml" in result.stderr and "nothing was produced" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option,value,message", [
    ("--dato", "2. december 2019", "--dato '2. december 2019': not a date; write it as YYYY-MM-DD, e.g. 2019-12-02"),
    ("--moede", "Byrådets møde\n12. december", "--moede 'Byrådets møde\\n12. december': give the meeting on one line"),
])
def test_a_date_or_meeting_the_title_cannot_show_is_refused_before_anything_is_written(make_register, tmp_path,
                                                                                        option, value, message):
    folder = make_register()
    result = run("run", "--period", "2018/19", "--data", str(folder), "--out", str(tmp_path / "out"), option, value)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_validate_prints_one_line_per_distinct_problem_with_its_rows_and_the_fix(make_register):
    # Three defects: 'Mail' as the channel on seven rows, one impossible date, one unknown type.
    rows = [f"M{n},2019-01-{10 + n:02d},,Klage,Mail,,,," for n in range(7)]
    sager = SAGER + "\n".join(rows) + "\nX1,2019-02-30,,Klage,Telefon,,,,\nX2,2019-03-01,,Klag over,Telefon,,,,\n"
    problems = "sag_id,omraade,center,emne\n" + "".join(
        f"{case},Social,Jobcenter,Partshøring\n" for case in ["S1", "S2", *(f"M{n}" for n in range(7)), "X1", "X2"])
    folder = make_register(sager=sager, problemstillinger=problems)
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{folder}: 9 problems, 3 to fix (reportlib validate --alle lists every cell):"
    # The seven rows are lines 4 to 10 of sager.csv (header, S1, S2 first).
    assert lines[1] == (f"{folder}/sager.csv: column 'kanal': value 'Mail': unknown channel; allowed: 'Telefon', "
                        "'Skriftlig'; add 'Mail' to kanaler in kommune.yml, or under synonymer as another spelling of "
                        "one of them (7 rows: lines 4, 5, 6, 7, 8 and 2 more)")
    assert lines[2].startswith(f"{folder}/sager.csv:11: column 'modtaget': value '2019-02-30'")
    assert lines[3].startswith(f"{folder}/sager.csv:12: column 'henvendelsestype': value 'Klag over': unknown type; "
                               "did you mean 'Klage'?")
    assert lines[3].endswith("add 'Klag over' to henvendelsestyper in kommune.yml, or under synonymer as another "
                             "spelling of 'Klage'")
    assert lines[4] == f"error: 9 problems found in {folder}; nothing was produced"
    every = run("validate", "--data", str(folder), "--alle").stderr.splitlines()
    assert len(every) == 10 and every[0].startswith(f"{folder}/sager.csv:4: column 'kanal': value 'Mail'")


def _three_defects(make_register, kommune_lines: str = ""):
    """The register above with three defects: 'Mail' on seven rows, an impossible date, an unknown type."""
    from conftest import KOMMUNE_YML

    rows = [f"M{n},2019-01-{10 + n:02d},,Klage,Mail,,,," for n in range(7)]
    sager = SAGER + "\n".join(rows) + "\nX1,2019-02-30,,Klage,Telefon,,,,\nX2,2019-03-01,,Klag over,Telefon,,,,\n"
    problems = "sag_id,omraade,center,emne\n" + "".join(
        f"{case},Social,Jobcenter,Partshøring\n" for case in ["S1", "S2", *(f"M{n}" for n in range(7)), "X1", "X2"])
    return make_register(kommune=KOMMUNE_YML + kommune_lines, sager=sager, problemstillinger=problems)


def test_validate_speaks_danish_when_asked_with_sprog(make_register):
    folder = _three_defects(make_register)
    result = run("--sprog", "da", "validate", "--data", str(folder))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{folder}: 9 fejl, 3 at rette (reportlib validate --alle viser hver celle):"
    assert lines[1] == (f"{folder}/sager.csv: kolonne 'kanal': værdi 'Mail': ukendt kanal; tilladt: 'Telefon', "
                        "'Skriftlig'; tilføj 'Mail' til kanaler i kommune.yml, eller skriv det under synonymer som en "
                        "anden stavemåde af en af dem (7 rækker: linje 4, 5, 6, 7, 8 og 2 til)")
    assert lines[3].startswith(f"{folder}/sager.csv:12: kolonne 'henvendelsestype': værdi 'Klag over': ukendt type; "
                               "mente du 'Klage'? ")
    assert lines[4] == f"fejl: 9 fejl i {folder}; intet er lavet"


def test_kommune_yml_chooses_danish_and_the_command_line_and_environment_override_it(make_register, monkeypatch):
    folder = _three_defects(make_register, "sprog: da\n")
    assert "ukendt kanal" in run("validate", "--data", str(folder)).stderr
    assert "unknown channel" in run("--sprog", "en", "validate", "--data", str(folder)).stderr
    monkeypatch.setenv("REPORTLIB_SPROG", "en")
    assert "unknown channel" in run("validate", "--data", str(folder)).stderr


def test_a_valid_register_is_summarised_in_danish(make_register):
    from conftest import KOMMUNE_YML

    result = run("validate", "--data", str(make_register(kommune=KOMMUNE_YML + "sprog: da\n")))
    assert result.exit_code == 0
    assert result.output.startswith("registret er gyldigt\n  kommune            Testby Kommune")
    assert "\n  åbne sager         1\n" in result.output


def test_an_unknown_sprog_in_kommune_yml_is_a_problem_naming_the_choices(make_register):
    from conftest import KOMMUNE_YML

    result = run("validate", "--data", str(make_register(kommune=KOMMUNE_YML + "sprog: fr\n")))
    assert result.exit_code == 2 and "key 'sprog': value 'fr'" in result.stderr and "'da' or 'en'" in result.stderr
