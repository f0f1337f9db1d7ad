"""`reportlib run` end to end on the example register: files, figures, privacy, determinism, failure.

One real run (module fixture) is shared by the read-only tests; the others make their own.
"""

import base64
import contextlib
import csv
import datetime as dt
import errno
import getpass
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from filelock import FileLock
from nbconvert.exporters import get_exporter
from nbformat.v4 import new_code_cell, new_markdown_cell
from pypdf import PdfReader

import network_members
from conftest import INSTALLER_LOCK, LOCK, ROOT, SEED_ROWS, text_of
from locks import locked_versions
from network_members import LILLEBY, NABO, OESTBY, STORBY
from reportlib.cli import main
from reportlib.exceptions import RunFailed
from reportlib.figures.network import network
from reportlib.figures.network_documents import read_members
from reportlib.paths import DATA_RAW, REPORT_NOTEBOOK
from reportlib.periods import parse_period, reporting_year_of
from reportlib.publish import execute as execute_module
from reportlib.publish import freshness
from reportlib.publish.manifest import code_identity
from reportlib.publish.network import publish_network
from reportlib.publish.run import run_period

SLUG = "2018-11-01_2019-10-31"
FILES = ["beretning.html", "beretning.ipynb", "beretning.pdf", "figures.json", "manifest.json"]



