"""Keep a real register out of git: its free text holds names, phone numbers and CPR numbers.

A municipality that clones this project and puts its register beside the example is one ``git
add`` away from publishing it. :func:`exposed_folder` tells whether a folder would be picked up by
git; :func:`tracked_personal_data` warns when the register's files are already tracked and a
free-text column holds a CPR-like number. The example register's notes are invented (to test that
nothing of them is published), and a marker file vouches for exactly those files by their SHA-256.
Neither check says which number it found.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from pathlib import Path

from reportlib.identifiers import cpr_like
from reportlib.inputs import REGISTER_FILE, read_bytes
from reportlib.language import _
from reportlib.paths import XLSX_FILE
from reportlib.register import schema

SAFE_PLACE = "data/private/"  # ignored by the project's .gitignore
INVENTED_MARKER = "OPDIGTET.sha256"  # `sha256sum` lines for the files whose personal data is invented
def _git(folder: Path, *args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None  # no git: nothing can be tracked by it


def exposed_folder(folder: Path) -> str | None:
    """A warning when files written into ``folder`` would be in a git work tree and not ignored."""
    existing = next(p for p in (folder, *folder.parents) if p.is_dir())
    top = _git(existing, "rev-parse", "--show-toplevel")
    if top is None or top.returncode != 0:
        return None
    ignored = _git(existing, "check-ignore", "-q", str(folder.resolve() / "kommune.yml"))
    if ignored is not None and ignored.returncode == 0:
        return None
    return _("{folder} is inside the git work tree {top} and not ignored: a register's notes hold names and CPR "
             "numbers, and one `git add` would publish them; put the register in {place} (ignored by this project), "
             "or add the folder to .gitignore").format(folder=folder, top=top.stdout.strip(), place=SAFE_PLACE)


def tracked_personal_data(folder: Path) -> list[str]:
    """Warnings for register files tracked by git whose free-text columns hold a CPR-like number."""
    tracked = _git(folder, "ls-files", "--full-name", "--", ".")
    if tracked is None or tracked.returncode != 0 or not tracked.stdout.strip():
        return []
    names = {Path(line).name for line in tracked.stdout.splitlines()}
    vouched = _invented(folder)
    warnings = []
    for name in [f"{t}.csv" for t in schema.tables(optional=False)] + [XLSX_FILE]:
        path = folder / name
        if name not in names or not path.is_file() or vouched.get(name) == _sha256(path):
            continue
        line = _cpr_line(path)
        if line is not None:
            warnings.append(_("{path} is tracked by git and a free-text column holds a CPR-like number ({where}); "
                              "take it out of git (git rm --cached {name}) and keep the register in {place}").format(
                path=path, where=line, name=name, place=SAFE_PLACE))
    return warnings


def _cpr_line(path: Path) -> str | None:
    """Where a free-text cell holds a CPR-like number, as "line N" or "sheet S, row N"; None if nowhere."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(read_bytes(path, REGISTER_FILE)), read_only=True)
        except Exception:  # an unreadable workbook is the validator's to report
            return None
        try:
            for sheet in book.worksheets:
                rows = sheet.iter_rows(values_only=True)
                header = [str(c).strip().casefold() if c is not None else "" for c in next(rows, ())]
                free = [i for i, name in enumerate(header) if name in schema.free_text()]
                for number, row in enumerate(rows, start=2):
                    if any(i < len(row) and cpr_like(str(row[i] or "")) for i in free):
                        return _("sheet {sheet}, row {row}").format(sheet=sheet.title, row=number)
        finally:
            book.close()
        return None
    raw = read_bytes(path, REGISTER_FILE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # only searched, never shown
    lines = text.splitlines()
    if not lines or not schema.free_text() & {c.strip().casefold() for c in re.split(r"[,;]", lines[0])}:
        return None
    return next((_("line {line}").format(line=number) for number, line in enumerate(lines[1:], start=2)
                 if cpr_like(line)), None)


def _invented(folder: Path) -> dict[str, str]:
    """The files the marker vouches for as invented, with their SHA-256."""
    marker = folder / INVENTED_MARKER
    if not marker.is_file():
        return {}
    entries = (line.split() for line in marker.read_text(encoding="utf-8").splitlines() if line and line[0] != "#")
    return {entry[1].lstrip("*"): entry[0] for entry in entries if len(entry) == 2}


def _sha256(path: Path) -> str:
    return hashlib.sha256(read_bytes(path, REGISTER_FILE)).hexdigest()
