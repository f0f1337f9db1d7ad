"""Export an executed report notebook to the board's HTML and PDF.

What the notebook shows is what the board gets, minus the code: Markdown cells and every displayed
output of code cells (HTML, SVG and PNG images, Markdown, DataFrames), in notebook order. Code,
prompts, printed text and errors never reach the board. Jupyter Book's cell tags decide the rest:
``remove-cell`` leaves a cell out, ``remove-output`` publishes none of a cell's outputs
(``remove-input`` changes nothing: code is never published), and ``hide-output`` / ``hide-cell``
fold a cell's outputs under "Vis".

The exporters are registered with nbconvert (``jupyter nbconvert --to beretning`` or
``--to beretning_pdf``), and ``reportlib run`` uses the same classes, so both routes publish the
same report. PDF: WeasyPrint lays out that same HTML with its print styles (A4, page numbers); it
installs from PyPI and needs no browser.

A chart drawn for the Word document too carries a PNG beside its SVG (``data-print``, see
:mod:`reportlib.report.outputs`). The board's HTML and PDF never keep it, so they are the same bytes
whether or not the run writes Word; the HTML for Word (``print_images``) shows the PNG instead of the SVG.
"""

from __future__ import annotations

import base64
import copy
import functools
import logging
import re
from dataclasses import dataclass
from html import escape as html_escape
from typing import Any
from urllib.parse import unquote

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Bool, Unicode, default

from reportlib.exceptions import IdentifierPublished, PdfUnavailable
from reportlib.identifiers import cpr_like
from reportlib.language import _
from reportlib.paths import TEMPLATES
from reportlib.publish import typeface
from reportlib.report.narrative import render_markdown
from reportlib.report.outputs import DOCUMENT_MIMETYPE, WARNING_MIMETYPE, chart_markup
from reportlib.report.sanitize import clean_html, image_source

TEMPLATE = "beretning"
DEFAULT_TITLE = "Beretning"
# What a reader of a chart published without alt text is told; the run warns about each one.
MISSING_ALT = "Diagram uden tekstbeskrivelse"
HIDDEN_TAGS = {"hide-output", "hide-cell"}
_IMAGE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")
# A chart's print PNG exactly as report.outputs.chart_markup writes it: right after the SVG's src.
_PRINT_IMAGE = re.compile(r' src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]*" data-print="(data:image/png;base64,'
                          r'[A-Za-z0-9+/=]*)"')
_PRINT_ATTRIBUTE = re.compile(r' data-print="data:image/png;base64,[A-Za-z0-9+/=]*"')
# The elements a browser runs text on through (every other one starts a block, a cell or a line), the attributes
# a reader is shown or sent to, and a mark for a block's edge (a NUL, which a browser shows as nothing).
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
                     "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"})
_SHOWN_ATTRIBUTES = ("alt", "title", "abbr", "href", "cite")
_BLOCK_EDGE = "\x00"


