"""The bytes of the input files a run reads, each file read once however many readers ask.

kommune.yml alone is wanted by the language the messages speak, the reporting year's first month,
the cache key, the logo's name and the validated configuration; the narrative by the cache key and
the report. Each asks :func:`read_bytes`, which opens the file the first time and gives every later
reader the same bytes, so that what the cache key hashed is what the report was made from. A file
changed since (another size, time or inode) is read anew: the analyst's kernel sees an edit.

The notebook's kernel is handed what the host read (:func:`hand_over`, named to the kernel by the
variable ``REPORTLIB_INPUTS``): it reads none of those files again, and a file edited while the
run goes on cannot give the report other bytes than the cache key and the checks had.
"""

from __future__ import annotations

import base64
import functools
import json
import os
from pathlib import Path

HANDED_VARIABLE = "REPORTLIB_INPUTS"

# Absolute path -> (the file's size, modification time and inode when read, its bytes).
_read: dict[Path, tuple[tuple[int, int, int], bytes]] = {}


def read_bytes(path: Path | str) -> bytes:
    """The bytes of ``path``, read from the file only when it was not read before or has changed since.

    Raises
    ------
    OSError
        As :meth:`pathlib.Path.read_bytes` would (missing, unreadable, a folder).
    """
    absolute = Path(os.path.abspath(path))
    handed = _handed().get(absolute)
    if handed is not None:
        return handed
    known = _read.get(absolute)
    if known is not None and known[0] == _signature(os.stat(absolute)):
        return known[1]
    with absolute.open("rb") as stream:
        signature = _signature(os.fstat(stream.fileno()))
        data = stream.read()
    _read[absolute] = (signature, data)
    return data


def read_text(path: Path | str) -> str:
    """The text of ``path`` (UTF-8, with or without a byte-order mark), as :func:`read_bytes` reads it."""
    return read_bytes(path).decode("utf-8-sig")


def hand_over(folder: Path) -> Path:
    """Write every file read so far into ``folder``, for a process this one starts (:data:`HANDED_VARIABLE`)."""
    handed = folder / "inputs.json"
    handed.write_text(json.dumps({str(path): base64.b64encode(data).decode("ascii")
                                  for path, (_signature, data) in _read.items()}), encoding="utf-8")
    return handed


@functools.cache
def _handed() -> dict[Path, bytes]:
    """The files the starting process read, when it handed them over; none otherwise."""
    handed = os.environ.get(HANDED_VARIABLE)
    if not handed:
        return {}
    return {Path(path): base64.b64decode(data) for path, data in json.loads(Path(handed).read_text("utf-8")).items()}


def _signature(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_size, status.st_mtime_ns, status.st_ino
