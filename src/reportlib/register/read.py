"""Read the register's tables from CSV files or ``register.xlsx``, exactly as the user wrote them.

Reading does not interpret values: every cell comes back as stripped text, in a DataFrame whose
index is the line number a spreadsheet shows (header = line 1). Interpreting and checking the
values is :mod:`reportlib.register.validate`'s job. Only the columns asked for are read: free-text columns
never are, so no later step can publish them.

A CSV file is parsed by pandas' C reader, a block of rows at a time. Where its records lie and
how many cells each has comes from :mod:`reportlib.register.records`, so the few rows the C reader cannot
judge (more cells than the header, rows that look empty but have a cell not read) are found
without a Python loop over the rows and read on their own with the ``csv`` module.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from pandas.api.types import union_categoricals

from reportlib.exceptions import InputError, Problem, WorkbookTooLarge
from reportlib.labels import closest, label_key
from reportlib.language import _
from reportlib.paths import MAY_BE_ABSENT, OPTIONAL_TABLES, TABLES, XLSX_FILE
from reportlib.register.records import CHUNK, Records
from reportlib.register.xlsx import sheet_rows

# The contract's free-text columns, by table (docs/register.md): the advisor's own notes, which may hold
# names and CPR numbers. Never read, and kept out of everything else reportlib writes.
FREE_TEXT = {"sager": ("note",), "aktiviteter": ("beskrivelse",)}
FREE_TEXT_COLUMNS = frozenset(name for names in FREE_TEXT.values() for name in names)
_SLICE = 1 << 20  # bytes decoded at a time when checking UTF-8
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


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
        The requested columns the header has, named as the header writes them lower-cased and
        stripped, with stripped cells: identifier columns as text (object), every other column
        as a categorical, so that a value is checked once however many rows repeat it.
    header : tuple of str
        The header row exactly as written, every cell (also those not read).
    position : dict
        Column of ``frame`` (the contract's name) to its position in ``header`` (0 = the first
        column, ``A`` in a workbook).
    own : dict
        The register's own header of each contract column that kommune.yml's ``kolonner`` maps.
    sheet : bool
        Whether the table is a workbook sheet, whose messages name a cell's column letter.
    """

    name: str
    shown: str
    path: Path
    frame: pd.DataFrame
    header: tuple[str, ...]
    position: dict[str, int]
    own: Mapping[str, str] = field(default_factory=dict)
    sheet: bool = False

    @property
    def header_names(self) -> list[str]:
        """The header's column names as written (stripped), each once, free text left out: the
        contract's (``note``) and a register's own header kommune.yml maps to it (``note: Bemærkning``)."""
        names = dict.fromkeys(str(cell).strip() for cell in self.header)
        free = FREE_TEXT_COLUMNS | {own.strip().lower() for column, own in self.own.items()
                                    if column in FREE_TEXT_COLUMNS}
        return [name for name in names if name and name.lower() not in free]

    @property
    def ignored(self) -> list[str]:
        """The header's columns that are not the contract's: never read (they may hold names or CPR numbers)."""
        read = {self.header[p].strip() for p in self.position.values()}
        return [name for name in self.header_names if name not in read]

    def column(self, name: str) -> str:
        """How messages name a contract column: the register's own header where it has one."""
        if name in self.position:
            return self.header[self.position[name]].strip()
        return self.own.get(name, name)

    def problem(self, line: int | None, column: str | None, value: str | None, reason: str) -> Problem:
        """A problem in this table, naming the column as the register does (and its letter in a workbook)."""
        cell = get_column_letter(self.position[column] + 1) if self.sheet and column in self.position else None
        return Problem(self.shown, line, None if column is None else self.column(column), value, reason, cell=cell)


@dataclass(frozen=True)
class _Request:
    """Which columns of a table to read, by which header, and which are identifiers (nearly every value differs)."""

    columns: frozenset[str]
    ids: frozenset[str]
    own: Mapping[str, str]  # contract column -> the register's own header, where kommune.yml maps one

    def column_of(self, header: str) -> str | None:
        """The contract column a header cell names, if it is one that is read."""
        key = label_key(header)
        mapped = next((column for column, own in self.own.items() if label_key(own) == key), None)
        if mapped is not None:  # a mapped free-text column (note: Bemærkning) is known, and never read
            return mapped if mapped in self.columns else None
        return key if key in self.columns and key not in self.own else None


