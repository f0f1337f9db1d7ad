"""Shared fixtures: a small hand-made register whose figures can be worked out on paper."""

from __future__ import annotations

import datetime as dt
import html
import http.server
import os
import re
import threading
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # no screen in CI

from reportlib import RegisterInvalid, load_register

ROOT = Path(__file__).resolve().parents[1]  # the clone the tests run in
FIXTURES = ROOT / "tests" / "fixtures"
LOCK = ROOT / "requirements.lock"
INSTALLER_LOCK = ROOT / "requirements-pip.lock"  # pip itself, installed first
TODAY = dt.date(2026, 11, 26)

KOMMUNE_YML = """\
kommune: Testby Kommune
funktion: Borgerrådgiveren
periode_start_maaned: 11
henvendelsestyper: [Anden henvendelse, Klage]
kanaler: [Telefon, Skriftlig]
udfald: [Vejledt, Afvist]
aktiviteter: [Eksternt oplæg, Åben rådgivning]
omraader:
  Social:
    - Jobcenter
    - Ydelser
  Teknik:
    - Vej/park
emner:
  Forvaltningsloven:
    - Partshøring
    - Sagsbehandlingstid
  Øvrige:
    - Andet
"""
# What make_register adds to a kommune.yml that says nothing of it: the test registers hold every case
# and activity of the reporting year 2018/19 (reportlib.figures.coverage), whatever their few dates.
COMPLETE_2018_19 = "komplet_fra: 2018-11-01\nkomplet_til: 2019-10-31\n"
# The registers whose few cases of 2017/18 are compared with 2018/19: complete for both years, and for
# November 2019, the month of their last cases.
COMPLETE_FROM_2017_18 = "komplet_fra: 2017-11-01\nkomplet_til: 2019-11-30\n"

SAGER = """\
sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand,note
S1,2019-01-10,2019-01-20,Klage,Telefon,Vejledt,ja,,Jytte Testesen 010190-1234
S2,2019-02-01,,Anden henvendelse,,,,,
"""

PROBLEMSTILLINGER = """\
sag_id,omraade,center,emne,primaer
S1,Social,Jobcenter,Partshøring,
S1,Teknik,Vej/park,Andet,ja
S2,Social,Ydelser,Sagsbehandlingstid,
"""

AKTIVITETER = """\
dato,aktivitet,antal_borgere,beskrivelse
2019-09-02,Åben rådgivning,3,Biblioteket
"""

DEFAULT_TABLES = {"sager": SAGER, "problemstillinger": PROBLEMSTILLINGER, "aktiviteter": AKTIVITETER}

# Tables with the optional parts, for KOMMUNE_PARTS_YML: methods and results, own initiative, recommendations.
PARTS_SAGER = """\
sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand,metode,resultat
S1,2019-01-10,2019-01-20,Klage,Telefon,Vejledt,ja,,undersøgelse,Delvis kritik
S2,2019-02-01,,Anden henvendelse,,,,,,
"""
PARTS_AKTIVITETER = """\
dato,aktivitet,antal_borgere,omraade
2019-09-02,Åben rådgivning,3,
2019-10-01,Egen drift,,Teknik
"""
PARTS_ANBEFALINGER = """\
periode,nr,anbefaling,omraade,status,status_dato
2017/18,1,Svar inden for fristen,Social,Ny,2018-10-31
2017/18,1,Svar inden for fristen,Social,Fulgt,2019-10-31
2018-11-01:2019-04-30,2,Klar klagevejledning,,igangsat,2019-04-30
"""

# KOMMUNE_YML with the keys of the register's optional parts (docs/register.md): methods, results of
# three kinds, an own-initiative activity, and the statuses of recommendations.
KOMMUNE_PARTS_YML = KOMMUNE_YML.replace("aktiviteter: [Eksternt oplæg, Åben rådgivning]",
                                        "aktiviteter: [Eksternt oplæg, Åben rådgivning, Egen drift]") + """\
metoder: [Vejledning, Dialog, Undersøgelse]
resultater:
  Kritik: kritik
  Delvis kritik: kritik
  Ingen kritik: ingen kritik
  Ikke undersøgt: ikke undersøgt
egen_drift: Egen drift
anbefaling_status:
  Ny: ikke fulgt
  Igangsat: ikke fulgt
  Fulgt: fulgt
"""


