"""The advisor's own text for a period: an optional Markdown file in the register folder.

The file is split at its top-level headings (``# Forord``). A section headed ``Anbefalinger`` goes
after the figures; every other section, and any text before the first heading, goes before them.
HTML comments (``<!-- ... -->``) are left out, so the advisor can keep notes to self in the file;
any other raw HTML is shown as text, so the public report can carry no script or tracking image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import mistune

from .exceptions import ReportlibError
from .periods import Period

RECOMMENDATIONS = "anbefalinger"  # matched ignoring case
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SUBHEADING = re.compile(r"^(#{2,5})(?=\s)")
_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


class NarrativeError(ReportlibError):
    """Raised when a narrative file that was asked for is missing or is not UTF-8 text."""


@dataclass(frozen=True)
class Chapter:
    """One narrative section: its heading (may be empty) and its body as HTML."""

    heading: str
    html: str


@dataclass(frozen=True)
class Narrative:
    """The narrative chapters placed before and after the figures, and the file they came from."""

    before: list[Chapter] = field(default_factory=list)
    after: list[Chapter] = field(default_factory=list)
    source: Path | None = None


def narrative_path(data_dir: str | Path, period: Period) -> Path:
    """The default narrative file of a period: ``beretning_START_END.md`` in the register folder."""
    return Path(data_dir) / f"beretning_{period.slug}.md"


def read_narrative(path: str | Path, *, required: bool = False) -> Narrative:
    """Read and split a narrative file.

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
    before, after = [], []
    for heading, body in _chapters(_COMMENT.sub("", text)):
        chapter = Chapter(heading, _MARKDOWN(body).strip())
        (after if heading.casefold() == RECOMMENDATIONS else before).append(chapter)
    return Narrative(before, after, path)


def _chapters(text: str) -> list[tuple[str, str]]:
    """Split Markdown at ``#`` headings; deeper headings move one level down under the chapter's h2."""
    chapters: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if match := _HEADING.match(line):
            chapters.append((match.group(1), []))
        else:
            chapters[-1][1].append(_SUBHEADING.sub(r"#\1", line))
    return [(heading, "\n".join(lines)) for heading, lines in chapters if heading or "".join(lines).strip()]