def read_tables(folder: Path | str, columns: Mapping[str, Collection[str]], ids: Collection[str] = (),
                headers: Mapping[str, Mapping[str, str]] | None = None,
                sheets: Mapping[str, str] | None = None,
                missing: Mapping[str, str] | None = None) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every table of a register folder.

    Parameters
    ----------
    folder : path
        The register folder.
    columns : mapping
        Table name to the columns to read (as named in the contract); the others are never
        materialised. ``note`` and ``beskrivelse`` are never read.
    ids : collection of str
        Columns read as plain text rather than categoricals, because nearly every value differs.
    headers : mapping, optional
        Table name to {contract column: the register's own header} (kommune.yml's ``kolonner``).
        Headers are matched as labels are: ignoring case and surrounding spaces.
    sheets : mapping, optional
        Table name to the workbook's own sheet name (kommune.yml's ``ark``).
    missing : mapping, optional
        Table name to what the message of a missing table adds (its columns, how to name a sheet).

    Returns
    -------
    tables : dict
        Table name to :class:`RawTable`, for the tables that could be read.
    problems : list of Problem
        Missing tables (but for ``paths.OPTIONAL_TABLES``), doubly present or unreadable tables;
        rows with more cells than the header; columns named twice.
    """
    folder = Path(folder)
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    workbook = folder / XLSX_FILE
    sheets_read: dict[str, tuple[str, list[tuple]]] = {}
    if workbook.is_file():
        sheets_read, found = read_sheets(workbook)
        problems += found
    for name in (*TABLES, *OPTIONAL_TABLES):
        request = _Request(frozenset(columns.get(name, ())) - FREE_TEXT_COLUMNS, frozenset(ids),
                           (headers or {}).get(name, {}))
        csv_path = folder / f"{name}.csv"
        sheet = label_key((sheets or {}).get(name, name))
        if csv_path.is_file() and sheet in sheets_read:
            problems.append(Problem(str(csv_path), None, None, None,
                                    _("table '{name}' is both in this file and in a sheet of {workbook}; "
                                      "keep one of them").format(name=name, workbook=workbook)))
            continue
        if csv_path.is_file():
            table, found = _read_csv(name, csv_path, request)
        elif sheet in sheets_read:
            table, found = sheet_table(name, workbook, sheets_read[sheet], request)
        elif name in OPTIONAL_TABLES or (name in MAY_BE_ABSENT and name not in (sheets or {})):
            continue  # a sheet kommune.yml names (ark) must be there: a typo there is not "no activities"
        else:
            wanted = (sheets or {}).get(name, name)
            guess = closest(wanted, [title for title, _rows in sheets_read.values()])
            near = _("; did you mean the sheet '{sheet}'?").format(sheet=guess) if guess else ""
            # The hint (translated) is the columns the table needs and where its sheet is named.
            problems.append(Problem(str(csv_path), None, None, None,
                                    _("file not found; the register needs {name}.csv or a sheet '{sheet}' in "
                                      "{workbook}{hint}{near}").format(name=name, sheet=wanted, workbook=XLSX_FILE,
                                                                        hint=(missing or {}).get(name, ""), near=near)))
            continue
        problems += found
        if table is not None:
            tables[name] = table
    return tables, problems


def csv_rows(path: Path) -> list[list[str]]:
    """A whole CSV file as rows of text, read as the register's CSV files are (encoding, separator).

    For a municipality's own export (``init --from``), not for the register's tables, which are read
    in bounded memory by column.

    Raises
    ------
    InputError
        When the file cannot be read, or is neither UTF-8 nor Windows-1252.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(_("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)) from None
    encoding, reason = _encoding(raw)
    if encoding is None:
        raise InputError(_("{path}: {reason}; save it from Excel as 'CSV UTF-8'").format(path=path, reason=reason))
    text = raw.decode(encoding).removeprefix("\ufeff")
    separator = _separator(raw.split(b"\n", 1)[0])
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def _separator(first_line: bytes) -> str:
    """A CSV file's separator, decided from its header line: ``;`` (Danish Excel) or ``,``."""
    return ";" if first_line.count(b";") > first_line.count(b",") else ","


def _encoding(raw: bytes) -> tuple[str | None, str | None]:
    """Tell UTF-8 (with or without BOM) from Windows-1252; return (Python codec, reason it failed)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw:
        return None, _("looks like UTF-16 or a binary file")
    position = _not_utf8(raw)
    if position is None:
        return "utf-8", None
    if not raw.startswith(codecs.BOM_UTF8):
        undefined = _CP1252_UNDEFINED.search(raw)
        if undefined is None:
            return "cp1252", None
        position = undefined.start()
    line = raw[:position].count(b"\n") + 1
    return None, _("byte 0x{byte:02x} on line {line} is neither UTF-8 nor Windows-1252").format(byte=raw[position],
                                                                                                 line=line)


def _not_utf8(raw: bytes) -> int | None:
    """The position of the first byte that is not UTF-8; None when all are.

    Decoded a slice at a time: never a decoded copy of the whole file, and a slice stays in the
    cache. A character cut by a slice's end waits in the decoder, so an error's offset counts from
    those bytes.
    """
    decoder, view = codecs.getincrementaldecoder("utf-8")(), memoryview(raw)
    for start in range(0, len(raw), _SLICE):
        waiting = len(decoder.getstate()[0])
        try:
            decoder.decode(view[start:start + _SLICE], final=start + _SLICE >= len(raw))
        except UnicodeDecodeError as exc:
            return start - waiting + exc.start
    return None


def _read_csv(name: str, path: Path, request: _Request) -> tuple[RawTable | None, list[Problem]]:
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, None, None, None, _("cannot be read ({reason})").format(reason=exc.strerror))]
    encoding, failure = _encoding(raw)
    if encoding is None:
        return None, [Problem(shown, None, None, None,
                              _("unreadable encoding: {reason}; save it as 'CSV UTF-8' or 'CSV (semikolonsepareret)'")
                              .format(reason=failure))]
    begin = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    line_end = raw.find(b"\n", begin)
    first_line = raw[begin:line_end if line_end >= 0 else len(raw)]
    separator = _separator(first_line)
    try:
        return _CsvFile(shown, raw, encoding, separator, Records.scan(raw, begin, separator)).table(name, path, request)
    except csv.Error as exc:
        return None, [Problem(shown, None, None, None, _("not a readable CSV file ({error})").format(error=exc))]


@dataclass(frozen=True)
class _Layout:
    """What a header offers: its width, and which requested columns it has, where."""

    width: int
    position: dict[str, int]  # in header order
    ids: frozenset[str]

    @property
    def reads_every_cell(self) -> bool:
        return len(self.position) == self.width


def _layout(shown: str, header: list[str], request: _Request) -> tuple[_Layout | None, list[Problem]]:
    """Match a header row against the request; report an empty header and every column named twice."""
    names = [str(cell).strip() for cell in header]
    if not any(names):
        return None, [Problem(shown, 1, None, None, _("the table is empty: the first line must be the header"))]
    problems, first = [], {}
    for index, column in enumerate(names):
        if column and first.setdefault(label_key(column), index) != index:
            problems.append(Problem(shown, 1, column, None, _("column appears twice in the header; keep one")))
    position = {}
    for index in first.values():
        column = request.column_of(names[index])
        if column is not None:
            position[column] = index
    return _Layout(len(names), position, request.ids), problems


def _too_wide(shown: str, line: int, cells: list[str], width: int) -> Problem:
    # More cells than the header has: always two or more.
    return Problem(shown, line, None, None,
                   _("row has {cells} cells but the header has {width}; quote values that contain the separator")
                   .format(cells=len(cells), width=width))


class _CsvFile:
    """A CSV file being read: the C reader takes the rows, the ``csv`` module the header and doubtful rows."""

    def __init__(self, shown: str, raw: bytes, encoding: str, separator: str, records: Records):
        self.shown, self.raw, self.encoding, self.separator, self.records = shown, raw, encoding, separator, records

    def row(self, record: int) -> list[str]:
        """One record's cells as written, parsed by the ``csv`` module."""
        text = self.raw[self.records.starts[record]:self.records.ends[record]].decode(self.encoding)
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=self.separator), [])

    def table(self, name: str, path: Path, request: _Request) -> tuple[RawTable | None, list[Problem]]:
        records = self.records
        header = self.row(0) if len(records.starts) else []
        layout, problems = _layout(self.shown, header, request)
        if layout is None:
            return None, problems
        complete = len(records.starts) - records.unclosed  # the records the C reader can take
        if records.unclosed and complete > 0:
            problems.append(Problem(self.shown, complete + 1, None, None,
                                    _("a quoted value starts on this line and is never closed; "
                                      'add the closing quote (") or remove the opening one')))
        frame = self._parse(layout, complete)
        # Data row i is record i + 1, spreadsheet line i + 2.
        blank = (records.starts == records.ends)[1:complete]
        wide = records.cells[1:complete] > layout.width
        empty = _all_empty(frame)
        keep = ~blank & ~empty
        # A row may hold something only in a cell not read; a row wider than the header, something beyond it.
        doubtful = ~blank & (wide | (empty & ~layout.reads_every_cell))
        for row in np.flatnonzero(doubtful):
            cells = [cell.strip() for cell in self.row(row + 1)]
            keep[row] = any(cells)
            if keep[row] and len(cells) > layout.width and any(cells[layout.width:]):
                problems.append(_too_wide(self.shown, int(row) + 2, cells, layout.width))
                keep[row] = False
        frame = frame[keep]
        frame.index = pd.Index(np.flatnonzero(keep) + 2, dtype="int64", name="line")
        return RawTable(name, self.shown, path, frame, tuple(header), layout.position, request.own), problems

    def _parse(self, layout: _Layout, complete: int) -> pd.DataFrame:
        """Records 1 to ``complete - 1`` as the C reader reads them (empty ones too), a block of records at a time."""
        starts = self.records.starts
        blocks: list[dict[str, pd.Series]] = []
        first = 1
        while first < complete and layout.position:
            last = min(max(first + 1, int(np.searchsorted(starts, starts[first] + CHUNK))), complete)
            blocks.append(self._block(layout, first, last))
            first = last
        return pd.DataFrame({name: _joined([block[name] for block in blocks], name in layout.ids)
                             for name in layout.position}, index=pd.RangeIndex(max(complete - 1, 0)))

    def _block(self, layout: _Layout, first: int, last: int) -> dict[str, pd.Series]:
        """The requested cells of records ``first`` to ``last - 1``; a cell beyond a record's end is empty.

        The C reader factorises every column but the ids as it reads (``category``), and is told
        how wide the block's widest record is: it refuses a column that no record reaches.
        """
        rows = last - first
        width = min(max(layout.position.values()) + 1, int(self.records.cells[first:last].max()))
        end = self.records.starts[last] if last < len(self.records.starts) else len(self.raw)
        kinds = {p: object if name in layout.ids else "category" for name, p in layout.position.items() if p < width}
        read = self._read(first, end, width, kinds) if kinds else {}
        # pandas makes numbers or booleans of categories that all look like them ("02" becomes 2): read those as text.
        as_text = {p: object for p, column in read.items() if kinds[p] is not object and not _textual(column)}
        read |= self._read(first, end, width, as_text) if as_text else {}
        empty = pd.Series(np.full(rows, "", dtype=object))
        return {name: read.get(p, empty) for name, p in layout.position.items()}

    def _read(self, first: int, end: int, width: int, kinds: dict[int, object]) -> dict[int, pd.Series]:
        rows = pd.read_csv(io.BytesIO(self.raw[self.records.starts[first]:end]), sep=self.separator, header=None,
                           names=range(width), usecols=list(kinds), dtype=kinds, na_filter=False,
                           skip_blank_lines=False, encoding=self.encoding, engine="c", index_col=False,
                           low_memory=False)
        if len(rows) != np.searchsorted(self.records.starts, end) - first:
            raise AssertionError(f"{self.shown}: the C reader and the scan disagree on the records")
        return {p: rows[p] for p in kinds}


