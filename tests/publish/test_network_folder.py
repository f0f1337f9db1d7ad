"""`reportlib network` (reportlib.publish.network) and `reportlib run --network`: published with a beretning's care.

The comparison: its files, the manifest with every input's SHA-256, the cache, the atomic folder,
refusals (exit 2, naming the files, nothing written), the page in Chromium (axe). A member's run:
the section "Sammenlignet med andre kommuner" in its published report (a kernel), and a network of
another period refused before anything is written. The figures are worked out in
tests/figures/test_network.py and tests/report/test_comparison.py.
"""

import hashlib
import json
import re
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

import network_members
from browser import audit, inert, require_browser
from conftest import KOMMUNE_YML, published_report, text_of
from network_members import LILLEBY, NABO, OESTBY, REPORTING_YEAR, STORBY, section
from reportlib.cli import main
from reportlib.exceptions import OutputRefused
from reportlib.figures.network import network
from reportlib.figures.network_documents import read_members
from reportlib.publish.network import publish_network

SLUG = "2018-11-01_2019-10-31"
FOLDER = f"network_{SLUG}"
LATER = {"start": "2019-11-01", "end": "2020-10-31"}


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture
def members(tmp_path):
    folder = tmp_path / "medlemmer"
    folder.mkdir()
    return [network_members.write(folder / "nabo.json", NABO), network_members.write(folder / "storby.json", STORBY)]


@pytest.fixture
def published(members, tmp_path):
    """The comparison of Nabo and Storby, as `reportlib network` publishes it (HTML only)."""
    result = invoke("network", "--figures", members[0], "--figures", members[1], "--out", tmp_path / "out",
                    "--format", "html")
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / FOLDER


def test_the_folder_holds_the_report_the_networks_figures_and_the_manifest(published, members):
    assert sorted(p.name for p in published.iterdir()) == ["manifest.json", "network.json", "sammenligning.html"]
    assert not [p.name for p in published.parent.iterdir() if p.name != FOLDER and not p.name.endswith(".lock")]
    assert json.loads((published / "network.json").read_text(encoding="utf-8")) == network(read_members(members))


def test_the_manifest_records_every_input_files_sha256_and_every_output(published, members):
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    # By the municipality each file is of, and the files by their names: the folder is public, the paths are not.
    assert manifest["inputs"] == {kommune: hashlib.sha256(path.read_bytes()).hexdigest()
                                  for kommune, path in zip(["Nabo Kommune", "Storby Kommune"], members, strict=True)}
    assert manifest["parameters"]["figures"] == ["nabo.json", "storby.json"]
    assert manifest["network"]["members"] == ["Nabo Kommune", "Storby Kommune"]
    assert set(manifest["outputs"]) == {"sammenligning.html", "network.json"}
    assert all(hashlib.sha256((published / name).read_bytes()).hexdigest() == digest
               for name, digest in manifest["outputs"].items())
    assert manifest["parameters"]["formats"] == ["html"] and "packages" in manifest["environment"]


def test_no_published_file_names_the_folders_of_the_machine(published, tmp_path):
    for file in published.iterdir():  # the HTML only: the PDF and Word document are made from it (test_run)
        text = file.read_text(encoding="utf-8")
        assert str(tmp_path) not in text and str(Path.home()) + "/" not in text, file.name


def test_the_html_is_self_contained_danish_and_titled(published):
    html = (published / "sammenligning.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.html["lang"] == "da" and page.title.string == "Sammenligning af kommunernes borgerrådgivere 2018/19"
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html) and "<script" not in html
    assert page.select("nav.toc-open") and page.select("div.table-wrap[role=region][aria-labelledby]")
    assert "Figur 1." in page.get_text()  # numbered as the beretning's figures are


def test_an_unchanged_network_is_not_made_again_and_a_changed_member_is(published, members):
    before = (published / "manifest.json").read_bytes()
    again = invoke("network", "--figures", members[1], "--figures", members[0], "--out", published.parent,
                   "--format", "html")  # another order: the same network
    assert again.exit_code == 0 and "up to date" in again.output
    assert (published / "manifest.json").read_bytes() == before
    network_members.write(members[0], {**NABO, "comparable": {**NABO["comparable"], "complaints": 7}})
    changed = invoke("network", "--figures", members[0], "--figures", members[1], "--out", published.parent,
                     "--format", "html")
    assert changed.exit_code == 0 and "up to date" not in changed.output
    assert '"complaints": 7' in (published / "network.json").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_pdf_and_a_word_document_are_made_the_beretnings_way(members, tmp_path):
    result = publish_network(members, tmp_path, ("html", "pdf", "docx"))
    assert result.outputs == ("manifest.json", "network.json", "sammenligning.docx", "sammenligning.html",
                              "sammenligning.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(result.folder / "sammenligning.pdf").pages)
                    .split())
    assert "Sammenligning af kommunernes borgerrådgivere 2018/19" in text and "Tabeller" in text
    html = (result.folder / "sammenligning.html").read_text(encoding="utf-8")
    assert 'href="sammenligning.pdf">Hent sammenligningen som PDF</a>' in html
    assert "data-print" not in html  # the PNGs drawn for Word stay out of the HTML
    word = docx.Document(result.folder / "sammenligning.docx")
    assert word.core_properties.title == "Sammenligning af kommunernes borgerrådgivere 2018/19"
    assert len(word.inline_shapes) == 18 and all(shape._inline.docPr.get("descr") for shape in word.inline_shapes)


