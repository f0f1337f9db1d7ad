"""Project paths, built in one place from the project root."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_RAW = PROJECT_ROOT / "data" / "raw"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
OUTPUTS = PROJECT_ROOT / "outputs"
TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_NOTEBOOK = NOTEBOOKS / "beretning.ipynb"