def _textual(column: pd.Series) -> bool:
    dtype = column.cat.categories.dtype
    return dtype == np.dtype(object) or isinstance(dtype, pd.StringDtype)


def _joined(parts: list[pd.Series], is_id: bool) -> pd.Series:
    """One column from its blocks, stripped: text for an id, else a categorical of the distinct values.

    Values that differ only in surrounding spaces become one category.
    """
    if is_id:
        return pd.Series([value.strip() for part in parts for value in part.to_numpy()], dtype=object)
    pieces = [_as_categorical(part) for part in parts]
    joined = union_categoricals(pieces) if pieces else pd.Categorical([], categories=pd.Index([], dtype=object))
    merged, stripped = pd.factorize(np.array([str(value).strip() for value in joined.categories], dtype=object))
    return pd.Series(pd.Categorical.from_codes(merged.astype(np.int64)[joined.codes],
                                               categories=pd.Index(stripped, dtype=object)))


def _as_categorical(part: pd.Series) -> pd.Categorical:
    if isinstance(part.dtype, pd.CategoricalDtype):
        values = part.array
        return pd.Categorical.from_codes(values.codes, categories=pd.Index(values.categories, dtype=object))
    codes, distinct = pd.factorize(part.to_numpy())
    return pd.Categorical.from_codes(codes, categories=pd.Index(distinct, dtype=object))


