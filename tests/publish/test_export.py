"""The export: what the notebook shows reaches the board, code never does; tags; warnings; the HTML for print."""

import base64
import io
from importlib import metadata

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from pypdf import PdfReader

from reportlib.exceptions import IdentifierPublished
from reportlib.publish.export import MISSING_ALT, BeretningExporter, BeretningPDFExporter, to_html
from reportlib.publish.formats.pdf import to_pdf
from reportlib.report.outputs import DOCUMENT_MIMETYPE, WARNING_MIMETYPE, chart_markup

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>7</text></svg>'
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nplaceholder").decode()
# The SVG as published: its elements as they were, with both namespaces declared (tests/test_sanitize.py).
CLEAN_SVG = base64.b64encode(SVG.replace('<svg xmlns="http://www.w3.org/2000/svg"',
                                         '<svg xmlns="http://www.w3.org/2000/svg" '
                                         'xmlns:xlink="http://www.w3.org/1999/xlink"').encode()).decode()


def cell(source, *outputs, tags=(), count=None):
    code = new_code_cell(source, outputs=list(outputs), execution_count=count)
    if tags:
        code.metadata["tags"] = list(tags)
    return code


def display(**data):
    return new_output("display_data", data=data)


@pytest.fixture
def notebook():
    return new_notebook(cells=[
        cell("title()", display(**{"text/html": "<h1>Titel</h1>", DOCUMENT_MIMETYPE: {"title": "Beretning fra A & B"},
                                   "text/plain": "<section title>"}), count=1),
        new_markdown_cell("## Analytikerens afsnit\n\nTekst med **fed** og <b>rå HTML</b>."),
        cell("secret_code()", display(**{"text/html": "<p>Synlig: æøå ÆØÅ</p>", "text/plain": "<p>"}),
             new_output("stream", name="stdout", text="støj fra en celle"), count=2),
        cell("1 + 1", new_output("execute_result", data={"text/plain": "2"}, execution_count=3), count=3),
        cell("sns.barplot()", new_output("execute_result", data={"text/plain": "<Axes: >"}, execution_count=4),
             display(**{"image/svg+xml": SVG, "text/plain": "<Figure>"}), count=4),
        cell("plt.show()", display(**{"image/png": PNG, "text/plain": "<Figure>"}), count=5),
        cell("Markdown('x')", display(**{"text/markdown": "*Beregnet* tekst", "text/plain": "x"}), count=6),
        cell("chapter()", display(**{WARNING_MIMETYPE: {"message": "chapter 'Kontakt' is missing"},
                                     "text/plain": "Advarsel"}), count=7),
        cell("1/0", new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                               traceback=["Traceback"]), count=8),
        new_markdown_cell("Note til analytikeren", metadata={"tags": ["remove-cell"]}),
        cell("hemmelig()", display(**{"text/html": "<p>Fjernet celle</p>"}), tags=["remove-cell"], count=9),
        cell("beregn()", display(**{"text/html": "<p>Fjernet output</p>"}), tags=["remove-output"], count=10),
        cell("foldet()", display(**{"text/html": "<p>Foldet</p>"}), tags=["hide-output"], count=11),
        new_raw_cell("RÅ CELLE"),
    ])


def test_markdown_cells_and_displayed_outputs_are_published_in_notebook_order(notebook):
    html = to_html(notebook).html
    order = ["<h1>Titel</h1>", '<h2 id="analytikerens-afsnit">Analytikerens afsnit</h2>',
             "<p>Tekst med <strong>fed</strong> og &lt;b&gt;rå HTML&lt;/b&gt;.</p>", "<p>Synlig: æøå ÆØÅ</p>",
             f'<img alt="{MISSING_ALT}" src="data:image/svg+xml;base64,{CLEAN_SVG}"/>',
             f'<img alt="{MISSING_ALT}" src="data:image/png;base64,{PNG}"/>', "<p><em>Beregnet</em> tekst</p>"]
    positions = [html.index(fragment) for fragment in order]
    assert positions == sorted(positions)


