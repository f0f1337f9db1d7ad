"""What a report notebook hands to the export, shared by the kernel's side and the export's side.

Charts are published as a ``<figure>`` holding a data-URI ``<img>`` with alt text, so the document
stays one self-contained file and every chart carries its description into the tagged PDF. Two
custom output types carry facts that are not content: the document's title, and warnings about
what the report lacks; the export reads them and never publishes them. This module imports nothing
heavy, so the runner can export without loading the plotting stack.
"""

from __future__ import annotations

from markupsafe import Markup

DOCUMENT_MIMETYPE = "application/vnd.reportlib.document+json"
WARNING_MIMETYPE = "application/vnd.reportlib.warning+json"


def chart_markup(mimetype: str, encoded: str, alt: str, *, caption: str | None = None) -> Markup:
    """A chart as the report shows it: ``<figure>`` with a base64 data-URI image, alt text and caption."""
    img = Markup('<img src="data:{};base64,{}" alt="{}">').format(mimetype, Markup(encoded), alt)
    if caption:
        return Markup('<figure class="chart">{}<figcaption>{}</figcaption></figure>').format(img, caption)
    return Markup('<figure class="chart">{}</figure>').format(img)
