"""Small-cell suppression for published tables.

With a threshold N > 0, every count from 1 to N-1 is withheld (primary suppression). A table whose
total is known would give a single withheld cell away by subtraction, so a second cell is then
withheld too (secondary suppression): the smallest other non-zero cell, or a zero cell if there is
none. Withheld cells lose both count and percentage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def suppress(table: pd.DataFrame, min_celle: int, *, by: str | None = None, count: str = "count") -> pd.DataFrame:
    """Return ``table`` with small counts withheld.

    Parameters
    ----------
    table : DataFrame
        Tidy table with a ``label`` column and whole-number columns: ``count`` and ``pct``, or
        any others that go with the cell (e.g. ``examined``, ``criticised``, ``rate_pct``).
    min_celle : int
        Threshold N; counts 1..N-1 are withheld. 0 turns suppression off.
    by : str, optional
        Column whose groups are separate tables (e.g. ``"area"`` for the centre tables).
    count : str
        The column whose values are the cells; ``count`` by default.

    Returns
    -------
    DataFrame
        A copy with a boolean ``suppressed`` column; every column but ``label`` and ``by``
        becomes a nullable integer, missing where suppressed.
    """
    result = table.copy()
    result["suppressed"] = False
    if min_celle > 0:
        groups = result.groupby(by, sort=False).indices.values() if by else [np.arange(len(result))]
        for rows in groups:
            result.loc[result.index[rows], "suppressed"] = _withheld(result[count].to_numpy()[rows], min_celle)
    for column in table.columns.drop(["label", *([by] if by else [])]):
        result[column] = result[column].astype("Int64").mask(result["suppressed"])
    return result


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
