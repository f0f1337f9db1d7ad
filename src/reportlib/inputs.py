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

Every input is read as a regular file of at most its kind's :class:`Limit` (docs/register.md lists
them): a FIFO, a device or a socket would hang a scheduled run or fill its memory, and a file over
its limit is refused before a byte of it is read. A zip archive (a workbook, a Word narrative) is
bounded by what it unpacks to as well (:func:`unpacked`).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import functools
import io
import json
import os
import stat
import zipfile
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from reportlib.exceptions import InputRefused
from reportlib.language import N_, _

HANDED_VARIABLE = "REPORTLIB_INPUTS"
KEPT_BYTES = 64 << 20

# Absolute path -> (the file's size, modification time and inode when read, its bytes); the last read last.
_read: OrderedDict[Path, tuple[tuple[int, int, int], bytes]] = OrderedDict()


@dataclass(frozen=True)
class Limit:
    """The most one kind of input may hold: its bytes, and for a zip archive what it unpacks to."""

    what: str  # named in the message, as "a register file"; translated when shown
    bytes: int
    unpacked: int = 0


REGISTER_FILE = Limit(N_("a register file"), 1 << 30, unpacked=4 << 30)
KOMMUNE_FILE = Limit(N_("kommune.yml"), 1 << 20)
NARRATIVE = Limit(N_("a narrative"), 64 << 20, unpacked=256 << 20)
IMAGE = Limit(N_("an image"), 5 << 20)
NOTEBOOK = Limit(N_("a report notebook"), 64 << 20)
FIGURES = Limit(N_("a figures document"), 16 << 20)
NETWORK = Limit(N_("a network's figures document"), 64 << 20)


def read_bytes(path: Path | str, limit: Limit) -> bytes:
    """The bytes of ``path``, read from the file only when it was not read before or has changed since.

    Raises
    ------
    InputRefused
        When ``path`` is a FIFO, a device or a socket, a symbolic link that leads back to itself,
        or more than ``limit`` allows; nothing of it has been read.
    OSError
        As :meth:`pathlib.Path.read_bytes` would (missing, unreadable, a folder).
    """
    absolute = Path(os.path.abspath(path))
    handed = _handed().get(absolute)
    if handed is not None:
        return handed
    known = _read.get(absolute)
    if known is not None and known[0] == _signature(_status(absolute, os.stat)):
        _read.move_to_end(absolute)
        return _within(known[1], absolute, limit)
    signature, data = _read_regular(absolute, limit)
    _read[absolute] = (signature, data)
    while sum(len(kept) for _signature_, kept in _read.values()) > KEPT_BYTES:
        _read.popitem(last=False)
    return data


def read_text(path: Path | str, limit: Limit) -> str:
    """The text of ``path`` (UTF-8, with or without a byte-order mark), as :func:`read_bytes` reads it."""
    return read_bytes(path, limit).decode("utf-8-sig")


def unpacked(content: bytes, path: Path | str, limit: Limit) -> zipfile.ZipFile:
    """``content`` opened as a zip archive whose members unpack to no more than ``limit.unpacked`` bytes.

    Each member is unpacked here, as far as the limit allows: what an archive says of its sizes is
    not taken on trust, since an archive a few kilobytes large can unpack to gigabytes.

    Raises
    ------
    InputRefused
        When the members unpack to more than the limit.
    zipfile.BadZipFile
        When ``content`` is not a zip archive, or a member is not what its header says.
    """
    archive = zipfile.ZipFile(io.BytesIO(content))
    left = limit.unpacked
    for member in archive.infolist():
        with archive.open(member) as stream:
            while block := stream.read(min(1 << 20, left + 1)):
                left -= len(block)
                if left < 0:
                    raise InputRefused(_("{file}: unpacks to more than {limit} MB, more than {what} may hold; "
                                         "save it smaller (fewer or smaller images) and try again").format(
                        file=path, limit=limit.unpacked >> 20, what=_(limit.what)))
    return archive


