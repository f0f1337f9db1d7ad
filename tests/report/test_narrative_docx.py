"""The narrative in Word: read as the same Markdown would be, nothing hidden published, the scaffold written as Word."""

import io
import re
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from reportlib import inputs
from reportlib.cli import main
from reportlib.exceptions import InputRefused, NarrativeError, NarrativeExists
from reportlib.paths import narrative_path
from reportlib.periods import parse_period
from reportlib.report import narrative_docx
from reportlib.report.narrative import CHAPTERS, FOLLOW_UP, read_narrative
from reportlib.report.narrative_docx import GUIDANCE_STYLE, word_markdown

PERIOD = parse_period("2018/19", 11)
DOCX = "beretning_2018-11-01_2019-10-31.docx"
MD = "beretning_2018-11-01_2019-10-31.md"
# A 1x1 PNG: the same bytes embedded from Word and from the register folder give the same data URI.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cf"
                    "c0f01f0005000201a5f7b2d40000000049454e44ae426082")
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
NS = nsdecls("w", "m", "r", "wp")  # for the markup the tests write as Word does, where python-docx has no call
VML = 'xmlns:v="urn:schemas-microsoft-com:vml"'  # the pictures and text boxes of Word before 2007

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


def xml(paragraph, markup: str) -> None:
    """Append WordprocessingML (a run, a field, an equation; its namespaces declared with NS) to a paragraph."""
    paragraph._p.append(parse_xml(markup))


def run(text: str, properties: str = "") -> str:
    """A run's markup: its properties (``<w:vanish/>``, ``<w:rStyle w:val="..."/>``) and its text."""
    return f'<w:r {NS}><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def note(paragraph, markup: str, kind: str = "footnote") -> None:
    """python-docx has no call for a note: its part (made on first use), the note (paragraphs' markup), its mark."""
    relationship = {"footnote": RT.FOOTNOTES, "endnote": RT.ENDNOTES}[kind]
    try:
        part = paragraph.part.part_related_by(relationship)
    except KeyError:
        content_type = {"footnote": CT.WML_FOOTNOTES, "endnote": CT.WML_ENDNOTES}[kind]
        part = XmlPart(PackURI(f"/word/{kind}s.xml"), content_type, parse_xml(f"<w:{kind}s {NS}/>"),
                       paragraph.part.package)
        paragraph.part.relate_to(part, relationship)
    number = len(part.element) + 1
    part.element.append(parse_xml(f'<w:{kind} {NS} w:id="{number}">{markup}</w:{kind}>'))
    xml(paragraph, f'<w:r {NS}><w:{kind}Reference w:id="{number}"/></w:r>')


def style(document, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, *, hidden: bool | None = True, based_on=None):
    """A style of the document that hides its text (``hidden=None``: says nothing of it; ``False``: shows it)."""
    added = document.styles.add_style(name, kind)
    added.font.hidden = hidden
    if based_on is not None:
        added.base_style = document.styles[based_on]
    return added


def markdown_of(document, path) -> str:
    """The Markdown the reader makes of a document, saved to ``path``."""
    document.save(path)
    with word_markdown(path) as text:
        return text.markdown


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


# -- A CPR-like number wherever Pandoc would publish it: refused, naming where it is and never the number ----------


def _in_text(paragraph):  # Word's no-break space (Ctrl+Shift+Space) between the date and the four digits
    paragraph.add_run("Borgeren 010190\u00a01234 klagede.")


def _split(paragraph):  # over runs, a link's text and an equation, with Word's en dash and a minus sign
    paragraph.add_run("Borgeren 01")
    paragraph.add_run("01").bold = True
    hyperlink(paragraph, "90\u2013", "https://example.dk")
    xml(paragraph, f"<m:oMath {NS}><m:r><m:t>\u22121234</m:t></m:r></m:oMath>")


def _equation(paragraph):
    paragraph.add_run("Formlen ")
    xml(paragraph, f"<m:oMath {NS}><m:r><m:t>010190-1234</m:t></m:r></m:oMath>")


def _link(paragraph):
    paragraph.add_run("Se ")
    hyperlink(paragraph, "sagen", "https://example.dk/sag?cpr=0101901234")


