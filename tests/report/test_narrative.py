"""The advisor's narrative file: split into chapters at headings, no raw HTML or comments published."""

import base64

import pytest

from reportlib import language
from reportlib.report.narrative import CHAPTERS, NarrativeError, read_narrative, render_markdown

TEXT = """\
<!-- note to self: ring til Jens før mødet -->
Indledende linje.

# Forord

Et *godt* år.

## Et punkt

# Anbefalinger

- Svar hurtigere.

# Tak

<script>alert(1)</script>

# hvad efterspørger BORGERNE

Overblik.
"""


@pytest.fixture
def narrative(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text(TEXT, encoding="utf-8")
    return read_narrative(path)


def test_chapters_are_found_by_name_ignoring_case(narrative):
    assert [c.heading for c in narrative.chapters] == ["", "Forord", "Anbefalinger", "Tak",
                                                       "hvad efterspørger BORGERNE"]
    assert narrative.chapter("anbefalinger").html == "<ul>\n<li>Svar hurtigere.</li>\n</ul>"
    assert narrative.chapter("Hvad efterspørger borgerne").html == "<p>Overblik.</p>"
    assert narrative.chapter("Kontakt") is None


def test_chapters_of_other_names_are_kept_in_file_order(narrative):
    # The untitled text before the first heading, and "Tak", are not among the known chapters.
    assert [c.heading for c in narrative.others()] == ["", "Tak"]
    assert "Tak" not in CHAPTERS


def test_markdown_is_rendered_and_subheadings_sit_below_the_chapter_heading(narrative):
    forord = narrative.chapter("Forord")
    assert "<em>godt</em>" in forord.html
    assert "<h3>Et punkt</h3>" in forord.html  # "##" becomes h3 under the chapter's h2
    assert forord.markdown == "Et *godt* år.\n\n## Et punkt"  # as written, for the scaffold to read


def test_raw_html_is_shown_as_text_and_comments_are_left_out(narrative):
    everything = "".join(c.html for c in narrative.chapters)
    assert "<script>" not in everything
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in narrative.chapter("Tak").html
    assert "Jens" not in everything


def test_render_markdown_escapes_html_and_drops_comments():
    assert render_markdown("## Titel\n\nTekst <b>fed</b> <!-- skjult -->") == (
        "<h2>Titel</h2>\n<p>Tekst &lt;b&gt;fed&lt;/b&gt;</p>", [])


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


@pytest.mark.parametrize("source", ["http://host/p.png", "https://host/p.png", "//host/p.png", "file:///etc/p.png",
                                    "/etc/p.png", "../p.png", "mangler.png", "tekst.txt", "forklaedt.png"])
def test_an_image_from_anywhere_but_the_register_folder_is_an_error_with_file_and_line(tmp_path, source):
    (tmp_path.parent / "p.png").write_bytes(PNG)  # outside the register folder
    (tmp_path / "tekst.txt").write_text("x")
    (tmp_path / "forklaedt.png").write_text("not a PNG at all")
    path = tmp_path / "beretning.md"
    path.write_text(f"# Forord\n\nTekst.\n\n![Kort]({source})\n", encoding="utf-8")
    with pytest.raises(NarrativeError) as caught:
        read_narrative(path)
    assert str(caught.value) == (
        f"{path}:5: image '{source}': only a PNG or JPEG image can be shown, a file in the register folder (e.g. "
        "![Kort over området](kort.png) with kort.png beside this file) or a data: URI, of at most 5 MB; "
        "the report loads nothing from elsewhere")


@pytest.mark.parametrize("name", ["kort.png", "område.png", "Kort over Ballerup.png"])
def test_an_image_in_the_register_folder_is_embedded_whatever_its_name(tmp_path, name):
    (tmp_path / name).write_bytes(PNG)
    path = tmp_path / "beretning.md"
    path.write_text(f"# Forord\n![Kort over området](<{name}>)\n", encoding="utf-8")
    html = read_narrative(path).chapter("Forord").html
    assert html == ('<p><img src="data:image/png;base64,iVBORw0KGgoAAAAAAAAAAA==" alt="Kort over området"></p>')


def data_uri(mimetype, content):
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 "


@pytest.mark.parametrize("uri", [data_uri("image/svg+xml", SVG_WITH_SCRIPT), data_uri("image/gif", GIF),
                                 data_uri("image/webp", WEBP), data_uri("image/png", GIF),
                                 data_uri("image/png", PNG + b"\x00" * (5 * 1024 * 1024))])
def test_a_data_uri_image_must_be_a_png_or_jpeg_of_at_most_5_mb(tmp_path, uri):
    path = tmp_path / "beretning.md"
    path.write_text(f"# Forord\n\n![Billede]({uri})\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match=r"beretning\.md:3: image 'data:.*only a PNG or JPEG image can be shown"):
        read_narrative(path)


def test_a_png_data_uri_is_embedded(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text(f"# Forord\n![Billede]({data_uri('image/png', PNG)})\n", encoding="utf-8")
    assert data_uri("image/png", PNG) in read_narrative(path).chapter("Forord").html


def test_an_unclosed_comment_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text("# Forord\n\nTekst.\n<!-- privat: ring til borgeren\n\n# Kontakt\n\nRing til os.\n",
                    encoding="utf-8")
    with pytest.raises(NarrativeError) as caught:
        read_narrative(path)
    assert str(caught.value) == (f"{path}:4: a comment starts here with <!-- but is never closed with -->, so the "
                                 "text after it would be published; close it")


def test_a_comment_closed_only_by_a_later_one_is_an_error_naming_both_lines(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text("# Forord\n<!-- privat note\n\n# Sagseksempler\n\nEn sag.\n\n# Kontakt\n<!-- vejledning -->\n",
                    encoding="utf-8")
    with pytest.raises(NarrativeError, match=r"beretning\.md:2: a comment starts here with <!-- but is not closed "
                                             r"with --> before the next one starts on line 9"):
        read_narrative(path)


def test_a_cpr_like_number_in_published_text_is_an_error_that_does_not_repeat_it(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text("# Sagseksempler\n\nBorgeren (0101901234) klagede.\n\nOg 311299-4321 også.\n"
                    "<!-- 010190-1234 står kun i en kommentar -->\nÅret 310290-1234 er ingen dato.\n",
                    encoding="utf-8")
    with pytest.raises(NarrativeError) as caught:
        read_narrative(path)
    message = str(caught.value)
    assert [line.split(": ", 1)[0] for line in message.splitlines()] == [f"{path}:3", f"{path}:5"]
    assert "looks like a CPR number" in message and "1234" not in message and "4321" not in message


@pytest.mark.parametrize("line", [
    pytest.param("Borgeren 010190\u00a01234 klagede.", id="no-break space"),
    pytest.param("Borgeren 010190\\-1234 klagede.", id="escaped hyphen"),
    pytest.param("Borgeren 0101**90**-1234 klagede.", id="split by emphasis"),
    pytest.param("Borgeren `010190`\u20131234 klagede.", id="split by code"),
    pytest.param("Se [sagen](https://example.dk/sag/010190%2D1234).", id="percent-encoded link"),
    pytest.param("Se [sagen](https://example.dk/sag?cpr=010190-1234).", id="link's address"),
    pytest.param('Se [sagen](https://example.dk/sag "Sag 010190-1234").', id="link's title"),
    pytest.param("![Brev fra 010190-1234](brev.png)", id="image's alt text"),
    pytest.param("![Brev](https://example.dk/010190-1234.png)", id="image's address"),
    pytest.param("Borgeren 010190\n1234 klagede.", id="over a line break in a paragraph"),
])
def test_a_cpr_like_number_however_written_is_an_error_naming_its_line_only(tmp_path, line):
    path = tmp_path / "beretning.md"
    path.write_text(f"# Sagseksempler\n\n{line}\n\nEn anden sag.\n", encoding="utf-8")
    with pytest.raises(NarrativeError) as caught:
        read_narrative(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: the line holds what looks like a CPR number") and "1234" not in message
    assert len(message.splitlines()) == 1


def test_numbers_in_separate_paragraphs_list_items_and_table_cells_are_not_read_as_one(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text("# Sagseksempler\n\nSager i alt 010190\n\n1234 borgere.\n\n- Sager 010190\n- 1234 borgere\n\n"
                    "| Sager | Borgere |\n| --- | --- |\n| 010190 | 1234 |\n", encoding="utf-8")
    assert "1234 borgere" in read_narrative(path).chapter("Sagseksempler").html


def test_a_missing_default_file_gives_an_empty_narrative(tmp_path):
    narrative = read_narrative(tmp_path / "absent.md")
    assert (narrative.chapters, narrative.source) == ([], None)


def test_a_missing_named_file_is_an_error(tmp_path):
    with pytest.raises(NarrativeError, match=r"absent\.md: narrative file not found; check the path"):
        read_narrative(tmp_path / "absent.md", required=True)


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_bytes("# Forord\nGod bæredygtighed".encode("cp1252"))
    with pytest.raises(NarrativeError, match=r"beretning\.md: byte 14: not UTF-8 text; save the file as UTF-8"):
        read_narrative(path)


# -- What is published of a chapter: never an empty heading, never one of two with the same heading ----------

UNWRITTEN = """# Forord

<!-- Et kort forord til kommunalbestyrelsen. -->

# Anbefalinger

## Opfølgning på sidste års anbefalinger

- **Svar inden for fristen**:

# Sagseksempler

En borger fik svar efter tre uger.

# Mit eget kapitel
"""


def test_a_chapter_of_only_guidance_subheadings_or_nothing_is_empty_and_said_to_be(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text(UNWRITTEN, encoding="utf-8")
    narrative = read_narrative(path)
    assert [(c.heading, c.at) for c in narrative.empty()] == [
        ("Forord", f"{path}:1"), ("Anbefalinger", f"{path}:5"), ("Mit eget kapitel", f"{path}:15")]
    assert narrative.warnings[0] == (f"{path}:1: chapter '# Forord' has no text yet (nothing, or only guidance), so "
                                     "it is left out of the report; write it, or delete its heading")
    assert len(narrative.warnings) == 3
    assert [c.heading for c in narrative.others()] == []  # "Mit eget kapitel" is not written: not placed either
    assert not narrative.chapter("Sagseksempler").empty


def test_two_chapters_with_the_same_heading_are_refused_naming_both_lines(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text("<!-- en note\nover to linjer -->\n# Sagseksempler\n\nEn sag.\n\n# Kontakt\n\nRing.\n\n"
                    "# sagseksempler\n\nEn anden sag.\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match=rf"^{path}:3 and {path}:11: two chapters headed '# sagseksempler'; a "
                                             r"chapter is published once, so merge them or give one another heading$"):
        read_narrative(path)


def test_an_empty_chapter_renders_as_nothing(make_register):
    from reportlib.report.beretning import load_beretning

    folder = make_register()
    (folder / "beretning_2018-11-01_2019-10-31.md").write_text(UNWRITTEN, encoding="utf-8")
    beretning = load_beretning(folder, "2018-11-01", "2019-10-31")
    assert beretning.chapter("Forord") is None and beretning.chapter("Anbefalinger") is None
    assert "En borger fik svar efter tre uger." in beretning.chapter("Sagseksempler").html
    assert beretning.other_chapters() is None


def test_footnotes_written_at_the_files_end_are_notes_of_the_chapter_that_marks_them(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text("# Forord\n\nEt år[^tal].\n\n# Kontakt\n\nRing[^1].\n\n# Tak\n\nTil alle.\n\n"
                    "[^tal]: Foreløbige tal.\n\n    Et afsnit mere.\n\n[^1]: Hverdage.\n", encoding="utf-8")
    narrative = read_narrative(path)
    foreword, contact, thanks = (narrative.chapter(name).html for name in ("Forord", "Kontakt", "Tak"))
    assert '<sup class="footnote-ref"><a href="#fn-1-1" id="fnref-1-1" role="doc-noteref">1</a></sup>' in foreword
    assert "Foreløbige tal." in foreword and "Et afsnit mere." in foreword and "Hverdage" not in foreword
    assert 'href="#fnref-2-1"' in contact and "Hverdage." in contact
    assert thanks == "<p>Til alle.</p>"
    assert narrative.chapter("Tak").markdown == "Til alle."


def test_a_footnotes_ids_start_as_asked_and_its_back_link_is_named_in_danish_whatever_the_messages_speak():
    with language.use("en"):
        html, _refused = render_markdown("Tekst[^a].\n\n[^a]: Noten.\n", notes="x-")
    assert 'id="fnref-x-a"' not in html and 'id="fnref-x-1"' in html and '<li id="fn-x-1">' in html
    assert 'role="doc-backlink" aria-label="Tilbage til note 1 i teksten"' in html
    assert 'role="doc-endnotes" aria-label="Noter"' in html
