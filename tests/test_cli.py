"""The command line: `validate`, argument handling of `run`, and period forms; never a traceback or a write."""

import errno
import hashlib
import json
import os
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


# Inputs a hostile or unlucky user gives: each ends in a message and exit 2, never a hang or a traceback.
# Run as the user runs them, in a process of their own, so that a hang is a timeout and not a stuck suite.
HANG = 60


def command(*args, cwd=None):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "reportlib", "--sprog", "en", *map(str, args)], capture_output=True,
                          text=True, timeout=HANG, cwd=cwd)


def refused(result, *expected):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the platform has no named pipes")
def test_init_from_a_named_pipe_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "eksport.csv")
    refused(command("init", tmp_path / "ny", "--kommune", "Fjordby Kommune", "--from", tmp_path / "eksport.csv"),
            f"{tmp_path / 'eksport.csv'}: a named pipe (FIFO), not a regular file; a register file is read from a file")
    assert not (tmp_path / "ny").exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="the platform has no /dev/zero")
def test_init_from_a_csv_that_is_a_device_is_refused_unread(tmp_path):
    (tmp_path / "eksport.csv").symlink_to("/dev/zero")
    refused(command("init", tmp_path / "ny", "--kommune", "Fjordby Kommune", "--from", tmp_path / "eksport.csv"),
            "eksport.csv: a device, not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="the platform has no /dev/zero")
def test_a_logo_that_is_a_device_is_refused_before_anything_is_hashed(make_register, tmp_path):
    folder = make_register()
    (folder / "logo.png").symlink_to("/dev/zero")
    with open(folder / "kommune.yml", "a", encoding="utf-8") as config:
        config.write("logo: logo.png\n")
    refused(command("run", "--period", "2018/19", "--data", folder, "--out", tmp_path / "out"),
            f"{folder / 'logo.png'}: a device, not a regular file; an image is read from a file")
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="the platform has no /dev/zero")
def test_a_network_or_figures_document_that_is_a_device_is_refused(make_register, tmp_path):
    folder = make_register()
    refused(command("run", "--period", "2018/19", "--data", folder, "--out", tmp_path / "out", "--network",
                    "/dev/zero"), "/dev/zero: a device, not a regular file; a network's figures document")
    refused(command("network", "--figures", "/dev/zero", "--figures", "/dev/zero", "--out", tmp_path / "out"),
            "/dev/zero: a device, not a regular file; a figures document")


def test_a_symbolic_link_loop_is_a_message_wherever_a_path_is_taken(make_register, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    loop = tmp_path / "a"
    for args in (["run", "--period", "2018/19", "--data", loop], ["validate", "--data", loop],
                 ["network", "--figures", loop, "--figures", loop], ["init", loop / "ny", "--kommune", "X"]):
        result = run(*map(str, args))
        assert result.exit_code == 2, result.output
        assert "a symbolic link that leads back to itself (a loop)" in result.output
    folder = make_register()
    (folder / "sager.csv").unlink()
    (folder / "sager.csv").symlink_to(folder / "sager.csv")
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 2 and "sager.csv: a symbolic link that leads back to itself" in result.output


@pytest.mark.parametrize(("fault", "expected"), [
    (MemoryError(), "error: out of memory; check that the input is the one meant"),
    (OSError(errno.ENOSPC, "No space left on device", "/out/x.pdf"),
     "error: /out/x.pdf: No space left on device; free space on the disk"),
    (OSError(errno.EFBIG, "File too large", "/out/x.pdf"), "error: /out/x.pdf: File too large; free space"),
    (KeyError("bug"), "error: an unexpected fault (KeyError: 'bug'); it is reportlib's, not your input's"),
])
def test_a_fault_no_command_expected_is_one_line_and_exit_1(monkeypatch, fault, expected):
    def failing(*args, **kwargs):
        raise fault

    monkeypatch.delenv("REPORTLIB_TRACEBACK", raising=False)
    monkeypatch.setattr("reportlib.cli.common.load_register", failing)
    result = CliRunner().invoke(main, ["--sprog", "en", "validate", "--data", str(DATA_RAW)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(expected), result.output
    assert "Traceback" not in result.output


def test_the_traceback_of_a_fault_is_shown_when_asked_for(monkeypatch):
    def failing(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setenv("REPORTLIB_TRACEBACK", "1")
    monkeypatch.setattr("reportlib.cli.common.load_register", failing)
    result = CliRunner().invoke(main, ["validate", "--data", str(DATA_RAW)])
    assert isinstance(result.exception, KeyError)