# -- Refusals: exit 2, naming the files, nothing written ---------------------------------------------------


def test_a_member_of_another_period_is_exit_2_naming_each_ones_period_and_nothing_is_written(members, tmp_path):
    calendar = network_members.write(tmp_path / "kalender.json", section("Kalender Kommune", None, 3, 1,
                                                                         period={"start": "2019-01-01",
                                                                                 "end": "2019-12-31"}))
    result = invoke("network", "--figures", members[0], "--figures", calendar, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert (f"error: the members' figures are of different periods: {members[0]} (Nabo Kommune): 2018-11-01 to "
            f"2019-10-31; {calendar} (Kalender Kommune): 2019-01-01 to 2019-12-31; a network compares one period"
            ) in " ".join(result.output.split())
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_interim_figures_are_exit_2_naming_the_file_and_nothing_is_written(members, tmp_path):
    counted = {"start": "2018-11-01", "end": "2019-06-30"}  # the days an interim report of 2018/19 counted
    interim = network_members.write(tmp_path / "foreloebig.json", section("Foreløbig Kommune", None, 3, 1,
                                                                          period=counted, interim_of=REPORTING_YEAR))
    result = invoke("network", "--figures", members[0], "--figures", members[1], "--figures", interim,
                    "--out", tmp_path / "out")
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert (f"error: {interim}: interim figures (--foreloebig) of 2018-11-01 to 2019-06-30, only part of the period "
            "2018-11-01 to 2019-10-31; interim figures cannot be compared") in " ".join(result.output.split())


def test_the_same_municipality_twice_and_an_unreadable_file_are_exit_2(members, tmp_path):
    broken = network_members.write(tmp_path / "broken.json", "{")
    result = invoke("network", "--figures", members[0], "--figures", members[0], "--figures", broken,
                    "--out", tmp_path / "out")
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert f"{broken}: not JSON" in result.output
    assert f"{members[0]} and {members[0]}: Nabo Kommune twice" in result.output


def test_an_input_inside_the_report_folder_and_a_users_folder_there_are_refused(members, tmp_path):
    target = tmp_path / "out" / FOLDER
    target.mkdir(parents=True)
    inside = network_members.write(target / "storby.json", STORBY)
    with pytest.raises(OutputRefused, match="the report folder would hold .*storby.json, which the run reads"):
        publish_network([members[0], inside], tmp_path / "out", ("html",))
    with pytest.raises(OutputRefused, match="exists and is not a report reportlib published"):
        publish_network(members, tmp_path / "out", ("html",))
    assert [p.name for p in target.iterdir()] == ["storby.json"]  # left as it was


def test_a_folder_that_cannot_be_written_is_exit_1(members, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    result = invoke("network", "--figures", members[0], "--figures", members[1], "--out", blocked / "out",
                    "--format", "html")
    assert result.exit_code == 1 and "Traceback" not in result.output and "error:" in result.output


# -- A member's run with --network -------------------------------------------------------------------------


@pytest.fixture
def member(make_register):
    return make_register(kommune=KOMMUNE_YML + "indbyggere: 8000\n")


def network_of(tmp_path, member_folder, period=REPORTING_YEAR):
    """network.json of the member (its figures as `reportlib figures` prints them) and its four neighbours."""
    own = invoke("figures", "--period", "2018/19", "--data", member_folder)
    assert own.exit_code == 0, own.output
    documents = [json.loads(own.output), NABO, LILLEBY, OESTBY, STORBY]
    if period != REPORTING_YEAR:
        documents = [section(d["comparable"]["kommune"], 9_000, 3, 1, per_10000=(3.3, 1.1), period=period)
                     for d in documents]
    files = [network_members.write(tmp_path / f"m{i}.json", document) for i, document in enumerate(documents)]
    return network_members.write(tmp_path / "network.json", network(read_members(files)))


@pytest.mark.kernel
def test_a_members_report_shows_its_figures_beside_the_networks(member, tmp_path):
    network_file = network_of(tmp_path, member)
    result = invoke("run", "--period", "2018/19", "--data", member, "--out", tmp_path / "out", "--format", "html",
                    "--network", network_file)
    assert result.exit_code == 0, result.output
    report = tmp_path / "out" / SLUG
    html = (report / "beretning.html").read_text(encoding="utf-8")
    section_html = html.split('<h2 id="sammenlignet-med-andre-kommuner">')[1].split("</section>")[0]
    text = text_of(section_html).replace("\u00a0", " ")
    # Worked out in tests/report/test_comparison.py: the four others, and the three of them under 30,000.
    for row in ("Sager pr. 10.000 indbyggere 2,5 19,0 (4 kommuner) 18,7 (3 kommuner)",
                "Klagernes andel af sagerne 50 % (1 af 2) 30 % (4 kommuner) 26 % (3 kommuner)",
                "Dage, før halvdelen af sagerne var afsluttet 10,0 15,9 (4 kommuner) 14,2 (3 kommuner)"):
        assert row in text
    # Placed after the figures, before "Om tallene".
    assert html.index("Sammenlignet med andre kommuner") < html.index('<h2 id="om-tallene">')
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["network.json"] == hashlib.sha256(network_file.read_bytes()).hexdigest()
    assert manifest["parameters"]["netvaerk"] == "network.json"  # by its name: its path is the machine's


def test_a_network_of_another_period_is_exit_2_before_anything_is_written(member, tmp_path):
    network_file = network_of(tmp_path, member, period=LATER)
    result = invoke("run", "--period", "2018/19", "--data", member, "--out", tmp_path / "out", "--network",
                    network_file)
    assert result.exit_code == 2, result.output
    assert (f"error: {network_file}: the network's figures of 2019-11-01 to 2020-10-31, not of 2018-11-01 to "
            "2019-10-31 as the report; give the network.json of the report's period") in result.output
    assert not (tmp_path / "out").exists()  # no kernel started (conftest would fail the test), nothing written


def test_a_changed_network_makes_the_members_report_stale(member, tmp_path, no_kernel):
    network_file = network_of(tmp_path, member)
    out = tmp_path / "out"
    arguments = ("run", "--period", "2018/19", "--data", member, "--out", out, "--format", "html",
                 "--network", network_file)
    assert invoke(*arguments).exit_code == 0
    assert "up to date" in invoke(*arguments).output
    network_file.write_text(network_file.read_text(encoding="utf-8").replace("Nabo", "Naboby"), encoding="utf-8")
    again = invoke(*arguments)
    assert again.exit_code == 0 and "up to date" not in again.output


def test_network_goes_with_one_period_not_all(member, tmp_path):
    result = invoke("run", "--all", "--data", member, "--network", network_of(tmp_path, member))
    assert result.exit_code == 2 and "--network goes with --period P" in result.output


def test_the_figures_of_a_published_report_are_what_a_network_reads(member, tmp_path, no_kernel):
    out = tmp_path / "out"
    assert invoke("run", "--period", "2018/19", "--data", member, "--out", out, "--format", "html").exit_code == 0
    others = network_members.write(tmp_path / "nabo.json", NABO)
    result = publish_network([out / SLUG / "figures.json", others], tmp_path / "net", ("html",))
    assert result.members == 2 and result.folder.name == FOLDER


# -- In a real browser -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_axe_finds_no_violation_in_the_comparison_and_nothing_overflows(published):
    require_browser()
    result = audit(published / "sammenligning.html", widths=(1280, 320, 390))
    for width in result["widths"]:
        assert width["violations"] == [], (width["width"], width["violations"])
        assert width["overflow"]["offenders"] == [] and width["overflow"]["scrollWidth"] <= width["width"]
    at_390 = next(w for w in result["widths"] if w["width"] == 390)
    assert len(at_390["charts"]) == 18 and min(c["minFontPx"] for c in at_390["charts"]) >= 10
    assert not result.get("blockedRequests")


@pytest.mark.browser
def test_the_comparison_runs_and_loads_nothing_as_a_reader_uses_it(published):
    require_browser()
    found = inert(published / "sammenligning.html")
    assert (found["requests"], found["dialogs"], found["errors"], found["scripts"], found["marked"]) == (
        [], [], [], 0, None)
    assert found["titleBefore"] == found["titleAfter"]


def test_an_earlier_network_report_is_replaced_whole(members, tmp_path):
    earlier = published_report(tmp_path / "out" / FOLDER, {"sammenligning.html": "<p>old</p>"})
    result = publish_network(members, tmp_path / "out", ("html",))
    assert result.folder == earlier and "<p>old</p>" not in (earlier / "sammenligning.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.endswith(".lock")) == [FOLDER]