# The seed report's figures (docs: seed-figures.md), as rows of the report's tables: in its HTML, PDF and Word.
SEED_ROWS = [
    "Sager i alt 114", "Heraf klager 50", "Anden henvendelse 64 56 %",
    "Arbejdsmarked/Social & Sundhed 72 63 %", "Børn og Unge/Skole/Kultur 30 26 %",
    "By, Erhverv og miljø, Opkrævning 12 11 %",
    "Jobcenter 26 26 % Ydelser 14 14 % Hjælpemidler og visitation 26 26 % Handicap og psykiatri 24 24 % "
    "Pleje og omsorg 10 10 %",
    "Familie 17 30 % Handicap 15 26 % Dagtilbud 3 5 % Skoler 20 35 % Kultur 2 4 %",
    "Opkrævning 4 18 % Ejendomme 2 9 % Bolig 8 37 % Anlæg/plan 4 18 % Vej/park 4 18 %",
    "God forvaltningsskik/Forvaltningsloven 27 54 %", "Hjemmelsspørgsmål 10 20 %",
    "Møder med forvaltningen, hvor borgerrådgiveren deltog 16", "Hjælp til at klage til en klageinstans 5",
    "Eksternt oplæg 8 Internt oplæg 10 Åben rådgivning 9",
]


# The example register's reports, published once per test session (across pytest-xdist's workers)
# by the command a user runs, and shared by every module that reads them. Read them only: a test
# that changes a report works on a copy (shared_report_copy).
EXAMPLE_REPORTS = {"2018/19": ("2018-11-01_2019-10-31", "html,pdf"), "2019/20": ("2019-11-01_2020-10-31", "html"),
                   "2020/21": ("2020-11-01_2021-10-31", "html")}


# The example's 2018/19 report with its Word document too, in a folder of its own: its HTML and PDF
# are compared with those of the run above, which writes no Word document.
EXAMPLE_WORD_REPORT = {"2018/19": ("2018-11-01_2019-10-31", "html,pdf,docx")}


def _published_once(tmp_path_factory, name: str, reports: dict[str, tuple[str, str]]) -> dict[str, Path]:
    """Run `reportlib run` for each period once per test session (across pytest-xdist's workers) into ``name``."""
    from click.testing import CliRunner
    from filelock import FileLock

    from reportlib.cli import main

    # One folder for every worker of this session: an xdist worker's base is popen-gwN in the session's own.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / name
    with FileLock(shared / f"{name}.lock"):
        for period, (slug, formats) in reports.items():
            if not (out / slug / "manifest.json").is_file():
                result = CliRunner().invoke(main, ["run", "--period", period, "--out", str(out), "--format", formats])
                assert result.exit_code == 0, result.output
    return {period: out / slug for period, (slug, _) in reports.items()}


@pytest.fixture(scope="session")
def example_reports(tmp_path_factory) -> dict[str, Path]:
    """Period name -> the published report folder of the example register (2018/19 with its PDF)."""
    return _published_once(tmp_path_factory, "example-reports", EXAMPLE_REPORTS)


@pytest.fixture(scope="session")
def example_word_report(tmp_path_factory) -> Path:
    """The published report folder of the example's 2018/19, with its HTML, PDF and Word document."""
    return _published_once(tmp_path_factory, "example-word-report", EXAMPLE_WORD_REPORT)["2018/19"]


@pytest.fixture
def shared_report_copy(example_reports, tmp_path) -> Path:
    """A copy of the published 2018/19 report, in an outputs folder of this test's own."""
    import shutil

    source = example_reports["2018/19"]
    return Path(shutil.copytree(source, tmp_path / "outputs" / source.name))


@pytest.fixture
def no_kernel(monkeypatch):
    """Stand in for the notebook's execution with a notebook of one Markdown cell: no kernel starts.

    For the tests of what happens around the execution (the cache, the output folder, the disk),
    where what the notebook shows does not matter.
    """
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    from reportlib.publish import execute as execute_module
    def execute(notebook, executed, parameters, document, target, timeout, read=(), *, keep_kernel=False):
        stand_in = new_notebook(cells=[new_markdown_cell("## Beretning\n\nDen kørte notesbog er her en stand-in.")])
        nbformat.write(stand_in, executed)
        return stand_in

    monkeypatch.setattr(execute_module, "execute", execute)


