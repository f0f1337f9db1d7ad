"""The documents a report is published as: one backend module per format, registered here by name.

After papermill's engines and xarray's backends. A format is registered with its name (what
``--format`` takes), its file's suffix, its writer, and whatever else sets it apart: what the run
says while writing it, whether its writer gets the HTML for print, with each chart's PNG in place
of its SVG (as Word's does; the kernel then draws the PNGs too,
:func:`reportlib.report.outputs.charts_for_print`), and whether the board's HTML links to it.
Each backend is one module of this package with a function ``write(path, html, *, title, date)``;
the registry names it (``module:function``) and imports it only when a document of its format is
written, so reading the registry (``--format``, an up-to-date run) loads nothing heavy.

The beretning (:mod:`reportlib.publish.run`) and the network's report
(:mod:`reportlib.publish.network`) write whatever formats are chosen through
:func:`write_documents`, in the registry's order. A new format is a module here and its entry in
:data:`FORMATS`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlib.language import N_, _


@dataclass(frozen=True)
class Format:
    """An output format: the name ``--format`` takes, the file it writes and how it is written."""

    name: str
    suffix: str
    writer: str  # "module:function", called as function(path, html, title=..., date=...)
    described: str = ""  # what --format's help says of it beside its name ("Word")
    progress: str = ""  # what the run says as it writes the document (marked with N_), if anything
    print_images: bool = False  # its writer gets the HTML for print: each chart's print PNG in place of its SVG
    linked: bool = False  # the board's HTML links to its document beside it ("Hent beretningen som PDF")

    def write(self, path: Path, html: str, *, title: str, date: dt.date) -> None:
        """Write ``html``'s document to ``path`` by the writer, imported now; ``title``, ``date``: the report's."""
        module, function = self.writer.split(":")
        getattr(importlib.import_module(module), function)(path, html, title=title, date=date)


FORMATS: dict[str, Format] = {form.name: form for form in (
    Format("html", ".html", f"{__name__}.html:write"),
    Format("pdf", ".pdf", f"{__name__}.pdf:write", progress=N_("laying out the PDF"), linked=True),
    Format("docx", ".docx", f"{__name__}.docx:write", described="Word", progress=N_("writing the Word document"),
           print_images=True),
)}
# What `reportlib run` and `reportlib network` write unless told otherwise (--format).
DEFAULT_FORMATS = ("html", "pdf")


def chosen(names: Iterable[str]) -> list[Format]:
    """The registered formats among ``names``, in the registry's order: the order their documents are written in."""
    wanted = set(names)
    return [form for name, form in FORMATS.items() if name in wanted]


def needs_print_images(names: Iterable[str]) -> bool:
    """Whether a chosen format's writer gets the charts as PNG, which the charts must then be drawn as too."""
    return any(form.print_images for form in chosen(names))


def linked(names: Iterable[str], stem: str) -> str:
    """The file the board's HTML links to: the chosen linked format's document (``stem.pdf``), or none (empty)."""
    return next((f"{stem}{form.suffix}" for form in chosen(names) if form.linked), "")


def write_documents(names: Iterable[str], folder: Path, stem: str, *, html: str, printed: Callable[[], str],
                    title: str, date: dt.date, progress: Callable[[str], None]) -> list[str]:
    """Write each chosen format's document into ``folder`` as ``stem`` and its suffix; their file names.

    ``html`` is the board's HTML; ``printed`` makes the HTML for print, called once, when a chosen
    format's writer wants it (it is another rendering of the report: the PNGs, no link to the PDF).
    ``progress`` is told each step a format names.
    """
    written: list[str] = []
    print_html = None
    for form in chosen(names):
        if form.progress:
            progress(_(form.progress))
        if form.print_images and print_html is None:
            print_html = printed()
        form.write(folder / f"{stem}{form.suffix}", print_html if form.print_images else html, title=title,
                   date=date)
        written.append(f"{stem}{form.suffix}")
    return written