class BoardPreprocessor(Preprocessor):
    """Turn each cell into the HTML the board sees (``cell.metadata.reportlib_html``).

    Collects the document's title and the run's warnings into ``resources["reportlib"]``. With
    ``print_images``, each chart that carries a print PNG shows it instead of its SVG (for Word);
    without, the PNG is left out, before anything is cleaned.
    """

    enabled = True
    print_images = Bool(False, help="Show each chart's print PNG instead of its SVG (the HTML for Word).")

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
        found: dict[str, Any] = {"title": nb.metadata.get("title") or DEFAULT_TITLE, "warnings": []}
        resources["reportlib"] = found
        identifying = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                html, refused = render_markdown(cell.source, functools.partial(_attachment, cell))
                cleaned = clean_html(html)
                html = cleaned.html
                where = _("Markdown cell {number}").format(number=cell.metadata["reportlib_position"])
                found["warnings"] += [f"{where}: {_left_out(what)}"
                                      for what in [f"'{url[:80]}'" for url in refused] + cleaned.removed]
            elif cell.cell_type == "code":
                html = "\n".join(filter(None, (self._output_html(o, cell, found, print_images=self.print_images)
                                                for o in cell.outputs)))
                where = f"In [{cell.get('execution_count') or ' '}]"
            else:
                html = ""  # raw cells are for other formats
            if html and any(cpr_like(text) for text in _published_text(html)):
                identifying.append(where)
            if html and HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
                html = f'<details class="folded"><summary>Vis</summary>\n{html}\n</details>'
            cell.metadata["reportlib_html"] = html
        if identifying:
            raise IdentifierPublished(_("{cells}: the report would show what looks like a CPR number (a date and four "
                                        "digits); the report is public, so remove it from the notebook's output or "
                                        "from the input it comes from (the number is not repeated here); nothing "
                                        "was published").format(cells=", ".join(identifying)))
        return nb, resources

    @staticmethod
    def _output_html(output: dict, cell: dict, found: dict, *, print_images: bool = False) -> str:
        if output.get("output_type") not in ("display_data", "execute_result"):
            return ""  # streams and errors
        data = output.get("data", {})
        if WARNING_MIMETYPE in data:
            found["warnings"].append(data[WARNING_MIMETYPE]["message"])
            return ""
        if DOCUMENT_MIMETYPE in data:
            found["title"] = data[DOCUMENT_MIMETYPE].get("title") or found["title"]
        prompt = f"In [{cell.get('execution_count') or ' '}]"
        if "text/html" in data:
            html, refused = print_or_screen(_text(data["text/html"]), print_images=print_images), []
        elif "text/markdown" in data:
            html, refused = render_markdown(_text(data["text/markdown"]))
        else:
            mimetype = next((m for m in _IMAGE_TYPES if m in data), None)
            if mimetype is None:
                return ""  # plain text, such as a value's repr, is for the analyst only
            found["warnings"].append(_('{cell}: chart without alt text; display it with reportlib.show(ax, alt="...") '
                                       "to describe it").format(cell=prompt))
            html, refused = _image(mimetype, data[mimetype]), []
        cleaned = clean_html(html)
        found["warnings"] += [f"{prompt}: {_left_out(what)}"
                              for what in [f"'{url[:80]}'" for url in refused] + cleaned.removed]
        return cleaned.html


def print_or_screen(html: str, *, print_images: bool) -> str:
    """Charts' HTML with their print PNG as their image (for Word), or without the PNG (the board's HTML and PDF).

    Before the HTML is cleaned: the sanitizer keeps no ``data-print``.
    """
    if print_images:
        html = _PRINT_IMAGE.sub(r' src="\1"', html)
    return _PRINT_ATTRIBUTE.sub("", html)


def _published_text(html: str) -> list[str]:
    """What a reader gets of an HTML fragment: its text block by block, and the attributes a reader is shown.

    Text runs on through inline elements (``010190-<b>1234</b>`` reads as one number) and stops at
    the edge of a block, a cell or a line break, as a browser lays it out. The attributes are the
    alt texts, titles and abbreviations a reader is told, and the addresses of links and quotes as
    the browser shows them (``%2D`` is ``-``).
    """
    soup = BeautifulSoup(html.replace(_BLOCK_EDGE, ""), features="html.parser")  # invisible, so as good as absent
    for element in soup.find_all(lambda tag: tag.name not in _INLINE):
        element.insert_before(_BLOCK_EDGE)
        element.insert_after(_BLOCK_EDGE)
    shown = [value for element in soup.find_all(True) for name in _SHOWN_ATTRIBUTES
             if isinstance(value := element.get(name), str)]
    return [*soup.get_text().split(_BLOCK_EDGE), *shown, *map(unquote, shown)]


def _attachment(cell: dict, url: str) -> str | None:
    """A Markdown cell's image: one attached to the cell (pasted or dragged in JupyterLab), or a data: URI."""
    if url.startswith("attachment:"):
        bundle = cell.get("attachments", {}).get(url.removeprefix("attachment:"), {})
        mimetype = next((m for m in _IMAGE_TYPES if m in bundle), None)
        if mimetype is None:
            return None
        encoded = _text(bundle[mimetype])
        if mimetype == "image/svg+xml" and "<svg" in encoded:  # stored as text, not base64
            encoded = base64.b64encode(encoded.encode("utf-8")).decode("ascii")
        return f"data:{mimetype};base64,{encoded.replace(chr(10), '')}"
    return image_source(url)


def _left_out(what: str) -> str:
    return _("left out {what}: the report runs nothing and loads nothing from elsewhere; attach an image to the "
             "cell (drag it into the Markdown cell in JupyterLab), or show a chart with reportlib.show").format(
        what=what)


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _image(mimetype: str, value: str | list[str]) -> str:
    if mimetype == "image/svg+xml":
        encoded = base64.b64encode(_text(value).encode("utf-8")).decode("ascii")
    else:
        encoded = _text(value).replace("\n", "")  # Jupyter stores binary images base64-encoded
    return str(chart_markup(mimetype, encoded, MISSING_ALT))


