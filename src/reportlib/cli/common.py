"""What every command shares: the common options, loading the register, messages and exit codes.

Exit codes: 0 success (or nothing to do), 1 a report could not be produced (the notebook or an
export failed, or another run holds the period), 2 a problem in the user's input (register,
kommune.yml, narrative, arguments). A problem never ends in a Python traceback: :func:`checked`
and :func:`guarded` turn reportlib's errors into their message and exit code.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from reportlib import files, language
from reportlib.exceptions import InputError, RegisterInvalid, ReportlibError, grouped
from reportlib.inputs import looped
from reportlib.language import _, ngettext
from reportlib.paths import DATA_RAW, OUTPUTS
from reportlib.periods import LATEST, Period, parse_period
from reportlib.publish.freshness import configured_language

if TYPE_CHECKING:
    from reportlib.register.model import Register

EXIT_FAILED = 1
EXIT_INVALID = 2
T = TypeVar("T")


class Location(click.Path):
    """A path argument; one that is, or passes through, a symbolic link leading back to itself is a usage error."""

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.fail(looped(path), param, ctx)
        return path


def shown(default: Path) -> str:
    """How --help shows a default path: the clone's own, or one in the current folder (installed from a wheel)."""
    return str(default) if default.is_absolute() else f"{default} in the current folder"


min_celle_option = click.option(
    "--min-celle", type=click.IntRange(min=0), default=None, metavar="N",
    help="Withhold counts 1..N-1 in the area, centre, topic and category tables "
         "[default: min_celle in kommune.yml, else 0 = off].",
)
data_option = click.option(
    "--data", "data", type=Location(path_type=Path), default=DATA_RAW, show_default=shown(DATA_RAW),
    help="Register folder: kommune.yml plus sager, problemstillinger and aktiviteter (CSV or register.xlsx).",
)
registers_option = click.option(
    "--data", "data", type=Location(path_type=Path), multiple=True, default=[DATA_RAW],
    show_default=shown(DATA_RAW),
    help="Register folder: kommune.yml plus sager, problemstillinger and aktiviteter (CSV or register.xlsx). "
         "Give it once per municipality to run several in one batch, each into OUT/<municipality>/.",
)
interim_option = click.option(
    "--foreloebig", "interim", is_flag=True,
    help="Count a period that has not ended, or that reaches past the days the register is complete for "
         "(kommune.yml's komplet_til), as far as the register holds it, marked as interim (foreløbig).")
ledger_option = click.option(
    "--out", type=Location(path_type=Path), default=OUTPUTS, show_default=shown(OUTPUTS),
    help="The outputs folder the reports are published in: no count withheld may be recovered from the period's "
         "figures and the reports published there together (its publication ledger).")


def speak_as(data: Path) -> None:
    """Give messages in the register's language (kommune.yml's ``sprog``) unless one was chosen already.

    Read before the register is checked, so that its problems, too, are in that language; set in the
    environment, so the notebook's kernel and the worker processes of ``--all`` speak it as well.
    """
    if os.environ.get(language.ENVIRONMENT_VARIABLE) is None and (chosen := configured_language(data)):
        language.choose(chosen)


def period_of(text: str, data: Path, register: Register | None = None, *, start: int | None = None) -> Period:
    """Read a period argument: ``latest`` needs the whole register, the other forms kommune.yml only.

    ``start``, the reporting year's first month when already known, spares reading kommune.yml.
    """
    try:
        if text.strip().lower() != LATEST and register is None:
            if start is None:
                from reportlib.register.kommune import load_kommune

                start = checked(load_kommune, data).periode_start_maaned
            return parse_period(text, start)
        from reportlib.figures import coverage

        return coverage.named_period(text, register or load(data), dt.date.today())
    except ReportlibError as exc:
        fail(str(exc))


def reportable(register: Register, period: Period, *, interim: bool = False) -> Period:
    """The days of ``period`` to count (:func:`reportlib.figures.coverage.check_period`), or its refusal and exit 2."""
    from reportlib.figures.coverage import check_period

    return guarded(lambda: check_period(register, period, dt.date.today(), interim=interim))


