"""The advisor's own text for a period: an optional Markdown or Word file in the register folder.

The file is split into chapters at its top-level headings (``# Forord``). The report notebook
places each known chapter (:data:`CHAPTERS`) with a cell of its own, so the notebook decides the
order; chapters of other names are placed together, in file order. HTML comments
(``<!-- ... -->``) are left out, so the advisor can keep notes to self and the scaffold's guidance
in the file; any other raw HTML is shown as text. An image may only be a PNG or JPEG file in the
register folder (``![Kort over området](kort.png)``), embedded into the report: the public report
loads nothing from elsewhere, so it can carry no script or tracking image. A Word file
(``beretning_START_END.docx``) is converted to Markdown first (:mod:`reportlib.report.narrative_docx`)
and then read by the same rules.
"""

from __future__ import annotations

import base64
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import mistune
from mistune.util import striptags

from reportlib import inputs
from reportlib.exceptions import InputRefused, NarrativeError
from reportlib.identifiers import CPR_REASON, cpr_like
from reportlib.labels import label_key
from reportlib.language import _
from reportlib.paths import NARRATIVE_SUFFIXES, present, real
from reportlib.paths import narrative_path as narrative_path  # defined where the cache can import it without mistune
from reportlib.report.sanitize import clean_html, image_source, image_type

# The beretning's chapters, in the order the report places them by default (see the notebook).
FOREWORD = "Forord"  # the chapter the advisor signs
CHAPTERS = (FOREWORD, "Indledning", "Anbefalinger", "Sagseksempler", "Hvad efterspørger borgerne",
            "Hvad sker der herefter", "Kontakt")
RECOMMENDATIONS = "Anbefalinger"
FOLLOW_UP = "Opfølgning på sidste års anbefalinger"

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SUBHEADING = re.compile(r"^(#{2,5})(?=\s)", re.MULTILINE)
_LOWER_HEADING = re.compile(r"^(#{2,})\s+(.+?)\s*#*\s*$")
_ITEM = re.compile(r"^[-*+]\s+(.+)$")  # a top-level list item
# What a scaffold's chapter holds before the advisor writes in it: subheadings, and carried recommendations
# with nothing after their colon.
_UNWRITTEN = re.compile(r"^(#{2,6}\s.*|[-*+]\s+\*\*[^*]+\*\*:\s*)$", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(.+?)\1")
# The advisor's own number before a recommendation's title (``1.``, ``2)``, ``3.1``): the list numbers them already.
_OWN_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\\?[.)]|\d+(?:\.\d+)+)\s+(?=\S)")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")  # the narrative's images; their bytes must say the same
# A footnote's definition (``[^1]: Teksten``, its further lines indented) and a mark in the text (``[^1]``).
_NOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:")
_NOTE_MARK = re.compile(r"\[\^([^\]\s]+)\](?!:)")


@dataclass(frozen=True)
class Chapter:
    """One chapter of the narrative: its heading (empty for text before the first one), Markdown and HTML.

    ``at`` says where its heading is, as a message names it (``FILE:LINE``, or the chapter of a Word file).
    """

    heading: str
    markdown: str
    html: str
    at: str = ""

    @property
    def empty(self) -> bool:
        """Tell whether the chapter has no text of its own: only what the scaffold wrote there, if anything.

        That is guidance (comments, already left out of ``markdown``), subheadings, and last year's
        recommendations carried over without a word on what happened since (``- **Titel**:``).
        """
        return not _UNWRITTEN.sub("", self.markdown).strip()


@dataclass(frozen=True)
class Narrative:
    """The chapters of a narrative file, in file order, the file they came from (None: no file), its warnings."""

    chapters: list[Chapter] = field(default_factory=list)
    source: Path | None = None
    warnings: tuple[str, ...] = ()  # what the run should say about it (an image of a Word file without alt text)

    def chapter(self, name: str) -> Chapter | None:
        """The chapter headed ``name`` (ignoring case), empty or not, or None when the file has none."""
        return next((c for c in self.chapters if label_key(c.heading) == label_key(name)), None)

    def others(self) -> list[Chapter]:
        """The chapters with text that are not among :data:`CHAPTERS`, in file order."""
        known = {label_key(name) for name in CHAPTERS}
        return [c for c in self.chapters if label_key(c.heading) not in known and not c.empty]

    def empty(self) -> list[Chapter]:
        """The chapters headed but not written (nothing, or only guidance): never published as an empty heading."""
        return [c for c in self.chapters if c.heading and c.empty]