def _encoded_link(paragraph):  # %2D is the hyphen a browser shows
    hyperlink(paragraph, "sagen", "https://example.dk/sag/010190%2D1234")


def _field(paragraph):  # Insert > Link as a field, its code split over two runs as Word does
    for markup in ('<w:fldChar w:fldCharType="begin"/>',
                   '<w:instrText xml:space="preserve"> HYPERLINK "https://example.dk/0101</w:instrText>',
                   '<w:instrText xml:space="preserve">90-1234" </w:instrText>', '<w:fldChar w:fldCharType="separate"/>',
                   "<w:t>sagen</w:t>", '<w:fldChar w:fldCharType="end"/>'):
        xml(paragraph, f"<w:r {NS}>{markup}</w:r>")


def _simple_field(paragraph):
    xml(paragraph, f'<w:fldSimple {NS} w:instr=\' HYPERLINK "https://example.dk/010190-1234" \'>{run("sagen")}'
                   "</w:fldSimple>")


def _alt_text(paragraph):
    paragraph.add_run().add_picture(io.BytesIO(PNG), width=Cm(2))
    paragraph.part.document.inline_shapes[0]._inline.docPr.set("descr", "Brev fra 010190-1234")


def _vml_alt_text(paragraph):  # a picture inserted by Word before 2007
    rid = paragraph.part.relate_to(paragraph.part.package.get_or_add_image_part(io.BytesIO(PNG)), RT.IMAGE)
    xml(paragraph, f'<w:r {NS}><w:pict><v:shape {VML} alt="Brev fra 010190-1234"><v:imagedata r:id="{rid}"/>'
                   "</v:shape></w:pict></w:r>")


def _table_title(paragraph):  # Table Properties > Alt Text: Pandoc makes title and description the caption
    paragraph.add_run("Tabellen:")
    table = paragraph.part.document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Sager"
    table._tbl.tblPr.append(parse_xml(f'<w:tblCaption {NS} w:val="Sager for 010190"/>'))
    table._tbl.tblPr.append(parse_xml(f'<w:tblDescription {NS} w:val="-1234"/>'))


CPR_PLACES = [
    pytest.param(_in_text, "paragraph 3 (under the heading 'Sagseksempler'): the text", id="text"),
    pytest.param(_split, "paragraph 3 (under the heading 'Sagseksempler'): the text", id="split over elements"),
    pytest.param(_equation, "paragraph 3 (under the heading 'Sagseksempler'): the text", id="equation"),
    pytest.param(_link, "paragraph 3 (under the heading 'Sagseksempler'): a link's address or a field's code",
                 id="link"),
    pytest.param(_encoded_link, "paragraph 3 (under the heading 'Sagseksempler'): a link's address or a field's code",
                 id="percent-encoded link"),
    pytest.param(_field, "paragraph 3 (under the heading 'Sagseksempler'): a link's address or a field's code",
                 id="HYPERLINK field"),
    pytest.param(_simple_field, "paragraph 3 (under the heading 'Sagseksempler'): a link's address or a field's code",
                 id="simple HYPERLINK field"),
    pytest.param(_alt_text, "paragraph 3 (under the heading 'Sagseksempler'): an image's alt text", id="alt text"),
    pytest.param(_vml_alt_text, "paragraph 3 (under the heading 'Sagseksempler'): an image's alt text",
                 id="VML alt text"),
    pytest.param(_table_title, "paragraph 4 (under the heading 'Sagseksempler'): a table's title or description",
                 id="table's title"),
    pytest.param(lambda paragraph: note(paragraph, f"<w:p>{run('Borgeren 010190-1234.')}</w:p>"),
                 "footnote 1, marked in paragraph 3 (under the heading 'Sagseksempler'): the text", id="footnote"),
    pytest.param(lambda paragraph: note(paragraph, f"<w:p>{run('Borgeren 010190-1234.')}</w:p>", "endnote"),
                 "endnote 1, marked in paragraph 3 (under the heading 'Sagseksempler'): the text", id="endnote"),
]


