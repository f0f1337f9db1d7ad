"""The PDF backend (``beretning.pdf``): the board's HTML laid out on A4 by WeasyPrint, tagged (PDF/UA-1).

WeasyPrint lays out the same HTML as the board reads, with its print styles (A4, page numbers); it
installs from PyPI and needs no browser. On paper nothing unfolds, so the tables folded beside the
charts move to an appendix first (:func:`for_print`). The text and the charts are set in the
report's own typeface (:mod:`reportlib.publish.typeface`). The board's HTML links to the PDF
beside it (the registry's ``linked``, :mod:`reportlib.publish.formats`).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from bs4 import BeautifulSoup

from reportlib.exceptions import PdfUnavailable
from reportlib.language import _
from reportlib.publish import typeface


def write(path: Path, html: str, *, title: str, date: dt.date) -> None:
    """Write the PDF of the board's HTML (:func:`to_pdf`); its title and date are the HTML's."""
    path.write_bytes(to_pdf(html))


def for_print(html: str) -> str:
    """The report's HTML as the PDF lays it out: every table folded beside its chart moves to an appendix.

    On paper nothing unfolds, so the table of each ``details.exhibit-table`` moves to the appendix
    "Tabeller" at the end, in the order the tables came, and the chart's caption points to its page
    (a line of its own where there is no caption); the appendix joins the table of contents. The
    HTML report itself keeps its tables where they were.
    """
    soup = BeautifulSoup(html, features="html.parser")
    folded = soup.select("details.exhibit-table")
    main = soup.find("main")
    if not folded or main is None:
        return html
    appendix = soup.new_tag("section", attrs={"class": "appendix"})
    heading = soup.new_tag("h2", id="tabeller")
    heading.string = "Tabeller"
    appendix.append(heading)
    for number, details in enumerate(folded, start=1):
        wrap = details.find("div", class_="table-wrap")
        caption = wrap.find("caption") if wrap is not None else None
        if wrap is None or caption is None:
            continue
        wrap["id"] = f"bilag-tabel-{number}"
        if len(wrap.select("thead th")) > 3:  # too wide for a third of the page: across it
            wrap["class"] = [*wrap.get("class", []), "wide"]
        appendix.append(wrap.extract())
        link = soup.new_tag("a", attrs={"class": "table-pointer", "href": f"#{wrap['id']}"})
        link.string = "Tabel med tallene side "
        figure = details.find_previous_sibling("figure")
        figcaption = figure.find("figcaption") if figure is not None else None
        if figcaption is not None:  # "Figur 3. Sager efter type. Tabel med tallene side 14."
            figcaption.append(" " if figcaption.get_text().rstrip().endswith((".", "?", "!")) else ". ")
            figcaption.append(link)
            details.decompose()
        else:
            pointer = soup.new_tag("p", attrs={"class": "note"})
            pointer.append(link)
            details.replace_with(pointer)
    main.append(appendix)
    contents = soup.select_one("nav.toc-open ol")
    if contents is not None:
        entry = soup.new_tag("li")
        link = soup.new_tag("a", href="#tabeller")
        link.string = "Tabeller"
        entry.append(link)
        contents.append(entry)
    return str(soup)


def to_pdf(html: str) -> bytes:
    """Lay out the report's HTML as a tagged A4 PDF (PDF/UA-1) with page numbers (WeasyPrint).

    The structure tree follows the HTML: headings, lists, tables with their header cells, and
    every chart a Figure carrying its alt text, in reading order, with the document's language
    and title. The HTML must be self-contained: WeasyPrint is given no base URL.

    The text and the charts are set in the report's own typeface, only the fonts of
    :mod:`reportlib.publish.typeface` are ever looked at, and they are embedded as the same subsets
    whatever the machine has installed, dated by the typeface, not the clock: the same HTML gives
    the same bytes on every machine, at any time, one with no fonts at all included.

    Raises
    ------
    PdfUnavailable
        When the system lacks the Pango library WeasyPrint needs.
    """
    with typeface.isolated():  # WeasyPrint reads the fontconfig configuration on import and below
        try:
            import weasyprint  # loads the system's Pango; only PDF runs need it
            from weasyprint.text.fonts import FontConfiguration
        except OSError as exc:
            raise PdfUnavailable(_("the PDF cannot be made: WeasyPrint could not load a system library ({error}); "
                                   "install Pango (Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0; "
                                   "macOS: brew install pango), or leave the PDF out with --format html").format(
                error=exc)) from None
        fonts = FontConfiguration()
        # WeasyPrint logs every CSS property it ignores (e.g. screen-only ones) as a warning.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        typeset = weasyprint.CSS(string=typeface.PDF_STYLESHEET, font_config=fonts)
    # Fetch nothing, even if a bug let an outside reference through: only data: URIs are read.
    refuse_outside = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    with typeface.subsets_alike():
        return weasyprint.HTML(string=for_print(html), url_fetcher=refuse_outside).write_pdf(
            stylesheets=[typeset], font_config=fonts, pdf_variant="pdf/ua-1")
