"""Read a register's CSV file in bounded memory, and a municipality's own export whole.

A CSV file is parsed by pandas' C reader, a block of rows at a time. Where its records lie and
how many cells each has comes from :mod:`reportlib.register.records`, so the few rows the C reader cannot
judge (more cells than the header, rows that look empty but have a cell not read) are found
without a Python loop over the rows and read on their own with the ``csv`` module. The encoding
(UTF-8 or Windows-1252) and the separator (``;`` or ``,``) are told from the bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from reportlib.exceptions import InputError, Problem
from reportlib.inputs import REGISTER_FILE, read_bytes
from reportlib.language import _
from reportlib.register.raw import (
    HEADER_SEARCH,
    Layout,
    RawTable,
    Request,
    foot_rows,
    header_line,
    joined,
    match_header,
    row_text,
    too_wide,
)
from reportlib.register.records import CHUNK, Records

_SLICE = 1 << 20  # bytes decoded at a time when checking UTF-8
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


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
        raw = read_bytes(path, REGISTER_FILE)
    except OSError as exc:
        raise InputError(_("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)) from None
    encoding, reason = _encoding(raw)
    if encoding is None:
        raise InputError(_("{path}: {reason}; save it from Excel as 'CSV UTF-8'").format(path=path, reason=reason))
    text = raw.decode(encoding).removeprefix("\ufeff")
    separator = _separator(raw)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def _separator(raw: bytes) -> str:
    """A CSV file's separator, decided from its first lines (a title may stand above the header): ``;`` (Danish
    Excel) or ``,``."""
    end = -1
    for _line in range(HEADER_SEARCH):  # never a copy of the whole file
        end = raw.find(b"\n", end + 1)
        if end < 0:
            break
    first_lines = raw[:end] if end >= 0 else raw
    return ";" if first_lines.count(b";") > first_lines.count(b",") else ","


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


def read_csv(name: str, path: Path, request: Request) -> tuple[RawTable | None, list[Problem]]:
    shown = str(path)
    try:
        raw = read_bytes(path, REGISTER_FILE)  # the bytes the cache key hashed
    except OSError as exc:
        return None, [Problem(shown, None, None, None, _("cannot be read ({reason})").format(reason=exc.strerror))]
    encoding, failure = _encoding(raw)
    if encoding is None:
        return None, [Problem(shown, None, None, None,
                              _("unreadable encoding: {reason}; save it as 'CSV UTF-8' or 'CSV (semikolonsepareret)'")
                              .format(reason=failure))]
    begin = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    separator = _separator(raw)  # a BOM holds neither separator
    try:
        return _CsvFile(shown, raw, encoding, separator, Records.scan(raw, begin, separator)).table(name, path, request)
    except csv.Error as exc:
        return None, [Problem(shown, None, None, None, _("not a readable CSV file ({error})").format(error=exc))]

class _CsvFile:
    """A CSV file being read: the C reader takes the rows, the ``csv`` module the header and doubtful rows."""

    def __init__(self, shown: str, raw: bytes, encoding: str, separator: str, records: Records):
        self.shown, self.raw, self.encoding, self.separator, self.records = shown, raw, encoding, separator, records

    def row(self, record: int) -> list[str]:
        """One record's cells as written, parsed by the ``csv`` module."""
        text = self.raw[self.records.starts[record]:self.records.ends[record]].decode(self.encoding)
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=self.separator), [])

    def table(self, name: str, path: Path, request: Request) -> tuple[RawTable | None, list[Problem]]:
        records = self.records
        complete = len(records.starts) - records.unclosed  # the records the C reader can take
        above = [self.row(record) for record in range(min(HEADER_SEARCH, complete))]
        at = header_line(above, lambda cell: request.column_of(cell) is not None)
        header = above[at] if above else (self.row(0) if len(records.starts) else [])
        layout, problems = match_header(self.shown, header, request, at + 1)
        if layout is None:
            return None, problems
        if records.unclosed and complete > 0:
            problems.append(Problem(self.shown, complete + 1, None, None,
                                    _("a quoted value starts on this line and is never closed; "
                                      'add the closing quote (") or remove the opening one')))
        first = at + 1
        frame = self._parse(layout, first, complete)
        # Data row i is record first + i, spreadsheet line first + i + 1.
        blank = (records.starts == records.ends)[first:complete]
        wide = records.cells[first:complete] > layout.width
        empty = _all_empty(frame)
        keep = ~blank & ~empty
        # A row may hold something only in a cell not read; a row wider than the header, something beyond it.
        doubtful = ~blank & (wide | (empty & ~layout.reads_every_cell))
        for row in np.flatnonzero(doubtful):
            cells = [cell.strip() for cell in self.row(first + row)]
            keep[row] = any(cells)
            if keep[row] and len(cells) > layout.width and any(cells[layout.width:]):
                problems.append(too_wide(self.shown, first + int(row) + 1, cells, layout.width))
                keep[row] = False
        kept = np.flatnonzero(keep)
        foot = kept[len(kept) - foot_rows(_filled(frame)[kept], len(layout.position)):]
        keep[foot] = False
        left_out = [(record + 1, row_text(self.row(record))) for record in range(at) if any(self.row(record))]
        left_out += [(first + int(row) + 1, row_text(self.row(first + int(row)))) for row in foot]
        frame = frame[keep]
        frame.index = pd.Index(np.flatnonzero(keep) + first + 1, dtype="int64", name="line")
        return RawTable(name, self.shown, path, frame, tuple(header), layout.position, request.own,
                        left_out=tuple(left_out)), problems

    def _parse(self, layout: Layout, start: int, complete: int) -> pd.DataFrame:
        """Records ``start`` to ``complete - 1`` as the C reader reads them (empty ones too), a block at a time."""
        starts = self.records.starts
        blocks: list[dict[str, pd.Series]] = []
        first = start
        while first < complete and layout.position:
            last = min(max(first + 1, int(np.searchsorted(starts, starts[first] + CHUNK))), complete)
            blocks.append(self._block(layout, first, last))
            first = last
        return pd.DataFrame({name: joined([block[name] for block in blocks], name in layout.ids)
                             for name in layout.position}, index=pd.RangeIndex(max(complete - start, 0)))

    def _block(self, layout: Layout, first: int, last: int) -> dict[str, pd.Series]:
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


def _filled(frame: pd.DataFrame) -> np.ndarray:
    """Each row's count of cells read that hold something."""
    filled = np.zeros(len(frame), dtype=np.int64)
    for name in frame.columns:
        filled += (frame[name] != "").to_numpy()
    return filled


def _all_empty(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every read cell is empty (every row, when no column is read)."""
    empty = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        empty &= (frame[name] == "").to_numpy()
    return empty
