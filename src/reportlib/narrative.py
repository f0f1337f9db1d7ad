"""The advisor's own text for a period: an optional Markdown file in the register folder.

The file is split into chapters at its top-level headings (``# Forord``). The report notebook
places each known chapter (:data:`CHAPTERS`) with a cell of its own, so the notebook decides the
order; chapters of other names are placed together, in file order. HTML comments
(``<!-- ... -->``) are left out, so the advisor can keep notes to self and the scaffold's guidance
in the file; any other raw HTML is shown as text, so the public report can carry no script or
tracking image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import mistune

from .exceptions import ReportlibError
from .labels import label_key
from .periods import Period

# The beretning's chapters, in the order the report places them by default (see the notebook).
CHAPTERS = ("Forord", "Indledning", "Anbefalinger", "Sagseksempler", "Hvad efterspørger borgerne",
            "Hvad sker der herefter", "Kontakt")
RECOMMENDATIONS = "Anbefalinger"
FOLLOW_UP = "Opfølgning på sidste års anbefalinger"

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SUBHEADING = re.compile(r"^(#{2,5})(?=\s)", re.MULTILINE)
_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


class NarrativeError(ReportlibError):
    """Raised when a narrative file that was asked for is missing or is not UTF-8 text."""


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


def render_markdown(text: str) -> str:
    """Render Markdown as HTML with raw HTML escaped and HTML comments left out."""
    return _MARKDOWN(_COMMENT.sub("", text)).strip()


def narrative_path(data_dir: str | Path, period: Period) -> Path:
    """The default narrative file of a period: ``beretning_START_END.md`` in the register folder."""
    return Path(data_dir) / f"beretning_{period.slug}.md"


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
    # The chapter's heading is an h2 in the report, so its "##" subheadings become h3, and so on.
    chapters = [Chapter(heading, body.strip(), render_markdown(_SUBHEADING.sub(r"#\1", body)))
                for heading, body in _chapters(text)]
    return Narrative(chapters, path)


def _chapters(text: str) -> list[tuple[str, str]]:
    """Split Markdown at ``#`` headings into (heading, body) pairs, leaving out empty untitled text."""
    chapters: list[tuple[str, list[str]]] = [("", [])]
    for line in _COMMENT.sub("", text).splitlines():
        if match := _HEADING.match(line):
            chapters.append((match.group(1), []))
        else:
            chapters[-1][1].append(line)
    return [(heading, "\n".join(lines)) for heading, lines in chapters if heading or "".join(lines).strip()]
