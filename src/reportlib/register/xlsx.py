"""The pitfalls of Excel workbooks, handled once: far cells, text that looks like a formula, open workbooks.

- A sheet's stored used range can claim a million rows and sixteen thousand columns because of one
  stray value (or claim nothing at all); :func:`sheet_rows` reads only the cells that are there
  and stops at :data:`MAX_ROWS` and :data:`MAX_COLUMNS`, so memory stays bounded whatever the
  file claims.
- openpyxl stores any text that starts with ``=`` as a formula; :func:`set_text` stores it as text.
- Excel keeps ``~$NAME`` and LibreOffice ``.~lock.NAME#`` beside a workbook that is open;
  :func:`open_in` names the program.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from reportlib.exceptions import WorkbookTooLarge
from reportlib.language import _

# Beyond any real register: Excel itself stops at 1,048,576 rows and 16,384 columns.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
# Excel's owner file is "~$" and the name, or with long names "~$" and the name less its first two
# characters; LibreOffice's is ".~lock.NAME#".
LOCK_FILES = (("Excel", "~${name}"), ("Excel", "~${short}"), ("LibreOffice", ".~lock.{name}#"))


def sheet_rows(sheet: Any) -> Iterator[tuple]:
    """The rows of a read-only sheet, each cut after its last value (an empty row is ``()``).

    The sheet's stored dimension is not trusted: openpyxl would fill every row and column it
    claims. A value beyond :data:`MAX_ROWS` or :data:`MAX_COLUMNS` stops the reading.

    Raises
    ------
    WorkbookTooLarge
        Naming the far cell and how to remove it; the caller names the workbook and sheet.
    """
    sheet.reset_dimensions()  # rows then come as wide as their own last cell, and missing rows as []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not row:  # a row the file leaves out: most of a sheet with one far cell
            yield ()
            continue
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        if end and (number > MAX_ROWS or end > MAX_COLUMNS):
            raise WorkbookTooLarge(
                _("cell {cell} holds a value, beyond the {rows:,} rows and {columns:,} columns a register sheet may "
                  "use; delete it (Ctrl+End in Excel goes to the last used cell) and save the workbook again").format(
                    cell=f"{get_column_letter(end)}{number}", rows=MAX_ROWS, columns=MAX_COLUMNS))
        yield tuple(row[:end])


def set_text(cell: Any, value: Any) -> None:
    """Write ``value`` into an openpyxl cell; text is stored as text, never as a formula, whatever it starts with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def open_in(workbook: Path) -> str | None:
    """The program that has ``workbook`` open, by the lock file it keeps beside it; None when none does."""
    return next((program for program, pattern in LOCK_FILES
                 if (workbook.parent / pattern.format(name=workbook.name, short=workbook.name[2:])).exists()), None)
