"""HTML and PDF export of an executed notebook: only the cells' HTML, self-contained, A4 with page numbers."""

import io
import sys

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from reportlib.render import PdfUnavailable, to_html, to_pdf


@pytest.fixture
def notebook():
    shown = new_code_cell("secret_code()", outputs=[
        new_output("display_data", data={"text/html": "<p>Synlig: æøå ÆØÅ</p>", "text/plain": "<p>"}),
        new_output("stream", name="stdout", text="støj fra en celle"),
    ])
    plain = new_code_cell("1 + 1", outputs=[new_output("execute_result", data={"text/plain": "2"}, execution_count=1)])
    result = new_code_cell("x", outputs=[new_output("execute_result", data={"text/html": "<p>Resultat</p>"},
                                                    execution_count=2)])
    failed = new_code_cell("1/0", outputs=[new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                                      traceback=["Traceback"])])
    return new_notebook(cells=[new_markdown_cell("Til analytikeren"), shown, plain, result, failed])


def test_html_shows_only_the_html_outputs(notebook):
    page = to_html(notebook, "Beretning fra A & B")
    assert page.startswith("<!DOCTYPE html>") and "<html lang=\"da\">" in page
    assert "<title>Beretning fra A &amp; B</title>" in page
    assert "<p>Synlig: æøå ÆØÅ</p>" in page and "<p>Resultat</p>" in page
    for hidden in ("secret_code", "Til analytikeren", "støj", "ZeroDivisionError", "1 + 1"):
        assert hidden not in page


def test_html_is_self_contained_and_stable(notebook):
    page = to_html(notebook, "Beretning")
    assert "<script" not in page and "<link" not in page and "http" not in page and "@import" not in page
    assert "@page" in page  # the print styles travel inside the file
    assert to_html(notebook, "Beretning") == page


def test_pdf_is_a4_with_page_numbers_and_danish_letters(notebook):
    reader = PdfReader(io.BytesIO(to_pdf(to_html(notebook, "Beretning fra Testby"))))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    text = page.extract_text()
    assert "Synlig: æøå ÆØÅ" in text
    assert "Side 1 af 1" in text
    assert "Beretning fra Testby" in text  # the footer


def test_a_missing_system_library_for_the_pdf_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", without_pango)
    with pytest.raises(PdfUnavailable, match=r"libpango-1\.0-0'\); install Pango .* or leave the PDF out with --format html"):
        to_pdf("<p>x</p>")
