"""The advisor's narrative in Word: ``beretning_START_END.docx`` read as Markdown, and its scaffold written as Word.

Reading keeps what the text says and drops how Word dressed it. python-docx opens the document so
that what must never be published is settled first, each named by its paragraph (its position in
the document and the heading it stands under): tracked changes not yet accepted or rejected are
refused (deleted text is still in the file), and hidden text and the paragraphs in the scaffold's
guidance style (:data:`GUIDANCE_STYLE`) are taken out. Pandoc (``pypandoc_binary`` carries it)
then converts what is left to Markdown: Heading 1 becomes ``#`` (a chapter), Heading 2 and 3
``##`` and ``###``; paragraphs, bold, italic, lists, links, tables and images are kept, and
comments, styles, fonts, colours, headers, footers and document properties are not. The Markdown
goes through the same rules as a narrative written in Markdown (:mod:`reportlib.report.narrative`).

The scaffold is the Markdown scaffold converted by Pandoc the other way: each HTML comment of it
becomes a paragraph in the guidance style, which the reader leaves out.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor

from reportlib import pandoc
from reportlib.exceptions import NarrativeError
from reportlib.identifiers import CPR_REASON, cpr_like
from reportlib.language import _
from reportlib.paths import TEMPLATES
from reportlib.report.sanitize import MAX_IMAGE_BYTES, image_type

# The paragraph style of the scaffold's guidance and key figures: never published.
GUIDANCE_STYLE = "Vejledning"
GUIDANCE_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_KEY_FIGURE_LINE = re.compile(r"^  (?=\S)", re.MULTILINE)
# Pandoc's Markdown without raw HTML: what it cannot write as Markdown it leaves out, never as markup.
_MARKDOWN = "gfm-raw_html"
_LIST_FILTER = TEMPLATES / "word_lists.lua"
_TRACKED = ".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"
_HEADING_STYLE = re.compile(r"^heading ([1-9])$", re.IGNORECASE)


@dataclass(frozen=True)
class WordText:
    """A Word narrative as Markdown, the folder its images were extracted to, and what the run should warn about."""

    markdown: str
    media: Path
    warnings: tuple[str, ...]


class _Styles:
    """The names of the document's styles by their ids, and which character styles hide their text."""

    def __init__(self, document):
        self.names = {style.style_id: style.name for style in document.styles if style.name}
        self.hiding = {style.style_id for style in document.styles
                       if style.type == WD_STYLE_TYPE.CHARACTER and style.font.hidden}

    def of(self, paragraph) -> str:
        """A paragraph's style name as Word stores it (``heading 1``, ``Vejledning``)."""
        return self.names.get(paragraph.style, "") if paragraph.style else "Normal"

    def hidden(self, run) -> bool:
        properties = run.rPr
        if properties is not None and properties.vanish is not None and properties.vanish.val is not False:
            return True
        return run.style in self.hiding


class _Positions:
    """Where a paragraph is, as the advisor finds it in Word: its number and the heading above it."""

    def __init__(self, body, styles: _Styles):
        self.index: dict[object, tuple[int, str]] = {}
        heading = ""
        for number, paragraph in enumerate(body.iter(qn("w:p")), start=1):
            if _HEADING_STYLE.match(styles.of(paragraph)):
                heading = _text(paragraph).strip() or heading
            self.index[paragraph] = (number, heading)

    def of(self, element) -> str:
        paragraph = next((e for e in (element, *element.iterancestors()) if e.tag == qn("w:p")), None)
        number, heading = self.index.get(paragraph, (0, ""))
        if heading:
            return _("paragraph {number} (under the heading '{heading}')").format(number=number, heading=heading)
        return _("paragraph {number}").format(number=number)