class BeretningExporter(HTMLExporter):
    """The board's HTML: one self-contained file (``jupyter nbconvert --to beretning``)."""

    export_from_notebook = "Beretning (HTML)"
    draft = Bool(False, help="Mark the report as a draft (UDKAST): a banner, the title, every PDF page.").tag(
        config=True)
    pdf_link = Unicode("", help="The file name of the report's PDF beside the HTML, which the HTML links to.").tag(
        config=True)
    print_images = Bool(False, help="Show each chart's print PNG instead of its SVG (the HTML the Word document "
                                    "is made from).").tag(config=True)

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    def _init_preprocessors(self) -> None:
        super()._init_preprocessors()
        tags = TagRemovePreprocessor(remove_cell_tags={"remove-cell"}, remove_all_outputs_tags={"remove-output"})
        self.register_preprocessor(tags, enabled=True)
        self.register_preprocessor(BoardPreprocessor(print_images=self.print_images), enabled=True)

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                           **kw: Any) -> tuple[str, dict]:
        # Number the cells as JupyterLab shows them, before the tags remove any, so warnings can name them.
        nb = copy.deepcopy(nb)
        for position, cell in enumerate(nb.cells, start=1):
            cell.metadata["reportlib_position"] = position
        html, resources = super().from_notebook_node(nb, resources, **kw)
        for warning in resources["reportlib"]["warnings"]:
            self.log.warning(warning)
        return finish_document(html, draft=self.draft, pdf_link=self.pdf_link), resources


DRAFT = "UDKAST"


def finish_document(html: str, *, draft: bool = False, pdf_link: str = "",
                    pdf_text: str = "Hent beretningen som PDF") -> str:
    """Do what needs the whole document: number the figures, label the tables, add a table of contents.

    ``draft`` marks the document as a draft: a banner first, "UDKAST" before its title, and the
    class the print stylesheet puts "UDKAST" at the top of every page by. ``pdf_link`` links the
    HTML to the PDF beside it, under the title (a file name; the link is not printed), in the words
    ``pdf_text``.

    Figures with a caption are numbered in document order ("Figur 3."), in the text itself. Each
    table's scrolling region is a focusable, labelled region (named by the table's caption), so a
    wide table can be scrolled with the keyboard. Every h2 gets an id, and with three or more of
    them a table of contents (with page numbers in the PDF) follows the title.
    """
    soup = BeautifulSoup(html, features="html.parser")
    taken = {tag["id"] for tag in soup.find_all(id=True)}

    def unique_id(text: str) -> str:
        base = re.sub(r"\W+", "-", text.casefold()).strip("-") or "afsnit"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        return candidate

    for number, caption in enumerate(soup.select("figure > figcaption"), start=1):
        label = soup.new_tag("span", attrs={"class": "figure-number"})
        label.string = f"Figur {number}."
        caption.insert(0, " ")
        caption.insert(0, label)
    for wrap in soup.select("div.table-wrap"):
        wrap["role"], wrap["tabindex"] = "region", "0"
        caption = wrap.find("caption")
        if caption is not None:
            caption["id"] = caption.get("id") or unique_id(f"tabel-{caption.get_text()}")
            wrap["aria-labelledby"] = caption["id"]
        else:
            wrap["aria-label"] = "Tabel"
    _keep_headings_with_charts(soup)
    headings = soup.find_all("h2")
    for heading in headings:
        heading["id"] = heading.get("id") or unique_id(heading.get_text())
    listed = [heading for heading in headings if "glance" not in (heading.parent.get("class") or [])]
    main = soup.find("main")
    if pdf_link and main is not None:
        link = BeautifulSoup(f'<p class="pdf-link"><a href="{html_escape(pdf_link)}">{html_escape(pdf_text)}'
                             '</a></p>', features="html.parser")
        title = main.find("header", class_="title")
        if title is not None:
            title.append(link)
        else:
            main.insert(0, link)
    if draft and main is not None:
        main["class"] = [*main.get("class", []), "draft"]
        banner = BeautifulSoup(f'<p class="draft-banner"><strong>{DRAFT}</strong>: ikke den endelige beretning</p>',
                               features="html.parser")
        main.insert(0, banner)
        if soup.title is not None and soup.title.string:
            soup.title.string = f"{DRAFT}: {soup.title.string}"
        if main.get("data-title"):
            main["data-title"] = f"{DRAFT}: {main['data-title']}"
    if len(listed) >= 3:
        # Two forms of one table of contents, each shown where it fits (CSS): open on a wide screen and
        # on paper, folded under "Indhold" on a phone, so the year's figures are the first thing there.
        position = _toc_position(soup)
        wide, narrow = unique_id("indhold"), unique_id("indhold")
        main.insert(position, _toc(soup, listed, narrow, folded=True))
        main.insert(position, _toc(soup, listed, wide, folded=False))
    return str(soup)