def test_code_prompts_streams_errors_plain_text_and_removed_cells_are_not(notebook):
    html = to_html(notebook).html
    for hidden in ("secret_code", "støj", "ZeroDivisionError", "1 + 1", "&lt;Axes", "Note til analytikeren",
                   "Fjernet celle", "Fjernet output", "hemmelig", "RÅ CELLE", "Advarsel", "In [", "chapter()"):
        assert hidden not in html


def test_hide_output_folds_the_outputs_under_vis(notebook):
    assert '<details class="folded"><summary>Vis</summary>\n<p>Foldet</p>\n</details>' in to_html(notebook).html


def test_the_title_and_the_warnings_come_from_the_notebook(notebook):
    export = to_html(notebook)
    assert export.title == "Beretning fra A & B"
    assert "<title>Beretning fra A &amp; B</title>" in export.html and '<html lang="da">' in export.html
    assert export.warnings == (
        'In [4]: chart without alt text; display it with reportlib.show(ax, alt="...") to describe it',
        'In [5]: chart without alt text; display it with reportlib.show(ax, alt="...") to describe it',
        "chapter 'Kontakt' is missing")


def test_html_is_self_contained_and_stable(notebook):
    page = to_html(notebook).html
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<link" not in page and "http:" not in page and "@import" not in page
    assert "@page" in page  # the print styles travel inside the file
    assert to_html(notebook).html == page


def test_the_notebook_itself_is_not_changed(notebook):
    before = notebook.copy()
    to_html(notebook)
    assert notebook == before


def test_nothing_that_would_load_from_elsewhere_is_published_and_the_run_is_told(notebook):
    attached = new_markdown_cell("![Et kort](attachment:kort.png) ![Ude](http://host/ude.png)")
    attached.attachments = {"kort.png": {"image/png": PNG}}
    notebook.cells += [
        attached,
        cell("HTML(...)", display(**{"text/html": '<p>Se <a href="https://kommune.dk">her</a></p>'
                                                  '<img src="http://host/spor.gif"><script>alert(1)</script>'}),
             count=12),
        cell("Markdown(...)", display(**{"text/markdown": "![x](//host/y.png) tekst"}), count=13),
    ]
    export = to_html(notebook)
    assert "host" not in export.html and "<script" not in export.html and "alert" not in export.html
    assert f'<img alt="Et kort" src="data:image/png;base64,{PNG}"/>' in export.html
    assert '<a href="https://kommune.dk">her</a>' in export.html  # a link loads nothing
    assert [w.split(":", 1)[0] for w in export.warnings[3:]] == ["Markdown cell 15", "In [12]", "In [12]", "In [13]"]
    assert "left out 'http://host/ude.png': the report runs nothing and loads nothing from elsewhere" in \
        export.warnings[3]
    assert "left out <script>" in export.warnings[4] and "left out <img> 'http://host/spor.gif'" in export.warnings[5]


@pytest.mark.parametrize("html", [
    pytest.param('<p>Se <a href="https://example.dk/sag?cpr=010190-1234">sagen</a>.</p>', id="link's address"),
    pytest.param('<p><a href="https://example.dk/sag/010190%2D1234">sagen</a></p>', id="percent-encoded address"),
    pytest.param('<blockquote cite="https://example.dk/010190-1234"><p>Citat.</p></blockquote>', id="quote's source"),
    pytest.param("<p>Borgeren <b>010190</b>-<span>1234</span> klagede.</p>", id="split by inline markup"),
    pytest.param("<p>Borgeren 010190&nbsp;1234 klagede.</p>", id="no-break space entity"),
    pytest.param("<p>Borgeren 010190\n1234 klagede.</p>", id="line break a browser shows as a space"),
    pytest.param("<p>Borgeren 010190&#8211;12&shy;34 klagede.</p>", id="en dash and soft hyphen"),
    pytest.param('<table><tr><th abbr="010190-1234">Sag</th></tr></table>', id="header's abbreviation"),
])
def test_a_cpr_like_number_anywhere_a_reader_is_shown_or_sent_is_refused_naming_the_cell(html):
    notebook = new_notebook(cells=[cell("vis()", display(**{"text/html": "<p>Intet her.</p>"}), count=1),
                                   cell("vis()", display(**{"text/html": html}), count=2)])
    with pytest.raises(IdentifierPublished) as raised:
        to_html(notebook)
    assert str(raised.value).startswith("In [2]: the report would show what looks like a CPR number")
    assert "1234" not in str(raised.value)


