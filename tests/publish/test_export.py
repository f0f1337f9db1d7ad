"""The export: what the notebook shows reaches the board, code never does; tags; warnings; A4 PDF."""

import base64
import io
import sys
from importlib import metadata

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from pypdf import PdfReader

from reportlib.exceptions import IdentifierPublished
from reportlib.publish.export import (
    MISSING_ALT,
    BeretningExporter,
    BeretningPDFExporter,
    PdfUnavailable,
    finish_document,
    for_print,
    to_html,
    to_pdf,
)
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


def test_the_document_is_finished_with_numbers_labels_and_contents():
    html = finish_document(
        '<main><header class="title"><h1>T</h1></header>'
        '<h2>Forord</h2><figure><img alt="a"><figcaption>Sager</figcaption></figure>'
        '<h2>Sager</h2><figure><img alt="b"></figure><figure><img alt="c"><figcaption>Områder</figcaption></figure>'
        '<div class="table-wrap"><table><caption>Sager efter type</caption></table></div>'
        '<div class="table-wrap"><table></table></div><h2>Sager</h2></main>')
    # Figures with a caption are numbered in the text, in document order.
    assert '<figcaption><span class="figure-number">Figur 1.</span> Sager</figcaption>' in html
    assert '<figcaption><span class="figure-number">Figur 2.</span> Områder</figcaption>' in html
    # A table's scrolling region is focusable and named by its caption (or "Tabel").
    assert ('<div aria-labelledby="tabel-sager-efter-type" class="table-wrap" role="region" tabindex="0">'
            '<table><caption id="tabel-sager-efter-type">') in html
    assert '<div aria-label="Tabel" class="table-wrap" role="region" tabindex="0">' in html
    # Every h2 gets a unique id, and the contents list them after the title: open for a wide screen and
    # paper, folded for a phone (CSS shows one of them).
    entries = ('<ol><li><a href="#forord">Forord</a></li><li><a href="#sager">Sager</a></li>'
               '<li><a href="#sager-2">Sager</a></li></ol>')
    assert html.index("</header><nav") > 0
    assert (f'<nav aria-labelledby="indhold" class="toc toc-open"><h2 id="indhold">Indhold</h2>{entries}</nav>'
            f'<nav aria-label="Indhold" class="toc toc-folded"><details><summary id="indhold-2">Indhold</summary>'
            f'{entries}</details></nav>') in html


def test_the_contents_follow_the_year_at_a_glance_which_they_do_not_list():
    html = finish_document('<main><header class="title"><h1>T</h1></header><section class="glance"><h2>Året i tal'
                           '</h2></section><h2>A</h2><h2>B</h2><h2>C</h2></main>')
    assert html.index('<nav aria-labelledby="indhold"') > html.index('</section>')
    assert "#året-i-tal" not in html and '<a href="#c">C</a>' in html


def test_on_paper_each_folded_table_moves_to_the_appendix_and_its_chart_points_to_its_page():
    html = for_print(
        '<main><nav class="toc toc-open"><ol><li><a href="#a">A</a></li></ol></nav>'
        '<div class="exhibit"><figure><img alt="x"><figcaption>Figur 1. Sager</figcaption></figure>'
        '<details class="exhibit-table"><summary>Se tallene i en tabel</summary>'
        '<div class="table-wrap"><table><caption>Sager efter type</caption></table></div></details></div>'
        '<details class="exhibit-table"><summary>Se</summary><div class="table-wrap"><table><caption>Tid'
        '</caption></table></div></details></main>')
    assert "<details" not in html and "Se tallene" not in html
    assert ('<figcaption>Figur 1. Sager. <a class="table-pointer" href="#bilag-tabel-1">Tabel med tallene side '
            '</a></figcaption>') in html  # the page number is the stylesheet's target-counter
    assert '<p class="note"><a class="table-pointer" href="#bilag-tabel-2">' in html  # no caption to join
    appendix = html[html.index('<section class="appendix">'):]
    assert appendix.index("Sager efter type") < appendix.index("Tid")  # in document order
    assert '<h2 id="tabeller">Tabeller</h2>' in appendix
    assert '<li><a href="#tabeller">Tabeller</a></li></ol></nav>' in html


def test_a_report_without_folded_tables_prints_as_it_is():
    assert for_print("<main><h2>A</h2></main>") == "<main><h2>A</h2></main>"


def test_no_contents_for_fewer_than_three_headings():
    assert "<nav" not in finish_document("<main><h2>Forord</h2><h2>Tak</h2></main>")


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


def test_pdf_is_a4_with_page_numbers_and_danish_letters(notebook):
    reader = PdfReader(io.BytesIO(to_pdf(to_html(notebook).html)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Synlig: æøå ÆØÅ" in text
    assert f"Side 1 af {len(reader.pages)}" in text
    assert "Beretning fra A & B" in text  # the footer


def test_a_missing_system_library_for_the_pdf_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", without_pango)
    with pytest.raises(PdfUnavailable,
                       match=r"libpango-1\.0-0'\); install Pango .* or leave the PDF out with --format html"):
        to_pdf("<p>x</p>")


def test_the_pdf_fetches_nothing_even_if_an_outside_reference_got_through(probe):
    # sanitize_html removes these before the export; to_pdf must not fetch them should one slip by.
    url, requests = probe
    page = (f'<html lang="da"><head><title>T</title><link rel="stylesheet" href="{url}/s.css">'
            f'<style>body {{ background: url("{url}/bg.png") }}</style></head>'
            f'<body><p>Tekst</p><img src="{url}/spor.png" alt="spor"></body></html>')
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(page))).pages)
    assert "Tekst" in text
    assert requests == []


def test_an_analysts_heading_and_sentence_are_kept_with_the_chart_after_them():
    html = finish_document('<main><h2>Emner</h2><p>Fem emner.</p><figure><img alt="x"></figure>'
                           '<h3>Alene</h3><figure><img alt="y"></figure><p>Løs</p><figure><img alt="z"></figure>'
                           '</main>')
    assert ('<div class="keep-with-chart"><h2 id="emner">Emner</h2><p>Fem emner.</p><figure><img alt="x"/>'
            '</figure></div>') in html
    assert '<div class="keep-with-chart"><h3>Alene</h3><figure><img alt="y"/></figure></div>' in html
    assert html.endswith('<p>Løs</p><figure><img alt="z"/></figure></main>')  # no heading: nothing to keep


def test_a_draft_says_so_first_in_its_title_and_on_every_page_and_the_html_links_its_pdf():
    html = finish_document('<html><head><title>Beretning</title></head><body><main data-title="Beretning">'
                           '<header class="title"><h1>T</h1></header></main></body></html>', draft=True,
                           pdf_link="beretning.pdf")
    assert "<title>UDKAST: Beretning</title>" in html
    assert '<main class="draft" data-title="UDKAST: Beretning"><p class="draft-banner"><strong>UDKAST</strong>' in html
    assert ('<header class="title"><h1>T</h1><p class="pdf-link"><a href="beretning.pdf">Hent beretningen som PDF'
            '</a></p></header>') in html
    assert "UDKAST" not in finish_document('<main data-title="B"><h1>T</h1></main>')


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
