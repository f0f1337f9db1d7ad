"""A table as read: text cells indexed by spreadsheet line, and which of a header's columns to read.

What :mod:`reportlib.register.csvfile` and :mod:`reportlib.register.sheets` both make of a table, and
how they match its header against the columns asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from pandas.api.types import union_categoricals

from reportlib.exceptions import Problem
from reportlib.labels import label_key
from reportlib.language import _
from reportlib.register.schema import free_text

HEADER_SEARCH = 10  # the rows a header is looked for in: an export's title and blank rows above it


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
    left_out : tuple
        The rows that are not the table's, as (line, their text): title rows above the header and
        a totals line or note at the foot (:func:`header_line`, :func:`foot_rows`).
    """

    name: str
    shown: str
    path: Path
    frame: pd.DataFrame
    header: tuple[str, ...]
    position: dict[str, int]
    own: Mapping[str, str] = field(default_factory=dict)
    sheet: bool = False
    left_out: tuple[tuple[int, str], ...] = ()

    @property
    def header_names(self) -> list[str]:
        """The header's column names as written (stripped), each once, free text left out: the
        contract's (``note``) and a register's own header kommune.yml maps to it (``note: Bemærkning``)."""
        names = dict.fromkeys(str(cell).strip() for cell in self.header)
        free_columns = free_text()
        free = free_columns | {own.strip().lower() for column, own in self.own.items() if column in free_columns}
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
class Request:
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

@dataclass(frozen=True)
class Layout:
    """What a header offers: its width, and which requested columns it has, where."""

    width: int
    position: dict[str, int]  # in header order
    ids: frozenset[str]

    @property
    def reads_every_cell(self) -> bool:
        return len(self.position) == self.width


def header_line(rows: Sequence[Sequence[str]], names_a_column: Callable[[str], bool]) -> int:
    """The index of the header among a table's first rows: the first that names a column read.

    A case system's export may put a title and a blank row above its header. A table none of whose
    first rows names a column keeps its first row as the header (and the problem of its missing columns).
    """
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        if any(names_a_column(str(cell)) for cell in row if str(cell).strip()):
            return index
    return 0


def foot_rows(filled: np.ndarray, columns: int) -> int:
    """How many of a table's last rows are not its rows: each fills at most one cell read (a totals line, a note).

    ``filled`` is each data row's count of non-empty cells read, of ``columns`` read. A table with
    fewer than three columns read has no foot (one cell may be a whole row there), nor one with no row
    that fills two.
    """
    fuller = np.flatnonzero(filled > 1)
    if columns < 3 or len(fuller) == 0:
        return 0
    return len(filled) - 1 - int(fuller[-1])


def row_text(cells: Sequence[str]) -> str:
    """A row left out as its messages quote it: its cells that hold something, cut short."""
    text = " | ".join(str(cell).strip() for cell in cells if str(cell).strip())
    return text if len(text) <= 60 else text[:59] + "…"


def match_header(shown: str, header: list[str], request: Request,
                 line: int = 1) -> tuple[Layout | None, list[Problem]]:
    """Match a header row (on ``line``) against the request; report an empty header and every column named twice."""
    names = [str(cell).strip() for cell in header]
    if not any(names):
        return None, [Problem(shown, 1, None, None, _("the table is empty: the first line must be the header"))]
    problems, first = [], {}
    for index, column in enumerate(names):
        if column and first.setdefault(label_key(column), index) != index:
            problems.append(Problem(shown, line, column, None, _("column appears twice in the header; keep one")))
    position = {}
    for index in first.values():
        column = request.column_of(names[index])
        if column is not None:
            position[column] = index
    return Layout(len(names), position, request.ids), problems


def too_wide(shown: str, line: int, cells: list[str], width: int) -> Problem:
    # More cells than the header has: always two or more.
    return Problem(shown, line, None, None,
                   _("row has {cells} cells but the header has {width}; quote values that contain the separator")
                   .format(cells=len(cells), width=width))

def joined(parts: list[pd.Series], is_id: bool) -> pd.Series:
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
