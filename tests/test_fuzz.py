"""A seeded fuzzer: a few hundred mutated registers, each of which must give exit 0, or exit 2 with a
clean message, and never a traceback, for `validate`, `figures` and `run --format html` (an invalid
register runs until validation stops it; a valid one has its sections rendered, the first few run
whole in a kernel, a test each); workbooks and narratives, through `validate`, `template`, `run`; and
a network's documents (a member's figures.json, network.json), through `network` and `run --network`.

The mutations are what registers in the wild hold: cells and labels mistyped, in other scripts,
too large, empty or hostile; columns and rows gone, doubled or out of shape; files in another
encoding or cut short; kommune.yml with tags, wrong types, empty lists and deep nesting. The
seed is fixed, so a failure names a register that can be made again (`mutated(seed)`).
"""

import io
import itertools
import json
import math
import random
import re

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_TABLES, KOMMUNE_YML, said_complete, text_of
from reportlib.cli import main
from reportlib.exceptions import InputError
from reportlib.report.beretning import load_beretning
from reportlib.report.sections import SECTIONS

REGISTERS = 300
# Of the mutated registers that are still valid, this many are run through the notebook's kernel
# (a few seconds each); every valid one has its report's sections rendered in process, which is
# what the kernel does with the figures the runner hands it.
RUNS = 1

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
    ("emner:", "komplet_til: 2019-02-30\nemner:"),
    ("emner:", "komplet_fra: 2019-01-01\nkomplet_til: 2018-12-31\nemner:"),
    ("emner:", "komplet_til: 2019-05-31\nemner:"),
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
    (folder / "kommune.yml").write_text(said_complete(kommune), encoding="utf-8")
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


# The seeds are tested in this many parts, so that the parts can run in parallel (pytest-xdist). The
# first part is a sample of every kind of mutation, in `make check`; the others are marked slow and
# run in `make test`.
PARTS = 3


def parts(count):
    """The parts of a fuzz run: the first quick, the rest marked slow."""
    return [part if part == 0 else pytest.param(part, marks=pytest.mark.slow) for part in range(count)]


@pytest.mark.parametrize("part", parts(PARTS))
def test_mutated_registers_give_a_result_or_a_clean_message(tmp_path, part):
    runner = CliRunner()
    valid = []
    seeds = range(part, REGISTERS, PARTS)
    for seed in seeds:
        folder = write(tmp_path / f"r{seed}", mutated(seed))
        validated = runner.invoke(main, ["validate", "--data", str(folder)])
        check(validated, f"validate, seed {seed}")
        if validated.exit_code == 0:
            # An invalid register stops `figures` where it stops `validate` (the same loading, cli.common.load); a valid
            # one whose kommune.yml says it is not complete for the year is refused the period, with a message.
            counted = runner.invoke(main, ["figures", "--period", "2018/19", "--data", str(folder)])
            check(counted, f"figures, seed {seed}")
            valid.append(folder)
            if counted.exit_code:
                continue
            beretning = load_beretning(folder, "2018-11-01", "2019-10-31")
            for name in SECTIONS:
                section = beretning.section(name)
                assert section is None or section.html, (name, seed)
        else:
            run = run_html(runner, folder)
            check(run, f"run, seed {seed}")
            assert run.exit_code == 2 and not (tmp_path / f"r{seed}-out").exists(), seed
    assert 3 < len(valid) < len(seeds) // 2  # the mutations hit, but not all of them break the register


@pytest.mark.kernel
@pytest.mark.parametrize("number", range(RUNS))
def test_a_mutated_register_that_is_valid_runs_whole(tmp_path, number):
    from reportlib import RegisterInvalid, load_register

    def is_valid(seed):
        try:
            load_register(write(tmp_path / f"v{seed}", mutated(seed)))
        except RegisterInvalid:
            return False
        return True

    seed = next(itertools.islice((seed for seed in range(REGISTERS) if is_valid(seed)), number, None))
    check(run_html(CliRunner(), tmp_path / f"v{seed}"), f"run, seed {seed}")