def load_register(data: Path) -> Register:
    from reportlib.register.validate import load_register

    return load_register(data)


def load(data: Path) -> Register:
    """Load and validate the register, or print its problems and exit 2."""
    return checked(load_register, data)


def checked(read: Callable[[Path], T], data: Path, *, every_cell: bool = False) -> T:
    """Run ``read`` on the register folder; on a problem, print them and exit 2."""
    if not data.is_dir():
        fail(_("{data}: register folder not found; pass the folder with --data").format(data=data))
    try:
        return read(data)
    except RegisterInvalid as exc:
        report_invalid(exc, data, every_cell=every_cell)
    except ReportlibError as exc:
        fail(str(exc))


def report_invalid(exc: RegisterInvalid, data: Path, *, every_cell: bool = False) -> NoReturn:
    """Print the summary first, then one line per distinct problem (``every_cell``: one per cell), and exit 2."""
    lines = [str(problem) for problem in exc.problems] if every_cell else grouped(exc.problems)
    count = len(exc.problems)
    if len(lines) < count:
        summary = ngettext("{data}: {count} problem, {fixes} to fix (reportlib validate --alle lists every cell):",
                           "{data}: {count} problems, {fixes} to fix (reportlib validate --alle lists every cell):",
                           count)
        click.echo(summary.format(data=data, count=language.number(count), fixes=language.number(len(lines))),
                   err=True)
    for line in lines:
        click.echo(line, err=True)
    fail(ngettext("{count} problem found in {data}; nothing was produced",
                  "{count} problems found in {data}; nothing was produced", count)
         .format(count=language.number(count), data=data))


def guarded(call: Callable[[], T]) -> T:
    """Run ``call``; a problem with the input ends in its message and exit 2, a fault in its message and exit 1."""
    try:
        return call()
    except InputError as exc:
        fail(str(exc))
    except ReportlibError as exc:
        error(exc, EXIT_FAILED)


TRACEBACK_VARIABLE = "REPORTLIB_TRACEBACK"


def last_resort(exc: Exception) -> NoReturn:
    """End a command that an error no command turned into a message stopped: with one, never a traceback.

    What reportlib raises says what to do already; what the machine ran out of (memory, disk, a
    file-size limit) is said as such; anything else is a fault of reportlib's, whose traceback is
    shown only when :data:`TRACEBACK_VARIABLE` is set.
    """
    if isinstance(exc, InputError):
        fail(str(exc))
    if isinstance(exc, ReportlibError):
        error(exc, EXIT_FAILED)
    if isinstance(exc, MemoryError):
        error(_("out of memory; check that the input is the one meant, or close other programs and run it "
                "again"), EXIT_FAILED)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        where = f"{exc.filename}: " if exc.filename else ""
        error(_("{where}{reason}; free space on the disk, or raise the file-size limit (ulimit -f), and run it "
                "again: a report already published is as it was").format(where=where, reason=files.reason(exc)),
              EXIT_FAILED)
    if os.environ.get(TRACEBACK_VARIABLE):
        raise exc
    error(_("an unexpected fault ({error}); it is reportlib's, not your input's: please report it with the command "
            "you ran; set {variable}=1 to see where it happened").format(
        error=f"{type(exc).__name__}: {exc}"[:300], variable=TRACEBACK_VARIABLE), EXIT_FAILED)


def warn_personal_data(data: Path) -> None:
    from reportlib.register.privacy import tracked_personal_data

    for warning in tracked_personal_data(data):
        warn(warning)


def warn(warning: str, label: str = "") -> None:
    click.echo(f"{label}: " * bool(label) + _("warning: {warning}").format(warning=warning), err=True)


def fail(message: str) -> NoReturn:
    error(message, EXIT_INVALID)


def error(message: object, code: int) -> NoReturn:
    click.echo(_("error: {message}").format(message=message), err=True)
    sys.exit(code)
