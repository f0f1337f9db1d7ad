"""The Word backend (publish/formats/docx.py): accessible, the HTML's content, the same bytes, read by LibreOffice.

The first tests convert a small notebook's HTML in this process; the last read the example
register's 2018/19 report, published with ``--format html,pdf,docx`` (tests/conftest.py).
"""

import base64
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import time
import zipfile

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pypandoc
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image
from pypdf import PdfReader

from conftest import SEED_ROWS, text_of
from reportlib.exceptions import RunFailed
from reportlib.publish.export import to_html
from reportlib.publish.formats import docx
from reportlib.publish.formats.docx import prepare, to_docx
from reportlib.report import display
from reportlib.report.outputs import DOCUMENT_MIMETYPE, PRINT_CHARTS_VARIABLE, PRINT_DPI

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
END = dt.date(2019, 10, 31)
TITLE = "Beretning fra Borgerrådgiveren, Ballerup Kommune, 2018/19"
EMU_PER_INCH = 914400


# Reading a Word document back.

def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def xml(data: bytes, name: str = "word/document.xml"):
    return etree.fromstring(parts(data)[name])


def style_of(paragraph) -> str:
    found = paragraph.xpath("./w:pPr/w:pStyle/@w:val", namespaces=NS)
    return str(found[0]) if found else ""


def text_in(element) -> str:
    """The text of a paragraph (or a table), a line break as a space."""
    return "".join(" " if part.tag != f"{{{NS['w']}}}t" else part.text or ""
                   for part in element.xpath(".//w:t | .//w:br | .//w:tab", namespaces=NS))


def headings(data: bytes) -> list[tuple[int, str]]:
    """(level, text) of each paragraph in one of Word's heading styles, in document order."""
    found = []
    for paragraph in xml(data).iter(f"{{{NS['w']}}}p"):
        if match := re.fullmatch(r"Heading([1-9])", style_of(paragraph)):
            found.append((int(match.group(1)), text_in(paragraph)))
    return found


def descriptions(data: bytes) -> list[str]:
    return xml(data).xpath("//wp:docPr/@descr", namespaces=NS)


def tables(data: bytes) -> list[tuple[str, bool]]:
    """(the caption paragraph before it, whether its first row repeats as a header) of each table."""
    found = []
    for table in xml(data).iter(f"{{{NS['w']}}}tbl"):
        before = table.getprevious()
        caption = text_in(before) if before is not None and style_of(before) == "TableCaption" else ""
        first = table.find("w:tr", NS)
        found.append((caption, first is not None and first.find("w:trPr/w:tblHeader", NS) is not None))
    return found


def document_text(data: bytes) -> str:
    """Every paragraph's text (in tables too) in document order, whitespace collapsed."""
    return " ".join(" ".join(text_in(p) for p in xml(data).iter(f"{{{NS['w']}}}p")).split())


def pictures(data: bytes) -> list[tuple[bytes, int]]:
    """Each picture's image and its width in EMU, in document order."""
    files = parts(data)
    relations = etree.fromstring(files["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in relations}
    found = []
    for drawing in xml(data).iter(f"{{{NS['w']}}}drawing"):
        embed = drawing.xpath(".//a:blip/@r:embed", namespaces=NS)[0]
        width = int(drawing.xpath(".//wp:extent/@cx", namespaces=NS)[0])
        found.append((files[f"word/{targets[embed]}"], width))
    return found


def require_libreoffice() -> str:
    """The soffice command; skips the test without it, and fails it when CI=true (as tests/browser.py)."""
    found = shutil.which("soffice")
    if found:
        return found
    message = ("LibreOffice is not installed (no soffice on PATH): `apt-get install libreoffice-writer-nogui` "
               "(.ci/run does it)")
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)



def test_a_missing_libreoffice_skips_with_the_reason_and_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without it, whatever this one has
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install libreoffice-writer-nogui"):
        require_libreoffice()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice is not installed"):
        require_libreoffice()


# A small report, converted in this process.

def chart(monkeypatch, alt: str, caption: str) -> str:
    """A chart as the kernel of a run with Word displays it: its SVG and its print PNG."""
    monkeypatch.setenv(PRINT_CHARTS_VARIABLE, "1")
    _, ax = plt.subplots(figsize=(3, 1.5))
    ax.barh(["Nord", "Syd"], [3, 5])
    return str(display.chart_html(ax, alt, caption=caption))


def html_cell(html: str, *, tags=(), count=1, **more):
    cell = new_code_cell("x", outputs=[new_output("display_data", data={"text/html": html, **more})],
                         execution_count=count)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def logo() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "navy").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def notebook(monkeypatch):
    frame = pd.DataFrame({"Område": ["Nord", "Syd"], "Sager": [3, 5], "Andel": [38, 62]})
    return new_notebook(cells=[
        html_cell(f'<header class="title"><img class="logo" src="data:image/png;base64,{logo()}" alt="Logo: Testby">'
                  '<h1>Beretning fra Testby</h1></header>', **{DOCUMENT_MIMETYPE: {"title": "Beretning, 2018/19"}}),
        new_markdown_cell("## Sager\n\nTekst om sagerne."),
        html_cell(chart(monkeypatch, "Søjler: Nord 3, Syd 5", "Sager efter område"), count=2),
        html_cell(str(display.table_html(frame, caption="Sager efter område", percent=["Andel"])), count=3),
        new_markdown_cell("## Kontakt\n\n#### Adresse\n\nRådhuset."),
        html_cell("<table><tr><td>Venstre spalte</td><td>Højre spalte</td></tr></table>", count=4),
        html_cell("<p>Foldet tekst</p>", tags=["hide-output"], count=5),
        new_markdown_cell("## Om tallene\n\nAlle tal."),
    ])