@pytest.fixture(autouse=True)
def starts_only_what_it_is_marked_for(request, monkeypatch):
    """Fail a test that starts a kernel or a browser without its mark, so `make check` can leave those out.

    Only what starts in this process is seen; a test that runs a command which starts a kernel
    (test_batch, test_packaging) is marked by hand.
    """
    if request.node.get_closest_marker("kernel") is None:
        from jupyter_client.provisioning.local_provisioner import LocalProvisioner

        async def unmarked(*args, **kwargs):  # where every kernel jupyter_client starts on this machine starts
            raise RuntimeError(f"{request.node.nodeid} starts a kernel: mark it @pytest.mark.kernel")

        monkeypatch.setattr(LocalProvisioner, "launch_kernel", unmarked)
    if request.node.get_closest_marker("browser") is None:
        import browser

        def unmarked_browser(*args, **kwargs):
            raise RuntimeError(f"{request.node.nodeid} starts a browser: mark it @pytest.mark.browser")

        monkeypatch.setattr(browser, "_node", unmarked_browser)


@pytest.fixture(autouse=True)
def messages_in_english():
    """Start and end every test in the default language: the command line sets REPORTLIB_SPROG for good."""
    from reportlib.language import ENVIRONMENT_VARIABLE

    os.environ.pop(ENVIRONMENT_VARIABLE, None)
    yield
    os.environ.pop(ENVIRONMENT_VARIABLE, None)


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, as seaborn's own suite does."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def said_complete(kommune: str, complete: str | None = COMPLETE_2018_19) -> str:
    """``kommune`` (a kommune.yml) with ``complete`` added, unless it says which days are complete itself."""
    said = "komplet_fra" in kommune or "komplet_til" in kommune
    return kommune if said or complete is None else kommune.rstrip("\n") + "\n" + complete


@pytest.fixture
def make_register(tmp_path):
    """Return a function writing a register folder; pass a table's CSV text to replace or add it, None to omit it.

    The kommune.yml written says the register is complete for 2018/19 (``complete``; None: let its dates say).
    """

    def make(kommune: str | None = KOMMUNE_YML, encoding: str = "utf-8", complete: str | None = COMPLETE_2018_19,
             **tables: str | None) -> Path:
        folder = tmp_path / "register"
        folder.mkdir(exist_ok=True)
        if kommune is not None:
            (folder / "kommune.yml").write_text(said_complete(kommune, complete), encoding="utf-8")
        for name, default in {**DEFAULT_TABLES, **tables}.items():
            text = tables.get(name, default)
            if text is not None:
                (folder / f"{name}.csv").write_bytes(text.encode(encoding))
        return folder

    return make


@pytest.fixture
def parts_folder(make_register):
    """The register of tests/parts_register.py, which has every optional part; its figures are worked out there."""
    import parts_register

    return make_register(kommune=KOMMUNE_PARTS_YML, complete=COMPLETE_FROM_2017_18, sager=parts_register.SAGER,
                         problemstillinger=parts_register.PROBLEMSTILLINGER, aktiviteter=parts_register.AKTIVITETER,
                         anbefalinger=parts_register.ANBEFALINGER)


@pytest.fixture
def probe():
    """A local HTTP server that records every request it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def published_report(folder: Path, files: dict[str, str], key: str = "the key of an earlier run") -> Path:
    """Write ``folder`` as a run publishes a report: the files, and a manifest that lists them with their digests."""
    import hashlib
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    outputs = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in files}
    (folder / "manifest.json").write_text(json.dumps({"cache_key": key, "outputs": outputs}), encoding="utf-8")
    return folder


def write_workbook(path: Path, tables: dict[str, list[list]]) -> Path:
    """Write a workbook of one sheet per table, its rows as given (the first the header)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def text_of(markup: str) -> str:
    """The visible text of HTML, whitespace collapsed (a <wbr> is a place to break, not a space)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<wbr\s*/?>", "", markup))).split())


def problems_of(folder: Path) -> list[str]:
    """Return the problem messages loading ``folder`` raises."""
    with pytest.raises(RegisterInvalid) as caught:
        load_register(folder, today=TODAY)
    return [str(p) for p in caught.value.problems]


def kommune_problems(folder: Path, text: str) -> list[str]:
    """The problems load_kommune finds in a kommune.yml of this text, as messages."""
    from reportlib import RegisterInvalid, load_kommune

    (folder / "kommune.yml").write_text(text, encoding="utf-8")
    with pytest.raises(RegisterInvalid) as caught:
        load_kommune(folder)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def workbook_folder(tmp_path):
    """A new register folder: KOMMUNE_YML and its new, empty register.xlsx (the template)."""
    from reportlib import load_kommune
    from reportlib.register.workbook import write_new_workbook

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