def test_a_cpr_like_number_in_a_markdown_cells_link_is_refused_naming_the_cell():
    notebook = new_notebook(cells=[new_markdown_cell("Se [sagen](https://example.dk/sag/010190%2D1234).")])
    with pytest.raises(IdentifierPublished, match=r"^Markdown cell 1: the report would show what looks like a CPR"):
        to_html(notebook)


def test_numbers_in_separate_cells_lines_and_blocks_are_not_read_as_one():
    html = ("<table><tr><td>010190</td><td>1234</td></tr></table><p>Sager 010190</p><p>1234 borgere</p>"
            "<ul><li>120390</li><li>1234</li></ul><p>Sager 010190<br>1234</p>")
    assert "Sager 010190" in to_html(new_notebook(cells=[cell("vis()", display(**{"text/html": html}), count=1)])).html


def test_nbconvert_finds_both_exporters_by_name():
    exporters = {e.name: e.value for e in metadata.entry_points(group="nbconvert.exporters")}
    assert exporters["beretning"] == "reportlib.publish.export:BeretningExporter"
    assert exporters["beretning_pdf"] == "reportlib.publish.export:BeretningPDFExporter"


def test_the_pdf_exporter_lays_out_the_same_html(notebook):
    pdf, resources = BeretningPDFExporter().from_notebook_node(notebook)
    html, _ = BeretningExporter().from_notebook_node(notebook)
    assert resources["output_extension"] == ".pdf" and pdf.startswith(b"%PDF")
    assert "Synlig: æøå ÆØÅ" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert html == to_html(notebook).html


def chart_cell(print_png=None, count=1):
    shown = str(chart_markup("image/svg+xml", base64.b64encode(SVG.encode()).decode(), "Søjler: Nord 3",
                             caption="Sager", print_png=print_png))
    return cell("show(ax)", display(**{"text/html": shown, "text/plain": "<figur>"}), count=count)


def test_the_board_gets_the_same_bytes_whether_or_not_the_charts_carry_a_print_png():
    with_png, without = new_notebook(cells=[chart_cell(PNG)]), new_notebook(cells=[chart_cell()])
    assert "data-print" in with_png.cells[0].outputs[0].data["text/html"]
    export = to_html(with_png, pdf_link="beretning.pdf")
    assert export.html == to_html(without, pdf_link="beretning.pdf").html
    assert "data-print" not in export.html and export.warnings == ()  # taken out before cleaning: nothing to warn
    assert to_pdf(export.html) == to_pdf(to_html(without, pdf_link="beretning.pdf").html)


def test_the_html_for_word_shows_each_charts_print_png_in_place_of_its_svg():
    printed = to_html(new_notebook(cells=[chart_cell(PNG), chart_cell(count=2)]), print_images=True)
    assert f'<img alt="Søjler: Nord 3" src="data:image/png;base64,{PNG}"/>' in printed.html  # the PNG, no SVG
    assert f'<img alt="Søjler: Nord 3" src="data:image/svg+xml;base64,{CLEAN_SVG}"/>' in printed.html  # none drawn
    assert "data-print" not in printed.html and printed.warnings == ()


def test_a_print_png_in_any_other_form_is_cleaned_away_and_never_shown():
    shown = (f'<figure><img data-print="data:image/png;base64,{PNG}" src="data:image/svg+xml;base64,'
             f'{base64.b64encode(SVG.encode()).decode()}" alt="x"></figure>')
    printed = to_html(new_notebook(cells=[cell("x", display(**{"text/html": shown}), count=1)]), print_images=True)
    assert "data-print" not in printed.html and "image/png" not in printed.html