@pytest.fixture
def printed(notebook):
    """The small report's HTML for Word, as the run makes it (linking to a PDF, to see the link left out)."""
    return to_html(notebook, pdf_link="beretning.pdf", print_images=True)


@pytest.fixture
def document(printed):
    return to_docx(printed.html, title=printed.title, date=END)


def test_the_kernel_draws_a_print_png_only_for_a_run_with_word_and_the_same_each_time(monkeypatch):
    monkeypatch.delenv(PRINT_CHARTS_VARIABLE, raising=False)
    _, ax = plt.subplots(figsize=(3, 1.5))
    ax.barh(["Nord", "Syd"], [3, 5])
    without = str(display.chart_html(ax, "a"))
    assert "data-print" not in without
    shown = chart(monkeypatch, "a", None)
    assert shown == chart(monkeypatch, "a", None)  # no date, no version: the same bytes
    match = re.fullmatch(r'<figure class="chart"><img src="(data:image/svg\+xml;base64,[^"]+)" '
                         r'data-print="data:image/png;base64,([^"]+)" alt="a"></figure>', shown)
    assert match and match.group(1) in without  # the SVG is the one a run without Word draws
    png = Image.open(io.BytesIO(base64.b64decode(match.group(2))))
    assert png.format == "PNG" and round(png.info["dpi"][0]) == PRINT_DPI
    assert "Software" not in png.info


def test_headings_are_words_own_heading_styles_in_order_and_none_skips_a_level(document):
    assert headings(document) == [(1, "Beretning fra Testby"), (2, "Sager"), (2, "Kontakt"),
                                  (3, "Adresse"), (2, "Om tallene")]  # the h4 under an h2 is lifted


