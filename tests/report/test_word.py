"""The narrative in Word: read as the same Markdown would be, nothing hidden published, the scaffold written as Word."""

import io
import re

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from reportlib.cli import main
from reportlib.exceptions import NarrativeError, NarrativeExists
from reportlib.paths import narrative_path
from reportlib.periods import parse_period
from reportlib.report.narrative import CHAPTERS, FOLLOW_UP, read_narrative
from reportlib.report.word import GUIDANCE_STYLE

PERIOD = parse_period("2018/19", 11)
DOCX = "beretning_2018-11-01_2019-10-31.docx"
MD = "beretning_2018-11-01_2019-10-31.md"
# A 1x1 PNG: the same bytes embedded from Word and from the register folder give the same data URI.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cf"
                    "c0f01f0005000201a5f7b2d40000000049454e44ae426082")
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"

MARKDOWN = """# Forord

Året bød på **flere klager** og *kortere* svartider.

## Det vigtigste

- Færre sager om byggesager
- Flere om jobcentret

1. Svar hurtigere
2. Begrund afgørelser

Læs mere på [kommunens side](https://example.dk/borgerraadgiver).

| Område | Sager |
| --- | --- |
| Social | 12 |

![Kort over kommunen](kort.png)

# Kontakt

Ring til os.
"""


def hyperlink(paragraph, text: str, url: str) -> None:
    """python-docx has no call for a hyperlink: its relationship and a run inside w:hyperlink."""
    rid = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def the_same_text_in_word(path, image: bytes = PNG, alt: str = "Kort over kommunen"):
    """MARKDOWN written in Word as an advisor would: heading styles, bold, italic, lists, a link, a table, a picture."""
    document = docx.Document()
    document.add_heading("Forord", 1)
    paragraph = document.add_paragraph("Året bød på ")
    paragraph.add_run("flere klager").bold = True
    paragraph.add_run(" og ")
    paragraph.add_run("kortere").italic = True
    paragraph.add_run(" svartider.")
    document.add_heading("Det vigtigste", 2)
    document.add_paragraph("Færre sager om byggesager", style="List Bullet")
    document.add_paragraph("Flere om jobcentret", style="List Bullet")
    document.add_paragraph("Svar hurtigere", style="List Number")
    document.add_paragraph("Begrund afgørelser", style="List Number")
    paragraph = document.add_paragraph("Læs mere på ")
    hyperlink(paragraph, "kommunens side", "https://example.dk/borgerraadgiver")
    paragraph.add_run(".")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Område", "Sager"), ("Social", "12")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_picture(io.BytesIO(image), width=Cm(2))
    if alt:
        document.inline_shapes[0]._inline.docPr.set("descr", alt)
    document.add_heading("Kontakt", 1)
    document.add_paragraph("Ring til os.")
    document.save(path)
    return document


def test_a_narrative_in_word_gives_the_same_chapters_as_the_same_text_in_markdown(tmp_path):
    markdown_folder, word_folder = tmp_path / "md", tmp_path / "docx"
    markdown_folder.mkdir()
    word_folder.mkdir()
    (markdown_folder / MD).write_text(MARKDOWN, encoding="utf-8")
    (markdown_folder / "kort.png").write_bytes(PNG)
    the_same_text_in_word(word_folder / DOCX)
    from_markdown, from_word = read_narrative(markdown_folder / MD), read_narrative(word_folder / DOCX)
    assert [c.heading for c in from_word.chapters] == ["Forord", "Kontakt"]
    assert [c.html for c in from_word.chapters] == [c.html for c in from_markdown.chapters]
    assert '<a href="https://example.dk/borgerraadgiver">kommunens side</a>' in from_word.chapter("Forord").html
    assert from_word.warnings == ()