@contextlib.contextmanager
def word_markdown(path: Path) -> Iterator[WordText]:
    """Read a Word narrative as Markdown; its images lie in ``media`` while the ``with`` block lasts.

    Raises
    ------
    NarrativeError
        When the file is no Word document, holds tracked changes, a CPR-like number, or an image the
        report may not show; every problem is named with its paragraph.
    """
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NarrativeError(_("{file}: not a Word document (.docx) that can be read ({error}); save it from Word "
                               "as a Word document (.docx), without a password").format(file=path, error=exc)) from None
    except OSError as exc:
        raise NarrativeError(_("{file}: cannot be read ({reason}); check the file's permissions")
                             .format(file=path, reason=exc.strerror)) from None
    body = document.element.body
    styles = _Styles(document)
    positions = _Positions(body, styles)
    tracked = body.xpath(_TRACKED)
    if tracked:
        where = sorted({positions.of(change) for change in tracked}, key=_natural)
        raise NarrativeError(_("{file}: {places}: tracked changes not yet accepted or rejected; accept or reject the "
                               "tracked changes in Word first (Gennemse > Accepter/Afvis), since deleted text is "
                               "still in the file").format(file=path, places=", ".join(where)))
    for paragraph in list(body.iter(qn("w:p"))):  # the guidance is never published
        if styles.of(paragraph) == GUIDANCE_STYLE:
            paragraph.getparent().remove(paragraph)
    for run in list(body.iter(qn("w:r"))):  # nor is hidden text
        if styles.hidden(run):
            run.getparent().remove(run)
    problems, warnings = _checked_content(document, path, positions)
    if problems:
        raise NarrativeError("\n".join(problems))
    with tempfile.TemporaryDirectory(prefix="reportlib-word-") as folder:
        cleaned = Path(folder) / "narrative.docx"
        document.save(str(cleaned))
        media = Path(folder) / "media"
        markdown = pandoc.convert_file(str(cleaned), _MARKDOWN, format="docx", filters=[str(_LIST_FILTER)],
                                       extra_args=["--wrap=none", f"--extract-media={media}"], cworkdir=folder)
        yield WordText(markdown.replace(f"{media}/", ""), media, tuple(warnings))


def _checked_content(document, path: Path, positions: _Positions) -> tuple[list[str], list[str]]:
    """CPR-like numbers in the text, images the report cannot show (refused), and images without alt text (warned)."""
    problems, warnings = [], []
    body = document.element.body
    for paragraph in body.iter(qn("w:p")):
        if cpr_like(_text(paragraph)):
            problems.append(_("{file}: {place}: the text {reason}").format(
                file=path, place=positions.of(paragraph), reason=_(CPR_REASON)))
    for number, picture in enumerate(body.xpath(".//wp:inline | .//wp:anchor"), start=1):
        place = positions.of(picture)
        blips = picture.xpath(".//a:blip")
        parts = [document.part.related_parts.get(blip.get(qn("r:embed"))) for blip in blips]
        linked = any(blip.get(qn("r:link")) for blip in blips)
        if not blips or linked or not all(parts) or any(
                image_type(part.blob) is None or len(part.blob) > MAX_IMAGE_BYTES for part in parts):
            problems.append(_("{file}: {place}: image {number}: only a PNG or JPEG image inserted into the document "
                              "(not linked) and of at most 5 MB can be shown; insert it as a picture from a PNG or "
                              "JPEG file").format(file=path, place=place, number=number))
            continue
        description = picture.find(qn("wp:docPr"))
        if description is None or not (description.get("descr") or "").strip():
            warnings.append(_("{file}: {place}: image {number} has no alt text; add it in Word (right-click the "
                              "picture > Rediger alternativ tekst) so that a reader who cannot see it is told what it "
                              "shows").format(file=path, place=place, number=number))
    return problems, warnings


def scaffold_docx(markdown: str) -> bytes:
    """The Markdown scaffold as a Word document, each of its HTML comments a paragraph in the guidance style."""
    def guidance(comment: re.Match) -> str:
        # A line indented by two spaces is one of the key figures: a paragraph of its own, not a run-on line.
        text = _KEY_FIGURE_LINE.sub("\n", comment.group(1))
        return f'\n\n::: {{custom-style="{GUIDANCE_STYLE}"}}\n{textwrap.dedent(text).strip()}\n:::\n\n'

    with tempfile.TemporaryDirectory(prefix="reportlib-word-") as folder:
        written = Path(folder) / "scaffold.docx"
        pandoc.convert_text(_COMMENT.sub(guidance, markdown), "docx", format="markdown-raw_html",
                            outputfile=str(written), extra_args=["--metadata=lang:da-DK"], sandbox=True)
        document = docx.Document(str(written))
    style = document.styles[GUIDANCE_STYLE]  # set apart, so the advisor sees at once what is not published
    style.font.italic = True
    style.font.color.rgb = GUIDANCE_COLOUR
    style.paragraph_format.left_indent = Cm(0.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(paragraph) -> str:
    """What a paragraph reads: its text runs (w:t), not deleted text or field codes."""
    return "".join(paragraph.xpath(".//w:t/text()"))


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
