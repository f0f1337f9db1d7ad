"""Publish a period's report folder atomically, and heal what a killed or failed run left behind.

A run writes everything into a staging folder beside the target (``OUT/.START_END.partial-PID``)
and swaps it into place only when every file is complete, so ``OUT/START_END`` always holds one
whole report. The swap moves the old report aside (``.START_END.retired``), moves the new one in,
and deletes the old. Runs of a period take its lock file, so only one writes at a time. Every run
of a period, an up-to-date one included, first heals: it puts back a report left retired by a
crash between the two moves and removes the staging folders of processes that no longer exist.

This module imports nothing heavy, and filelock only to take a lock: the command line heals before it
knows whether to run, and an up-to-date period with nothing to heal never locks.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from .exceptions import RunBusy, RunFailed


def lock_path(target: Path) -> Path:
    """The lock file of a period's report folder: ``OUT/.START_END.lock``."""
    return target.with_name(f".{target.name}.lock")


def staging_path(target: Path) -> Path:
    """This process's staging folder for ``target``."""
    return target.with_name(f".{target.name}.partial-{os.getpid()}")


def failed_path(target: Path) -> Path:
    """Where the executed notebook of a failed run is kept: ``OUT/START_END.failed.ipynb``."""
    return target.with_name(f"{target.name}.failed.ipynb")


def _retired_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.retired")


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the period's lock, creating the outputs folder if needed.

    Raises
    ------
    RunBusy
        When another run of the period holds the lock.
    RunFailed
        When the outputs folder cannot be created or written.
    """
    import filelock  # here, not at the top: importing it would make an up-to-date run a third slower

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(lock_path(target))
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise RunBusy(f"{target}: another run of this period is in progress; wait for it to finish "
                      f"(if none is, another machine may hold {lock_path(target)})") from None
    except OSError as exc:
        raise RunFailed(f"{target.parent}: cannot write the report there ({_reason(exc)}); give a writable folder "
                        "with --out") from None
    try:
        yield
    finally:
        lock.release()


def heal(target: Path) -> None:
    """Heal the period's folder if no run holds it; a busy or unwritable folder is left for the run to report.

    Cheap enough for every up-to-date run: a few directory entries, and the lock only when a killed
    run left something.
    """
    if not target.parent.is_dir() or not _leftovers(target):
        return
    with contextlib.suppress(RunBusy, RunFailed), locked(target):
        recover(target)


def _leftovers(target: Path) -> bool:
    """Tell whether a killed run may have left something of ``target``: a retired report or a staging folder."""
    return _retired_path(target).exists() or any(target.parent.glob(f".{target.name}.partial-*"))


def recover(target: Path) -> None:
    """Undo what a killed run left: put back a retired report, remove dead processes' staging folders.

    Call it holding the period's lock.

    Raises
    ------
    RunFailed
        When a leftover cannot be removed (a read-only folder).
    """
    retired = _retired_path(target)
    if retired.exists():
        if target.exists():
            _remove(retired, "an old report left by an interrupted run")
        else:
            os.replace(retired, target)
    for staging in target.parent.glob(f".{target.name}.partial-*"):
        pid = staging.name.rsplit("-", 1)[1]
        if not (pid.isdigit() and _alive(int(pid))):
            _remove(staging, "a half-written report of a run that was stopped")


def publish(staging: Path, target: Path) -> None:
    """Swap the complete staging folder into place as ``target``.

    The old report must be removable first: a read-only published folder is reported before
    anything moves, so nothing is left half-swapped.

    Raises
    ------
    RunFailed
        When the published folder cannot be replaced.
    """
    if target.exists():
        check_replaceable(target)
        retired = _retired_path(target)
        os.replace(target, retired)
        os.replace(staging, target)
        _remove(retired, "the previous report")
    else:
        os.replace(staging, target)


def check_replaceable(target: Path) -> None:
    """Make sure the published report can be replaced, before any work is done for it.

    Raises
    ------
    RunFailed
        When it, or a folder in it, is read-only: its files could not be deleted after the swap.
    """
    if not target.exists():
        return
    read_only = [path for path in (target, *target.rglob("*")) if path.is_dir() and not os.access(path, os.W_OK)]
    if read_only:
        raise RunFailed(f"{target}: the published report is read-only ({read_only[0]}), so it cannot be replaced; "
                        f"make it writable (chmod -R u+w {target}) or move it away")


def _remove(folder: Path, what: str) -> None:
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise RunFailed(f"{folder}: cannot remove {what} ({_reason(exc)}); make it writable or remove it "
                        "by hand") from None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _reason(exc: OSError) -> str:
    """An OSError in a few words, e.g. "No space left on device"."""
    return exc.strerror or errno.errorcode.get(exc.errno or 0, "") or str(exc)