def _keep_headings_with_charts(soup: BeautifulSoup) -> None:
    """Wrap a heading, the paragraph under it (if one) and the chart after them, so no page parts them.

    That is how an analyst's Markdown cell (``## Title`` and a sentence) and the chart of the next
    cell arrive: siblings, which a heading's ``break-after: avoid`` alone does not hold together.
    """
    for figure in soup.find_all("figure"):
        before = [sibling for sibling in figure.previous_siblings if getattr(sibling, "name", None)][:2]
        if before and before[0].name == "p" and len(before) > 1 and before[1].name in ("h2", "h3"):
            group = [before[1], before[0]]
        elif before and before[0].name in ("h2", "h3"):
            group = [before[0]]
        else:
            continue
        wrapper = soup.new_tag("div", attrs={"class": "keep-with-chart"})
        group[0].insert_before(wrapper)
        for element in [*group, figure]:
            wrapper.append(element.extract())


def _toc(soup: BeautifulSoup, headings: list, heading_id: str, *, folded: bool):
    entries = soup.new_tag("ol")
    for heading in headings:
        link = soup.new_tag("a", href=f"#{heading['id']}")
        link.string = heading.get_text(" ", strip=True)
        entry = soup.new_tag("li")
        entry.append(link)
        entries.append(entry)
    if not folded:
        nav = soup.new_tag("nav", attrs={"class": "toc toc-open", "aria-labelledby": heading_id})
        title = soup.new_tag("h2", id=heading_id)
        title.string = "Indhold"
        nav.extend([title, entries])
        return nav
    nav = soup.new_tag("nav", attrs={"class": "toc toc-folded", "aria-label": "Indhold"})
    details = soup.new_tag("details")
    summary = soup.new_tag("summary", id=heading_id)
    summary.string = "Indhold"
    details.extend([summary, entries])
    nav.append(details)
    return nav


def _toc_position(soup: BeautifulSoup) -> int:
    """After the title block and the year at a glance that follows it, else at the top of the document."""
    main = soup.find("main")
    first = main.find("section", class_="glance") or main.find("header", class_="title")
    if first is None:
        return 0
    top = first if first.parent is main else next(p for p in first.parents if p.parent is main)
    return main.contents.index(top) + 1


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


class BeretningPDFExporter(BeretningExporter):
    """The board's PDF: the same HTML laid out on A4 (``jupyter nbconvert --to beretning_pdf``)."""

    export_from_notebook = "Beretning (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.html.j2"  # the HTML that WeasyPrint lays out

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                           **kw: Any) -> tuple[bytes, dict]:
        html, resources = super().from_notebook_node(nb, resources, **kw)
        return to_pdf(html), resources


@dataclass(frozen=True)
class Export:
    """The board's HTML of an executed notebook, its title, and what the run should warn about."""

    html: str
    title: str
    warnings: tuple[str, ...]


@functools.cache
def _exporter(draft: bool, pdf_link: str, print_images: bool) -> BeretningExporter:
    return BeretningExporter(draft=draft, pdf_link=pdf_link, print_images=print_images)


def to_html(notebook: nbformat.NotebookNode, *, draft: bool = False, pdf_link: str = "",
            print_images: bool = False) -> Export:
    """Render an executed report notebook as the board's self-contained HTML document.

    Parameters
    ----------
    notebook : NotebookNode
        The executed notebook; it is not changed.
    draft : bool
        Mark it as a draft (see :func:`finish_document`).
    pdf_link : str
        The file name of the PDF beside it, to link to; empty for none.
    print_images : bool
        Show each chart's print PNG instead of its SVG, where the kernel drew one: the HTML that
        :func:`reportlib.publish.word.to_docx` converts. Without, the HTML is the board's.

    Returns
    -------
    Export
    """
    html, resources = _exporter(draft, pdf_link, print_images).from_notebook_node(notebook)
    found = resources["reportlib"]
    return Export(html, found["title"], tuple(found["warnings"]))


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