def _all_empty(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every read cell is empty (every row, when no column is read)."""
    empty = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        empty &= (frame[name] == "").to_numpy()
    return empty


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
    for name in (*TABLES, *OPTIONAL_TABLES):
        sheet = label_key((sheets or {}).get(name, name))
        if sheet not in sheets_read:
            continue
        request = _Request(frozenset(columns.get(name, ())) - FREE_TEXT_COLUMNS, frozenset(ids),
                           (headers or {}).get(name, {}))
        table, found = sheet_table(name, workbook, sheets_read[sheet], request)
        problems += found
        if table is not None:
            tables[name] = table
    return tables, problems


def sheet_table(name: str, workbook: Path, sheet: tuple[str, list[tuple]],
                request: _Request) -> tuple[RawTable | None, list[Problem]]:
    """A table from a sheet as :func:`read_sheets` read it: (title, rows of text, or None for a sheet not read)."""
    title, rows = sheet
    if rows is None:
        return None, []  # read_sheets named the problem
    return _read_rows(name, f"{workbook}[{title}]", workbook, rows, request)


def _read_rows(name: str, shown: str, path: Path, rows: list[tuple],
               request: _Request) -> tuple[RawTable | None, list[Problem]]:
    """Build a table from a workbook sheet's rows of text, the first being the header."""
    header = list(rows[0]) if rows else []
    layout, problems = _layout(shown, header, request)
    if layout is None:
        return None, problems
    lines, kept = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        cells = [str(c).strip() for c in row]
        if not any(cells):
            continue
        if len(cells) > layout.width and any(cells[layout.width:]):
            problems.append(_too_wide(shown, line, cells, layout.width))
            continue
        lines.append(line)
        kept.append(cells + [""] * (layout.width - len(cells)))
    frame = pd.DataFrame({column: _joined([pd.Series([cells[index] for cells in kept], dtype=object)],
                                          column in layout.ids)
                          for column, index in layout.position.items()}, index=pd.RangeIndex(len(kept)))
    frame.index = pd.Index(lines, dtype="int64", name="line")
    return RawTable(name, shown, path, frame, tuple(header), layout.position, request.own, sheet=True), problems


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
        book = load_workbook(path, read_only=True, data_only=True)
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
