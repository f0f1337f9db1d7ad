"""The PDF backend (publish/formats/pdf.py): the board's HTML on A4, folded tables in an appendix, nothing fetched."""

import datetime as dt
import io
import sys

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from pypdf import PdfReader

from reportlib.exceptions import PdfUnavailable
from reportlib.publish.export import to_html
from reportlib.publish.formats.pdf import for_print, to_pdf, write
from reportlib.report.outputs import DOCUMENT_MIMETYPE


def board_html() -> str:
    """A small report's HTML as the board gets it, with the stylesheet that sets its pages."""
    shown = {"text/html": "<p>Synlig: æøå ÆØÅ</p>", DOCUMENT_MIMETYPE: {"title": "Beretning fra A & B"}}
    return to_html(new_notebook(cells=[new_code_cell("vis()", execution_count=1,
                                                     outputs=[new_output("display_data", data=shown)])])).html


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


def test_pdf_is_a4_with_page_numbers_and_danish_letters():
    reader = PdfReader(io.BytesIO(to_pdf(board_html())))
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


def test_the_pdf_written_is_the_layout_of_the_boards_html(tmp_path):
    html = board_html()
    write(tmp_path / "beretning.pdf", html, title="Beretning fra A & B", date=dt.date(2019, 10, 31))
    assert (tmp_path / "beretning.pdf").read_bytes() == to_pdf(html)


def test_on_paper_the_narratives_links_print_their_address_and_its_notes_their_text_without_a_link_back():
    from reportlib.report.narrative import render_markdown

    chapter, _refused = render_markdown("Se [siden](https://example.dk/side)[^1].\n\n[^1]: Opdateres hvert år.\n",
                                        notes="1-")
    shown = {"text/html": f'<section class="narrative">{chapter}</section>',
             DOCUMENT_MIMETYPE: {"title": "Beretning"}}
    html = to_html(new_notebook(cells=[new_code_cell("vis()", execution_count=1,
                                                     outputs=[new_output("display_data", data=shown)])])).html
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(html))).pages).split())
    assert "Se siden (https://example.dk/side)1." in text and "Opdateres hvert år." in text and "↩" not in text
