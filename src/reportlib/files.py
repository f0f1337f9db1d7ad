"""Writing into the user's folders: a new file is never written over anything, and never left half written.

``reportlib init`` and ``reportlib narrative`` add files to a register folder, and ``reportlib
template`` replaces the workbook. Each goes through :func:`write_new` or :func:`replace`, so a fault
(a full disk, a read-only folder, a kill) leaves the folder as it was: no partial file, no
temporary copy that outlives its process (:func:`remove_stale` clears those of killed processes).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from pathlib import Path

from reportlib.exceptions import RunFailed
from reportlib.language import _

# Beside the file it will replace: hidden, named by its process, with the file's own suffix (openpyxl insists).
_TEMPORARY = ".{stem}.reportlib-{pid}{suffix}"


def write_new(path: Path, content: str | bytes) -> Path:
    """Create ``path`` with ``content``, or fail leaving nothing.

    The file is created exclusively (``O_EXCL``: an existing file or a symbolic link there, even a
    dangling one, is never written through), written, and flushed to disk.

    Raises
    ------
    FileExistsError
        When something exists at ``path``; the caller says what to do.
    RunFailed
        When the folder cannot be created or written (read-only, full disk); nothing is left.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise
    except OSError as exc:
        raise RunFailed(_("{path}: cannot be written ({reason}); check that the folder can be created and "
                          "written, and that the disk has room").format(path=path, reason=reason(exc))) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise RunFailed(_("{path}: cannot be written ({reason}); nothing was left there. Check that the disk "
                          "has room").format(path=path, reason=reason(exc))) from None
    return path


def temporary_beside(path: Path) -> Path:
    """This process's temporary file for replacing ``path``, in the same folder (so the replace is atomic)."""
    return path.with_name(_TEMPORARY.format(stem=path.stem, pid=os.getpid(), suffix=path.suffix))


def remove_stale(path: Path) -> None:
    """Remove the temporary files of ``path`` that processes no longer running left behind (a kill)."""
    prefix, suffix = _TEMPORARY.format(stem=path.stem, pid="\0", suffix=path.suffix).split("\0")
    for leftover in path.parent.glob(f"{prefix}*{suffix}"):
        pid = leftover.name.removeprefix(prefix).removesuffix(suffix)
        if pid.isdigit() and not alive(int(pid)):
            leftover.unlink(missing_ok=True)


def replace(path: Path, written: Path) -> None:
    """Move the complete file ``written`` over ``path``, keeping ``path``'s permissions.

    ``written`` must be in the same folder as ``path`` (see :func:`temporary_beside`); it is
    flushed to disk before the move, and the folder after it, so a power cut leaves the old file
    or the new one, never a mix.
    """
    mode = stat.S_IMODE(path.stat().st_mode)
    with open(written, "rb+") as stream:
        os.fsync(stream.fileno())
    os.chmod(written, mode)
    with contextlib.suppress(OSError):  # only root can give a file to another owner; the mode matters more
        info = path.stat()
        os.chown(written, info.st_uid, info.st_gid)
    os.replace(written, path)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (where the system allows opening a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def reason(exc: OSError) -> str:
    """An OSError in a few words, e.g. "No space left on device"."""
    return exc.strerror or errno.errorcode.get(exc.errno or 0, "") or str(exc)


def alive(pid: int) -> bool:
    """Tell whether process ``pid`` is running (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
