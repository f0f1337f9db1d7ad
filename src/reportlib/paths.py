"""Where reportlib finds its own files and the defaults of --data, --out and --notebook, in one place.

Nothing here assumes a source tree. Installed from a clone (the README's set-up, an editable
install), the defaults are the clone's ``data/raw``, ``outputs`` and ``notebooks/beretning.ipynb``,
wherever the command is started. Installed from a wheel, they are ``data/raw`` and ``outputs`` in
the current folder, and the report notebook packaged with reportlib (built from that same
``notebooks/beretning.ipynb``). Also the file names of a register folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from reportlib.exceptions import NarrativeError
from reportlib.language import _

if TYPE_CHECKING:
    from reportlib.periods import Period

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
# The report notebook of a wheel. In a clone it is a symbolic link to notebooks/beretning.ipynb.
PACKAGED_NOTEBOOK = PACKAGE / "notebooks" / "beretning.ipynb"


def real(path: str | Path) -> Path:
    """``path`` made absolute with every symbolic link followed; a loop is left for the open that meets it to name.

    :meth:`pathlib.Path.resolve` raises RuntimeError on a loop (Python 3.11), which no caller expects.
    """
    return Path(os.path.realpath(path))


def _clone(package: Path) -> Path | None:
    """The clone reportlib runs from (``CLONE/src/reportlib``), or None when it is installed elsewhere."""
    root = package.parent.parent
    return root if package.parent.name == "src" and (root / "pyproject.toml").is_file() else None


CLONE = _clone(PACKAGE)
# Relative paths are taken in the folder the command runs in.
DATA_RAW = CLONE / "data" / "raw" if CLONE else Path("data", "raw")
OUTPUTS = CLONE / "outputs" if CLONE else Path("outputs")
REPORT_NOTEBOOK = CLONE / "notebooks" / "beretning.ipynb" if CLONE else PACKAGED_NOTEBOOK

# A period's narrative is written in Markdown or in Word; the scaffold is Markdown unless asked for Word.
NARRATIVE_SUFFIXES = (".md", ".docx")
# Seconds a report notebook's cell may run before `reportlib run` stops it (--timeout); the slowest
# cell of a normal report takes about a second.
DEFAULT_TIMEOUT = 600

# A register folder (docs/register.md): kommune.yml plus each table as TABLE.csv or a sheet of register.xlsx.
KOMMUNE_FILE = "kommune.yml"
# The names of the tables, for finding their files; what each holds is register.schema.SCHEMA's, in this order.
TABLE_NAMES = ("sager", "problemstillinger", "aktiviteter", "anbefalinger")
XLSX_FILE = "register.xlsx"
# The record of a published report (reportlib.publish.run writes it, reportlib.publish.freshness reads it).
MANIFEST = "manifest.json"


def source_files(folder: Path | str) -> list[Path]:
    """Return the table files present in a register folder (the CSV files and/or register.xlsx)."""
    folder = Path(folder)
    names = [f"{name}.csv" for name in TABLE_NAMES] + [XLSX_FILE]
    return sorted(p for p in (folder / n for n in names) if present(p))


def present(path: Path) -> bool:
    """Whether something is at ``path`` to be read as a file: anything but nothing or a folder.

    A FIFO, a device or a symbolic link that leads nowhere or back to itself is present: reading it
    (:mod:`reportlib.inputs`) says what is wrong with it, where "not found" would mislead.
    """
    return os.path.lexists(path) and not path.is_dir()


def narrative_path(data_dir: str | Path, period: Period, suffix: str | None = None) -> Path:
    """The narrative file of a period in the register folder: ``beretning_START_END.md``, or ``.docx``.

    Without ``suffix``, the one of the two that exists (the Markdown name when neither does);
    with it, that one.

    Raises
    ------
    NarrativeError
        When both exist: which one is the advisor's text is theirs to say.
    """
    base = Path(data_dir) / f"beretning_{period.slug}"
    if suffix is not None:
        return base.with_suffix(suffix)
    found = [path for path in (base.with_suffix(s) for s in NARRATIVE_SUFFIXES) if present(path)]
    if len(found) > 1:
        raise NarrativeError(_("{files}: a period has one narrative, in Markdown or in Word; remove or rename one "
                               "of them").format(files=" and ".join(map(str, found))))
    return found[0] if found else base.with_suffix(NARRATIVE_SUFFIXES[0])
