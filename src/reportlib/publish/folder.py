"""Publish a period's report folder atomically, and heal what a killed or failed run left behind.

A run writes everything into a staging folder beside the target (``OUT/.START_END.partial-PID``)
and swaps it into place only when every file is complete, so ``OUT/START_END`` always holds one
whole report. The swap moves the old report aside (``.START_END.retired``), moves the new one in,
and deletes the old. Runs of a period take its lock file, so only one writes at a time. Every run
of a period, an up-to-date one included, first heals: it puts back a report left retired by a
crash between the two moves and removes the staging folders of processes that no longer exist.

Publishing never touches what is not its own. :func:`check_apart` refuses, before anything is
written or moved, an output folder that would be written over, into or around an input (the
register folder, the notebook); and a folder is only ever retired or removed when it is a report
reportlib published (:func:`is_own_report`: its manifest, and no file the manifest does not list).

This module imports nothing heavy, and filelock only to take a lock: the command line heals before it
knows whether to run, and an up-to-date period with nothing to heal never locks.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from reportlib.exceptions import OutputRefused, RunBusy, RunFailed
from reportlib.files import alive, reason, sha256
from reportlib.language import N_, _, ngettext
from reportlib.paths import MANIFEST, real

# The folder beside a report where its files edited by hand are kept when it is replaced: OUT/START_END.rettet/.
KEPT_SUFFIX = ".rettet"


def lock_path(target: Path) -> Path:
    """The lock file of a period's report folder: ``OUT/.START_END.lock``."""
    return target.with_name(f".{target.name}.lock")


def staging_path(target: Path) -> Path:
    """This process's staging folder for ``target``."""
    return target.with_name(f".{target.name}.partial-{os.getpid()}")


def failed_path(target: Path) -> Path:
    """Where the executed notebook of a failed run is kept: ``OUT/START_END.failed.ipynb``."""
    return target.with_name(f"{target.name}.failed.ipynb")


def kept_message(target: Path) -> str:
    """The last line of a failed run's message: what became of the published report."""
    if target.exists():
        return _("the published report in {folder} was left as it was").format(folder=target)
    return _("no report was published in {folder}").format(folder=target)


def _retired_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.retired")


def _written_names(target: Path) -> tuple[str, ...]:
    """The names a run of ``target`` writes beside it in the outputs folder (staging folders by prefix)."""
    return (target.name, lock_path(target).name, failed_path(target).name, _retired_path(target).name,
            f".{target.name}.partial-")


def check_apart(target: Path, *, register: Path | None = None, inputs: Iterable[Path] = ()) -> None:
    """Refuse a report folder that would be written over, into or around what a run reads.

    Nothing a run writes (``target``, and its lock, staging folder, failed notebook beside it) may
    lie inside the register folder, equal or contain it, or equal or contain any other input (the
    notebook, a network's figures documents). Paths are compared as the file system resolves them,
    symbolic links followed.

    Raises
    ------
    OutputRefused
        Before anything is written or moved.
    """
    out = real(target.parent)
    target = out / target.name
    register = real(register) if register is not None else None
    if register is not None and (out == register or out.is_relative_to(register)):
        raise OutputRefused(_("{folder}: the report would be written into the register folder {register}, which is "
                              "read only; give an --out folder outside the register folder (the default is "
                              "outputs/)").format(folder=target, register=register))
    for path in ([register] if register is not None else []) + list(map(real, inputs)):
        if path == target or path.is_relative_to(target):
            overlap = _OVERLAPS[path == target, path == register]
            raise OutputRefused(_(overlap).format(folder=target, path=path))
        if path.parent == out and path.name.startswith(_written_names(target)):
            raise OutputRefused(_("{path}: a run of this period writes a file of this name beside its report; move "
                                  "the file, or give another --out folder").format(path=path))


