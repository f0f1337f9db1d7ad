"""Exceptions raised by reportlib, all of them here.

Every error a user can meet derives from :class:`ReportlibError`, so the command line turns each
into a message and an exit code instead of a traceback: :class:`InputError` (the register,
kommune.yml, the narrative, an argument) exits 2, :class:`RunError` (the notebook, an export, the
output folder, another run) exits 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlib.language import _, ngettext

_MAX_VALUE_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One defect in the register, located as the user sees it in a spreadsheet or editor.

    Parameters
    ----------
    file : str
        The file as the user named it, e.g. ``data/raw/sager.csv``.
    line : int or None
        Line (row) number as a spreadsheet shows it: the header is line 1.
    column : str or None
        Column name (for tables) or dotted key (for ``kommune.yml``).
    value : str or None
        The offending value, as written.
    reason : str
        What is wrong and what would have been accepted.
    kind : str
        ``"column"`` for tables, ``"key"`` for ``kommune.yml``.
    cell : str or None
        The column's letter in a workbook (``C``), shown after the line: ``register.xlsx[Sager]:14 (C)``.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    kind: str = "column"
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.cell is not None:
            where += f" ({self.cell})"
        parts = [where]
        if self.column is not None:
            named = _("key '{name}'") if self.kind == "key" else _("column '{name}'")
            parts.append(named.format(name=self.column))
        if self.value is not None:
            parts.append(_("value '{value}'").format(value=_shorten(self.value)))
        parts.append(self.reason)
        return ": ".join(parts)


def grouped(problems: Sequence[Problem], *, rows_shown: int = 5) -> list[str]:
    """One line per distinct problem: the same reason for the same value in the same column of one file.

    A problem found on one row reads as it always did; one found on several says how many rows and
    names the first ``rows_shown`` lines, so twenty rows with the channel 'Mail' make one line.
    """
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        key = (problem.file, problem.kind, problem.column, problem.value, problem.reason)
        groups.setdefault(key, []).append(problem)
    lines = []
    for (file, kind, column, value, reason), members in groups.items():
        if len(members) == 1:
            lines.append(str(members[0]))
            continue
        shown = [str(p.line) for p in members[:rows_shown] if p.line is not None]
        more = len(members) - len(shown)
        where = ", ".join(shown)
        if more:
            where = _("{lines} and {more} more").format(lines=where, more=more)
        lines.append(str(Problem(file, None, column, value, reason, kind))
                     + " " + _("({count} rows: lines {lines})").format(count=len(members), lines=where))
    return lines


def _shorten(value: str) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= _MAX_VALUE_CHARS else value[: _MAX_VALUE_CHARS - 1] + "…"


class ReportlibError(Exception):
    """Base class of every error reportlib raises for a problem the user can fix."""


class InputError(ReportlibError):
    """Raised when an input is wrong or cannot be read; nothing has been written."""


class RunError(ReportlibError):
    """Raised when a run cannot produce or publish the report; the published report is left as it was."""


class RegisterInvalid(InputError):
    """Raised when the register or its ``kommune.yml`` breaks the input contract.

    Holds every problem found in one pass, in file and line order.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
        heading = ngettext("{count} problem in the register:", "{count} problems in the register:", len(problems))
        super().__init__(heading.format(count=len(problems)) + "\n" + "\n".join(map(str, self.problems)))


class InputUnreadable(InputError):
    """Raised when an input file exists but cannot be read (permissions, a folder where a file belongs)."""


class InputRefused(InputError):
    """Raised when an input is no regular file (a FIFO, a device, a socket, a symbolic link loop) or over its limit.

    Nothing of it has been read.
    """


class PeriodError(InputError):
    """Raised when a period argument cannot be read or is empty."""


class NarrativeError(InputError):
    """Raised when a narrative file is missing (when named), not UTF-8, unreadable, or shows an image it may not."""


class NarrativeExists(InputError):
    """Raised when the period's narrative file exists already; it is never overwritten."""


class WorkbookTooLarge(InputError):
    """Raised when a workbook sheet has a value beyond the rows and columns a register may use."""


class WorkbookRefused(InputError):
    """Raised when ``reportlib template`` cannot rewrite the workbook without losing something; it is untouched."""


class IdentifierPublished(InputError):
    """Raised when what a report would publish holds a CPR-like number; nothing is published."""


class NotebookInvalid(InputError):
    """Raised when the report notebook cannot be read as a notebook, or has no kernel to run it."""


class OutputRefused(InputError):
    """Raised when an output would overlap an input, or replace something reportlib did not write.

    Nothing has been written or moved.
    """


class LogoUnusable(InputError):
    """Raised when kommune.yml's ``logo`` names a file that is missing, too large, or not a safe PNG or SVG."""


class EditionInvalid(InputError):
    """Raised when ``--dato`` is no date or ``--moede`` no single line of text."""


class FiguresMismatch(InputError):
    """Raised when a figures document given to the report is of another period or small-cell threshold.

    Also when it cannot be read, or is not as reportlib writes it (no JSON, ``NaN`` or ``Infinity``, a
    key missing or a number not of its kind and range); the message names the file and the key.
    """


class NetworkInvalid(InputError):
    """Raised when the figures documents a network compares cannot stand side by side, or its network.json is wrong.

    A file that is no figures document (or has no comparable section), unreadable JSON, another
    period or vocabulary version than the first document's, the same municipality twice; for a
    member's run, a network.json of another period or vocabulary. The message names every file.
    """


class LabelError(InputError):
    """Raised when a type, area or centre asked for is not one of the labels in kommune.yml."""


class BatchRefused(InputError):
    """Raised when two registers of one batch would publish into the same folder, or a name gives no folder."""


class RunFailed(RunError):
    """Raised when the notebook or an export fails, or the report cannot be written or published."""


class KernelNotFresh(RunError):
    """Raised when the kernel a batch's worker kept could not be made fresh for its next period.

    Holds the error the kernel raised (``ename``, ``evalue``); the run turns it into a message.
    """

    def __init__(self, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue


class RunBusy(RunError):
    """Raised when another run of the same period holds its lock."""


class PdfUnavailable(RunError):
    """Raised when WeasyPrint cannot load the system libraries it lays out text with."""


class ClusterUnusable(RunError):
    """Raised when the Dask scheduler cannot be reached, has no worker, or has a worker running several threads."""
