"""The bytes of the input files a run reads, each file read once however many readers ask.

kommune.yml alone is wanted by the language the messages speak, the reporting year's first month,
the cache key, the logo's name and the validated configuration; the narrative by the cache key and
the report. Each asks :func:`read_bytes`, which opens the file the first time and gives every later
reader the same bytes, so that what the cache key hashed is what the report was made from. A file
changed since (another size, time or inode) is read anew: the analyst's kernel sees an edit.

The notebook's kernel is handed the files the report reads that the host read already (kommune.yml,
the narrative, the logo, the network's figures: :func:`hand_over`, named to the kernel by the
variable ``REPORTLIB_INPUTS``): it reads none of them again, and a file edited while the run goes
on cannot give the report other bytes than the cache key and the checks had. The register's tables
are never handed over: the kernel is given the figures, and no copy of the register is written.

What is kept is bounded (:data:`KEPT_BYTES`, the files read last), so a worker that runs one
register's periods after another's holds no more than that: a file let go is read again if asked.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

HANDED_VARIABLE = "REPORTLIB_INPUTS"
KEPT_BYTES = 64 << 20

# Absolute path -> (the file's size, modification time and inode when read, its bytes); the last read last.
_read: OrderedDict[Path, tuple[tuple[int, int, int], bytes]] = OrderedDict()


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
        _read.move_to_end(absolute)
        return known[1]
    with absolute.open("rb") as stream:
        signature = _signature(os.fstat(stream.fileno()))
        data = stream.read()
    _read[absolute] = (signature, data)
    while sum(len(kept) for _signature_, kept in _read.values()) > KEPT_BYTES:
        _read.popitem(last=False)
    return data


def read_text(path: Path | str) -> str:
    """The text of ``path`` (UTF-8, with or without a byte-order mark), as :func:`read_bytes` reads it."""
    return read_bytes(path).decode("utf-8-sig")


def hand_over(paths: Iterable[Path], folder: Path) -> Path:
    """Write the bytes of ``paths`` as this process read them into ``folder`` (a private one), for one it starts.

    What was read is handed over even if the file has changed since; a file not read yet is read
    now; one that is not there is left for the process to find missing. The process finds them by
    :data:`HANDED_VARIABLE`, set to the path returned.
    """
    contents = {}
    for path in paths:
        absolute = Path(os.path.abspath(path))
        with contextlib.suppress(OSError):
            data = _read[absolute][1] if absolute in _read else read_bytes(absolute)
            contents[str(absolute)] = base64.b64encode(data).decode("ascii")
    handed = folder / "inputs.json"
    handed.write_text(json.dumps(contents), encoding="utf-8")
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