def test_the_document_is_titled_and_in_danish(document):
    core = xml(document, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == "Beretning, 2018/19"
    assert core.findtext("dc:language", namespaces=NS) == "da-DK"
    assert xml(document, "word/styles.xml").xpath("//w:docDefaults//w:lang/@w:val", namespaces=NS) == ["da-DK"]
    body = xml(document)
    assert not [p for p in body.iter(f"{{{NS['w']}}}p") if style_of(p) == "Title"]  # the h1 is the title shown


def test_every_picture_has_the_alt_text_of_the_html_and_a_chart_is_its_print_png(printed, document):
    alts = [img["alt"] for img in BeautifulSoup(printed.html, "html.parser").find_all("img")]
    assert descriptions(document) == alts == ["Logo: Testby", "Søjler: Nord 3, Syd 5"]
    # The picture's own description held its source (a whole data: URI); it is the alt text too.
    assert xml(document).xpath("//pic:cNvPr/@descr", namespaces=NS) == alts
    assert b"base64" not in parts(document)["word/document.xml"]
    (logo_image, logo_width), (chart_image, chart_width) = pictures(document)
    assert logo_width == round(200 * 56 / 100 / 96 * EMU_PER_INCH)  # as high as the HTML shows it: 56 px
    png = Image.open(io.BytesIO(chart_image))
    assert png.format == "PNG" and abs(png.width / (chart_width / EMU_PER_INCH) - PRINT_DPI) < 2


def test_every_table_has_its_caption_and_a_header_row_that_repeats_on_each_page(document):
    assert tables(document) == [("Sager efter område", True)]
    text = document_text(document)
    assert "Sager efter område Område Sager Andel Nord 3 38 % Syd 5 62 %" in text


def test_what_is_for_the_screen_only_is_left_out_and_what_folds_is_unfolded(printed, document):
    assert 'class="pdf-link"' in printed.html and "<nav" in printed.html and "<details" in printed.html
    text = document_text(document)
    for screen_only in ("Hent beretningen som PDF", "Indhold", "Vis"):
        assert screen_only not in text
    assert "Foldet tekst" in text


def test_a_table_for_layout_becomes_paragraphs(document):
    body = xml(document)
    assert len(list(body.iter(f"{{{NS['w']}}}tbl"))) == 1
    assert [text_in(p) for p in body.iter(f"{{{NS['w']}}}p") if "spalte" in text_in(p)] == ["Venstre spalte",
                                                                                                "Højre spalte"]


def test_the_screen_only_parts_are_found_as_the_templates_write_them():
    html = ('<html><head><title>T</title><style>p {}</style></head><body><main><nav class="toc"><h2>Indhold</h2>'
            '</nav><p class="pdf-link"><a href="beretning.pdf">PDF</a></p><p hidden>Skjult</p><h2> </h2>'
            '<details class="exhibit-table"><summary>Se tallene i en tabel</summary><p>Tallene</p></details>'
            '<h3>Under</h3><p>Tekst<wbr>del</p><img alt="Et diagram" src="data:image/png;base64,AA=="></main>'
            '</body></html>')
    prepared, alts = prepare(html)
    assert prepared == ('<html><body><main><p>Tallene</p><h2>Under</h2><p>Tekstdel</p>'
                        '<img alt="Et diagram" src="data:image/png;base64,AA=="/></main></body></html>')
    assert alts == ["Et diagram"]


def test_a_table_without_a_head_gets_its_first_row_repeated():
    html = "<main><table><caption>Uden hoved</caption><tr><td>a</td><td>1</td></tr></table></main>"
    assert tables(to_docx(html, title="T", date=END)) == [("Uden hoved", True)]


def test_the_same_html_gives_the_same_bytes_at_another_time(printed, document, monkeypatch):
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)  # python-docx dates each zip entry with now
    assert to_docx(printed.html, title=printed.title, date=END) == document
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        infos = package.infolist()
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [info.filename for info in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]
    core = xml(document, "docProps/core.xml")
    assert core.findtext("dcterms:created", namespaces=NS) == "2019-10-31T00:00:00Z"
    assert core.findtext("dcterms:modified", namespaces=NS) == "2019-10-31T00:00:00Z"
    assert core.findtext("cp:revision", namespaces=NS) == "1"