@pytest.mark.parametrize("write,place", CPR_PLACES)
def test_a_cpr_like_number_anywhere_pandoc_publishes_is_an_error_naming_where_and_not_the_number(
        tmp_path, make_register, write, place):
    folder = make_register()
    document = docx.Document()
    document.add_heading("Sagseksempler", 1)
    document.add_paragraph("En borger skrev til os.")
    write(document.add_paragraph())
    document.save(folder / DOCX)
    with pytest.raises(NarrativeError) as raised:
        read_narrative(folder / DOCX)
    message = str(raised.value)
    assert message.startswith(f"{folder / DOCX}: {place} holds what looks like a CPR number")
    assert len(message.splitlines()) == 1 and "1234" not in message
    result = CliRunner().invoke(main, ["run", "--period", "2018/19", "--data", str(folder), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and place in result.stderr and "1234" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_cpr_like_number_the_checks_do_not_know_of_is_refused_in_what_pandoc_makes(tmp_path, monkeypatch):
    monkeypatch.setattr(narrative_docx, "_readings", lambda paragraph, part: {})  # as if Word had a new place for text
    document = docx.Document()
    document.add_heading("Sagseksempler", 1)
    document.add_paragraph("Borgeren 010190\u20131234 klagede.")
    document.save(tmp_path / DOCX)
    with pytest.raises(NarrativeError) as raised:
        read_narrative(tmp_path / DOCX)
    assert str(raised.value) == (f"{tmp_path / DOCX}: line 3 of the text converted from Word holds what looks like a "
                                 "CPR number (a date and four digits); the report is public, so remove it (the number "
                                 "is not repeated here)")


def test_a_heading_that_holds_a_cpr_like_number_is_never_repeated_in_a_message(tmp_path):
    document = docx.Document()
    document.add_heading("Forord", 1)
    document.add_heading("Sagen om 010190-1234", 2)
    document.add_paragraph("Borgeren 010190-1234 klagede.")
    document.save(tmp_path / DOCX)
    with pytest.raises(NarrativeError) as raised:
        read_narrative(tmp_path / DOCX)
    assert str(raised.value).splitlines() == [
        f"{tmp_path / DOCX}: paragraph {number} (under the heading 'Forord'): the text holds what looks like a CPR "
        "number (a date and four digits); the report is public, so remove it (the number is not repeated here)"
        for number in (2, 3)]


# -- What Word hides is never published, decided as Word shows it --------------------------------------------


def _by_paragraph_style(document):
    style(document, "Skjult afsnit")
    document.add_paragraph("Skjult note om borgeren 010190-1234.", style="Skjult afsnit")


def _by_inherited_paragraph_style(document):
    style(document, "Skjult afsnit")
    style(document, "Afledt afsnit", hidden=None, based_on="Skjult afsnit")
    document.add_paragraph("Skjult note om borgeren.", style="Afledt afsnit")


def _by_inherited_character_style(document):
    style(document, "Skjult tegn", WD_STYLE_TYPE.CHARACTER)
    style(document, "Afledt tegn", WD_STYLE_TYPE.CHARACTER, hidden=None, based_on="Skjult tegn")
    document.add_paragraph("Offentlig i afsnittet. ").add_run("Skjult note om borgeren.", style="Afledt tegn")


def _in_a_table_by_inherited_character_style(document):
    style(document, "Skjult tegn", WD_STYLE_TYPE.CHARACTER)
    style(document, "Afledt tegn", WD_STYLE_TYPE.CHARACTER, hidden=None, based_on="Skjult tegn")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run("Offentlig i tabellen. ")
    cell.paragraphs[0].add_run("Skjult note om borgeren.", style="Afledt tegn")


def _by_table_style(document):
    hiding = style(document, "Skjult tabel", WD_STYLE_TYPE.TABLE)
    assert hiding.element.find(qn("w:rPr")).find(qn("w:vanish")) is not None
    document.add_table(rows=1, cols=1, style="Skjult tabel").cell(0, 0).text = "Skjult note om borgeren."


def _in_a_footnote(document):
    paragraph = document.add_paragraph("Offentlig med fodnote.")
    note(paragraph, f"<w:p>{run('Offentlig fodnote. ')}{run('Skjult note om borgeren 010190-1234.', '<w:vanish/>')}"
                    "</w:p>")


def _in_a_footnote_by_paragraph_style(document):
    style(document, "Skjult afsnit")
    paragraph = document.add_paragraph("Offentlig med slutnote.")
    note(paragraph, f"<w:p>{run('Offentlig slutnote.')}</w:p>"
                    f'<w:p><w:pPr><w:pStyle w:val="Skjultafsnit"/></w:pPr>{run("Skjult note om borgeren.")}</w:p>',
         "endnote")


def _by_the_documents_defaults(document):
    # Everything is hidden unless it says otherwise: the heading and the public text say so, in two spellings.
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    defaults.append(OxmlElement("w:vanish"))
    for paragraph, value in ((document.paragraphs[0], "0"), (document.paragraphs[1], "false")):
        shown = OxmlElement("w:vanish")
        shown.set(qn("w:val"), value)
        paragraph.runs[0]._r.get_or_add_rPr().append(shown)
    document.add_paragraph("Skjult note om borgeren.")


HIDING = [
    pytest.param(_by_paragraph_style, id="paragraph style"),
    pytest.param(_by_inherited_paragraph_style, id="paragraph style based on a hidden one"),
    pytest.param(_by_inherited_character_style, id="character style based on a hidden one"),
    pytest.param(_in_a_table_by_inherited_character_style, id="in a table, character style based on a hidden one"),
    pytest.param(_by_table_style, id="table style"),
    pytest.param(_in_a_footnote, id="in a footnote"),
    pytest.param(_in_a_footnote_by_paragraph_style, id="in an endnote, by paragraph style"),
    pytest.param(_by_the_documents_defaults, id="document defaults"),
]


@pytest.mark.parametrize("hide", HIDING)
def test_text_word_hides_is_never_published(tmp_path, hide):
    document = docx.Document()
    document.add_heading("Forord", 1)
    document.add_paragraph("Offentlig tekst.")
    hide(document)
    markdown = markdown_of(document, tmp_path / DOCX)
    assert "Skjult" not in markdown and "borgeren" not in markdown
    assert markdown.startswith("# Forord\n\nOffentlig tekst.")
    assert all(public in markdown for public in re.findall(r"Offentlig [a-zæø]+", document.element.xml + "".join(
        part.blob.decode() for part in document.part.package.parts if "notes" in str(part.partname))))


def test_text_a_style_hides_is_published_where_the_run_itself_says_vanish_off(tmp_path):
    document = docx.Document()
    document.add_heading("Forord", 1)
    style(document, "Skjult tegn", WD_STYLE_TYPE.CHARACTER)
    paragraph = document.add_paragraph("Offentlig tekst. ")
    paragraph.add_run("Vist alligevel.", style="Skjult tegn").font.hidden = False  # <w:vanish w:val="0"/>
    paragraph.add_run(" Skjult note.", style="Skjult tegn")
    assert markdown_of(document, tmp_path / DOCX) == "# Forord\n\nOffentlig tekst. Vist alligevel.\n"


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
    document = the_same_text_in_word(folder / DOCX, alt="")
    note(document.paragraphs[-1], f"<w:p {NS}>{run('Hverdage kl. 9-15.')}</w:p>")
    document.save(folder / DOCX)
    result = CliRunner().invoke(main, ["run", "--period", "2018/19", "--data", str(folder), "--out",
                                       str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 0, result.output
    report = tmp_path / "out" / "2018-11-01_2019-10-31"
    page = (report / "beretning.html").read_text(encoding="utf-8")
    assert "<strong>flere klager</strong>" in page and "Flere om jobcentret" in page
    # The footnote is a note at its chapter's end, linked both ways, never the Markdown Pandoc wrote for it.
    assert 'role="doc-noteref"' in page and 'role="doc-endnotes"' in page and 'role="doc-backlink"' in page
    assert "Hverdage kl. 9-15." in page and "[^" not in page
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


def test_footnotes_are_notes_at_their_chapters_end_linked_both_ways_with_ids_unique_on_the_page(tmp_path):
    document = docx.Document()
    for heading, text, noted in (("Forord", "Året i tal", "Tallene er foreløbige."),
                                 ("Kontakt", "Skriv til os", "Svar inden for ti dage.")):
        document.add_heading(heading, 1)
        note(document.add_paragraph(text), f"<w:p {NS}>{run(noted)}</w:p>")
    document.save(tmp_path / DOCX)
    narrative = read_narrative(tmp_path / DOCX)
    foreword, contact = narrative.chapter("Forord").html, narrative.chapter("Kontakt").html
    assert '<a href="#fn-1-1" id="fnref-1-1" role="doc-noteref">1</a>' in foreword
    assert '<section class="footnotes" role="doc-endnotes"' in foreword and "Tallene er foreløbige." in foreword
    assert '<li id="fn-1-1"><p>Tallene er foreløbige. <a href="#fnref-1-1" class="footnote-back" ' \
           'role="doc-backlink"' in foreword
    assert "Svar inden for ti dage." in contact and 'id="fn-2-1"' in contact and "foreløbige" not in contact
    assert "[^" not in foreword + contact


def test_a_simple_fields_text_is_kept_and_its_link_too(tmp_path):
    document = docx.Document()
    document.add_heading("Forord", 1)
    paragraph = document.add_paragraph("Se ")
    xml(paragraph, f'<w:fldSimple {NS} w:instr=\' HYPERLINK "https://example.dk/klage" \'>{run("siden")}'
                   "</w:fldSimple>")
    xml(paragraph, f"<w:fldSimple {NS} w:instr=' DOCPROPERTY Afdeling '>{run(' og Borgerrådgiveren')}</w:fldSimple>")
    assert markdown_of(document, tmp_path / DOCX) == (
        "# Forord\n\nSe [siden](https://example.dk/klage) og Borgerrådgiveren\n")


def test_content_pasted_in_whole_is_a_warning_naming_the_paragraph_before_it(tmp_path):
    document = docx.Document()
    document.add_heading("Forord", 1)
    document.add_paragraph("Før det indsatte.")
    rid = document.part.relate_to(XmlPart(PackURI("/word/afchunk.htm"), "application/xhtml+xml",
                                          parse_xml('<html xmlns="http://www.w3.org/1999/xhtml"/>'),
                                          document.part.package), RT.A_F_CHUNK)
    document.element.body.insert(-1, parse_xml(f'<w:altChunk {NS} r:id="{rid}"/>'))
    document.save(tmp_path / DOCX)
    (warning,) = read_narrative(tmp_path / DOCX).warnings
    assert f"{DOCX}: after paragraph 2 (under the heading 'Forord'): content pasted in as a whole" in warning


def test_an_older_vml_picture_is_published_with_its_alt_text_and_one_without_is_warned_of(tmp_path):
    for alt, warned in (("", True), ('alt="Kort over kommunen"', False)):
        document = docx.Document()
        document.add_heading("Forord", 1)
        paragraph = document.add_paragraph("Kortet:")
        rid = paragraph.part.relate_to(paragraph.part.package.get_or_add_image_part(io.BytesIO(PNG)), RT.IMAGE)
        xml(paragraph, f'<w:r {NS}><w:pict><v:shape {VML} style="width:100pt;height:100pt" {alt}>'
                       f'<v:imagedata r:id="{rid}"/></v:shape></w:pict></w:r>')
        document.save(tmp_path / DOCX)
        narrative = read_narrative(tmp_path / DOCX)
        warnings = narrative.warnings
        assert f'alt="{"" if warned else "Kort over kommunen"}"' in narrative.chapter("Forord").html
        assert [bool(re.match(f".*{DOCX}: paragraph 2 \\(under the heading 'Forord'\\): image 1 has no alt text", w))
                for w in warnings] == ([True] if warned else [])


def _tracked_in_a_footnote(document):
    note(document.paragraphs[-1], f'<w:p {NS}><w:ins w:id="7" w:author="R">{run("Indsat")}</w:ins></w:p>')
    return "footnote 1, marked in paragraph 2 (under the heading 'Forord')"


def _tracked_in_a_header(document):
    document.sections[0].header.paragraphs[0]._p.append(
        parse_xml(f'<w:del {NS} w:id="7" w:author="R"><w:r><w:delText>Slettet</w:delText></w:r></w:del>'))
    return "a header (word/header1.xml)"


def _tracked_in_a_text_box(document):
    xml(document.paragraphs[-1], f'<w:r {NS}><w:pict><v:shape {VML}><v:textbox><w:txbxContent><w:p>'
                                 f'<w:ins w:id="7" w:author="R">{run("Indsat")}</w:ins></w:p></w:txbxContent>'
                                 "</v:textbox></v:shape></w:pict></w:r>")
    return "paragraph 3 (under the heading 'Forord')"


@pytest.mark.parametrize("change", [_tracked_in_a_footnote, _tracked_in_a_header, _tracked_in_a_text_box])
def test_tracked_changes_anywhere_in_the_file_are_refused_naming_where(tmp_path, change):
    document = docx.Document()
    document.add_heading("Forord", 1)
    document.add_paragraph("Synlig tekst.")
    where = change(document)
    document.save(tmp_path / DOCX)
    with pytest.raises(NarrativeError, match=re.escape(f"{where}: tracked changes not yet accepted or rejected")):
        read_narrative(tmp_path / DOCX)


def _rewritten(path, part: str, change) -> None:
    """Rewrite one XML part of a saved Word file with ``change`` (bytes to bytes), as a hostile file would have it."""
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, change(content) if name == part else content)


def _saved(tmp_path, paragraphs: int = 1):
    document = docx.Document()
    document.add_heading("Forord", 1)
    for number in range(paragraphs):
        document.add_paragraph(f"Afsnit {number}")
    path = tmp_path / DOCX
    document.save(path)
    return path


@pytest.mark.parametrize(("part", "change", "expected"), [
    ("word/document.xml", lambda xml: xml.replace(b"<w:body>", b'<w:body w:x="1" w:x="2">', 1),
     "word/document.xml: not XML as Word writes it (Attribute w:x redefined"),
    ("word/styles.xml", lambda xml: xml.replace(b"<w:styles ", b'<w:styles w:x="1" w:x="2" ', 1),
     "word/styles.xml: not XML as Word writes it (Attribute w:x redefined"),
    ("word/document.xml", lambda xml: re.sub(rb"\?>", b'?><!DOCTYPE w:document [<!ENTITY a "' + b"a" * 100 + b'">]>',
                                             xml, count=1).replace(b"Afsnit 0", b"&a;&a;"),
     "word/document.xml: holds a document type declaration (DOCTYPE), which Word never writes"),
])
def test_xml_no_word_writes_is_refused_naming_the_part_before_python_docx_or_pandoc_read_it(tmp_path, part, change,
                                                                                           expected):
    path = _saved(tmp_path)
    _rewritten(path, part, change)
    with pytest.raises(NarrativeError, match=re.escape(f"{path}: {expected}")):
        read_narrative(path)


def test_a_narrative_of_more_paragraphs_than_its_limit_is_refused_before_pandoc_starts(tmp_path, monkeypatch):
    monkeypatch.setattr(narrative_docx, "MAX_PARAGRAPHS", 20)
    monkeypatch.setattr(narrative_docx.pandoc, "convert_file", lambda *a, **k: pytest.fail("Pandoc was started"))
    with pytest.raises(NarrativeError, match="more than the 20 paragraphs a narrative may have"):
        read_narrative(_saved(tmp_path, paragraphs=20))  # and the heading: 21


def test_a_narrative_that_unpacks_to_more_than_its_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(narrative_docx.inputs, "NARRATIVE", inputs.Limit("a narrative", 1 << 20, unpacked=50_000))
    path = _saved(tmp_path)
    _rewritten(path, "word/document.xml", lambda xml: xml.replace(b"Afsnit 0", b"x" * 60_000))
    assert path.stat().st_size < 50_000
    with pytest.raises(InputRefused, match="unpacks to more than"):
        read_narrative(path)


def test_a_failure_of_pandocs_is_a_message_naming_the_file(tmp_path, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError('Pandoc died with exitcode "63" during conversion: couldn\'t parse docx file: DocxError')

    monkeypatch.setattr(narrative_docx.pandoc, "convert_file", failing)
    path = _saved(tmp_path)
    with pytest.raises(NarrativeError, match=re.escape(f"{path}: Pandoc cannot read it as a Word document (Pandoc "
                                                       "died with exitcode \"63\"")):
        read_narrative(path)
