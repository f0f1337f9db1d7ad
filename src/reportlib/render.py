"""Export an executed report notebook to the board's HTML and PDF, in this process.

HTML: nbconvert with the ``beretning`` template (``templates/beretning``): the cells' HTML outputs
only, with the stylesheet inline. PDF: WeasyPrint lays out that same HTML with its print styles
(A4, page numbers); it installs from PyPI and needs no browser, so the README's set-up is enough.
"""

from __future__ import annotations

import functools
import logging

import nbformat
from nbconvert import HTMLExporter

from .exceptions import ReportlibError
from .paths import TEMPLATES

TEMPLATE = "beretning"


class PdfUnavailable(ReportlibError):
    """Raised when WeasyPrint cannot load the system libraries it lays out text with."""


@functools.cache
def _exporter() -> HTMLExporter:
    return HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])


def to_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """Render an executed report notebook as a self-contained HTML document.

    Parameters
    ----------
    notebook : NotebookNode
        The executed notebook; only its ``text/html`` outputs are shown.
    title : str
        The document title (``<title>`` and the PDF's page footer).

    Returns
    -------
    str
    """
    body, _ = _exporter().from_notebook_node(notebook, resources={"beretning_title": title})
    return body


def to_pdf(html: str) -> bytes:
    """Lay out the report's HTML as an A4 PDF with page numbers (WeasyPrint).

    The HTML must be self-contained: WeasyPrint is given no base URL, so it fetches nothing.

    Raises
    ------
    PdfUnavailable
        When the system lacks the Pango library WeasyPrint needs.
    """
    try:
        import weasyprint  # loads the system's Pango; only PDF runs need it
    except OSError as exc:
        raise PdfUnavailable(f"the PDF cannot be made: WeasyPrint could not load a system library ({exc}); "
                             "install Pango (Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0; "
                             "macOS: brew install pango), or leave the PDF out with --format html") from None

    # WeasyPrint logs every CSS property it ignores (e.g. screen-only ones) as a warning.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html).write_pdf()
