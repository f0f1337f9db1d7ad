"""What a report notebook hands to the export, shared by the kernel's side and the export's side.

Charts are published as a ``<figure>`` holding a data-URI ``<img>`` with alt text, so the document
stays one self-contained file and every chart carries its description into the tagged PDF. When
the run also writes the Word document, it sets :data:`PRINT_CHARTS_VARIABLE` for the kernel, and
each chart carries a PNG for print beside its SVG (``data-print``), which Word can show; the
export takes it out of the HTML and the PDF, so they are the same bytes with or without it. Two
custom output types carry facts that are not content: the document's title, and warnings about
what the report lacks; the export reads them and never publishes them. This module imports nothing
heavy, so the runner can export without loading the plotting stack.
"""

from __future__ import annotations

import contextlib

from markupsafe import Markup

from reportlib import environment

DOCUMENT_MIMETYPE = "application/vnd.reportlib.document+json"
WARNING_MIMETYPE = "application/vnd.reportlib.warning+json"
# Set to "1" in the kernel's environment by a run that writes the Word document: charts then carry a PNG too.
PRINT_CHARTS_VARIABLE = "REPORTLIB_PRINT_CHARTS"
PRINT_DPI = 300


def charts_for_print(wanted: bool) -> contextlib.AbstractContextManager[None]:
    """Draw every chart made in the block, here or in a kernel started in it, as a PNG for Word too, or not.

    Sets :data:`PRINT_CHARTS_VARIABLE` (a kernel inherits ``os.environ``) and restores it after, so
    only a run that writes the Word document pays for the PNGs. Each run is a process of its own
    (``--all`` runs periods in worker processes) or follows the one before, so no other run sees it.
    """
    return environment.scoped({PRINT_CHARTS_VARIABLE: "1" if wanted else None})


def chart_markup(mimetype: str, encoded: str, alt: str, *, caption: str | None = None,
                 print_png: str | None = None) -> Markup:
    """A chart as the report shows it: ``<figure>`` with a base64 data-URI image, alt text and caption.

    ``print_png``, the chart as a base64 PNG, goes into ``data-print`` right after ``src``: the
    export finds it there, in exactly that form (:mod:`reportlib.publish.export`).
    """
    extra = Markup(' data-print="data:image/png;base64,{}"').format(Markup(print_png)) if print_png else ""
    img = Markup('<img src="data:{};base64,{}"{} alt="{}">').format(mimetype, Markup(encoded), extra, alt)
    if caption:
        return Markup('<figure class="chart">{}<figcaption>{}</figcaption></figure>').format(img, caption)
    return Markup('<figure class="chart">{}</figure>').format(img)
