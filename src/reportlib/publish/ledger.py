"""The publication ledger: every figures document published from an outputs folder, kept beside its reports.

What was published stays published: a report of one period must not let a reader recover, with
any report published before, a count either of them withholds (:mod:`reportlib.figures.disclosure`).
The ledger of an outputs folder ``OUT`` is

- the ``figures.json`` of every report folder in it (``OUT/START_END``): a report enters the
  ledger in the same move that publishes it, so the two are one step, whatever stops a run;
- the ``figures.json`` of every report a run has replaced, kept in ``OUT/.reportlib-ledger/``
  before the new one is published (the board has read it, so it still counts); and
- the figures of every run in progress (``OUT/.reportlib-ledger/pending/``, each named by its
  process): two runs at once each see the other's, and a killed run's, no longer running, counts for nothing.

A run reads the ledger, makes its figures and puts them in pending while holding the ledger's lock
(:func:`reserved`), so every report is protected against every other, in the order they were made.
Only documents of the same municipality count (a folder may hold a batch's several); an earlier reportlib's are read
with today's keys (:func:`reportlib.figures.document_format.current`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reportlib.exceptions import RunBusy, RunFailed
from reportlib.figures.document_format import current
from reportlib.files import alive, reason, write_new
from reportlib.language import _

LEDGER = ".reportlib-ledger"
FIGURES = "figures.json"
_REPORT_FOLDER = re.compile(r"\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}")
_PENDING = re.compile(r"(?P<slug>.+)\.(?P<pid>\d+)\.json")
# Seconds to wait for another run to finish making its figures (a second or two each).
LOCK_TIMEOUT = 120


def published(out: Path, kommune: str) -> list[dict[str, Any]]:
    """Every figures document of ``kommune`` in the ledger of ``out``, each once, in a fixed order.

    A file that cannot be read or is no figures document is not a publication reportlib made, and is passed over.
    """
    paths = [*sorted(folder / FIGURES for folder in _children(out) if _REPORT_FOLDER.fullmatch(folder.name)),
             *sorted(_children(out / LEDGER, files=True)),
             *(path for path in sorted(_children(out / LEDGER / "pending", files=True)) if _running(path))]
    documents: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
            document = json.loads(text)
        except (OSError, ValueError):
            continue
        if isinstance(document, dict) and document.get("kommune") == kommune and "key_figures" in document:
            documents.setdefault(_digest(text), current(document))  # an earlier reportlib's, with today's keys
    return [documents[digest] for digest in sorted(documents)]


def _children(folder: Path, *, files: bool = False) -> list[Path]:
    try:
        return [entry for entry in folder.iterdir() if (entry.is_file() if files else entry.is_dir())
                and not entry.is_symlink() and not entry.name.startswith(".")]
    except OSError:
        return []


def _running(path: Path) -> bool:
    match = _PENDING.fullmatch(path.name)
    return match is not None and alive(int(match["pid"]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def reserved(target: Path, kommune: str,
             make: Callable[[list[dict[str, Any]]], dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Make the figures of the report to be published in ``target`` against the ledger, and hold their place.

    ``make`` gets the ledger's documents and returns the new one; it and the pending entry are made
    holding the ledger's lock. The report ``target`` holds now, which the new one will replace, is
    kept in the ledger first. The pending entry is removed when the block ends: by then the report is
    published (and its folder is its entry) or it is not.

    Raises
    ------
    RunBusy
        When another run holds the ledger's lock for longer than :data:`LOCK_TIMEOUT` seconds.
    RunFailed
        When the ledger cannot be written (a read-only or full outputs folder); nothing is published.
    """
    import filelock

    from reportlib.figures.document import to_json

    out = target.parent
    pending = out / LEDGER / "pending" / f"{target.name}.{os.getpid()}.json"
    try:
        (out / LEDGER / "pending").mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(out / LEDGER / ".lock")
        lock.acquire(timeout=LOCK_TIMEOUT)
    except filelock.Timeout:
        raise RunBusy(_("{folder}: another run has held the publication ledger for {seconds} seconds; wait for it to "
                        "finish (if none is running, another machine may hold {lock})").format(
            folder=out, seconds=LOCK_TIMEOUT, lock=out / LEDGER / ".lock")) from None
    except OSError as exc:
        raise RunFailed(_("{folder}: cannot write the publication ledger there ({reason}); give a writable folder "
                          "with --out").format(folder=out / LEDGER, reason=reason(exc))) from None
    try:
        _keep(target / FIGURES, out / LEDGER)
        document = make(published(out, kommune))
        pending.unlink(missing_ok=True)
        write_new(pending, to_json(document))
    finally:
        lock.release()
    try:
        yield document
    finally:
        pending.unlink(missing_ok=True)


def _keep(figures: Path, ledger: Path) -> None:
    """Copy a published report's figures into the ledger, named by their digest (once, however often it is kept)."""
    try:
        text = figures.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise RunFailed(_("{path}: cannot be read ({reason}), and the report it belongs to is to be replaced; the "
                          "publication ledger must keep it first").format(path=figures, reason=reason(exc))) from None
    with contextlib.suppress(FileExistsError):
        write_new(ledger / f"{_digest(text)}.json", text)