def test_pandoc_failing_fails_the_run_and_says_what_to_do(printed, monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError('Pandoc died with exitcode "1" during conversion: b"out of memory"')

    monkeypatch.setattr(pypandoc, "convert_text", fails)
    with pytest.raises(RunFailed, match=r"the Word document cannot be made: Pandoc failed \(Pandoc died .*out of "
                                        r"memory.*\); .*--format html,pdf"):
        to_docx(printed.html, title=printed.title, date=END)


def test_an_image_pandoc_left_out_fails_the_run(printed, monkeypatch):
    real = docx.prepare
    monkeypatch.setattr(docx, "prepare", lambda html: (real(html)[0], [*real(html)[1], "Et diagram mere"]))
    with pytest.raises(RunFailed, match="it holds 2 pictures where the report has 3 images"):
        to_docx(printed.html, title=printed.title, date=END)


# The example register's 2018/19 report, published with its Word document.

@pytest.fixture
def report(example_word_report):
    return example_word_report


def html_of(report) -> str:
    return (report / "beretning.html").read_text(encoding="utf-8")


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_the_run_writes_the_word_document_and_the_manifest_lists_it(report):
    import json

    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["formats"] == ["html", "pdf", "docx"]
    assert "beretning.docx" in manifest["outputs"]
    assert sorted(p.name for p in report.iterdir()) == ["beretning.docx", "beretning.html", "beretning.ipynb",
                                                        "beretning.pdf", "figures.json", "manifest.json"]


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_its_html_and_pdf_are_the_bytes_of_a_run_without_word(report, example_reports):
    without = example_reports["2018/19"]
    assert "data-print" not in html_of(report)
    for name in ("beretning.html", "beretning.pdf"):
        assert (report / name).read_bytes() == (without / name).read_bytes(), name


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_the_word_documents_headings_are_the_htmls_in_words_styles_without_a_skipped_level(report):
    data = (report / "beretning.docx").read_bytes()
    soup = BeautifulSoup(html_of(report), "html.parser")
    for nav in soup.find_all("nav"):  # the tables of contents are for the screen
        nav.decompose()
    expected = [(int(h.name[1]), h.get_text(" ", strip=True)) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    found = headings(data)
    assert found == expected and len(found) > 20
    assert found[0] == (1, "Beretning fra Borgerrådgiveren")
    assert all(level <= before + 1 for (before, _), (level, _) in zip(found, found[1:], strict=False))


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_the_word_document_is_titled_danish_and_every_chart_a_print_png_with_the_htmls_alt_text(report):
    data = (report / "beretning.docx").read_bytes()
    core = xml(data, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == TITLE
    assert core.findtext("dc:language", namespaces=NS) == "da-DK"
    assert xml(data, "word/styles.xml").xpath("//w:docDefaults//w:lang/@w:val", namespaces=NS) == ["da-DK"]
    alts = re.findall(r'<img alt="([^"]+)"', html_of(report))
    assert len(alts) == 12 and descriptions(data) == [BeautifulSoup(a, "html.parser").text for a in alts]
    for image, width in pictures(data):
        png = Image.open(io.BytesIO(image))
        assert png.format == "PNG" and abs(png.width / (width / EMU_PER_INCH) - PRINT_DPI) < 2


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_every_table_of_the_word_document_has_the_htmls_caption_and_a_repeating_header_row(report):
    data = (report / "beretning.docx").read_bytes()
    captions = [caption.get_text(" ", strip=True) for caption in
                BeautifulSoup(html_of(report), "html.parser").find_all("caption")]
    assert len(captions) > 20
    assert tables(data) == [(caption, True) for caption in captions]


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_the_word_document_shows_the_seed_figures_in_the_htmls_order(report):
    text = document_text((report / "beretning.docx").read_bytes())
    for row in SEED_ROWS:
        assert row in text
    # The same content in the same order: every paragraph of the HTML's narrative is there, one after the other.
    soup = BeautifulSoup(html_of(report), "html.parser")
    for mark in soup.select("sup.footnote-ref"):  # a note's mark is Word's footnote reference, not text
        mark.decompose()
    paragraphs = [text_of(str(p)) for p in soup.select("section.narrative > p")]
    positions = [text.index(paragraph) for paragraph in paragraphs]
    assert len(paragraphs) > 10 and positions == sorted(positions)


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_exporting_the_same_notebook_again_gives_the_same_bytes(report):
    export = to_html(nbformat.read(report / "beretning.ipynb", as_version=4), print_images=True)
    assert export.title == TITLE
    assert to_docx(export.html, title=export.title, date=END) == (report / "beretning.docx").read_bytes()


@pytest.mark.kernel
@pytest.mark.xdist_group("example-word-report")
def test_libreoffice_opens_the_word_document_and_lays_it_out(report, tmp_path):
    soffice = require_libreoffice()
    shutil.copy(report / "beretning.docx", tmp_path / "beretning.docx")
    # A profile of its own, so that neither a running LibreOffice nor another test's is used.
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    done = subprocess.run([soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(tmp_path / "beretning.docx")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    laid_out = PdfReader(tmp_path / "beretning.pdf")
    text = " ".join(" ".join(page.extract_text() for page in laid_out.pages).split())
    assert len(laid_out.pages) > 5 and "Året i tal" in text and "Sager efter type" in text


def test_the_narratives_footnotes_are_word_footnotes_without_their_back_links():
    from reportlib.report.narrative import render_markdown

    chapter, _refused = render_markdown("Et år[^1] med [flere sager](https://example.dk).\n\n[^1]: Foreløbige tal.\n",
                                        notes="1-")
    html = (f'<html lang="da"><head><title>{TITLE}</title></head><body><main><h1>{TITLE}</h1><h2>Forord</h2>'
            f'<section class="narrative">{chapter}</section></main></body></html>')
    written = to_docx(html, title=TITLE, date=END)
    notes = xml(written, "word/footnotes.xml").xpath("//w:footnote[not(@w:type)]", namespaces=NS)
    assert [text_in(note).strip() for note in notes] == ["Foreløbige tal."]
    assert len(xml(written).xpath("//w:footnoteReference", namespaces=NS)) == 1
    assert document_text(written) == f"{TITLE} Forord Et år med flere sager."
    assert xml(written).xpath("//w:hyperlink//w:t/text()", namespaces=NS) == ["flere sager"]