def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def invoke(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def report(example_reports):
    """The example's 2018/19 report as `reportlib run --period 2018/19` published it (shared: read only)."""
    return example_reports["2018/19"]


@pytest.mark.kernel
def test_run_publishes_the_five_files_and_nothing_else(report):
    assert sorted(p.name for p in report.iterdir()) == FILES
    leftovers = [p.name for p in report.parent.iterdir() if not p.name.endswith((SLUG, f".{SLUG}.lock"))
                 and not p.name.startswith(("20", ".20"))]  # the other example periods share the folder
    assert leftovers == [] and not list(report.parent.glob(f".{SLUG}.*partial*"))


@pytest.mark.kernel
def test_manifest_records_inputs_outputs_and_environment(report):
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == {"start": "2018-11-01", "end": "2019-10-31"}
    # The register folder and the notebook as the clone names them (the public folder says nothing of the machine).
    assert manifest["parameters"] == {"periode_start": "2018-11-01", "periode_slut": "2019-10-31",
                                      "data_dir": "data/raw", "min_celle": -1, "narrativ": "", "dato": "",
                                      "moede": "", "netvaerk": "", "formats": ["html", "pdf"],
                                      "notebook": "notebooks/beretning.ipynb", "udkast": False,
                                      "foreloebig": False}
    assert manifest["warnings"] == []  # the example narrative has every chapter the notebook places
    for name in ("sager.csv", "problemstillinger.csv", "aktiviteter.csv", "kommune.yml", f"beretning_{SLUG}.md"):
        assert manifest["inputs"][name] == hashlib.sha256((DATA_RAW / name).read_bytes()).hexdigest()
    assert manifest["inputs"]["notebooks/beretning.ipynb"] == hashlib.sha256(REPORT_NOTEBOOK.read_bytes()).hexdigest()
    assert manifest["outputs"] == {name: hashlib.sha256((report / name).read_bytes()).hexdigest()
                                   for name in FILES if name != "manifest.json"}
    expected_key = freshness.plan(parse_period("2018/19", 11), data=DATA_RAW, out=report.parent,
                                  formats=("html", "pdf"), min_celle=None, notebook=REPORT_NOTEBOOK).key
    assert manifest["cache_key"] == expected_key
    assert manifest["code"] == code_identity()  # what a batch's worker checks against before it runs a period
    assert {"python", "platform", "packages"} <= manifest["environment"].keys()
    assert manifest["environment"]["packages"]["papermill"]
    assert manifest["duration_s"] > 0 and manifest["started"] <= manifest["finished"]


@pytest.mark.kernel
def test_manifest_lists_exactly_the_locked_packages_at_their_locked_versions(report):
    """The set-up installs pip from its lock, then requirements.lock: the manifest lists theirs, and reportlib."""
    packages = json.loads((report / "manifest.json").read_text(encoding="utf-8"))["environment"]["packages"]
    locked = locked_versions(INSTALLER_LOCK, LOCK)
    assert {name: packages.get(name) for name in locked} == locked
    assert set(packages) - set(locked) == {"reportlib"}, "installed but not locked: make clean-venv"


@pytest.mark.kernel
def test_html_shows_the_seed_figures_and_the_narrative_in_place(report):
    text = text_of((report / "beretning.html").read_text(encoding="utf-8"))
    for row in SEED_ROWS:
        assert row in text
    headings = re.findall(r'<h2 id="[^"]+">(.*?)</h2>', (report / "beretning.html").read_text(encoding="utf-8"))
    # The example register has the optional parts: criticism, methods and own initiative are shown; the trend
    # and the follow-up of earlier recommendations need a year before 2018/19, the register's first.
    assert headings == ["Året i tal", "Indhold", "Forord", "Resumé", "Anbefalinger", "Indledning", "Sager",
                        "Sager fordelt på områder",
                        "Problemstillinger fordelt på centre", "Klager og emner", "Undersøgelser og kritik",
                        "Kontaktform og udfald", "Sådan blev sagerne behandlet",
                        "Møder og klagebistand", "Sagsbehandlingstid og åbne sager", "Udadrettede aktiviteter",
                        "Undersøgelser af egen drift", "Sagseksempler", "Hvad efterspørger borgerne",
                        "Hvad sker der herefter", "Om tallene", "Kontakt"]


@pytest.mark.kernel
def test_pdf_shows_the_seed_figures_with_page_numbers(report):
    text = pdf_text(report / "beretning.pdf").replace("/ ", "/")  # a long label may wrap after its slash
    for row in SEED_ROWS:
        assert row in text
    pages = len(PdfReader(report / "beretning.pdf").pages)
    assert f"Side {pages} af {pages}" in text


@pytest.mark.kernel
def test_html_is_danish_titled_and_fetches_nothing(report):
    page = (report / "beretning.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in page
    assert "<title>Beretning fra Borgerrådgiveren, Ballerup Kommune, 2018/19</title>" in page
    assert "<script" not in page and "<link" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    sources = re.findall(r'<img [^>]*src="([^"]+)"', page)
    # Twelve charts; the one own-initiative investigation is a table without a chart of one bar.
    assert len(sources) == 12 and all(src.startswith("data:image/svg+xml;base64,") for src in sources)
    assert len(re.findall(r"<img ", page)) == len(re.findall(r'<img [^>]*alt="[^"]{20,}"', page)) == 12


@pytest.mark.kernel
def test_figures_json_is_what_reportlib_figures_prints(report):
    printed = invoke("figures", "--period", "2018/19")
    assert printed.exit_code == 0
    assert (report / "figures.json").read_text(encoding="utf-8") == printed.stdout


@pytest.mark.kernel
def test_no_output_holds_notes_descriptions_case_ids_or_planted_identifiers(report):
    with (DATA_RAW / "sager.csv").open(encoding="utf-8", newline="") as stream:
        cases = list(csv.DictReader(stream))
    with (DATA_RAW / "aktiviteter.csv").open(encoding="utf-8", newline="") as stream:
        descriptions = [row["beskrivelse"] for row in csv.DictReader(stream) if row["beskrivelse"]]
    notes = [case["note"] for case in cases if case["note"]]
    joined = "\n".join(notes)
    cprs = re.findall(r"\d{6}-\d{4}", joined)
    phones = re.findall(r"\d{2} \d{2} \d{2} \d{2}", joined)
    names = re.findall(r"(?=([A-ZÆØÅ][a-zæøå]+ [A-ZÆØÅ][a-zæøå]+))", joined)
    assert len(cprs) > 10 and len(phones) > 10 and len(names) > 10  # the example register plants them
    secrets = set(notes + descriptions + cprs + phones + names + [case["sag_id"] for case in cases])
    texts = {name: (report / name).read_text(encoding="utf-8") for name in FILES if name != "beretning.pdf"}
    texts["beretning.pdf"] = pdf_text(report / "beretning.pdf")
    for name, text in texts.items():
        leaked = sorted(s for s in secrets if s in text)
        assert leaked == [], f"{name} contains {leaked[:5]}"


@pytest.mark.kernel
def test_a_rerun_replaces_the_report_with_identical_bytes_and_its_kernel_never_reads_the_register(
        shared_report_copy, tmp_path):
    """The same inputs give the same HTML, PDF and figures; and every input is read once, by the runner.

    The copy of the register, its kommune.yml and the narrative are changed as the notebook starts:
    the kernel makes the report of what the run read and checked all the same.
    """
    report = shared_report_copy
    before = {name: (report / name).read_bytes() for name in ("beretning.html", "beretning.pdf", "figures.json")}
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)

    def break_the_register(step):
        if step == "running the report notebook":
            (data / "sager.csv").write_text("not,a,register\n", encoding="utf-8")
            (data / "kommune.yml").write_text("kommune: [\n", encoding="utf-8")
            (data / f"beretning_{SLUG}.md").write_text("# Forord\n\nEn anden tekst.\n", encoding="utf-8")

    result = run_period(parse_period("2018-11-01:2019-10-31", 11), data=data, out=report.parent, force=True,
                        progress=break_the_register)
    assert result.outputs == tuple(FILES) and result.folder == report
    assert {name: (report / name).read_bytes() for name in before} == before


# Logs every file a process (and the kernel it starts) opens for reading in the register folder.
OPENS_LOGGED = """
import os, sys
def log(event, args):
    if event != "open" or not str(args[0]).startswith(os.environ["REGISTER"]):
        return
    if not set(str(args[1] or "r")) & set("wax"):
        with open(os.environ["OPENS_LOG"], "a", encoding="utf-8") as opened:
            opened.write(os.path.basename(str(args[0])) + "\\n")
sys.addaudithook(log)
"""


@pytest.mark.kernel
def test_a_run_opens_each_input_once_and_its_kernel_none(tmp_path):
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(OPENS_LOGGED, encoding="utf-8")
    log = tmp_path / "opened.txt"
    done = subprocess.run([sys.executable, "-m", "reportlib", "run", "--period", "2018/19", "--data", str(data),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(hooks), "REGISTER": str(data), "OPENS_LOG": str(log)})
    assert done.returncode == 0, done.stderr
    opened = log.read_text(encoding="utf-8").split()
    read = ["kommune.yml", "sager.csv", "problemstillinger.csv", "aktiviteter.csv", "anbefalinger.csv",
            f"beretning_{SLUG}.md"]
    assert sorted(opened) == sorted(name for name in read if (data / name).exists())


@pytest.mark.kernel
def test_a_failing_notebook_keeps_the_previous_report_and_says_where_the_failed_one_is(report, tmp_path,
                                                                                       monkeypatch):
    out = tmp_path / "outputs"
    shutil.copytree(report, out / SLUG)
    previous = snapshot(out / SLUG)
    broken = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    broken.cells.insert(4, new_code_cell('raise RuntimeError("planted failure")'))
    nbformat.write(broken, tmp_path / "broken.ipynb")
    failed = out / f"{SLUG}.failed.ipynb"

    with pytest.raises(RunFailed) as caught:
        run_period(parse_period("2018/19", 11), data=DATA_RAW, out=out, notebook=tmp_path / "broken.ipynb")
    assert str(caught.value).splitlines() == [
        # In [1] parameters, [2] papermill's injected parameters, [3] load, [4] title, [5] the planted cell.
        "the report notebook failed at In [5]: RuntimeError: planted failure",
        f"the executed notebook, with the error, is kept at {failed}",
        f"the published report in {out / SLUG} was left as it was",
    ]
    assert snapshot(out / SLUG) == previous
    assert "An Exception was encountered" in failed.read_text(encoding="utf-8")  # papermill's banner
    assert str(tmp_path) not in failed.read_text(encoding="utf-8") and str(ROOT) not in failed.read_text(
        encoding="utf-8")  # kept in the outputs folder, which is shared: named as a published notebook names them
    assert sorted(p.name for p in out.iterdir()) == [f".{SLUG}.lock", SLUG, failed.name]

    # The next good run (its notebook stood in for: what matters is what it does around it) replaces the
    # report and clears the failure; --format html writes no PDF.
    monkeypatch.setattr(execute_module, "execute", lambda notebook, executed, *args, **kwargs: (
        shutil.copyfile(report / "beretning.ipynb", executed), nbformat.read(executed, as_version=4))[1])
    result = invoke("run", "--period", "2018/19", "--out", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out / SLUG}: {', '.join(f for f in FILES if f != 'beretning.pdf')}\n"
    assert not failed.exists()
    assert sorted(p.name for p in (out / SLUG).iterdir()) == [f for f in FILES if f != "beretning.pdf"]


def test_an_invalid_register_writes_nothing(make_register, tmp_path):
    folder = make_register(sager="sag_id,modtaget,henvendelsestype\nS1,2019-13-01,Klage\n")
    out = tmp_path / "outputs"
    result = invoke("run", "--period", "2018/19", "--data", str(folder), "--out", str(out))
    assert result.exit_code == 2
    assert "sager.csv:2: column 'modtaget': value '2019-13-01'" in result.stderr
    assert not out.exists()


def test_a_second_run_of_the_same_period_is_refused_while_one_holds_the_lock(tmp_path):
    out = tmp_path / "outputs"
    out.mkdir()
    with FileLock(out / f".{SLUG}.lock"):
        result = invoke("run", "--period", "2018/19", "--out", str(out))
    assert result.exit_code == 1
    assert "another run of this period is in progress" in result.stderr
    assert not (out / SLUG).exists()


@pytest.mark.parametrize("formats", ["doc", "html,odt", "", ","])
def test_unknown_formats_are_refused(formats):
    result = invoke("run", "--period", "2018/19", "--format", formats)
    assert result.exit_code == 2
    assert "give one or more of html, pdf and docx" in result.stderr


def readme_section_example():
    """The README's worked example of adding a section: a Markdown cell and a chart cell."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("**Adding a section.**", 1)[1].split("`show(ax_or_figure", 1)[0]
    markdown = re.search(r"````markdown\n(.*?)\n````", example, re.S).group(1)
    code = re.search(r"```python\n(.*?)\n```", example, re.S).group(1)
    return markdown, code


def analyst_notebook(path):
    """The report notebook with an analyst's additions before the outreach section (see the test below)."""
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    at = next(i for i, cell in enumerate(notebook.cells) if cell.get("id") == "outreach")
    markdown, chart = readme_section_example()
    removed = new_code_cell('print("hemmelig udskrift")\n"FJERNET CELLE"')
    removed.metadata["tags"] = ["remove-cell"]
    notebook.cells[at:at] = [
        new_markdown_cell(markdown),
        new_code_cell(chart),
        new_code_cell('import seaborn as sns\n\nsns.barplot(x=["Vestegnen", "Østegnen"], y=[7, 2])'),
        new_code_cell('import pandas as pd\n\npd.DataFrame({"Kontaktform": ["Særlig kanal"], "Sager": [1234]})'),
        removed,
    ]
    nbformat.write(notebook, path)
    return path


def in_order(text, fragments):
    """Tell whether every fragment occurs in ``text``, each after the one before it."""
    position = 0
    for fragment in fragments:
        position = text.find(fragment, position)
        if position < 0:
            return False
        position += len(fragment)
    return True


@pytest.mark.kernel
def test_an_analysts_notebook_publishes_what_it_shows_in_order_and_nothing_else(tmp_path):
    out, notebook = tmp_path / "outputs", analyst_notebook(tmp_path / "variant.ipynb")
    result = invoke("run", "--period", "2018/19", "--out", str(out), "--notebook", str(notebook))
    assert result.exit_code == 0, result.output
    executed = nbformat.read(out / SLUG / "beretning.ipynb", as_version=4)
    unlabelled = next(c for c in executed.cells if "Vestegnen" in c.source).execution_count
    warning = (f'In [{unlabelled}]: chart without alt text; display it with reportlib.show(ax, alt="...") '
               "to describe it")
    assert result.stderr.count("warning:") == 1 and f"{SLUG}: warning: {warning}" in result.stderr
    manifest = json.loads((out / SLUG / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["warnings"] == [warning]
    assert manifest["parameters"]["notebook"] == "variant.ipynb"  # outside the clone: by its name
    assert manifest["inputs"]["variant.ipynb"] == hashlib.sha256(notebook.read_bytes()).hexdigest()

    page = (out / SLUG / "beretning.html").read_text(encoding="utf-8")
    assert in_order(page, [
        '<h2 id="møder-og-klagebistand">Møder og klagebistand</h2>',
        '<h2 id="de-hyppigste-emner">De hyppigste emner</h2>', "<p>Disse fem emner gik oftest igen i årets sager.</p>",
        'alt="Vandret søjlediagram over de fem hyppigste emner og antallet af problemstillinger om hvert"',
        'Figur 12.</span> De fem hyppigste emner</figcaption>', 'alt="Diagram uden tekstbeskrivelse"',
        "<td>Særlig kanal</td>", '<h2 id="udadrettede-aktiviteter">Udadrettede aktiviteter</h2>'])
    # The PDF shows the text in order; a chart's own text (SVG text) is extracted after the page's other
    # text, so the charts are placed by page: each on a page between the fragments around it.
    text = pdf_text(out / SLUG / "beretning.pdf")
    assert in_order(text, ["De hyppigste emner", "Disse fem emner gik oftest igen i årets sager.",
                           "Særlig kanal 1.234", "Udadrettede aktiviteter"])
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out / SLUG / "beretning.pdf").pages]
    found = [next(i for i, page in enumerate(pages) if fragment in page) for fragment in (
        "Disse fem emner", "Figur 12. De fem hyppigste emner", "Vestegnen Østegnen", "Særlig kanal 1.234")]
    assert found == sorted(found)
    for hidden in ("FJERNET CELLE", "hemmelig udskrift", "sns.barplot", "import ", "load_beretning", "&lt;Axes",
                   "nlargest"):
        assert hidden not in page and hidden not in text

    again = invoke("run", "--period", "2018/19", "--out", str(out), "--notebook", str(notebook), "--force",
                   "--format", "html")
    assert again.exit_code == 0, again.output
    # The same page, but for the link to a PDF, which this run did not make.
    pdf_link = '<p class="pdf-link"><a href="beretning.pdf">Hent beretningen som PDF</a></p>'
    assert pdf_link in page
    assert (out / SLUG / "beretning.html").read_text(encoding="utf-8") == page.replace(pdf_link, "")


@pytest.mark.kernel
def test_papermill_and_jupyter_nbconvert_give_the_report_reportlib_run_publishes(report, tmp_path):
    executed = tmp_path / "out.ipynb"
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "papermill", str(REPORT_NOTEBOOK), str(executed), "-p", "periode_start", "2018-11-01",
                    "-p", "periode_slut", "2019-10-31", "-p", "data_dir", str(DATA_RAW), "--cwd",
                    str(REPORT_NOTEBOOK.parent), "--no-progress-bar"], check=True, capture_output=True)
    done = subprocess.run([bin_dir / "jupyter", "nbconvert", "--to", "beretning", str(executed),
                           "--BeretningExporter.pdf_link=beretning.pdf"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.html").read_bytes() == (report / "beretning.html").read_bytes()
    # The PDF: the exporter nbconvert finds by the name `--to beretning_pdf` gives (the same lookup), in this
    # process; a command of its own would only add an interpreter's start.
    pdf, _ = get_exporter("beretning_pdf")().from_notebook_node(nbformat.read(executed, as_version=4))
    assert pdf == (report / "beretning.pdf").read_bytes()


# -- Faults: every one a message and an exit code, the published report untouched ----------------

def published_copy(report, tmp_path):
    out = tmp_path / "outputs"
    shutil.copytree(report, out / SLUG)
    return out, snapshot(out / SLUG)


@pytest.fixture
def current_report(tmp_path, no_kernel):
    """The example's 2018/19 report as published with a stand-in for the notebook: current for the example's inputs.

    Returns the outputs folder and the snapshot of the report.
    """
    out = tmp_path / "outputs"
    run_period(parse_period("2018/19", 11), data=DATA_RAW, out=out)
    return out, snapshot(out / SLUG)


def test_an_outputs_folder_that_cannot_be_written_is_exit_1_with_a_message(tmp_path):
    (tmp_path / "not-a-folder").write_text("x")
    result = invoke("run", "--period", "2018/19", "--out", str(tmp_path / "not-a-folder"), "--format", "html")
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'not-a-folder'}: cannot write the report there (" in result.stderr
    assert "Traceback" not in result.output


def test_a_full_disk_is_exit_1_and_leaves_the_published_report_and_no_staging(current_report, monkeypatch):
    out, before = current_report
    real_write_bytes = Path.write_bytes

    def full_disk(path, data):
        if path.name == "beretning.pdf":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    result = invoke("run", "--period", "2018/19", "--out", str(out), "--force")
    assert result.exit_code == 1
    assert "cannot write the report (No space left on device: " in result.stderr
    assert f"the published report in {out / SLUG} was left as it was" in result.stderr
    assert snapshot(out / SLUG) == before
    assert sorted(p.name for p in out.iterdir()) == [f".{SLUG}.lock", SLUG]
    with FileLock(out / f".{SLUG}.lock").acquire(timeout=0):  # released
        pass


def refuse_opening(monkeypatch, refused):
    """Make the files ``refused`` names unreadable to reportlib.inputs, as permissions would (the tests run as root)."""
    real = os.open

    def opening(path, flags, *args, **kwargs):
        if refused(path) and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", opening)


@pytest.mark.parametrize("unreadable", ["sager.csv", "kommune.yml"])
def test_an_unreadable_input_is_exit_2_naming_the_file(make_register, tmp_path, monkeypatch, unreadable):
    folder = make_register()
    real_open = Path.open

    def refuse(path, *args, **kwargs):
        if path.name == unreadable:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", lambda path: refuse(path, "rb").read())
    monkeypatch.setattr(Path, "read_text", lambda path, *a, **k: refuse(path).read())
    refuse_opening(monkeypatch, lambda path: os.path.basename(path) == unreadable)
    for command in (["run", "--period", "2018/19", "--out", str(tmp_path / "out")], ["validate"]):
        result = invoke(*command, "--data", str(folder))
        assert result.exit_code == 2, result.output
        assert f"{folder / unreadable}: cannot be read (Permission denied)" in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_an_unreadable_narrative_is_exit_2(make_register, tmp_path, monkeypatch):
    folder = make_register()
    narrative = folder / f"beretning_{SLUG}.md"
    narrative.write_text("# Forord\n", encoding="utf-8")
    real_open = Path.open

    def refuse(path, *args, **kwargs):  # the tests run as root, whom no file's permissions refuse
        if path == narrative:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    refuse_opening(monkeypatch, lambda path: os.fspath(path) == str(narrative))
    result = invoke("run", "--period", "2018/19", "--data", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"error: {narrative}: cannot be read (Permission denied); check the file's permissions" in result.stderr


@pytest.mark.kernel
def test_a_hung_cell_is_stopped_by_the_timeout_naming_the_cell(report, tmp_path):
    out, before = published_copy(report, tmp_path)
    hung = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    hung.cells.insert(4, new_code_cell("import time\ntime.sleep(600)"))
    nbformat.write(hung, tmp_path / "hung.ipynb")
    result = invoke("run", "--period", "2018/19", "--out", str(out), "--notebook", str(tmp_path / "hung.ipynb"),
                    "--timeout", "3", "--format", "html")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # In [1] parameters, [2] papermill's injected parameters, [3] load, [4] title, [5] the hung cell.
    assert ("error: the report notebook was stopped at In [5]: a cell ran longer than 3 seconds (--timeout); "
            "check the register's size or the cell for a loop") in lines
    assert f"the notebook as far as it ran is kept at {out / SLUG}.failed.ipynb" in lines
    assert snapshot(out / SLUG) == before
    with FileLock(out / f".{SLUG}.lock").acquire(timeout=0):  # released
        pass


@pytest.mark.kernel
def test_a_good_run_prints_its_progress_and_a_warning_per_missing_chapter_and_nothing_from_the_kernel(
        make_register, tmp_path):
    noisy = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    noisy.cells.insert(4, new_code_cell('import os\nos.write(2, b"KERNEL NOISE ERROR\\n")'))
    nbformat.write(noisy, tmp_path / "noisy.ipynb")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "reportlib", "run", "--period", "2018/19", "--data",
                           str(make_register()), "--out", str(out), "--format", "html", "--notebook",
                           str(tmp_path / "noisy.ipynb")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "KERNEL NOISE" not in done.stderr + done.stdout and "ERROR" not in done.stderr
    # The register has no narrative: the report is published, with one warning per chapter the notebook places.
    warnings = [line.split("warning: ", 1)[1] for line in done.stderr.splitlines() if "warning: " in line]
    chapters = ["Forord", "Anbefalinger", "Indledning", "Sagseksempler", "Hvad efterspørger borgerne",
                "Hvad sker der herefter", "Kontakt"]  # in the notebook's order
    assert warnings == [f"beretning_{SLUG}.md: no narrative file, so chapter '{name}' is left out; "
                        f"'reportlib narrative --period 2018-11-01:2019-10-31' writes one to fill in"
                        for name in chapters]
    assert [line for line in done.stderr.splitlines() if "warning: " not in line] == [
        f"{SLUG}: {step}" for step in ("validating the register", "running the report notebook", "exporting HTML",
                                       f"publishing {out / SLUG}")]
    assert json.loads((out / SLUG / "manifest.json").read_text(encoding="utf-8"))["warnings"] == warnings
    assert "Resumé" in text_of((out / SLUG / "beretning.html").read_text(encoding="utf-8"))


# What an up-to-date run must not import: the heavy libraries of a real run.
HEAVY = ("pandas", "numpy", "matplotlib", "nbformat", "papermill", "weasyprint", "pydantic")
IMPORTS_OF_A_RUN = """\
import json, sys
from reportlib.cli import main
main(sys.argv[1:], standalone_mode=False)
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def test_an_up_to_date_run_imports_nothing_heavy(current_report, tmp_path):
    out, _ = current_report
    done = subprocess.run([sys.executable, "-c", IMPORTS_OF_A_RUN, "run", "--period", "2018/19", "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    said, imported = done.stdout.splitlines()
    assert "up to date" in said
    assert [name for name in HEAVY if name in json.loads(imported)] == []


def test_an_up_to_date_run_still_heals_what_a_killed_run_left(current_report):
    out, before = current_report
    stale = out / f".{SLUG}.partial-{2**22 + 1}"  # a process that no longer exists
    stale.mkdir()
    result = invoke("run", "--period", "2018/19", "--out", str(out))
    assert result.exit_code == 0 and "up to date" in result.stdout
    assert not stale.exists() and snapshot(out / SLUG) == before


# -- Nothing external, ever ---------------------------------------------------------------------

@pytest.mark.parametrize("form", ["{url}/spor.png", "//{host}/spor.png"])
def test_a_narrative_image_from_outside_the_register_is_exit_2_and_nothing_is_fetched(make_register, tmp_path,
                                                                                     probe, form):
    url, requests = probe
    source = form.format(url=url, host=url.removeprefix("http://"))
    folder = make_register()
    narrative = folder / f"beretning_{SLUG}.md"
    narrative.write_text(f"# Forord\n\nTekst.\n![Logo]({source})\n", encoding="utf-8")
    result = invoke("run", "--period", "2018/19", "--data", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"error: {narrative}:4: image '{source}': only a PNG or JPEG image can be shown" in result.stderr
    assert requests == [] and not (tmp_path / "out").exists()


@pytest.mark.kernel
def test_an_analysts_outside_images_are_left_out_of_html_and_pdf_and_nothing_is_fetched(make_register, tmp_path,
                                                                                        probe):
    url, requests = probe
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    notebook.cells[4:4] = [
        new_markdown_cell(f"## Billeder\n\n![Kort]({url}/kort.png)"),
        new_code_cell(f'from IPython.display import HTML\nHTML(\'<p>Se</p><img src="{url}/spor.gif">'
                      f'<link rel="stylesheet" href="{url}/s.css">\')'),
    ]
    nbformat.write(notebook, tmp_path / "variant.ipynb")
    out = tmp_path / "out"
    result = invoke("run", "--period", "2018/19", "--data", str(make_register()), "--out", str(out),
                    "--notebook", str(tmp_path / "variant.ipynb"))
    assert result.exit_code == 0, result.output
    page = (out / SLUG / "beretning.html").read_text(encoding="utf-8")
    assert "<p>Se</p>" in page and url not in page
    assert result.stderr.count("loads nothing from elsewhere") == 3  # the image, the img, the link
    assert requests == []


@pytest.mark.parametrize("inside", ["", "register"])
def test_a_report_folder_that_would_be_or_hold_the_register_is_exit_2_and_the_register_stays(make_register, tmp_path,
                                                                                             inside):
    work = tmp_path / "W"
    register = work / SLUG / inside if inside else work / SLUG
    shutil.copytree(make_register(), register)
    before = snapshot(register)
    for how in (["--period", "2018/19"], ["--all"]):
        result = invoke("run", *how, "--data", str(register), "--out", str(work), "--format", "html")
        assert result.exit_code == 2 and "register folder" in result.stderr and "Traceback" not in result.output
        assert snapshot(register) == before and sorted(p.name for p in work.iterdir()) == [SLUG]


def test_a_report_folder_inside_the_register_is_exit_2(make_register):
    register = make_register()
    before = snapshot(register)
    result = invoke("run", "--period", "2018/19", "--data", str(register), "--out", str(register / "ud"))
    assert result.exit_code == 2 and "would be written into the register folder" in result.stderr
    assert snapshot(register) == before


def test_a_folder_of_the_users_where_the_report_would_go_is_never_replaced(make_register, tmp_path):
    mine = tmp_path / "out" / SLUG
    mine.mkdir(parents=True)
    (mine / "noter.txt").write_text("mine noter", encoding="utf-8")
    result = invoke("run", "--period", "2018/19", "--data", str(make_register()), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "is not a report reportlib published" in result.stderr
    assert sorted(p.name for p in mine.parent.iterdir()) == [SLUG] and snapshot(mine) == {
        "noter.txt": hashlib.sha256(b"mine noter").hexdigest()}


@pytest.mark.parametrize("content,message", [
    ("En tekstfil, ikke en notesbog.\n", "not a Jupyter notebook"),
    ('{"cells": 5}', "not a Jupyter notebook"),
])
def test_a_notebook_that_is_no_notebook_is_exit_2_naming_it(make_register, tmp_path, content, message):
    notebook = tmp_path / "min.ipynb"
    notebook.write_text(content, encoding="utf-8")
    result = invoke("run", "--period", "2018/19", "--data", str(make_register()), "--out", str(tmp_path / "out"),
                    "--notebook", str(notebook))
    assert result.exit_code == 2 and f"{notebook}: {message}" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_cpr_like_number_in_an_analysts_markdown_is_exit_2_naming_the_cell_and_line(make_register, tmp_path):
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    notebook.cells.insert(3, new_markdown_cell("## Et eksempel\n\nBorgeren, 010190-1234, ringede."))
    nbformat.write(notebook, tmp_path / "variant.ipynb")
    result = invoke("run", "--period", "2018/19", "--data", str(make_register()), "--out", str(tmp_path / "out"),
                    "--notebook", str(tmp_path / "variant.ipynb"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'variant.ipynb'}: cell 4, line 3: the line holds what looks like a CPR number" in result.stderr
    assert "1234" not in result.stderr.replace(str(tmp_path), "") and not (tmp_path / "out").exists()


@pytest.mark.kernel
def test_a_notebook_without_a_kernel_named_runs_in_python_and_an_identifier_it_shows_is_never_published(
        make_register, tmp_path):
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    del notebook.metadata["kernelspec"]
    notebook.cells.insert(4, new_code_cell("from IPython.display import Markdown\nMarkdown('Sag 2411871234')"))
    nbformat.write(notebook, tmp_path / "variant.ipynb")
    out = tmp_path / "out"
    result = invoke("run", "--period", "2018/19", "--data", str(make_register()), "--out", str(out),
                    "--notebook", str(tmp_path / "variant.ipynb"), "--format", "html")
    assert result.exit_code == 2, result.output
    assert re.search(r"In \[\d+\]: the report would show what looks like a CPR number", result.stderr)
    assert "2411871234" not in result.stderr and not (out / SLUG).exists()
    assert list(out.glob(f".{SLUG}.partial-*")) == []


@pytest.mark.kernel
@pytest.mark.browser
def test_a_hostile_notebooks_published_page_runs_and_loads_nothing_in_chromium(make_register, tmp_path, probe):
    from browser import inert, require_browser

    require_browser()
    url, requests = probe
    svg = base64.b64encode(f'<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'{url}/svg-onload\')">'
                           f'<image href="{url}/svg-image.png" width="9" height="9"/><rect width="9" height="9"/>'
                           "</svg>".encode()).decode()
    hostile = [
        f'<img src="x" onerror="window.__ran=1; fetch(\'{url}/onerror\')">',
        f'<details ontoggle="fetch(\'{url}/toggle\')"><summary>Vis</summary>x</details>',
        f'<a href="javascript:void(fetch(\'{url}/javascript\'))">klik</a>',
        f'<a href="jav&#x61;script:void(fetch(\'{url}/escaped\'))">klik</a>',
        f'<div style="background: u\\72l({url}/css-escaped.png)">x</div>',
        f'<p style="background-image: url({url}/css.png)">x</p>',
        f'<svg onload="fetch(\'{url}/inline-svg\')"><image href="{url}/inline.png"/></svg>',
        f'<img alt="diagram" src="data:image/svg+xml;base64,{svg}">',
        f"<script>fetch('{url}/script')</script>", f'<iframe src="{url}/frame"></iframe>',
        f'<object data="{url}/object"></object>', f'<meta http-equiv="refresh" content="0;url={url}/meta">',
        f'<form action="{url}/form"><button>send</button></form>', f'<link rel="stylesheet" href="{url}/s.css">',
        f'<style>@import "{url}/import.css"; body {{ background: url({url}/bg.png) }}</style>',
    ]
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    notebook.cells[4:4] = [
        new_markdown_cell(f"## Fjendtligt\n\n[klik](javascript:fetch('{url}/md')) "
                          f"<img src=x onerror=\"fetch('{url}/md-raw')\">"),
        new_code_cell("from IPython.display import HTML, display\n" + "\n".join(
            f"display(HTML({fragment!r}))" for fragment in hostile)),
    ]
    nbformat.write(notebook, tmp_path / "hostile.ipynb")
    out = tmp_path / "out"
    result = invoke("run", "--period", "2018/19", "--data", str(make_register()), "--out", str(out),
                    "--notebook", str(tmp_path / "hostile.ipynb"), "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("left out") >= len(hostile)  # each is named in a warning
    page = out / SLUG / "beretning.html"
    found = inert(page)
    assert (found["requests"], found["dialogs"], found["errors"], found["scripts"], found["marked"]) == (
        [], [], [], 0, None)
    assert found["titleBefore"] == found["titleAfter"]
    attributes = [value for element in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(True)
                  for value in element.attrs.values()]
    assert not [value for value in attributes if url in str(value)] and requests == []  # as text, it is inert
    assert not re.search(r"<img(?![^>]*\ssrc=)", page.read_text(encoding="utf-8"))  # no image left without one


@pytest.mark.kernel
def test_a_draft_is_marked_on_every_page_and_the_final_run_replaces_it_without_the_mark(make_register, tmp_path):
    folder, out = make_register(), tmp_path / "outputs"
    draft = invoke("run", "--period", "2018/19", "--data", str(folder), "--out", str(out), "--udkast",
                   "--dato", "2019-12-02", "--moede", "Byrådets møde 12. december 2019")
    assert draft.exit_code == 0, draft.output
    pages = [page.extract_text() for page in PdfReader(out / SLUG / "beretning.pdf").pages]
    assert pages and all("UDKAST" in page for page in pages)  # the top of every page
    html = (out / SLUG / "beretning.html").read_text(encoding="utf-8")
    assert "<title>UDKAST: Beretning fra Borgerrådgiveren, Testby Kommune, 2018/19</title>" in html
    assert '<p class="draft-banner"><strong>UDKAST</strong>: ikke den endelige beretning</p>' in html
    assert "Udgivet 2.\u00a0december\u00a02019. Byrådets møde 12. december 2019" in html
    assert '<a href="beretning.pdf">Hent beretningen som PDF</a>' in html
    assert json.loads((out / SLUG / "manifest.json").read_text(encoding="utf-8"))["parameters"]["udkast"] is True

    final = invoke("run", "--period", "2018/19", "--data", str(folder), "--out", str(out), "--dato", "2019-12-02",
                   "--moede", "Byrådets møde 12. december 2019")
    assert final.exit_code == 0 and "up to date" not in final.output  # the draft does not stand for the final
    assert not any("UDKAST" in page.extract_text() for page in PdfReader(out / SLUG / "beretning.pdf").pages)
    final_html = (out / SLUG / "beretning.html").read_text(encoding="utf-8")
    assert "draft-banner" not in final_html.split("</style>")[1] and "<title>UDKAST" not in final_html


# -- Only what the register holds is reported (reportlib.figures.coverage) ----------------------------------

def test_a_period_that_has_not_begun_or_ended_is_exit_2_naming_its_dates_and_nothing_is_written(make_register,
                                                                                                 tmp_path):
    folder, out = make_register(), tmp_path / "out"
    under_way = reporting_year_of(dt.date.today(), 11)
    for period, end in (("2031/32", "2032-10-31"), (f"{under_way.start}:{under_way.end}", str(under_way.end))):
        result = invoke("run", "--period", period, "--data", str(folder), "--out", str(out))
        assert result.exit_code == 2, result.output
        assert f"has not ended: its last days would count as days without cases; report it after {end}" in (
            result.stderr)
        assert "--foreloebig" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_a_period_past_what_the_register_holds_is_exit_2_with_both_fixes(make_register, tmp_path):
    # The register is complete through 31 October 2019 (kommune.yml); the calendar year 2019 runs to December.
    result = invoke("run", "--period", "2019-01-01:2019-12-31", "--data", str(make_register()), "--out",
                    str(tmp_path / "out"))
    assert result.exit_code == 2
    assert ("period 2019-01-01 to 2019-12-31 runs past 2019-10-31, the last day the register is complete for "
            "(kommune.yml's komplet_til)") in result.stderr
    assert "write 'komplet_til: 2019-12-31' in kommune.yml; or report the days it holds with --foreloebig" in (
        result.stderr)
    assert not (tmp_path / "out").exists()


def test_an_interim_run_publishes_the_days_the_register_holds_in_the_periods_folder(make_register, tmp_path,
                                                                                     no_kernel):
    out = tmp_path / "out"
    result = invoke("run", "--period", "2019-01-01:2019-12-31", "--foreloebig", "--data", str(make_register()),
                    "--out", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    report = out / "2019-01-01_2019-12-31"  # the period's folder, which its final report will replace
    document = json.loads((report / "figures.json").read_text(encoding="utf-8"))
    assert document["period"] == {"start": "2019-01-01", "end": "2019-10-31"}  # counted: what the register holds
    assert document["interim_of"] == {"start": "2019-01-01", "end": "2019-12-31"}
    assert document["cases"]["total"] == 2  # S1 and S2 (January and February 2019)
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["foreloebig"] is True
    # An interim report and a complete one never stand for each other.
    again = invoke("run", "--period", "2019-01-01:2019-12-31", "--foreloebig", "--data", str(make_register()),
                   "--out", str(out), "--format", "html")
    assert "up to date" in again.output


def test_interim_goes_with_one_period_of_one_register(make_register, tmp_path):
    result = invoke("run", "--all", "--foreloebig", "--data", str(make_register()), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "--foreloebig goes with one --period P of one register" in result.stderr


def test_a_narrative_with_unwritten_chapters_is_refused_for_the_board_and_left_out_of_a_draft(make_register, tmp_path,
                                                                                              no_kernel):
    folder, out = make_register(), tmp_path / "out"
    narrative = folder / f"beretning_{SLUG}.md"
    narrative.write_text("# Forord\n\n<!-- skriv her -->\n\n# Kontakt\n\nRing til os.\n", encoding="utf-8")
    final = invoke("run", "--period", "2018/19", "--data", str(folder), "--out", str(out), "--format", "html")
    assert final.exit_code == 2 and not out.exists()
    assert (f"{narrative}: 1 chapter has no text yet: '# Forord' ({narrative}:1); the board's report publishes no "
            "empty heading, so write it or delete its heading, or make a draft with --udkast") in final.stderr
    draft = invoke("run", "--period", "2018/19", "--data", str(folder), "--out", str(out), "--format", "html",
                   "--udkast")
    assert draft.exit_code == 0, draft.output
    warning = f"{narrative}:1: chapter '# Forord' has no text yet (nothing, or only guidance), so it is left out"
    assert warning in draft.stderr
    manifest = json.loads((out / SLUG / "manifest.json").read_text(encoding="utf-8"))
    # The manifest names the file in the register folder as its inputs do; the terminal, where it is.
    assert any(w.startswith(warning.replace(f"{folder}/", "")) for w in manifest["warnings"])


# -- Nothing of the machine in a published file -----------------------------------------------------------

LOGIN = "kjqsen"  # a made-up login: found wherever it is left, whatever this machine's own login is
COMMON_LOGINS = {"root", "user", "admin", "runner", "ubuntu", "jovyan", "vscode", "test", "app"}  # words, too


def searchable(path: Path) -> str:
    """A file as text a search sees all of: a Word document's parts unzipped, a PDF's streams inflated and its text."""
    content = path.read_bytes()
    parts = [content]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    if content.startswith(b"%PDF"):
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompress(stream))
        parts.append(pdf_text(path).encode())
    return b"\n".join(parts).decode("utf-8", errors="replace")


def the_machines() -> list[str]:
    """This machine's own strings: the clone, the venv, the home folder and the login (unless it is a word)."""
    login, home = getpass.getuser(), Path.home()
    return [str(ROOT), *([sys.prefix] if sys.prefix != sys.base_prefix else []),
            *([str(home)] if len(home.parts) > 1 else []),
            *([login] if len(login) > 2 and login.lower() not in COMMON_LOGINS else [])]


def absolute_paths(value) -> list[str]:
    """The strings in a JSON value (keys too) that are absolute paths, POSIX or Windows."""
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in absolute_paths(key) + absolute_paths(item)]
    if isinstance(value, list):
        return [found for item in value for found in absolute_paths(item)]
    return [value] if isinstance(value, str) and re.match(r"^(/|~|[A-Za-z]:[\\/]|\\\\)", value) else []


def assert_names_nothing_of(files: list[Path], needles: list[str]) -> None:
    for file in files:
        text = searchable(file)
        found = [needle for needle in needles if needle in text]
        assert found == [], f"{file.name} names {found}"


@pytest.mark.kernel
def test_no_published_file_names_the_clone_the_register_or_the_outputs_folder(report):
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    executed = nbformat.read(report / "beretning.ipynb", as_version=4)
    assert absolute_paths(manifest) == [] and absolute_paths(executed.metadata) == []
    injected = next(c.source for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'data_dir = "data/raw"' in injected and 'figurer = "figures.json"' in injected  # the figures beside it
    assert_names_nothing_of(sorted(report.iterdir()), [str(report.parent), str(DATA_RAW), *the_machines()])


@pytest.mark.kernel
def test_nothing_of_the_machine_or_its_user_is_published_or_kept(tmp_path, monkeypatch, request):
    """Run, compare and fail as a user with a login of their own: no file in the outputs folder names it.

    The home folder, the temporary folder, the register, the network's figures, an analyst's notebook
    (whose cells print and warn paths) and the outputs are all in a folder named after the login.
    """
    machine = the_machines()  # this machine's own home and login, before they are stood in for
    # Short, as a home is: the kernel's sockets are made in its temporary folder, and a socket's path has
    # at most 107 characters (pytest's own folders under xdist are longer).
    short = Path(tempfile.mkdtemp(prefix="h-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(short, ignore_errors=True))
    home = short / "hjem" / LOGIN
    register, out, notebooks = home / "kommune" / "register", home / "kommune" / "ud", home / "kommune"
    shutil.copytree(DATA_RAW, register)
    (home / "tmp").mkdir()
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, LOGIN)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(home / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # found again, from TMPDIR
    assert (getpass.getuser(), Path.home(), tempfile.gettempdir()) == (LOGIN, home, str(home / "tmp"))

    (home / "net").mkdir()
    members = [network_members.write(home / "net" / f"{n}.json", d) for n, d in
               (("nabo", NABO), ("lilleby", LILLEBY), ("oestby", OESTBY), ("storby", STORBY))]
    network_file = network_members.write(home / "net" / "network.json", network(read_members(members)))
    variant = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    variant.cells.insert(3, new_code_cell('import os, warnings\nwarnings.warn(f"i {os.getcwd()}")\n'
                                          "print(data_dir, figurer, netvaerk)\ndata_dir"))
    nbformat.write(variant, notebooks / "variant.ipynb")
    result = run_period(parse_period("2018/19", 11), data=register, out=out, notebook=notebooks / "variant.ipynb",
                        network=network_file, formats=("html", "pdf", "docx"))
    own = json.loads((result.folder / "figures.json").read_text(encoding="utf-8"))
    compared = publish_network([result.folder / "figures.json", members[0]], out, ("html",))
    # A failure whose traceback runs through a module in the home folder, and whose message names the register.
    (notebooks / "hjaelp.py").write_text("def fail(path):\n    raise RuntimeError(f'planted in {path}')\n",
                                         encoding="utf-8")
    broken = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    broken.cells.insert(2, new_code_cell("import warnings\nimport hjaelp\n\nwarnings.warn(data_dir)\n"
                                         "hjaelp.fail(data_dir)"))
    nbformat.write(broken, notebooks / "broken.ipynb")
    with pytest.raises(RunFailed, match="planted in"):
        run_period(parse_period("2018/19", 11), data=register, out=out, notebook=notebooks / "broken.ipynb",
                   formats=("html",))

    files = sorted(p for p in out.rglob("*") if p.is_file())  # the published folders and all beside them
    assert {result.folder, compared.folder} <= {p.parent for p in files} and out / f"{SLUG}.failed.ipynb" in files
    assert_names_nothing_of(files, [str(home), str(tmp_path), *machine])
    found = [p.name for p in files if LOGIN in searchable(p).lower()]
    assert found == [], f"{found} name the login {LOGIN}"

    # What stands in for each path: the names a reader can know, and every input's SHA-256.
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert {key: manifest["parameters"][key] for key in ("data_dir", "notebook", "netvaerk")} == {
        "data_dir": "register", "notebook": "variant.ipynb", "netvaerk": "network.json"}
    for name, path in (("variant.ipynb", notebooks / "variant.ipynb"), ("network.json", network_file),
                       ("sager.csv", register / "sager.csv")):
        assert manifest["inputs"][name] == hashlib.sha256(path.read_bytes()).hexdigest()
    executed = nbformat.read(result.folder / "beretning.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters["netvaerk"] == "network.json"
    assert executed.cells[4].outputs[0].text == "register figures.json network.json\n"
    assert re.match(r"^tmp/ipykernel_\d+/\d+\.py:2: UserWarning: i kommune\n", executed.cells[4].outputs[1].text)
    assert json.loads((compared.folder / "manifest.json").read_text(encoding="utf-8"))["inputs"] == {
        own["kommune"]: hashlib.sha256((result.folder / "figures.json").read_bytes()).hexdigest(),
        "Nabo Kommune": hashlib.sha256(members[0].read_bytes()).hexdigest()}
    failed = out / f"{SLUG}.failed.ipynb"
    assert "kommune/hjaelp.py" in failed.read_text(encoding="utf-8")  # the traceback still says where
