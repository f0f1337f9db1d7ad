"""Project paths, built in one place from the project root, and the file names of a register folder."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_RAW = PROJECT_ROOT / "data" / "raw"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
OUTPUTS = PROJECT_ROOT / "outputs"
TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_NOTEBOOK = NOTEBOOKS / "beretning.ipynb"

# The documents `reportlib run --format` can write.
FORMATS = ("html", "pdf")
# Seconds a report notebook's cell may run before `reportlib run` stops it (--timeout); the slowest
# cell of a normal report takes about a second.
DEFAULT_TIMEOUT = 600

# A register folder (docs/register.md): kommune.yml plus each table as TABLE.csv or a sheet of register.xlsx.
KOMMUNE_FILE = "kommune.yml"
TABLES = ("sager", "problemstillinger", "aktiviteter")
XLSX_FILE = "register.xlsx"


def source_files(folder: Path | str) -> list[Path]:
    """Return the table files present in a register folder (the CSV files and/or register.xlsx)."""
    folder = Path(folder)
    names = [f"{name}.csv" for name in TABLES] + [XLSX_FILE]
    return sorted(p for p in (folder / n for n in names) if p.is_file())