def hand_over(paths: Iterable[tuple[Path, Limit]], folder: Path) -> Path:
    """Write the bytes of ``paths`` (each with its limit) as this process read them into ``folder`` (a private
    one), for a process it starts.

    What was read is handed over even if the file has changed since; a file not read yet is read
    now; one that is not there is left for the process to find missing. The process finds them by
    :data:`HANDED_VARIABLE`, set to the path returned.
    """
    contents = {}
    for path, limit in paths:
        absolute = Path(os.path.abspath(path))
        with contextlib.suppress(OSError):
            data = _read[absolute][1] if absolute in _read else _read_regular(absolute, limit)[1]
            contents[str(absolute)] = base64.b64encode(data).decode("ascii")
    handed = folder / "inputs.json"
    handed.write_text(json.dumps(contents), encoding="utf-8")
    return handed


def forget() -> None:
    """Let go of every file read and of what was handed over: the next reader reads anew.

    For a kernel kept for the next period (:mod:`reportlib.report.session`), whose files are handed
    over anew, as a new kernel's are.
    """
    _read.clear()
    _handed.cache_clear()


@functools.cache
def _handed() -> dict[Path, bytes]:
    """The files the starting process read, when it handed them over; none otherwise."""
    handed = os.environ.get(HANDED_VARIABLE)
    if not handed:
        return {}
    return {Path(path): base64.b64decode(data) for path, data in json.loads(Path(handed).read_text("utf-8")).items()}


def _signature(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_size, status.st_mtime_ns, status.st_ino


# What a file that is none is, for the message that refuses it.
_SPECIAL = ((stat.S_ISFIFO, N_("a named pipe (FIFO)")), (stat.S_ISCHR, N_("a device")),
            (stat.S_ISBLK, N_("a device")), (stat.S_ISSOCK, N_("a socket")))


def _read_regular(path: Path, limit: Limit) -> tuple[tuple[int, int, int], bytes]:
    """The signature and bytes of a regular file of at most ``limit``; a special file is refused unopened."""
    _regular(_status(path, os.stat), path, limit)  # opening a device can do something (a tape rewinds)
    # Without blocking, since a FIFO put in its place since would wait for a writer that may never come.
    descriptor = _status(path, lambda name: os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)))
    with os.fdopen(descriptor, "rb") as stream:
        status = _regular(os.fstat(descriptor), path, limit)
        data = _within(_read_at_most(stream, status.st_size, limit.bytes + 1), path, limit)
    return _signature(status), data


def _regular(status: os.stat_result, path: Path, limit: Limit) -> os.stat_result:
    """``status`` when it is a regular file's within ``limit``; a folder is the usual OSError, anything else refused."""
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(status.st_mode):
        kind = next((kind for test, kind in _SPECIAL if test(status.st_mode)), N_("a special file"))
        raise InputRefused(_("{file}: {kind}, not a regular file; {what} is read from a file saved on disk, so "
                             "give one").format(file=path, kind=_(kind), what=_(limit.what)))
    if status.st_size > limit.bytes:
        _refuse_size(path, limit)
    return status


def _read_at_most(stream, expected: int, most: int) -> bytes:
    """What ``stream`` holds, ``expected`` bytes, or as many more as it has grown by, up to ``most`` in all.

    ``read(most)`` would allocate ``most`` bytes at once, whatever the file holds.
    """
    first = stream.read(min(expected + 1, most))
    if len(first) <= expected:  # as the file system said: no copy
        return first
    data = bytearray(first)
    while len(data) < most and (block := stream.read(min(1 << 20, most - len(data)))):
        data += block
    return bytes(data)


def _within(data: bytes, path: Path, limit: Limit) -> bytes:
    if len(data) > limit.bytes:
        _refuse_size(path, limit)
    return data


def _refuse_size(path: Path, limit: Limit) -> NoReturn:
    raise InputRefused(_("{file}: larger than {limit} MB, more than {what} may be; check that it is the right file, "
                         "or make it smaller").format(file=path, limit=limit.bytes >> 20, what=_(limit.what)))


def _status(path: Path, call):
    """``call(path)``; a symbolic link that leads back to itself is a message, not an OSError."""
    try:
        return call(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputRefused(looped(path)) from None
        raise


def looped(path: Path | str) -> str:
    """The message for ``path`` when it is, or passes through, a symbolic link that leads back to itself."""
    return _("{file}: a symbolic link that leads back to itself (a loop); point it at the file or folder "
             "meant").format(file=path)