def test_a_tracked_deletion_is_refused_naming_its_paragraph_and_its_text_appears_nowhere(tmp_path, make_register):
    folder = make_register()
    document = docx.Document()
    document.add_heading("Forord", 1)
    paragraph = document.add_paragraph("Synlig tekst. ")
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "1")
    deletion.set(qn("w:author"), "Rådgiveren")
    run = OxmlElement("w:r")
    deleted = OxmlElement("w:delText")
    deleted.text = "Sagen om familien Hemmeligsen"
    run.append(deleted)
    deletion.append(run)
    paragraph._p.append(deletion)
    document.save(folder / DOCX)
    with pytest.raises(NarrativeError) as raised:
        read_narrative(folder / DOCX)
    message = str(raised.value)
    assert "paragraph 2 (under the heading 'Forord'): tracked changes not yet accepted or rejected" in message
    assert "accept or reject the tracked changes in Word first" in message and "Hemmeligsen" not in message
    result = CliRunner().invoke(main, ["run", "--period", "2018/19", "--data", str(folder), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and "tracked changes" in result.stderr and "Hemmeligsen" not in result.output
    assert not (tmp_path / "out").exists()


def test_hidden_text_comments_guidance_and_document_properties_are_never_published(tmp_path):
    document = docx.Document()
    document.core_properties.author = "Jens Forfattersen"
    document.core_properties.title = "Udkast med navne"
    document.add_heading("Forord", 1)
    paragraph = document.add_paragraph("Offentlig tekst.")
    paragraph.add_run(" Skjult note om borgeren.").font.hidden = True
    document.add_comment(paragraph.runs[0], text="Kommentar: ring til Hansen", author="Jens Forfattersen")
    document.styles.add_style(GUIDANCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Vejledning: skriv her om året.", style=GUIDANCE_STYLE)
    document.save(tmp_path / DOCX)
    html = read_narrative(tmp_path / DOCX).chapter("Forord").html
    assert html == "<p>Offentlig tekst.</p>"


def test_a_cpr_like_number_is_an_error_naming_the_paragraph_and_not_the_number(tmp_path):
    document = docx.Document()
    document.add_heading("Sagseksempler", 1)
    document.add_paragraph("En borger skrev til os.")
    document.add_paragraph("Borgeren 010190-1234 klagede.")
    document.save(tmp_path / DOCX)
    with pytest.raises(NarrativeError, match=r"paragraph 3 \(under the heading 'Sagseksempler'\): the text holds "
                                             "what looks like a CPR number") as raised:
        read_narrative(tmp_path / DOCX)
    assert "1234" not in str(raised.value)


def test_an_image_that_is_no_png_or_jpeg_is_an_error_and_one_without_alt_text_a_warning(tmp_path):
    the_same_text_in_word(tmp_path / "gif.docx", image=GIF)
    with pytest.raises(NarrativeError, match=r"gif.docx: paragraph \d+ \(under the heading 'Det vigtigste'\): "
                                             "image 1: only a PNG or JPEG image"):
        read_narrative(tmp_path / "gif.docx")
    the_same_text_in_word(tmp_path / "bare.docx", alt="")
    (warning,) = read_narrative(tmp_path / "bare.docx").warnings
    assert re.match(r".*bare.docx: paragraph \d+ \(under the heading 'Det vigtigste'\): image 1 has no alt text; add "
                    "it in Word", warning)


def test_a_file_that_is_no_word_document_is_an_error_saying_how_to_save_it(tmp_path):
    (tmp_path / DOCX).write_bytes(b"not a zip file")
    with pytest.raises(NarrativeError, match="not a Word document .* save it from Word as a Word document"):
        read_narrative(tmp_path / DOCX)


def test_a_period_with_both_a_markdown_and_a_word_narrative_is_refused_naming_both(make_register, tmp_path):
    folder = make_register()
    (folder / MD).write_text("# Forord\n\nTekst.\n", encoding="utf-8")
    the_same_text_in_word(folder / DOCX)
    with pytest.raises(NarrativeError, match=f"{MD} and .*{DOCX}: a period has one narrative"):
        narrative_path(folder, PERIOD)
    result = CliRunner().invoke(main, ["run", "--period", "2018/19", "--data", str(folder), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and MD in result.stderr and DOCX in result.stderr


def test_the_word_scaffold_has_every_chapter_as_heading_1_and_its_guidance_is_never_published(make_register):
    folder = make_register()
    result = CliRunner().invoke(main, ["narrative", "--period", "2018/19", "--data", str(folder), "--format", "docx"])
    assert result.exit_code == 0, result.output
    document = docx.Document(folder / DOCX)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [text for style, text in headings if style == "Heading 1"] == list(CHAPTERS)
    assert ("Heading 2", FOLLOW_UP) in headings
    guidance = [p.text for p in document.paragraphs if p.style.name == GUIDANCE_STYLE]
    assert any("Periodens nøgletal" in text for text in guidance)  # the key figures, for the text to agree with
    assert any(text.startswith("Sager i alt: 2") for text in guidance)  # each figure a paragraph of its own
    assert not [p.text for p in document.paragraphs if "<!--" in p.text or "-->" in p.text]
    chapters = read_narrative(folder / DOCX).chapters
    assert [(c.heading, c.html) for c in chapters if c.heading != "Anbefalinger"] == [
        (name, "") for name in CHAPTERS if name != "Anbefalinger"]


def test_the_word_scaffold_never_replaces_a_narrative_of_the_period_in_either_format(make_register):
    folder = make_register()
    (folder / MD).write_text("# Forord\n\nMin tekst.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["narrative", "--period", "2018/19", "--data", str(folder), "--format", "docx"])
    assert result.exit_code == 2 and "exists already and was left untouched" in result.stderr
    assert not (folder / DOCX).exists()
    assert (folder / MD).read_text(encoding="utf-8") == "# Forord\n\nMin tekst.\n"
    from reportlib.report.scaffold import write_scaffold

    with pytest.raises(NarrativeExists):
        write_scaffold(_beretning(folder), ".md")


def _beretning(folder):
    from reportlib.report.beretning import load_beretning

    return load_beretning(folder, PERIOD.start.isoformat(), PERIOD.end.isoformat())


@pytest.mark.kernel
def test_a_run_publishes_the_word_narrative_and_warns_of_a_picture_without_alt_text(make_register, tmp_path):
    folder = make_register()
    the_same_text_in_word(folder / DOCX, alt="")
    result = CliRunner().invoke(main, ["run", "--period", "2018/19", "--data", str(folder), "--out",
                                       str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 0, result.output
    report = tmp_path / "out" / "2018-11-01_2019-10-31"
    page = (report / "beretning.html").read_text(encoding="utf-8")
    assert "<strong>flere klager</strong>" in page and "Flere om jobcentret" in page
    assert "image 1 has no alt text" in result.stderr
    import json

    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert any("image 1 has no alt text" in warning for warning in manifest["warnings"])
    # The Word file is the period's narrative: the cache and the manifest know it by its bytes.
    assert DOCX in manifest["inputs"] and MD not in manifest["inputs"]


def test_two_chapters_with_the_same_heading_in_word_are_refused_naming_both(tmp_path):
    document = docx.Document()
    for heading in ("Forord", "Kontakt", "Forord"):
        document.add_heading(heading, 1)
        document.add_paragraph("Tekst.")
    path = tmp_path / DOCX
    document.save(path)
    with pytest.raises(NarrativeError, match=rf"^{path}: heading 1 and {path}: heading 3: two chapters headed "
                                             r"'# Forord'"):
        read_narrative(path)