@pytest.mark.parametrize("seed", [0, 1])
def test_the_mutations_are_the_same_every_time(seed):
    assert mutated(seed) == mutated(seed)


# Workbooks: what a spreadsheet in the wild holds, on top of what the CSV registers above hold.
WORKBOOKS = 60


def workbook_register(folder, seed):
    """A register folder whose tables are sheets of register.xlsx made from the template, then mutated."""
    import datetime as dt

    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    from reportlib import load_kommune
    from reportlib.register.workbook import write_new_workbook

    rng = random.Random(seed)
    folder.mkdir()
    (folder / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    write_new_workbook(folder, load_kommune(folder))
    path = folder / "register.xlsx"
    book = load_workbook(path)
    for name, text in DEFAULT_TABLES.items():
        for row in text.splitlines()[1:]:
            book[name].append([dt.datetime.fromisoformat(cell) if cell[:2] == "20" and len(cell) == 10 else cell or None
                               for cell in row.split(",")])
    for _ in range(rng.randint(1, 3)):
        sheet = book[rng.choice(list(DEFAULT_TABLES))]
        action = rng.random()
        row, column = rng.randint(1, sheet.max_row + 1), rng.randint(1, sheet.max_column + 1)
        if action < 0.15:  # a formula, saved without the value Excel would have computed
            sheet.cell(row=max(row, 2), column=column, value=rng.choice(["=B2+10", "=A2", "=SUM(C2:C3)"]))
        elif action < 0.25:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column + 1)
        elif action < 0.35:  # a sheet whose name is, or nearly is, a table's
            other = book.create_sheet(rng.choice([sheet.title.upper(), f"{sheet.title} ", f"{sheet.title}2"]))
            other.append(["sag_id", "modtaget"])
            other.append(["S9", "2019-05-01"])
        elif action < 0.45:  # a column header twice, or one of the user's own
            sheet.cell(row=1, column=sheet.max_column + 1,
                       value=rng.choice([sheet.cell(row=1, column=1).value, "Sagsbehandler", "note"]))
        elif action < 0.5:  # a stray value far away
            sheet.cell(row=rng.choice([40, 1_000_001]), column=rng.choice([3, 1001]), value="x")
        elif action < 0.6:
            sheet.cell(row=row, column=column).comment = Comment(rng.choice(["husk", "010190-1234"]), "BR")
        elif action < 0.7:
            sheet.insert_rows(rng.randint(2, sheet.max_row + 1))  # an empty row between cases
        elif action < 0.8:
            cell = sheet.cell(row=max(row, 2), column=column, value=rng.choice(CELLS))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # typed as text, as Excel keeps "=> ring tilbage"
        elif action < 0.9:  # the user's own text: in a sheet of their own, or in the template's guide
            own = book["Vejledning"] if rng.random() < 0.5 else book.create_sheet("Mine noter")
            own.cell(row=2, column=6, value="egen tekst")
        else:
            sheet.cell(row=row, column=column, value=None)
    book.save(path)
    return folder


def tables_as_read(folder):
    from reportlib import load_kommune
    from reportlib.register.sheets import read_workbook
    from reportlib.register.validate import table_request

    tables, _ = read_workbook(folder / "register.xlsx", **table_request(load_kommune(folder)))
    return {name: (table.header, table.frame.astype(object).to_dict("split")) for name, table in tables.items()}


WORKBOOK_PARTS = 4


