"""`reportlib validate`: summary and exit 0, or every problem and exit 2, never a traceback or a write."""

import hashlib

from click.testing import CliRunner

from conftest import FIXTURES, SAGER
from reportlib.cli import main
from reportlib.paths import DATA_RAW


def run(*args):
    return CliRunner().invoke(main, list(args))


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_valid_register_prints_summary(make_register):
    folder = make_register()
    before = snapshot(folder)
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert "register is valid" in result.output
    assert "cases           2" in result.output
    assert "problems        3" in result.output
    assert "activities      1" in result.output
    assert "first received  2019-01-10" in result.output
    assert "last received   2019-02-01" in result.output
    assert "open cases      1" in result.output
    assert snapshot(folder) == before


def test_invalid_register_prints_every_problem_and_exits_2(make_register):
    folder = make_register(sager=SAGER.replace("2019-01-10", "2019-01-99").replace("Telefon", "Telfon"))
    before = snapshot(folder)
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{folder}/sager.csv:2: column 'modtaget': value '2019-01-99'")
    assert lines[1].startswith(f"{folder}/sager.csv:2: column 'kanal': value 'Telfon': unknown channel; did you mean 'Telefon'?")
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
    assert "first received  2018-11" in result.output


def test_other_municipality_danish_excel_export():
    """Fjordby: own kommune.yml, ';'-separated Windows-1252, DD-MM-YYYY dates, ja/nej booleans."""
    folder = FIXTURES / "fjordby"
    assert b";" in (folder / "sager.csv").read_bytes().splitlines()[0]
    (folder / "sager.csv").read_bytes().decode("cp1252")
    result = run("validate", "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert "Fjordby Kommune" in result.output
    assert "cases           3" in result.output


def test_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "validate" in result.output
    assert str(DATA_RAW.name) in run("validate", "--help").output