class _Renderer(mistune.HTMLRenderer):
    """Markdown to HTML with raw HTML escaped, every image's source resolved by ``source_of``, and notes linked.

    A footnote is a numbered mark linked to its note, and the notes a list at the end with a link
    back (the DPUB-ARIA roles tell a screen reader which is which); ``notes`` starts their ids, so
    that the notes of two chapters on one page never share one.
    """

    def __init__(self, source_of: Callable[[str], str | None], notes: str = ""):
        super().__init__(escape=True)
        self.source_of = source_of
        self.notes = notes
        self.refused: list[str] = []

    def footnote_ref(self, key: str, index: int) -> str:
        note = f"{self.notes}{index}"
        return (f'<sup class="footnote-ref"><a href="#fn-{note}" id="fnref-{note}" role="doc-noteref">'
                f"{index}</a></sup>")

    # The board's report is Danish whatever language the command's messages speak.
    def footnotes(self, text: str) -> str:
        return f'<section class="footnotes" role="doc-endnotes" aria-label="Noter">\n<ol>\n{text}</ol>\n</section>\n'

    def footnote_item(self, text: str, key: str, index: int) -> str:
        note = f"{self.notes}{index}"
        back = (f'<a href="#fnref-{note}" class="footnote-back" role="doc-backlink" '
                f'aria-label="Tilbage til note {index} i teksten">\u21a9</a>')
        text = text.rstrip()
        text = f"{text[:-4]} {back}</p>" if text.endswith("</p>") else f"{text}\n{back}"
        return f'<li id="fn-{note}">{text}</li>\n'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        source = self.source_of(url)
        if source is None:
            self.refused.append(url)
            return ""
        return "<img" + self.render_attrs({"src": source, "alt": striptags(text)}) + " />"


def render_markdown(text: str, source_of: Callable[[str], str | None] = image_source,
                    notes: str = "") -> tuple[str, list[str]]:
    """Render Markdown as HTML with raw HTML escaped, HTML comments left out and footnotes (``[^1]``) as notes.

    Parameters
    ----------
    text : str
    source_of : callable
        Maps an image's URL to the ``src`` the report shows (a ``data:`` URI), or None to leave
        the image out; by default only ``data:`` image URIs are kept.
    notes : str
        What the ids of the footnotes start with (``fn-NOTES1``): unique to each fragment of a page.

    Returns
    -------
    html : str
    refused : list of str
        The URLs of the images left out.
    """
    renderer = _Renderer(source_of, notes)
    html = mistune.create_markdown(renderer=renderer, plugins=["table", "strikethrough", "footnotes"])(
        _COMMENT.sub("", text))
    return html.strip(), renderer.refused


def register_image(folder: Path, url: str) -> str | None:
    """A PNG or JPEG file in the register folder, or a PNG or JPEG ``data:`` URI, as a ``data:`` URI; else None.

    The type is read from the bytes, not the name, and the image may be at most 5 MB. A file name
    is taken as written (Markdown writes ``område.png`` as ``omr%C3%A5de.png``).
    """
    url = url.strip()
    if url.lower().startswith("data:"):
        return image_source(url, svg=False)
    if re.match(r"^[a-z][a-z0-9+.-]*:|^[/\\]", url, re.IGNORECASE):
        return None  # another scheme, or an absolute path: only the register folder's own files
    path = real(folder / unquote(url))
    if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_relative_to(real(folder)) or not path.is_file():
        return None
    try:
        content = inputs.read_bytes(path, inputs.IMAGE)
    except (OSError, InputRefused):
        return None
    mimetype = image_type(content)
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}" if mimetype else None