@pytest.mark.parametrize("part", parts(WORKBOOK_PARTS))
def test_mutated_workbooks_give_a_result_or_a_clean_message_and_template_loses_nothing(tmp_path, part):
    runner = CliRunner()
    outcomes = {"validate": set(), "template": set()}
    for seed in range(part, WORKBOOKS, WORKBOOK_PARTS):
        folder = workbook_register(tmp_path / f"w{seed}", seed)
        validated = runner.invoke(main, ["validate", "--data", str(folder)])
        check(validated, f"validate, workbook {seed}")
        outcomes["validate"].add(validated.exit_code)
        before, tables = (folder / "register.xlsx").read_bytes(), tables_as_read(folder)
        refreshed = runner.invoke(main, ["template", "--data", str(folder)])
        assert refreshed.exception is None or isinstance(refreshed.exception, SystemExit), (seed, refreshed.output)
        assert refreshed.exit_code in (0, 2) and "Traceback" not in refreshed.output, (seed, refreshed.output)
        outcomes["template"].add(refreshed.exit_code)
        files = sorted(p.name for p in folder.iterdir())
        if refreshed.exit_code == 0:
            assert tables_as_read(folder) == tables, seed  # every table reads exactly as before
            backup = next(folder.glob("register-kopi-*.xlsx"))
            assert backup.read_bytes() == before and files == sorted(["kommune.yml", "register.xlsx", backup.name])
        else:
            assert refreshed.stderr.strip() and (folder / "register.xlsx").read_bytes() == before, seed
            assert files == ["kommune.yml", "register.xlsx"], seed  # no copy, no temporary file
        if validated.exit_code == 2:
            run = run_html(runner, folder)
            check(run, f"run, workbook {seed}")
            assert run.exit_code == 2 and not (tmp_path / f"w{seed}-out").exists(), seed
    assert outcomes == {"validate": {0, 2}, "template": {0, 2}}  # the mutations reach both outcomes


NARRATIVE_PARTS = [
    "Et almindeligt afsnit.", "<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
    "<details ontoggle=alert(1) open>x</details>", "[link](javascript:alert(1))", "[ok](https://kommune.dk)",
    "<!-- privat note -->", "<!-- aldrig lukket", "-->", "Borgeren 010190-1234 ringede.", "Nummer 3102901234.",
    "![Kort](kort.png)", "![Kort](ude.png)", "![Kort](http://host/kort.png)", "![Kort](område.png)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)",
    "![x](data:image/png;base64,iVBORw0KGgoAAAAAAAAAAA==)", "![x](data:image/gif;base64,R0lGODlhAQABAAAAACw=)",
    '<p style="background:u\\72l(http://x)">x</p>', "## Underoverskrift", "# Sagseksempler", "# Kontakt",
]


def mutated_narrative(seed):
    rng = random.Random(seed)
    return "# Forord\n\n" + "\n\n".join(rng.choice(NARRATIVE_PARTS) for _ in range(rng.randint(1, 6))) + "\n"


