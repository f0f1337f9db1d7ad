"""Export an executed report notebook to the board's HTML, from which every format is written.

What the notebook shows is what the board gets, minus the code: Markdown cells and every displayed
output of code cells (HTML, SVG and PNG images, Markdown, DataFrames), in notebook order. Code,
prompts, printed text and errors never reach the board. Jupyter Book's cell tags decide the rest:
``remove-cell`` leaves a cell out, ``remove-output`` publishes none of a cell's outputs
(``remove-input`` changes nothing: code is never published), and ``hide-output`` / ``hide-cell``
fold a cell's outputs under "Vis". The whole page is then finished (:mod:`reportlib.publish.finish`).

The exporters are registered with nbconvert (``jupyter nbconvert --to beretning`` or
``--to beretning_pdf``, the PDF laid out by :mod:`reportlib.publish.formats.pdf`), and ``reportlib
run`` uses the same classes, so both routes publish the same report.

A chart drawn for a format that needs it as a PNG (Word) carries one beside its SVG (``data-print``, see
:mod:`reportlib.report.outputs`). The board's HTML and PDF never keep it, so they are the same bytes
whether or not the run writes such a format; the HTML for print (``print_images``) shows the PNG
instead of the SVG.
"""

from __future__ import annotations

import base64
import copy
import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Bool, Unicode, default

from reportlib.exceptions import IdentifierPublished
from reportlib.identifiers import cpr_like
from reportlib.language import _
from reportlib.paths import TEMPLATES
from reportlib.publish.finish import finish_document
from reportlib.publish.formats.pdf import to_pdf
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
        Mark it as a draft (see :func:`reportlib.publish.finish.finish_document`).
    pdf_link : str
        The file name of the PDF beside it, to link to; empty for none.
    print_images : bool
        Show each chart's print PNG instead of its SVG, where the kernel drew one: the HTML for print,
        which a format's writer gets when it needs the charts as PNG (Word, :mod:`reportlib.publish.formats`).
        Without, the HTML is the board's.

    Returns
    -------
    Export
    """
    html, resources = _exporter(draft, pdf_link, print_images).from_notebook_node(notebook)
    found = resources["reportlib"]
    return Export(html, found["title"], tuple(found["warnings"]))
