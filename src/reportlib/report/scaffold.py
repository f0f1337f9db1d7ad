"""The period's narrative scaffold: every chapter heading with guidance for the advisor.

``reportlib narrative --period P`` writes it as ``beretning_START_END.md`` in the register folder,
for the advisor to fill in. The guidance, and the period's key figures (so that the text can agree
with them), are HTML comments, which never reach the report. The previous reporting year's
recommendations are carried over under "Opfølgning på sidste års anbefalinger", one per item.
``--format docx`` writes the same scaffold as ``beretning_START_END.docx``, the comments as
paragraphs in the guidance style (:mod:`reportlib.report.narrative_docx`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from reportlib import inputs
from reportlib.exceptions import InputError, InputRefused, NarrativeExists, PeriodError
from reportlib.figures.coverage import check_period
from reportlib.figures.document import figures
from reportlib.files import write_new
from reportlib.jinja import environment
from reportlib.language import _
from reportlib.paths import NARRATIVE_SUFFIXES, narrative_path
from reportlib.periods import Period, reporting_year, reporting_year_of
from reportlib.register.kommune import Kommune
from reportlib.register.model import Register
from reportlib.register.validate import load_register
from reportlib.report import vocabulary
from reportlib.report.beretning import Beretning
from reportlib.report.narrative import CHAPTERS, FOLLOW_UP, RECOMMENDATIONS, Narrative, read_narrative, recommendations
from reportlib.report.narrative_docx import GUIDANCE_STYLE, scaffold_docx

# The opening comment's words before the key figures, which say how far the register was kept when written.
_FIGURES_INTRO = ("Periodens nøgletal", "tabellerne (skriv `reportlib narrative` igen")


def previous_narrative(beretning: Beretning) -> Narrative:
    """The narrative of the reporting year before the one the period starts in (empty if none)."""
    start_month = beretning.kommune.periode_start_maaned
    this_year = reporting_year_of(beretning.period.start, start_month)
    last_year = reporting_year(this_year.start.year - 1, start_month)
    return read_narrative(narrative_path(beretning.data_dir, last_year))


def scaffold(beretning: Beretning, *, word: bool = False) -> str:
    """Return the Markdown scaffold of ``beretning``'s period (``word``: its guidance worded for Word)."""
    previous = previous_narrative(beretning)
    return environment().get_template("narrative.md.j2").render(
        b=beretning, words=vocabulary, chapters=CHAPTERS, recommendations=RECOMMENDATIONS, follow_up=FOLLOW_UP,
        carried=recommendations(previous), previous_file=previous.source.name if previous.source else None,
        word=word, guidance_style=GUIDANCE_STYLE)


def write_scaffold(beretning: Beretning, suffix: str = NARRATIVE_SUFFIXES[0]) -> Path:
    """Write the scaffold to the period's narrative file in the register folder, as Markdown or Word (``.docx``).

    In Word, every chapter is a Heading 1 and the guidance and key figures are paragraphs in the
    style Vejledning, which the report leaves out. A Word scaffold replaces the period's Markdown
    scaffold when nobody has touched it (:func:`untouched`: ``init`` wrote it, the advisor writes in Word).

    Raises
    ------
    NarrativeExists
        When the period has a narrative already, in either format (but for an untouched Markdown
        scaffold a Word one replaces); it is left untouched.
    RunFailed
        When the register folder cannot be written; nothing is left there.
    """
    markdown = narrative_path(beretning.data_dir, beretning.period, ".md")
    replaced = markdown if suffix == ".docx" and markdown.exists() and untouched(markdown, beretning) else None
    existing = [path for path in map(lambda s: narrative_path(beretning.data_dir, beretning.period, s),
                                     NARRATIVE_SUFFIXES) if path.exists() and path != replaced]
    if existing:
        raise NarrativeExists(_("{file}: the narrative exists already and was left untouched; edit it, "
                                "or move it away to write a new scaffold").format(file=existing[0]))
    path = narrative_path(beretning.data_dir, beretning.period, suffix)
    # Made before the file exists: a failure leaves no empty narrative behind.
    content = scaffold_docx(scaffold(beretning, word=True)) if suffix == ".docx" else scaffold(beretning)
    try:
        write_new(path, content)  # never replaces the advisor's text
    except FileExistsError:
        raise NarrativeExists(_("{file}: the narrative exists already and was left untouched; edit it, "
                                "or move it away to write a new scaffold").format(file=path)) from None
    if replaced is not None:  # only once the Word scaffold is there: a period never has none
        replaced.unlink()
    return path


def untouched(path: Path, beretning: Beretning) -> bool:
    """Whether a Markdown scaffold is as reportlib wrote it, so that replacing it loses no text of the advisor's.

    It is when it is what the scaffold of its period is now, but for the key figures in its opening
    comment (written when it was, so with the register as it was then): every line of that comment is
    one the scaffold writes there, with the figures or without, or a key figure's line (indented).
    """
    try:
        text = inputs.read_bytes(path, inputs.NARRATIVE).decode("utf-8")
    except (OSError, UnicodeDecodeError, InputRefused):
        return False
    fresh = scaffold(beretning)
    head, closed, body = text.partition("-->")
    fresh_head, _closed, fresh_body = fresh.partition("-->")
    if text == fresh or not closed or body != fresh_body:
        return text == fresh
    without_figures = scaffold(dataclasses.replace(beretning, figures=None)).partition("-->")[0]
    written = set(fresh_head.splitlines()) | set(without_figures.splitlines())
    return all(line in written or line.startswith("  ") or line.startswith(_FIGURES_INTRO)
               for line in head.splitlines())


def write_first_scaffolds(kommune: Kommune, folder: Path, today: dt.date | None = None,
                          suffix: str = NARRATIVE_SUFFIXES[0]) -> list[Path]:
    """Write the scaffolds of a new register folder: the last completed reporting year's, the one a new
    advisor reports on first, and the year under way's.

    Each carries the year's key figures as far as the register holds it (``init --from`` copies the
    municipality's own register); an empty or not yet valid register gives none, and the scaffold
    says when they come. ``reportlib init`` hands it to :func:`~reportlib.register.new.init_register`;
    ``today`` decides the years, ``suffix`` the format (``.docx``: Word). A fault leaves neither. Raises as
    :func:`write_scaffold`.
    """
    today = today or dt.date.today()
    start_month = kommune.periode_start_maaned
    current = reporting_year_of(today, start_month)
    register = _valid_register(folder)
    written: list[Path] = []
    try:
        for year in (reporting_year(current.start.year - 1, start_month), current):
            figures = None if register is None else _figures_so_far(register, year, today)
            written.append(write_scaffold(Beretning(kommune, year, figures, Narrative(), folder), suffix))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def _valid_register(folder: Path) -> Register | None:
    """The folder's register, or None while it is empty or not yet valid (the scaffold then waits for it)."""
    try:
        return load_register(folder)
    except InputError:
        return None


def _figures_so_far(register: Register, year: Period, today: dt.date) -> dict | None:
    """The year's figures as far as the register is complete for it; None where it holds none of its days."""
    try:
        counted = check_period(register, year, today, interim=True)
    except PeriodError:
        return None
    return figures(register, counted, interim_of=year if counted != year else None)