def test_mutated_narratives_are_published_inert_or_refused_with_their_line(make_register, tmp_path):
    from reportlib.identifiers import cpr_like
    from reportlib.report.narrative import NarrativeError, read_narrative
    from reportlib.report.sanitize import clean_html

    runner = CliRunner()
    folder = make_register()
    (folder / "kort.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)
    (folder / "område.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)
    narrative = folder / "beretning_2018-11-01_2019-10-31.md"
    outcomes = set()
    for seed in range(120):
        narrative.write_text(mutated_narrative(seed), encoding="utf-8")
        try:
            chapters = read_narrative(narrative).chapters
        except NarrativeError as exc:
            assert all(line.startswith(f"{narrative}:") for line in str(exc).splitlines()), seed
            assert "1234" not in str(exc).replace(str(narrative), ""), seed
            outcomes.add("refused")
            if seed % 10 == 0:  # the command says the same, before anything is written
                run = run_html(runner, folder)
                check(run, f"run, narrative {seed}")
                assert run.exit_code == 2 and not (tmp_path / "register-out").exists(), seed
            continue
        outcomes.add("published")
        for chapter in chapters:
            assert clean_html(chapter.html).removed == [], seed  # nothing in it would run or load
            assert not cpr_like(chapter.html) and "privat note" not in chapter.html, seed
    assert outcomes == {"refused", "published"}


# Word narratives, mutated as a hostile or damaged .docx would be: its XML parts (an attribute twice, a
# document type with entities, elements removed, doubled, renamed or cut short, hidden or tracked text, a
# CPR-like number, a relationship to nowhere) and the archive itself (a part gone, the file cut short).
# Each must be published inert or refused with a message; never another exception.
WORD_FILES = 150
WORD_PARTS = 5
_HOSTILE_TEXT = ["Borgeren 010190-1234 ringede.", "<script>alert(1)</script>", "javascript:alert(1)", "\u200b",
                 "æøå" * 200, "&amp;", "]]>", "010190 1234"]


def _word_base(folder):
    import docx

    document = docx.Document()
    document.add_heading("Forord", 1)
    document.add_paragraph("Året bød på flere klager.")
    document.add_heading("Anbefalinger", 1)
    document.add_paragraph("Svar hurtigere", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "Område", "12"
    document.add_heading("Kontakt", 1)
    document.add_paragraph("Ring til os.").add_run(" Hverdage.").bold = True
    path = folder / "base.docx"
    document.save(path)
    return path


def _mutated_part(xml: bytes, rng: random.Random) -> bytes:
    from lxml import etree

    how = rng.random()
    if how < 0.08:
        return xml[: rng.randrange(len(xml))]  # cut short
    if how < 0.16:  # a document type whose entity the text uses
        head, _sep, rest = xml.partition(b"?>")
        return head + b'?><!DOCTYPE x [<!ENTITY e "' + b"e" * rng.randrange(1, 50) + b'">]>' + rest.replace(
            b"</w:t>", b"&e;</w:t>", 1)
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:  # broken by an earlier mutation already
        return xml[: rng.randrange(len(xml))]
    elements = list(root.iter())
    element = rng.choice(elements)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    if how < 0.3 and element is not root:
        element.getparent().remove(element)
    elif how < 0.42 and element is not root:
        for _ in range(rng.choice([1, 2, 50])):
            element.addnext(etree.fromstring(etree.tostring(element)))
    elif how < 0.5:
        element.tag = rng.choice([f"{{{w}}}nosuch", f"{{{w}}}p", f"{{{w}}}del", f"{{{w}}}ins", "plain"])
    elif how < 0.62:
        texts = [e for e in elements if e.tag == f"{{{w}}}t"] or [element]
        rng.choice(texts).text = rng.choice(_HOSTILE_TEXT)
    elif how < 0.7:
        element.set(rng.choice([f"{{{w}}}val", "Target", "Id", "TargetMode", f"{{{w}}}styleId"]),
                    rng.choice(["", "0", "rId999", "http://host/x.png", "External", "../../etc/passwd", "Heading1"]))
    elif how < 0.8:
        runs = [e for e in elements if e.tag == f"{{{w}}}r"]
        if runs:
            properties = etree.SubElement(rng.choice(runs), f"{{{w}}}rPr")
            etree.SubElement(properties, f"{{{w}}}vanish")
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if how >= 0.8:  # an attribute given twice: no XML library writes it, so it is written here
        xml = re.sub(rb"<([\w:]+) ", rb'<\1 x="1" x="2" ', xml, count=1)
    return xml


def mutated_word(base, seed, path):
    import zipfile

    rng = random.Random(seed)
    with zipfile.ZipFile(base) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for _ in range(rng.randint(1, 3)):
        name = rng.choice(sorted(parts))
        if rng.random() < 0.08:
            del parts[name]
        elif name.endswith((".xml", ".rels")):
            parts[name] = _mutated_part(parts[name], rng)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    data = stream.getvalue()
    path.write_bytes(data[: rng.randrange(len(data))] if rng.random() < 0.05 else data)
    return path


@pytest.mark.parametrize("part", parts(WORD_PARTS))
def test_mutated_word_narratives_are_published_inert_or_refused_with_a_message(make_register, tmp_path, part):
    from reportlib.exceptions import ReportlibError
    from reportlib.identifiers import cpr_like
    from reportlib.report.narrative import read_narrative
    from reportlib.report.sanitize import clean_html

    runner = CliRunner()
    folder = make_register()
    base = _word_base(tmp_path)
    narrative = folder / "beretning_2018-11-01_2019-10-31.docx"
    outcomes = set()
    for seed in range(part, WORD_FILES, WORD_PARTS):
        mutated_word(base, seed, narrative)
        try:
            chapters = read_narrative(narrative).chapters
        except ReportlibError as exc:
            assert str(exc).startswith(str(narrative)), (seed, str(exc))
            assert "1234" not in str(exc).replace(str(narrative), ""), seed
            outcomes.add("refused")
            if seed % 25 == part:  # the command says the same, before anything is written
                run = run_html(runner, folder)
                check(run, f"run, Word narrative {seed}")
                assert run.exit_code == 2 and not (tmp_path / "register-out").exists(), seed
            continue
        outcomes.add("published")
        for chapter in chapters:
            assert clean_html(chapter.html).removed == [], seed
            assert not cpr_like(chapter.html) and "<script" not in chapter.html.lower(), seed
    assert outcomes == {"refused", "published"}


# Network documents: a member's figures.json and a network's network.json, as a hand edit, a broken export or an
# attacker leaves them: numbers JSON should not hold (NaN, Infinity) or no count can be (-1, 1e308, 10**400, 2.5,
# "12"), keys gone, renamed or given twice, lists emptied, nesting changed, averages altered. Each goes through
# what the commands do with it, in process: a member's document through read_members and network() (`reportlib
# network`) and as the report's own figures (load_beretning's figurer, with the network's section); a network.json
# through read_network and the member's section (`reportlib run --network`). The first refused and the first
# accepted of each part also go through the command line (an accepted network.json only in process: its run would
# start a kernel). Each gives a result whose every number is finite and at most 15 digits long, or a refusal
# (exit 2) of one line per problem; never an exception.
NETWORK_DOCUMENTS = 240  # of each kind
NETWORK_PARTS = 3
MEMBER_YML = KOMMUNE_YML + "indbyggere: 8000\nmaal_sagsbehandlingstid_dage: 14\n"
YEAR = ("2018-11-01", "2019-10-31")


class Raw(str):
    """JSON text written as it is: a number no float holds (1e400 reads as infinite)."""


class Pairs(list):
    """A JSON object as (key, value) pairs, so that it can give a key twice (json.loads keeps the last)."""


BAD_NUMBERS = [float("nan"), float("inf"), float("-inf"), -1, -0.5, 1e308, 1e300, 1e22, 10**20, 10**400, 2.5, 0.1,
               "12", "", True, None, [], {}, Raw("1e400"), Raw("-1e400"), Raw("-0")]
BAD_TEXTS = ["", " ", "x", "2025-02-30", "2019-10-31T00:00", "20191031", "Øby Kommune", "theme:x", 0, None, ["a"]]


def dumps(value):
    """JSON text of ``value`` (NaN and Infinity as Python's json writes them), a Pairs' key as often as given."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict | Pairs):
        pairs = value.items() if isinstance(value, dict) else value
        return "{" + ", ".join(f"{json.dumps(key, ensure_ascii=False)}: {dumps(item)}" for key, item in pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(dumps, value)) + "]"
    return json.dumps(value, ensure_ascii=False)


def places(value, path=()):
    """Every (path, value) under ``value``; a Pairs is not gone into."""
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*path, key))
    elif type(value) is list:
        for index, item in enumerate(value):
            yield from places(item, (*path, index))


def parent(root, path):
    for key in path[:-1]:
        root = root[key]
    return root


def mutated_document(document, seed, averages=False):
    """JSON text of ``document`` with one to three structure-aware mutations; ``averages``: a network's, altered too."""
    rng = random.Random(seed)
    document = json.loads(json.dumps(document))
    for _ in range(rng.randint(1, 3)):
        where = list(places(document))
        numbers = [(p, v) for p, v in where if type(v) in (int, float)]
        keyed = [(p, v) for p, v in where if isinstance(parent(document, p), dict)]
        lists = [(p, v) for p, v in where if type(v) is list and v]
        action = rng.random()
        if action < 0.35 and numbers:
            path, _value = rng.choice(numbers)
            parent(document, path)[path[-1]] = rng.choice(BAD_NUMBERS)
        elif action < 0.42:
            path, _value = rng.choice([(p, v) for p, v in where if isinstance(v, str)] or where)
            parent(document, path)[path[-1]] = rng.choice(BAD_TEXTS)
        elif action < 0.54 and keyed:  # a key gone
            path, _value = rng.choice(keyed)
            del parent(document, path)[path[-1]]
        elif action < 0.62 and keyed:  # a key renamed
            path, value = rng.choice(keyed)
            owner = parent(document, path)
            del owner[path[-1]]
            owner[rng.choice([f"{path[-1]}_", path[-1].upper(), f" {path[-1]}"])] = value
        elif action < 0.7 and keyed:  # a key given twice, the other value first or last
            path, value = rng.choice(keyed)
            owner, other = parent(document, path), rng.choice([*BAD_NUMBERS, "x", {"a": 1}])
            pairs = Pairs((key, item) for key, item in owner.items())
            pairs.insert(rng.choice([0, len(pairs)]), (path[-1], other))
            if len(path) == 1:
                document = pairs
                break
            parent(document, path[:-1])[path[-2]] = pairs
        elif action < 0.8 and lists:  # a list emptied, cut short or with an item twice
            path, value = rng.choice(lists)
            parent(document, path)[path[-1]] = rng.choice([[], value[1:], [value[0], *value], value[::-1]])
        elif action < 0.9 and where:  # nesting changed
            path, value = rng.choice(where)
            parent(document, path)[path[-1]] = rng.choice(
                [[value], {"value": value}, list(value.values()) if isinstance(value, dict) else value])
        elif averages and (groups := [group for path, group in where if isinstance(group, dict) and "average" in group
                                      and (path[-1] == "network" or "bands" in path[-2:-1])]):
            group = rng.choice(groups)  # an average, or the members it is over, not what its values give
            known = group["average"] if type(group["average"]) in (int, float) else 10
            group.update(rng.choice([{"average": known + 1}, {"average": known + 0.1}, {"average": None},
                                     {"average": 0}, {"members": 99}, {"left_out": []}]))
        elif numbers:
            path, _value = rng.choice(numbers)
            parent(document, path)[path[-1]] = rng.choice(BAD_NUMBERS)
    return dumps(document)


def shown(text, what):
    """No number written as infinite or not a number, and none longer than 15 digits."""
    assert not re.search(r"(?i)\b(?:nan|inf|infinity)\b", text), (what, text[:2000])
    longest = max((len(re.sub(r"\D", "", number)) for number in re.findall(r"\d[\d.,\u00a0]*", text)), default=0)
    assert longest <= 15, (what, text[:2000])


def refused(exc, what):
    """A refusal the command line gives as exit 2: one line per problem, naming the constant only to say it is none."""
    assert isinstance(exc, InputError), (what, exc)
    lines = str(exc).splitlines()
    assert lines and all(line.strip() for line in lines), (what, str(exc))
    shown(re.sub(r"(?:NaN|-?Infinity) is no number reportlib writes", "", str(exc)), what)


def numbers_shown(document, what):
    """Every number of a network document a report writes is finite and short."""
    for _path, value in places(document):
        if type(value) in (int, float):
            assert math.isfinite(value) and abs(value) < 10**15, (what, _path, value)


@pytest.fixture
def network_setup(make_register, tmp_path):
    """Testby (its register; its own figures.json) among four neighbours, and the network.json of all five."""
    from network_members import LILLEBY, NABO, OESTBY, STORBY
    from network_members import write as write_member
    from reportlib import load_register
    from reportlib.figures.document import figures
    from reportlib.figures.network import network
    from reportlib.figures.network_documents import read_members
    from reportlib.periods import parse_period

    folder = make_register(kommune=MEMBER_YML)
    own = figures(load_register(folder), parse_period("2018/19", 11))
    neighbours = [write_member(tmp_path / f"{name}.json", document) for name, document in
                  (("nabo", NABO), ("lilleby", LILLEBY), ("oestby", OESTBY), ("storby", STORBY))]
    document = network(read_members([write_member(tmp_path / "testby.json", own), *neighbours]))
    network_file = write_member(tmp_path / "network.json", document)
    return folder, own, neighbours, document, network_file


@pytest.mark.parametrize("part", parts(NETWORK_PARTS))
def test_mutated_members_figures_give_a_network_and_a_report_or_a_clean_refusal(network_setup, tmp_path, part):
    from reportlib.exceptions import FiguresMismatch, NetworkInvalid
    from reportlib.figures.network import network
    from reportlib.figures.network_documents import read_members
    from reportlib.report.network import member_rows

    folder, own, neighbours, _document, network_file = network_setup
    runner, outcomes, on_command_line = CliRunner(), set(), set()
    for seed in range(part, NETWORK_DOCUMENTS, NETWORK_PARTS):
        path = tmp_path / f"member{seed}.json"
        path.write_text(mutated_document(own, seed), encoding="utf-8")
        what = f"figures.json, seed {seed}"
        try:  # reportlib network: the member among its neighbours
            members = read_members([path, *neighbours])
        except NetworkInvalid as exc:
            refused(exc, what)
            outcome = "refused"
        else:
            made = network(members)
            numbers_shown(made, what)
            member = next(m for m in members if m.file == path)
            shown(" ".join(" ".join(row.values()) for row in member_rows(member.comparable, made)), what)
            outcome = "made"
        outcomes.add(outcome)
        if outcome not in on_command_line:  # the first of each outcome of the part as the command gives it
            on_command_line.add(outcome)
            result = runner.invoke(main, ["network", *(f"--figures={f}" for f in (path, *neighbours)), "--out",
                                          str(tmp_path / f"out{seed}"), "--format", "html"])
            check(result, f"network, {what}")
            shown(result.output, what)
            assert result.exit_code == (2 if outcome == "refused" else 0), (what, result.output)
        try:  # reportlib run --network: the member's own figures, handed to its report
            beretning = load_beretning(folder, *YEAR, figurer=path, netvaerk=network_file)
        except (FiguresMismatch, NetworkInvalid) as exc:
            refused(exc, what)
            continue
        outcomes.add("reported")
        for name in SECTIONS:
            section = beretning.section(name)
            shown(text_of(section.html) if section else "", f"{what}, section {name}")
    assert outcomes == {"refused", "made", "reported"}  # the mutations reach every outcome


@pytest.mark.parametrize("part", parts(NETWORK_PARTS))
def test_mutated_network_json_gives_the_members_section_or_a_clean_refusal(network_setup, tmp_path, part):
    import dataclasses

    from reportlib.exceptions import NetworkInvalid
    from reportlib.figures.network_documents import read_network

    folder, own, _neighbours, document, network_file = network_setup
    beretning = load_beretning(folder, *YEAR, netvaerk=network_file)
    runner, outcomes = CliRunner(), set()
    for seed in range(part, NETWORK_DOCUMENTS, NETWORK_PARTS):
        path = tmp_path / f"network{seed}.json"
        path.write_text(mutated_document(document, seed, averages=True), encoding="utf-8")
        what = f"network.json, seed {seed}"
        try:
            read = read_network(path, period=own["period"], version=own["comparable"]["version"])
        except NetworkInvalid as exc:
            refused(exc, what)
            if "refused" not in outcomes:  # refused by the command before anything is written or run
                result = runner.invoke(main, ["run", "--period", "2018/19", "--data", str(folder), "--network",
                                              str(path), "--out", str(tmp_path / f"out{seed}"), "--format", "html"])
                check(result, f"run --network, {what}")
                shown(result.output, what)
                assert result.exit_code == 2 and not (tmp_path / f"out{seed}").exists(), (what, result.output)
            outcomes.add("refused")
            continue
        section = dataclasses.replace(beretning, network=read).section("network")
        shown(text_of(section.html), what)
        outcomes.add("shown")
    assert outcomes == {"refused", "shown"}


@pytest.mark.parametrize("seed", [0, 1])
def test_the_document_mutations_are_the_same_every_time(seed):
    from network_members import ABY

    assert mutated_document(ABY, seed, averages=True) == mutated_document(ABY, seed, averages=True)
    assert mutated_document(ABY, seed) != json.dumps(ABY, ensure_ascii=False)
