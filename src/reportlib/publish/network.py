"""Publish a network's comparison report: ``OUT/network_START_END/``, whole or not at all, and only when stale.

The members' figures documents are read and checked first (nothing is written when one is wrong).
The report is rendered directly from the network document, no notebook or kernel, and goes the
beretning's way from there: its content is cleaned by the report's sanitizer, the page finished by
:func:`reportlib.publish.finish.finish_document`, and each format chosen written by its backend
(:mod:`reportlib.publish.formats`). Everything is written into a staging folder and swapped into
place (:mod:`reportlib.publish.folder`); the manifest records the SHA-256 of every input file, by
the municipality it is of (a file's path is the machine's, and the folder is public), and the cache
key (:func:`reportlib.publish.freshness.cache_key`: the inputs' digests, the formats and reportlib's
code), so an unchanged network is not made again, wherever its files are.

The folder holds ``sammenligning.html`` (and ``.pdf``, ``.docx`` as asked), ``network.json`` (the
network's own figures document, which a member's ``reportlib run --network`` reads) and
``manifest.json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlib import _fast_imports  # noqa: F401  (_fast_imports before nbformat, which the export imports)
from reportlib.language import _
from reportlib.periods import Period, period_between
from reportlib.publish.folder import check_apart, check_own, files_in, heal, publish_staged
from reportlib.publish.formats import DEFAULT_FORMATS
from reportlib.publish.freshness import cache_key, is_current
from reportlib.publish.manifest import known_as, write_manifest

NETWORK_DOCUMENT = "network.json"
REPORT = "sammenligning"  # sammenligning.html, .pdf, .docx


def folder_name(period: Period) -> str:
    """The network report's folder in OUT: ``network_START_END``, beside the members' ``START_END``."""
    return f"network_{period.slug}"


@dataclass(frozen=True)
class NetworkResult:
    """Where a network's report was published, what it holds, and whether it was current already."""

    folder: Path
    outputs: tuple[str, ...]
    members: int
    skipped: bool = False
    warnings: tuple[str, ...] = ()


def publish_network(files: Sequence[Path], out: Path, formats: tuple[str, ...] = DEFAULT_FORMATS, *,
                    force: bool = False, progress: Callable[[str], None] = lambda step: None) -> NetworkResult:
    """Read the members' figures documents and publish the network's comparison report into ``out``.

    Parameters
    ----------
    files : sequence of Path
        Each member's figures document (a report's ``figures.json``, or what ``reportlib figures`` prints).
    out : Path
        The outputs folder; the report goes into ``out / network_START_END``.
    formats : tuple of str
        Which documents to write, by their names in :data:`reportlib.publish.formats.FORMATS`;
        ``network.json`` and ``manifest.json`` always are.
    force : bool
        Make the report even when the published one is current.
    progress : callable
        Called with a short description of each step as it starts.

    Returns
    -------
    NetworkResult

    Raises
    ------
    NetworkInvalid
        Before anything is written, when a document cannot be compared (see
        :func:`reportlib.figures.network_documents.read_members`).
    OutputRefused
        When an input lies inside the report folder, or the folder is not a report reportlib published.
    RunBusy, RunFailed
        When another run of this network holds its lock, or the report cannot be made or written;
        the published report is left as it was.
    """
    from reportlib.figures.network_documents import read_members

    started = dt.datetime.now(dt.UTC)
    formats = tuple(formats)
    progress(_("reading the members' figures"))
    members = read_members(files)
    first = members[0].comparable["period"]
    target = Path(out) / folder_name(period_between(first["start"], first["end"]))
    check_apart(target, inputs=[member.file for member in members])
    heal(target)
    check_own(target)
    inputs = {member.kommune: member.sha256 for member in members}  # one file per municipality (read_members)
    key = cache_key(inputs, {"network": True, "formats": sorted(formats)})
    if not force and is_current(target, key):
        return NetworkResult(target, files_in(target), len(members), skipped=True)

    from reportlib.figures.document import to_json
    from reportlib.figures.network import network

    document = network(members)

    def write(staging: Path) -> tuple[str, ...]:
        written, warnings = _write(staging, document, formats, progress)
        (staging / NETWORK_DOCUMENT).write_text(to_json(document), encoding="utf-8")
        write_manifest(staging, {
            "network": {"members": [m.kommune for m in members], "period": document["period"],
                        "vocabulary_version": document["version"]},
            "parameters": {"formats": list(formats), "figures": [known_as(m.file) for m in members]},
            "cache_key": key,
            "inputs": inputs,
        }, outputs=(*written, NETWORK_DOCUMENT), started=started, warnings=warnings)
        return warnings

    warnings = publish_staged(target, write, progress=progress)
    return NetworkResult(target, files_in(target), len(members), warnings=warnings)


def _write(staging: Path, document: dict, formats: tuple[str, ...],
           progress: Callable[[str], None]) -> tuple[list[str], tuple[str, ...]]:
    """Render the report and write each document asked for; the sanitizer's removals are the warnings."""
    from reportlib.publish.export import print_or_screen
    from reportlib.publish.finish import finish_document
    from reportlib.publish.formats import linked, needs_print_images, write_documents
    from reportlib.report import network as report
    from reportlib.report.sanitize import clean_html

    progress(_("drawing the comparison"))
    content = str(report.body(document, print_images=needs_print_images(formats)))
    title = report.title(document)

    def finished(print_images: bool, pdf_link: str = "") -> tuple[str, list[str]]:
        cleaned = clean_html(print_or_screen(content, print_images=print_images))
        return (finish_document(report.page(cleaned.html, title), pdf_link=pdf_link, pdf_text=report.PDF_LINK),
                cleaned.removed)

    html, removed = finished(False, linked(formats, REPORT))
    written = write_documents(formats, staging, REPORT, html=html, printed=lambda: finished(True)[0], title=title,
                              date=dt.date.fromisoformat(document["period"]["end"]), progress=progress)
    return written, tuple(_("the comparison report: left out {what}").format(what=what) for what in removed)
