"""A seeded fuzzer: a few hundred mutated registers, each of which must give exit 0, or exit 2 with a
clean message, and never a traceback, for `validate`, `figures` and `run --format html` (an invalid
register runs until validation stops it; a valid one has its sections rendered, a few run whole).

The mutations are what registers in the wild hold: cells and labels mistyped, in other scripts,
too large, empty or hostile; columns and rows gone, doubled or out of shape; files in another
encoding or cut short; kommune.yml with tags, wrong types, empty lists and deep nesting. The
seed is fixed, so a failure names a register that can be made again (`mutated(seed)`).
"""

import random

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_TABLES, KOMMUNE_YML
from reportlib.cli import main
from reportlib.report import SECTIONS, load_beretning

REGISTERS = 300
# Of the mutated registers that are still valid, this many are run through the notebook's kernel
# (a few seconds each); every valid one has its report's sections rendered in process, which is
# what the kernel does with the figures the runner hands it.
RUNS = 6

CELLS = ["", " ", "ja", "nej", "x", "1019-01-10", "31-02-2019", "2019-13-01", "10/01/2019", "2099-01-01",
         "\uff11\uff12", "\u0663", "99999999999999999999", "-5", "2.5", "$\\nosuch$", "Telefon $5 og $10",
         "<script>alert(1)</script>", "Klage", "klage ", "Social", "SOCIAL", "Ukendt", "Jobcenter", "Vej/park",
         "Andet", "\u00e6\u00f8\u00e5" * 40, "'; DROP TABLE sager;--", "=HYPERLINK(\"http://x\")", "S1", "S2",
         "0", "100001", "\t", "\"", "a,b", "a;b", "\u200b", "NaN", "None", "null", "1e9"]
YAML_EDITS = [
    ("periode_start_maaned: 11", "periode_start_maaned: true"),
    ("periode_start_maaned: 11", "periode_start_maaned: 13"),
    ("periode_start_maaned: 11", "periode_start_maaned: \"11\""),
    ("kanaler: [Telefon, Skriftlig]", "kanaler: []"),
    ("kanaler: [Telefon, Skriftlig]", "kanaler: Telefon"),
    ("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, telefon]"),
    ("kanaler: [Telefon, Skriftlig]", "kanaler: [\"$\\\\nosuch$\", \"<b>\"]"),
    ("kommune: Testby Kommune", "kommune: !Ref Testby"),
    ("kommune: Testby Kommune", "kommune: !!python/object/apply:os.getcwd []"),
    ("kommune: Testby Kommune", "kommune: Testby Kommune\n? [a, b]\n: c"),
    ("kommune: Testby Kommune", "kommune: Testby Kommune\ndyb: " + "[" * 40 + "]" * 40),
    ("kommune: Testby Kommune", "kommune: [Testby]"),
    ("omraader:", "omraader: {}\nx:"),
    ("  Teknik:\n    - Vej/park", "  Teknik: []"),
    ("funktion: Borgerrådgiveren", "funktion: \"\""),
    ("emner:", "indbyggere: 99999999999999999999\nemner:"),
    ("emner:", "min_celle: -1\nemner:"),
    ("emner:", "typer_i_tekst: {Klage: [klage]}\nemner:"),
    ("emner:", "forklaring: {Ukendt: x}\nemner:"),
    ("\n", "\n\t"),
]


def mutated(seed):
    """One mutated register: (kommune.yml text, {table: bytes})."""
    rng = random.Random(seed)
    kommune = KOMMUNE_YML
    tables = {name: text.splitlines() for name, text in DEFAULT_TABLES.items()}
    for _ in range(rng.randint(1, 3)):
        action = rng.random()
        name = rng.choice(list(tables))
        rows = tables[name]
        if not rows:
            continue
        if action < 0.45 and len(rows) > 1:  # a cell
            r = rng.randrange(len(rows))
            cells = rows[r].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(CELLS)
            rows[r] = ",".join(cells)
        elif action < 0.6:  # a row gone, doubled, or cut short
            r = rng.randrange(len(rows))
            rows[r:r + 1] = rng.choice([[], [rows[r], rows[r]], [rows[r][: rng.randrange(len(rows[r]) + 1)]]])
        elif action < 0.7:  # a column gone or doubled
            column = rng.randrange(len(rows[0].split(",")))
            double = rng.random() < 0.5
            rows[:] = [",".join(c for i, c in enumerate(row.split(",")) if i != column or double)
                       + ("," + row.split(",")[column] if double and column < len(row.split(",")) else "")
                       for row in rows]
        elif action < 0.85:
            kommune = kommune.replace(*rng.choice(YAML_EDITS), 1)
        else:
            tables[name] = rows[: rng.randrange(len(rows) + 1)]
    encoded = {}
    for name, rows in tables.items():
        text = "\n".join(rows) + "\n"
        how = rng.random()
        if how < 0.1:
            data = text.encode("cp1252", errors="replace")
        elif how < 0.15:
            data = text.replace(",", ";").encode("utf-8-sig")
        elif how < 0.18:
            data = text.encode("utf-16")
        elif how < 0.2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
        else:
            data = text.encode("utf-8")
        encoded[name] = data
    return kommune, encoded


def write(folder, register):
    kommune, tables = register
    folder.mkdir()
    (folder / "kommune.yml").write_text(kommune, encoding="utf-8")
    for name, data in tables.items():
        (folder / f"{name}.csv").write_bytes(data)
    return folder


def check(result, command):
    """Exit 0, or exit 2 with a message; never an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{command}: {type(result.exception).__name__}: {result.exception}")
    assert result.exit_code in (0, 2), (command, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.strip(), command


def run_html(runner, folder):
    return runner.invoke(main, ["run", "--period", "2018/19", "--data", str(folder), "--out",
                                str(folder.parent / f"{folder.name}-out"), "--format", "html"])


def test_mutated_registers_give_a_result_or_a_clean_message(tmp_path):
    runner = CliRunner()
    valid = []
    for seed in range(REGISTERS):
        folder = write(tmp_path / f"r{seed}", mutated(seed))
        validated = runner.invoke(main, ["validate", "--data", str(folder)])
        check(validated, f"validate, seed {seed}")
        check(runner.invoke(main, ["figures", "--period", "2018/19", "--data", str(folder)]), f"figures, seed {seed}")
        if validated.exit_code == 0:
            valid.append(folder)
            beretning = load_beretning(folder, "2018-11-01", "2019-10-31")
            for name in SECTIONS:
                section = beretning.section(name)
                assert section is None or section.html, (name, seed)
        else:
            run = run_html(runner, folder)
            check(run, f"run, seed {seed}")
            assert run.exit_code == 2 and not (tmp_path / f"r{seed}-out").exists(), seed
    assert 20 < len(valid) < REGISTERS - 100  # the mutations hit, but not all of them break the register
    for folder in valid[:RUNS]:
        check(run_html(runner, folder), f"run {folder.name}")


@pytest.mark.parametrize("seed", [0, 1])
def test_the_mutations_are_the_same_every_time(seed):
    assert mutated(seed) == mutated(seed)
