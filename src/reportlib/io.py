"""Read the register's tables from CSV files or ``register.xlsx``, exactly as the user wrote them.

Reading does not interpret values: every cell comes back as stripped text, in a DataFrame whose
index is the line number a spreadsheet shows (header = line 1). Interpreting and checking the
values is :mod:`reportlib.validate`'s job. Free-text columns are dropped here, at the door, so no
later step can publish them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .exceptions import Problem
from .labels import label_key
from .paths import TABLES, XLSX_FILE
# Never published anywhere: dropped as soon as a table is read.
FREE_TEXT_COLUMNS = frozenset({"note", "beskrivelse"})


@dataclass(frozen=True)
class RawTable:
    """One table as read: text cells indexed by spreadsheet line.

    Attributes
    ----------
    name : str
        Table name, e.g. ``"sager"``.
    shown : str
        How messages name the source, e.g. ``data/raw/sager.csv`` or ``data/raw/register.xlsx[sager]``.
    path : Path
        The file read (the workbook, for a sheet).
    frame : pandas.DataFrame
        Cells as stripped strings; columns are header names lower-cased and stripped.
    """

    name: str
    shown: str
    path: Path
    frame: pd.DataFrame


def read_tables(folder: Path | str) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every table of a register folder.

    Parameters
    ----------
    folder : path
        The register folder.

    Returns
    -------
    tables : dict
        Table name to :class:`RawTable`, for the tables that could be read.
    problems : list of Problem
        Missing, doubly present or unreadable tables.
    """
    folder = Path(folder)
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    workbook = folder / XLSX_FILE
    sheets: dict[str, list[tuple]] = {}
    if workbook.is_file():
        try:
            sheets, found = _read_workbook(workbook)
            problems += found
        except OSError as exc:
            problems.append(Problem(str(workbook), None, None, None,
                                    f"cannot be read ({exc.strerror}); check the file's permissions"))
        except Exception as exc:  # openpyxl meets a damaged file in many ways (zip, XML, types); all mean the same
            problems.append(Problem(str(workbook), None, None, None,
                                    f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc}); "
                                    "open it in Excel and save it again as .xlsx"))
    for name in TABLES:
        csv_path = folder / f"{name}.csv"
        if csv_path.is_file() and name in sheets:
            problems.append(Problem(str(csv_path), None, None, None,
                                    f"table '{name}' is both in this file and in a sheet of {workbook}; keep one of them"))
        elif csv_path.is_file():
            table, found = _read_csv(name, csv_path)
            problems += found
            if table is not None:
                tables[name] = table
        elif name in sheets:
            shown = f"{workbook}[{name}]"
            table, found = _frame_from_rows(name, shown, workbook, sheets[name])
            problems += found
            if table is not None:
                tables[name] = table
        else:
            problems.append(Problem(str(csv_path), None, None, None,
                                    f"file not found; the register needs {name}.csv or a sheet '{name}' in {XLSX_FILE}"))
    return tables, problems


def _decode(raw: bytes) -> tuple[str | None, str | None]:
    """Decode UTF-8 (with or without BOM) or Windows-1252; return (text, reason it failed)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw:
        return None, "looks like UTF-16 or a binary file"
    if raw.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    last_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode(encoding), None
        except UnicodeDecodeError as exc:
            last_error = exc
    line = raw[: last_error.start].count(b"\n") + 1
    return None, f"byte 0x{raw[last_error.start]:02x} on line {line} is neither UTF-8 nor Windows-1252"


def _read_csv(name: str, path: Path) -> tuple[RawTable | None, list[Problem]]:
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, None, None, None, f"cannot be read ({exc.strerror})")]
    text, failure = _decode(raw)
    if text is None:
        return None, [Problem(shown, None, None, None,
                              f"unreadable encoding: {failure}; save it as 'CSV UTF-8' or 'CSV (semikolonsepareret)'")]
    header = text.split("\n", 1)[0]
    separator = ";" if header.count(";") > header.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        return None, [Problem(shown, None, None, None, f"not a readable CSV file ({exc})")]
    return _frame_from_rows(name, shown, path, rows)


def _frame_from_rows(name: str, shown: str, path: Path, rows: list) -> tuple[RawTable | None, list[Problem]]:
    """Build a text table from rows whose first row is the header."""
    if not rows or not any(str(c).strip() for c in rows[0]):
        return None, [Problem(shown, 1, None, None, "the table is empty: the first line must be the header")]
    header = [str(c).strip().lower() for c in rows[0]]
    problems = []
    seen: dict[str, int] = {}
    for position, column in enumerate(header):
        if column and seen.setdefault(column, position) != position:
            problems.append(Problem(shown, 1, column, None, "column appears twice in the header; keep one"))
    width = len(header)
    # A spreadsheet row is one record, even when a quoted cell spans several text lines.
    lines, records = [], []
    for line, row in enumerate(rows[1:], start=2):
        cells = ["" if c is None else str(c).strip() for c in row]
        if not any(cells):
            continue
        if len(cells) > width and any(cells[width:]):
            problems.append(Problem(shown, line, None, None,
                                    f"row has {len(cells)} cells but the header has {width}; "
                                    "quote values that contain the separator"))
            continue
        lines.append(line)
        records.append((cells + [""] * width)[:width])
    frame = pd.DataFrame(records, index=pd.Index(lines, dtype="int64", name="line"), columns=header, dtype=object)
    keep = [c for c in dict.fromkeys(header) if c and c not in FREE_TEXT_COLUMNS]
    frame = frame.loc[:, ~frame.columns.duplicated()][keep]
    return RawTable(name, shown, path, frame), problems


def _read_workbook(path: Path) -> tuple[dict[str, list[tuple]], list[Problem]]:
    """Read every sheet of a workbook as rows of text, keyed by sheet name as labels are compared.

    Two sheets whose names differ only in case and spaces (``sager`` and ``SAGER ``) are a problem:
    neither may silently win.
    """
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets, titles, problems = {}, {}, []
        for sheet in book.worksheets:
            key = label_key(sheet.title)
            if key in titles:
                problems.append(Problem(f"{path}[{sheet.title}]", None, None, None,
                                        f"sheet name is the same as '{titles[key]}' when case and spaces are "
                                        "ignored; rename or remove one of them"))
                continue
            titles[key] = sheet.title
            sheets[key] = [tuple(_cell_text(v) for v in row) for row in sheet.iter_rows(values_only=True)]
        return sheets, problems
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """Render an Excel cell the way the CSV dialect writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
