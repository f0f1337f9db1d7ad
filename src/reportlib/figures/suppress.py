"""Small-cell suppression in a figures document: which counts are cells, and the rule for each table.

The counts about which centres, topics and rules of good administration a case concerns are
*cells* of tables: the areas, each area's centres, the complaint categories, the topics, each
area's methods, the examined cases by area (a row with its criticised cases and rate) and the
mapped national themes. With a threshold N > 0, every count from 1 to N-1 is withheld (primary
suppression). A table whose total is known would give a single withheld cell away by subtraction,
so a second cell is then withheld too: the smallest other non-zero cell, or a zero cell if there
is none. The links between tables and between periods are :mod:`reportlib.figures.disclosure`'s;
it names more cells to withhold, and :func:`withhold` withholds them. A withheld row loses every
number it has (count and share; examined, criticised and rate) and says ``suppressed: true``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import numpy as np

Key = tuple[str, ...]  # (kind, *the tables it is in, label): ("centres", "Børn og Unge", "Skole")
Row = dict[str, Any]
_KEPT = frozenset({"label", "area", "mapped", "suppressed"})  # what a withheld row keeps


def tables(document: dict[str, Any]) -> Iterator[tuple[str, tuple[str, ...], list[Row]]]:
    """Each table of cells in ``document``: (kind, the tables it is in, its rows), in the document's order."""
    yield "areas", (), document["areas"]
    for area, rows in document["centres"].items():
        yield "centres", (area,), rows
    yield "categories", (), document["complaint_categories"]
    yield "topics", (), document["topics"]
    if document.get("methods"):
        for area, rows in document["methods"]["by_area"].items():
            yield "methods", (area,), rows
    if document.get("criticism"):
        yield "examined", (), document["criticism"]["by_area"]
    # An unmapped theme is no cell: its count is not known, so it is not withheld either.
    yield "themes", (), [row for row in document["comparable"]["themes"] if row.get("mapped", True)]


def key(kind: str, within: tuple[str, ...], row: Row) -> Key:
    """The cell's name: its kind, the tables it is in, and its label (an examined row's area)."""
    return (kind, *within, row["area"] if kind == "examined" else row["label"])


def count(kind: str, row: Row) -> int | None:
    """The cell's count (an examined row's examined cases); None where it is withheld."""
    return row["examined" if kind == "examined" else "count"]


def apply(document: dict[str, Any], min_celle: int) -> None:
    """Withhold the small cells of every table of ``document``, in place (``min_celle`` 0: none), each row marked."""
    for kind, _within, rows in tables(document):
        for row in rows:
            row["suppressed"] = False
        if min_celle > 0 and rows:
            for row, withheld in zip(rows, _withheld(np.array([count(kind, row) for row in rows]), min_celle),
                                     strict=True):
                if withheld:
                    _blank(row)


def withhold(document: dict[str, Any], keys: Collection[Key]) -> None:
    """Withhold the cells ``keys`` of ``document`` too, in place."""
    for kind, within, rows in tables(document):
        for row in rows:
            if key(kind, within, row) in keys:
                _blank(row)


def _blank(row: Row) -> None:
    for field in row:
        if field not in _KEPT:
            row[field] = None
    row["suppressed"] = True


def _withheld(counts: np.ndarray, min_celle: int) -> np.ndarray:
    """Cells to withhold in one table: the small ones, plus one more if only one is small."""
    withheld = (counts > 0) & (counts < min_celle)
    if withheld.sum() == 1 and len(counts) > 1:
        candidates = np.flatnonzero(~withheld)
        nonzero = candidates[counts[candidates] > 0]
        pool = nonzero if len(nonzero) else candidates
        # The smallest cell costs the reader least; among equals, the one listed last.
        withheld[pool[np.lexsort((-pool, counts[pool]))[0]]] = True
    return withheld