# How a report folder would overlap an input, by (it is the input, the input is the register folder).
_OVERLAPS = {
    (True, True): N_("{folder}: the report folder would be the register folder {path}, and publishing a report "
                     "replaces its folder; give an --out folder outside the register folder (the default is outputs/)"),
    (False, True): N_("{folder}: the report folder would hold the register folder {path}, and publishing a report "
                      "replaces its folder; give an --out folder outside the register folder (the default is "
                      "outputs/)"),
    (True, False): N_("{folder}: the report folder would be {path}, which the run reads, and publishing a report "
                      "replaces its folder; give an --out folder that holds none of the run's input files"),
    (False, False): N_("{folder}: the report folder would hold {path}, which the run reads, and publishing a report "
                       "replaces its folder; give an --out folder that holds none of the run's input files"),
}


def is_own_report(folder: Path) -> bool:
    """Tell whether ``folder`` is a report reportlib published: a manifest as a run writes it, nothing else.

    Every file in it must be the manifest or one of the outputs the manifest lists; a folder inside
    it, a file of the user's or a manifest of another shape means it is not (and is never removed).
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        entries = list(folder.iterdir())
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or not isinstance(manifest.get("cache_key"), str):
        return False
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict):
        return False
    return all(entry.is_file() and not entry.is_symlink() and (entry.name == MANIFEST or entry.name in outputs)
               for entry in entries)


def check_own(target: Path) -> None:
    """Refuse to replace a folder that is not a report reportlib published.

    Raises
    ------
    OutputRefused
        When ``target`` exists and is anything else: it is never moved or removed.
    """
    if os.path.lexists(target) and not (target.is_dir() and not target.is_symlink() and is_own_report(target)):
        raise OutputRefused(_("{folder}: exists and is not a report reportlib published (a folder with its "
                              "{manifest} and only the files it lists), so it is left as it is; move it away, or "
                              "give another --out folder").format(folder=target, manifest=MANIFEST))


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
        raise RunBusy(_("{folder}: another run of this period is in progress; wait for it to finish "
                        "(if none is, another machine may hold {lock})").format(folder=target,
                                                                              lock=lock_path(target))) from None
    except OSError as exc:
        raise RunFailed(_("{folder}: cannot write the report there ({reason}); give a writable folder "
                          "with --out").format(folder=target.parent, reason=reason(exc))) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def settled(target: Path) -> Iterator[bool]:
    """Yield whether no run of the period is in progress, for reading what its folder holds.

    If none is, the period's lock is held meanwhile, so that none publishes while the folder is read,
    and what a killed run left is undone first (a report it set aside is back in place). Creates
    nothing: without a lock file no run has written the folder, and no lock is taken. A run that has
    begun but not yet taken the lock (it checks its inputs first) is not seen.
    """
    with contextlib.ExitStack() as held:
        running = False
        if lock_path(target).exists():
            try:
                held.enter_context(locked(target))
                recover(target)
            except RunBusy:
                running = True
            except RunFailed:  # a lock file or leftover this process cannot write: the folder is read as it is
                pass
        yield not running


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
    if retired.is_dir() and is_own_report(retired):  # anything else of that name is not ours to touch
        if os.path.lexists(target):
            _remove(retired, N_("an old report left by an interrupted run"))
        else:
            os.replace(retired, target)
    for staging in target.parent.glob(f".{target.name}.partial-*"):
        pid = staging.name.rsplit("-", 1)[1]
        if not (pid.isdigit() and alive(int(pid))):
            _remove(staging, N_("a half-written report of a run that was stopped"))


def publish(staging: Path, target: Path) -> None:
    """Swap the complete staging folder into place as ``target``.

    The old report must be removable first: a read-only published folder is reported before
    anything moves, so nothing is left half-swapped.

    Raises
    ------
    RunFailed
        When the published folder cannot be replaced.
    """
    if os.path.lexists(target):
        check_own(target)
        check_replaceable(target)
        retired = _retired_path(target)
        os.replace(target, retired)
        os.replace(staging, target)
        _remove(retired, N_("the previous report"))
    else:
        os.replace(staging, target)


def hand_edited(target: Path) -> list[str]:
    """The files of a published report changed since its manifest recorded them (by hand, as a rule), sorted."""
    try:
        outputs = json.loads((target / MANIFEST).read_text(encoding="utf-8")).get("outputs")
    except (OSError, ValueError, AttributeError):
        return []
    if not isinstance(outputs, dict):
        return []
    return sorted(name for name, digest in outputs.items()
                  if (target / name).is_file() and sha256(target / name) != digest)


def keep_hand_edits(target: Path, names: list[str]) -> Path:
    """Copy ``names``, files of ``target`` changed by hand, into ``OUT/START_END.rettet/`` before it is replaced.

    The report that replaces them is made from the register and the narrative, so an edit made to
    the published file (a word corrected before the board meets) would be lost: it is kept beside it,
    named so that a person sees what it is, and said in a warning. A folder of that name holding other
    files is never written into: the next is ``.rettet-2``, and so on. The same edit is kept once.

    Returns
    -------
    Path
        The folder the edited files are in.
    """
    number = 1
    while True:
        kept = target.with_name(f"{target.name}{KEPT_SUFFIX}" + (f"-{number}" if number > 1 else ""))
        if not os.path.lexists(kept):
            break
        if kept.is_dir() and not kept.is_symlink() and all(_same_file(kept / name, target / name) for name in names):
            return kept
        number += 1
    kept.mkdir()
    for name in names:  # each whole or not there: a copy under another name, then renamed
        partial = kept / f".{name}.partial"
        shutil.copy2(target / name, partial)
        os.replace(partial, kept / name)
    return kept


def _same_file(one: Path, other: Path) -> bool:
    return one.is_file() and not one.is_symlink() and sha256(one) == sha256(other)


def publish_staged(target: Path, write: Callable[[Path], tuple[str, ...]], *,
                   progress: Callable[[str], None] = lambda step: None) -> tuple[str, ...]:
    """Make a report in a staging folder with ``write`` and swap it into place as ``target``, holding its lock.

    What a killed run left is settled first, and ``target`` must be a report reportlib published
    that can be replaced. ``write`` gets the empty staging folder and fills it, manifest included,
    and returns its warnings; they are returned, with one naming the files of the published report
    changed by hand, which are kept first (:func:`keep_hand_edits`). On any failure the staging
    folder is removed and the published report is left as it was; a notebook kept by an earlier
    failed run is superseded by a good one.

    Raises
    ------
    RunBusy, OutputRefused
        As :func:`locked` and :func:`check_own`.
    RunFailed
        When the output folder cannot be written (read-only, gone, the disk full).
    """
    with locked(target):
        recover(target)
        check_own(target)
        check_replaceable(target)
        staging = staging_path(target)
        try:
            edited = hand_edited(target)
            kept = keep_hand_edits(target, edited) if edited else None
            staging.mkdir()
            warnings = write(staging)
            progress(_("publishing {folder}").format(folder=target))
            publish(staging, target)
            failed_path(target).unlink(missing_ok=True)
        except OSError as exc:
            raise RunFailed(_("{folder}: cannot write the report ({reason}: {file}); check that the folder is "
                              "writable and the disk has room\n{published}").format(
                folder=target, reason=exc.strerror or exc, file=exc.filename or "",
                published=kept_message(target))) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if kept is None:
        return warnings
    return (*warnings, ngettext(
        "{files}: changed by hand since the report was published; the new report replaces it, so the edited copy "
        "is kept in {kept}: bring the edit into the register or the narrative if it still holds",
        "{files}: changed by hand since the report was published; the new report replaces them, so the edited "
        "copies are kept in {kept}: bring the edits into the register or the narrative if they still hold",
        len(edited)).format(files=", ".join(str(target / name) for name in edited), kept=kept))


def files_in(target: Path) -> tuple[str, ...]:
    """The names of the files a published report folder holds, sorted."""
    return tuple(sorted(p.name for p in target.iterdir()))


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
        raise RunFailed(_("{folder}: the published report is read-only ({path}), so it cannot be replaced; "
                          "make it writable (chmod -R u+w {folder}) or move it away").format(folder=target,
                                                                                          path=read_only[0]))


def _remove(folder: Path, what: str) -> None:
    """Remove ``folder``; ``what`` says what it is, in English marked with ``N_``."""
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise RunFailed(_("{folder}: cannot remove {what} ({reason}); make it writable or remove it "
                          "by hand").format(folder=folder, what=_(what), reason=reason(exc))) from None

