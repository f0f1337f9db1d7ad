"""Read the sheets of a workbook as rows of text, and the register's tables among them.

A cell is rendered as the CSV dialect writes it (a date as ``2019-03-01``, a whole number without
``.0``), so a table reads the same from a sheet as from a CSV file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from reportlib.exceptions import InputRefused, Problem, WorkbookTooLarge
from reportlib.inputs import REGISTER_FILE, read_bytes, unpacked
from reportlib.labels import label_key
from reportlib.language import _
from reportlib.register.raw import RawTable, Request, foot_rows, header_line, joined, match_header, row_text, too_wide
from reportlib.register.schema import SCHEMA, free_text
from reportlib.register.xlsx import sheet_rows


def read_workbook(workbook: Path, columns: Mapping[str, Collection[str]], ids: Collection[str] = (),
                  headers: Mapping[str, Mapping[str, str]] | None = None,
                  sheets: Mapping[str, str] | None = None, *,
                  shown: Path | None = None) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read the tables of one workbook exactly as :func:`read_tables` reads them from a register folder.

    The parameters are :func:`read_tables`'s; ``shown`` is the path messages name (default:
    ``workbook``), for a copy read in place of the original. Tables without a sheet are left out,
    without a problem.
    """
    sheets_read, problems = read_sheets(workbook, shown)
    tables, found = workbook_tables(sheets_read, shown or workbook, columns, ids, headers, sheets)
    return tables, problems + found


def workbook_tables(sheets_read: Mapping[str, tuple[str, list[tuple]]], workbook: Path,
                    columns: Mapping[str, Collection[str]], ids: Collection[str] = (),
                    headers: Mapping[str, Mapping[str, str]] | None = None,
                    sheets: Mapping[str, str] | None = None) -> tuple[dict[str, RawTable], list[Problem]]:
    """The tables among sheets :func:`read_sheets` read, as :func:`read_workbook` makes them."""
    tables, problems = {}, []
    for name in SCHEMA:
        sheet = label_key((sheets or {}).get(name, name))
        if sheet not in sheets_read:
            continue
        request = Request(frozenset(columns.get(name, ())) - free_text(), frozenset(ids),
                           (headers or {}).get(name, {}))
        table, found = sheet_table(name, workbook, sheets_read[sheet], request)
        problems += found
        if table is not None:
            tables[name] = table
    return tables, problems


def sheet_table(name: str, workbook: Path, sheet: tuple[str, list[tuple]],
                request: Request) -> tuple[RawTable | None, list[Problem]]:
    """A table from a sheet as :func:`read_sheets` read it: (title, rows of text, or None for a sheet not read)."""
    title, rows = sheet
    if rows is None:
        return None, []  # read_sheets named the problem
    return _read_rows(name, f"{workbook}[{title}]", workbook, rows, request)


def _read_rows(name: str, shown: str, path: Path, rows: list[tuple],
               request: Request) -> tuple[RawTable | None, list[Problem]]:
    """Build a table from a workbook sheet's rows of text, the header the first that names a column read."""
    at = header_line(rows, lambda cell: request.column_of(cell) is not None)
    header = list(rows[at]) if rows else []
    layout, problems = match_header(shown, header, request, at + 1)
    if layout is None:
        return None, problems
    lines, kept = [], []
    for line, row in enumerate(rows[at + 1:], start=at + 2):
        if not row:
            continue
        cells = [str(c).strip() for c in row]
        if not any(cells):
            continue
        if len(cells) > layout.width and any(cells[layout.width:]):
            problems.append(too_wide(shown, line, cells, layout.width))
            continue
        lines.append(line)
        kept.append(cells + [""] * (layout.width - len(cells)))
    filled = np.array([sum(bool(cells[index]) for index in layout.position.values()) for cells in kept], dtype=int)
    foot = foot_rows(filled, len(layout.position))
    left_out = [(line, row_text(row)) for line, row in enumerate(rows[:at], start=1) if row_text(row)]
    left_out += [(line, row_text(cells)) for line, cells in zip(lines[len(lines) - foot:], kept[len(kept) - foot:],
                                                                  strict=True)]
    lines, kept = lines[:len(lines) - foot], kept[:len(kept) - foot]
    frame = pd.DataFrame({column: joined([pd.Series([cells[index] for cells in kept], dtype=object)],
                                          column in layout.ids)
                          for column, index in layout.position.items()}, index=pd.RangeIndex(len(kept)))
    frame.index = pd.Index(lines, dtype="int64", name="line")
    return RawTable(name, shown, path, frame, tuple(header), layout.position, request.own, sheet=True,
                    left_out=tuple(left_out)), problems


def read_sheets(path: Path | BinaryIO,
                shown: Path | None = None) -> tuple[dict[str, tuple[str, list[tuple] | None]], list[Problem]]:
    """Read every sheet of a workbook as its title and rows of text, keyed by title as labels are compared.

    Two sheets whose names differ only in case and spaces (``sager`` and ``SAGER ``) are a problem:
    neither may silently win; nor may a value beyond the rows and columns a sheet may use
    (:mod:`reportlib.register.xlsx`), which is found without allocating the range the file claims. A
    workbook that cannot be read is a problem naming the file (``shown``, default ``path``).
    """
    from openpyxl import load_workbook

    shown = shown or Path(path)
    try:
        # A file by its bytes as the run reads them (the cache key hashed those), a stream as it is.
        if isinstance(path, str | os.PathLike):
            content = read_bytes(path, REGISTER_FILE)
            unpacked(content, path, REGISTER_FILE)  # a zip bomb is refused before openpyxl unpacks it
            source = io.BytesIO(content)
        else:
            source = path
        book = load_workbook(source, read_only=True, data_only=True)
    except InputRefused:
        raise
    except OSError as exc:
        return {}, [Problem(str(shown), None, None, None, _("cannot be read ({reason}); check the file's "
                                                            "permissions").format(reason=exc.strerror))]
    except Exception as exc:  # openpyxl meets a damaged file in many ways (zip, XML, types); all mean the same
        return {}, [_unreadable(shown, exc)]
    try:
        sheets, titles, problems = {}, {}, []
        for sheet in book.worksheets:
            key = label_key(sheet.title)
            if key in titles:
                problems.append(Problem(f"{shown}[{sheet.title}]", None, None, None,
                                        _("sheet name is the same as '{other}' when case and spaces are "
                                          "ignored; rename or remove one of them").format(other=titles[key])))
                continue
            titles[key] = sheet.title
            try:
                rows = [tuple(map(_cell_text, row)) if row else () for row in sheet_rows(sheet)]
            except WorkbookTooLarge as exc:
                problems.append(Problem(f"{shown}[{sheet.title}]", None, None, None, str(exc)))
                rows = None  # the sheet is there, but is not read
            sheets[key] = (sheet.title, rows)
        return sheets, problems
    except OSError as exc:
        return {}, [Problem(str(shown), None, None, None, _("cannot be read ({reason})").format(reason=exc.strerror))]
    except Exception as exc:  # a sheet's XML broken half-way
        return {}, [_unreadable(shown, exc)]
    finally:
        book.close()


def _unreadable(shown: Path, exc: Exception) -> Problem:
    return Problem(str(shown), None, None, None,
                   _("cannot be read as an Excel workbook ({error}); open it in Excel and save it again as .xlsx")
                   .format(error=f"{type(exc).__name__}: {exc}"))


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
