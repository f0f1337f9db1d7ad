"""The advisor's own text for a period: an optional Markdown file in the register folder.

The file is split into chapters at its top-level headings (``# Forord``). The report notebook
places each known chapter (:data:`CHAPTERS`) with a cell of its own, so the notebook decides the
order; chapters of other names are placed together, in file order. HTML comments
(``<!-- ... -->``) are left out, so the advisor can keep notes to self and the scaffold's guidance
in the file; any other raw HTML is shown as text. An image may only be a PNG or JPEG file in the
register folder (``![Kort over området](kort.png)``), embedded into the report: the public report
loads nothing from elsewhere, so it can carry no script or tracking image.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import mistune
from mistune.util import striptags

from .exceptions import NarrativeError
from .labels import label_key
from .paths import narrative_path as narrative_path  # defined where the cache can import it without mistune

# The beretning's chapters, in the order the report places them by default (see the notebook).
CHAPTERS = ("Forord", "Indledning", "Anbefalinger", "Sagseksempler", "Hvad efterspørger borgerne",
            "Hvad sker der herefter", "Kontakt")
RECOMMENDATIONS = "Anbefalinger"
FOLLOW_UP = "Opfølgning på sidste års anbefalinger"

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SUBHEADING = re.compile(r"^(#{2,5})(?=\s)", re.MULTILINE)
# Images the report embeds: the type by file name, and the bytes such a file starts with.
IMAGE_TYPES = {".png": ("image/png", b"\x89PNG\r\n\x1a\n"), ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
               ".jpeg": ("image/jpeg", b"\xff\xd8\xff")}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)



@dataclass(frozen=True)
class Chapter:
    """One chapter of the narrative: its heading (empty for text before the first one), Markdown and HTML."""

    heading: str
    markdown: str
    html: str


@dataclass(frozen=True)
class Narrative:
    """The chapters of a narrative file, in file order, and the file they came from (None: no file)."""

    chapters: list[Chapter] = field(default_factory=list)
    source: Path | None = None

    def chapter(self, name: str) -> Chapter | None:
        """The chapter headed ``name`` (ignoring case), or None when the file has none."""
        return next((c for c in self.chapters if label_key(c.heading) == label_key(name)), None)

    def others(self) -> list[Chapter]:
        """The chapters that are not among :data:`CHAPTERS`, in file order."""
        known = {label_key(name) for name in CHAPTERS}
        return [c for c in self.chapters if label_key(c.heading) not in known]


def data_image(url: str) -> str | None:
    """An image source the report may show as it is: a ``data:`` URI of an image; None for anything else."""
    return url if _DATA_IMAGE.match(url.strip()) else None


class _Renderer(mistune.HTMLRenderer):
    """Markdown to HTML with raw HTML escaped and every image's source resolved by ``image_source``."""

    def __init__(self, image_source: Callable[[str], str | None]):
        super().__init__(escape=True)
        self.image_source = image_source
        self.refused: list[str] = []

    def image(self, text: str, url: str, title: str | None = None) -> str:
        source = self.image_source(url)
        if source is None:
            self.refused.append(url)
            return ""
        return "<img" + self.render_attrs({"src": source, "alt": striptags(text)}) + " />"


def render_markdown(text: str, image_source: Callable[[str], str | None] = data_image) -> tuple[str, list[str]]:
    """Render Markdown as HTML with raw HTML escaped and HTML comments left out.

    Parameters
    ----------
    text : str
    image_source : callable
        Maps an image's URL to the ``src`` the report shows (a ``data:`` URI), or None to leave
        the image out; by default only ``data:`` image URIs are kept.

    Returns
    -------
    html : str
    refused : list of str
        The URLs of the images left out.
    """
    renderer = _Renderer(image_source)
    html = mistune.create_markdown(renderer=renderer, plugins=["table", "strikethrough"])(_COMMENT.sub("", text))
    return html.strip(), renderer.refused


def register_image(folder: Path, url: str) -> str | None:
    """A PNG or JPEG file in the register folder as a ``data:`` URI; None for any other source."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^[/\\]", url.strip(), re.IGNORECASE):
        return data_image(url)  # a scheme, or an absolute path: only data: images pass
    path = (folder / url.strip()).resolve()
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if kind is None or not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        content = path.read_bytes()
    except OSError:
        return None
    mimetype, magic = kind
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}" if content.startswith(magic) else None


def read_narrative(path: str | Path, *, required: bool = False) -> Narrative:
    """Read a narrative file and split it into chapters.

    Parameters
    ----------
    path : str or Path
    required : bool
        Raise when the file is missing (it was named explicitly); otherwise a missing file gives an
        empty narrative, since the report is complete without one.

    Raises
    ------
    NarrativeError
    """
    path = Path(path)
    if not path.is_file():
        if required:
            raise NarrativeError(f"{path}: narrative file not found; check the path, or leave it out "
                                 "(the report is complete without one)")
        return Narrative()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NarrativeError(f"{path}: byte {exc.start}: not UTF-8 text; save the file as UTF-8") from None
    except OSError as exc:
        raise NarrativeError(f"{path}: cannot be read ({exc.strerror}); check the file's permissions") from None
    chapters, refused = [], []
    for heading, body in _chapters(text):
        # The chapter's heading is an h2 in the report, so its "##" subheadings become h3, and so on.
        html, left_out = render_markdown(_SUBHEADING.sub(r"#\1", body), lambda url: register_image(path.parent, url))
        chapters.append(Chapter(heading, body.strip(), html))
        refused += left_out
    if refused:
        raise NarrativeError("\n".join(
            f"{path}:{_line_of(text, url)}: image '{url}': only a PNG or JPEG file in the register folder can be "
            "shown, e.g. ![Kort over området](kort.png) with kort.png beside this file (at most 5 MB); "
            "the report loads nothing from elsewhere" for url in refused))
    return Narrative(chapters, path)


def _line_of(text: str, url: str) -> int:
    """The line of the file on which an image with this URL is written (1 when it cannot be found)."""
    return next((number for number, line in enumerate(text.splitlines(), start=1) if url in line), 1)


def _chapters(text: str) -> list[tuple[str, str]]:
    """Split Markdown at ``#`` headings into (heading, body) pairs, leaving out empty untitled text."""
    chapters: list[tuple[str, list[str]]] = [("", [])]
    for line in _COMMENT.sub("", text).splitlines():
        if match := _HEADING.match(line):
            chapters.append((match.group(1), []))
        else:
            chapters[-1][1].append(line)
    return [(heading, "\n".join(lines)) for heading, lines in chapters if heading or "".join(lines).strip()]