def read_narrative(path: str | Path, *, required: bool = False) -> Narrative:
    """Read a narrative file, Markdown or Word (``.docx``), and split it into chapters.

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
    if not present(path):
        if required:
            raise NarrativeError(_("{file}: narrative file not found; check the path, or leave it out "
                                   "(the report is complete without one)").format(file=path))
        return Narrative()
    if path.suffix.lower() == NARRATIVE_SUFFIXES[1]:
        from reportlib.report.narrative_docx import word_markdown  # python-docx and Pandoc: for a Word narrative only

        with word_markdown(path) as word:  # its checks name paragraphs; what is left here names the chapter
            chapters = _rendered(word.markdown, word.media,
                                 lambda heading, url: _("{file}: chapter '{heading}'").format(file=path,
                                                                                              heading=heading),
                                 lambda line, number: _("{file}: heading {number}").format(file=path, number=number))
        return Narrative(chapters, path, (*word.warnings, *_unwritten(chapters)))
    try:
        text = inputs.read_text(path, inputs.NARRATIVE)
    except UnicodeDecodeError as exc:
        raise NarrativeError(_("{file}: byte {byte}: not UTF-8 text; save the file as UTF-8").format(
            file=path, byte=exc.start)) from None
    except OSError as exc:
        raise NarrativeError(_("{file}: cannot be read ({reason}); check the file's permissions").format(
            file=path, reason=exc.strerror)) from None
    problems = published_text_problems(text, lambda line: f"{path}:{line}")
    if problems:
        raise NarrativeError("\n".join(problems))
    chapters = _rendered(text, path.parent, lambda heading, needle: f"{path}:{_line_of(text, needle)}",
                         lambda line, number: f"{path}:{line}")
    return Narrative(chapters, path, _unwritten(chapters))


def _unwritten(chapters: list[Chapter]) -> tuple[str, ...]:
    """The warning for each chapter headed but not written: left out of a draft, refused in a final report."""
    return tuple(_("{at}: chapter '# {heading}' has no text yet (nothing, or only guidance), so it is left out of "
                   "the report; write it, or delete its heading").format(at=chapter.at, heading=chapter.heading)
                 for chapter in chapters if chapter.heading and chapter.empty)


def _rendered(text: str, images: Path, at: Callable[[str, str], str],
              place: Callable[[int, int], str]) -> list[Chapter]:
    """The chapters of a narrative's Markdown, rendered, with the images in the folder ``images``.

    ``at(heading, needle)`` says where a problem is: the file and the line ``needle`` is on, or the
    chapter; ``place(line, number)`` where a chapter's heading is, given its line in ``text`` and
    its number among the headings.

    Raises
    ------
    NarrativeError
        For an image the report cannot show, anything the sanitizer would have to remove, or two
        chapters with the same heading (the second would never be published).
    """
    chapters, problems, first = [], [], {}
    text, definitions = _note_definitions(text)
    for heading, body, line in _chapters(text):
        where = place(line, sum(1 for chapter in chapters if chapter.heading) + 1)
        if heading and first.setdefault(label_key(heading), where) != where:
            problems.append(_("{first} and {second}: two chapters headed '# {heading}'; a chapter is published once, "
                              "so merge them or give one another heading").format(
                first=first[label_key(heading)], second=where, heading=heading))
        # The chapter's heading is an h2 in the report, so its "##" subheadings become h3, and so on.
        # Each chapter is rendered with the notes marked in it (Pandoc writes them all at the document's end).
        marked = dict.fromkeys(_NOTE_MARK.findall(body))
        own = "\n\n".join(definitions[key] for key in marked if key in definitions)
        html, refused = render_markdown(_SUBHEADING.sub(r"#\1", f"{body}\n\n{own}"),
                                        lambda url: register_image(images, url), notes=f"{len(chapters) + 1}-")
        problems += [_("{at}: image '{url}': only a PNG or JPEG image can be shown, a file in the register folder "
                       "(e.g. ![Kort over området](kort.png) with kort.png beside this file) or a data: URI, of at "
                       "most 5 MB; the report loads nothing from elsewhere").format(at=at(heading, url), url=url)
                     for url in refused]
        cleaned = clean_html(html)  # Markdown escapes raw HTML already; nothing is published unchecked all the same
        problems += [_("{at}: chapter '{heading}': {what} cannot be published; the report runs and loads nothing")
                     .format(at=at(heading, heading), heading=heading, what=what) for what in cleaned.removed]
        chapters.append(Chapter(heading, body.strip(), cleaned.html, where))
    if problems:
        raise NarrativeError("\n".join(problems))
    return chapters


def _note_definitions(text: str) -> tuple[str, dict[str, str]]:
    """Take the footnotes' definitions out of Markdown: the text with their lines blanked, and each by its key.

    A definition is its first line (``[^1]: ...``) and the lines after it that are blank or
    indented; blanking keeps the line numbers of what follows.
    """
    lines, definitions, key = text.split("\n"), {}, None
    for number, line in enumerate(lines):
        if match := _NOTE_DEFINITION.match(line):
            key = match.group(1)
            definitions.setdefault(key, [])
        elif key is None or (line.strip() and not line.startswith(("    ", "\t"))):
            key = None
            continue
        definitions[key].append(line)
        lines[number] = ""
    return "\n".join(lines), {key: "\n".join(body).rstrip() for key, body in definitions.items()}


def published_text_problems(text: str, at: Callable[[int], str]) -> list[str]:
    """What in Markdown the report would publish but must not: an unclosed comment, a CPR-like number.

    An unclosed ``<!--`` would publish the private note after it; a CPR-like number is looked for
    outside comments only (they are never published), in each line as written (its links' and
    images' addresses as a browser shows them, ``%2D`` as ``-``) and as the report shows it
    (escapes, emphasis and code marks undone), and over a line break inside a paragraph, which the
    report shows as a space. Each problem starts with ``at(line)``, where it is (``FILE:LINE``,
    say); lines count from 1.
    """
    problems = []
    for comment in _COMMENT.finditer(text):
        inner = comment.group().find("<!--", 4)
        if inner >= 0:  # the first one was never closed: the one after closed both, and all between is hidden
            line = text.count("\n", 0, comment.start()) + 1
            problems.append(_("{at}: a comment starts here with <!-- but is not closed with --> before the next one "
                              "starts on line {line}, so the text between them would be left out; close it").format(
                at=at(line), line=text.count("\n", 0, comment.start() + inner) + 1))
    # Blank the comments, keeping their line breaks, so that what is left is published text on its own lines.
    published = _COMMENT.sub(lambda comment: "\n" * comment.group().count("\n"), text)
    opened = published.find("<!--")
    if opened >= 0:
        line = published.count("\n", 0, opened) + 1
        problems.append(_("{at}: a comment starts here with <!-- but is never closed with -->, so the text after "
                          "it would be published; close it").format(at=at(line)))
        published = published[:opened]

    def identifying(markdown: str, *, paragraph: bool = False) -> bool:
        # As written and as shown; with paragraph=True, only Markdown that is one paragraph (two lines of another
        # block, such as two list items, are shown apart).
        html = render_markdown(markdown)[0]
        if paragraph and not (html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1):
            return False
        return cpr_like(unquote(markdown)) or cpr_like(unescape(striptags(html)))

    lines = published.splitlines()
    problems += [_("{at}: the line {reason}").format(at=at(number), reason=_(CPR_REASON))
                 for number, (line, after) in enumerate(itertools.zip_longest(lines, lines[1:], fillvalue=""), start=1)
                 if identifying(line) or (after.strip() and identifying(f"{line}\n{after}", paragraph=True)
                                          and not identifying(after))]
    return problems


def _line_of(text: str, needle: str) -> int:
    """The line of the file on which ``needle`` is written (1 when it cannot be found)."""
    return next((number for number, line in enumerate(text.splitlines(), start=1) if needle and needle in line), 1)


def _chapters(text: str) -> list[tuple[str, str, int]]:
    """Split Markdown at ``#`` headings into (heading, body, line of the heading), leaving out empty untitled text.

    The comments are taken out first; a heading's line is found in the text with them blanked but
    their line breaks kept, so that it is the file's.
    """
    blanked = _COMMENT.sub(lambda comment: "\n" * comment.group().count("\n"), text)
    lines = iter([number for number, line in enumerate(blanked.splitlines(), start=1) if _HEADING.match(line)])
    chapters: list[tuple[str, list[str], int]] = [("", [], 0)]
    for line in _COMMENT.sub("", text).splitlines():
        if match := _HEADING.match(line):
            chapters.append((match.group(1), [], next(lines, 0)))
        else:
            chapters[-1][1].append(line)
    return [(heading, "\n".join(body), line) for heading, body, line in chapters
            if heading or "".join(body).strip()]


def recommendations(narrative: Narrative) -> list[str]:
    """The titles of a narrative's recommendations, in file order.

    A recommendation is a subheading of the Anbefalinger chapter with no subheadings of its own
    (``## Svar hurtigere``, or ``### ...`` under a ``## Nye anbefalinger``); without any, each
    top-level list item is one. That year's own follow-up subsection is skipped. A number the
    advisor put before a title (``## 1. Svar hurtigere``) is left out: the report's list numbers them.
    """
    chapter = narrative.chapter(RECOMMENDATIONS)
    if chapter is None:
        return []
    headings: list[tuple[int, str]] = []
    items: list[str] = []
    follow_up_level = 0  # inside the follow-up subsection while > 0
    for line in chapter.markdown.splitlines():
        if heading := _LOWER_HEADING.match(line):
            level, title = len(heading.group(1)), heading.group(2)
            if follow_up_level and level <= follow_up_level:
                follow_up_level = 0
            if title.casefold() == FOLLOW_UP.casefold():
                follow_up_level = level
            elif not follow_up_level:
                headings.append((level, title))
        elif not follow_up_level and (item := _ITEM.match(line)):
            items.append(_EMPHASIS.sub(r"\2", item.group(1)).strip())
    leaves = [title for (level, title), (after, _title) in itertools.pairwise([*headings, (0, "")]) if after <= level]
    return [_OWN_NUMBER.sub("", title, count=1) for title in leaves or items]
