"""The reader of publications: the tightest interval each count can have, as a linear programme.

Someone with every publication (:class:`~reportlib.figures.disclosure.Publication`) and every
relation between the tables (:class:`~reportlib.figures.disclosure.Relation`) knows each count
within an interval; :class:`Reader` works it out, the least and the greatest sum the rest allows
(HiGHS, through ``scipy.optimize.linprog``). What to withhold so that no small count can be
narrowed is :mod:`reportlib.figures.disclosure`'s.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import numpy as np

from reportlib.figures.suppress import Key
from reportlib.periods import Period

if TYPE_CHECKING:  # what the reader reads; disclosure asks it
    from reportlib.figures.disclosure import Publication, Relation

_DAY = dt.timedelta(days=1)


def spans(periods: Sequence[Period]) -> list[Period]:
    """The stretches of days ``periods`` cut each other into (a year and its first half: the two halves)."""
    edges = sorted({p.start for p in periods} | {p.end + _DAY for p in periods})
    return [Period(first, following - _DAY) for first, following in itertools.pairwise(edges)
            if any(p.start <= first <= p.end for p in periods)]



class Reader:
    """A reader of ``publications`` who knows ``relations``: the tightest interval each count can have.

    The publications' periods are cut into the spans between all their first and last days; each
    cell has a count in each span, at least 0, and every relation holds in each. A shown cell fixes
    the sum of its spans; a share bounds the cell against its base. A cell's interval in a stretch
    of spans is the least and the greatest sum of its counts the rest allows, rounded inwards to
    whole counts (a linear programme each way, HiGHS).

    Raises
    ------
    ValueError
        When the publications contradict one another (the interval of nothing): they are of different
        versions of the register.
    """

    def __init__(self, publications: Sequence[Publication], relations: Sequence[Relation]):
        from scipy.sparse import csr_array  # only where cells are withheld: scipy is slow to import

        self.spans = spans([p.period for p in publications])
        keys = sorted(set().union(*(p.cells for p in publications), (k for r in relations for k, _ in r.terms)))
        self._column = {key: i for i, key in enumerate(keys)}
        self._size = len(keys) * len(self.spans)
        # Each row with the cell of the first publication it comes from (None: a relation, or another publication),
        # so that a question can leave a cell of the first out, as if it were withheld (:meth:`greatest`).
        equal: list[tuple[dict[int, float], float, Key | None]] = []
        at_most: list[tuple[dict[int, float], float, Key | None]] = []
        for span in range(len(self.spans)):
            for relation in relations:
                row = {span * len(keys) + self._column[key]: float(c) for key, c in relation.terms}
                (at_most if relation.at_most else equal).append((row, 0.0, None))
        for index, pub in enumerate(publications):
            own = self._spans_of(pub.period)
            for key, value in pub.cells.items():
                if value is not None:
                    equal.append((self._sum(own, [key]), float(value), key if index == 0 else None))
            for key, share, base in pub.shares:  # (share - 1) * base <= 100 * cell <= (share + 1) * base
                cell, whole, tag = self._sum(own, [key]), self._sum(own, list(base)), key if index == 0 else None
                at_most.append((_combine(whole, share - 1, cell, -100), 0.0, tag))
                at_most.append((_combine(cell, 100, whole, -(share + 1)), 0.0, tag))
        self._equal = _matrix(equal, self._size, csr_array)
        self._at_most = _matrix(at_most, self._size, csr_array)

    def _spans_of(self, period: Period) -> list[int]:
        return [i for i, span in enumerate(self.spans) if period.start <= span.start and span.end <= period.end]

    def _sum(self, spans: list[int], keys: list[Key]) -> dict[int, float]:
        return {span * len(self._column) + self._column[key]: 1.0 for span in spans for key in keys}

    def greatest(self, period: Period, key: Key, without: Collection[Key] = ()) -> float:
        """The greatest count of ``key`` in ``period`` the publications allow (``inf`` if there is none), the
        cells ``without`` of the first publication withheld."""
        return self._bound(period, key, -1.0, without)

    def interval(self, period: Period, key: Key, without: Collection[Key] = ()) -> tuple[int, float]:
        """The least and the greatest count of ``key`` in ``period`` the publications allow."""
        return int(self._bound(period, key, 1.0, without)), self.greatest(period, key, without)

    def _bound(self, period: Period, key: Key, sign: float, without: Collection[Key]) -> float:
        from scipy.optimize import linprog

        objective = np.zeros(self._size)
        for column in self._sum(self._spans_of(period), [key]):
            objective[column] = sign
        (a_eq, b_eq), (a_ub, b_ub) = _leaving(self._equal, without), _leaving(self._at_most, without)
        result = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if result.status == 3:  # unbounded: no greatest
            return np.inf
        if result.status != 0:
            raise ValueError(f"the publications contradict one another ({result.message})")
        return float(np.ceil(result.fun - 1e-6)) if sign > 0 else float(np.floor(-result.fun + 1e-6))


def _leaving(matrix: tuple, without: Collection[Key]) -> tuple:
    """The rows and bounds of ``matrix`` but those of the cells ``without``."""
    rows, bounds, tags = matrix
    if rows is None or not without:
        return rows, bounds
    kept = np.array([tag not in without for tag in tags])
    return (rows[kept], bounds[kept]) if kept.any() else (None, None)


def _combine(first: dict[int, float], a: float, second: dict[int, float], b: float) -> dict[int, float]:
    row = {column: a * value for column, value in first.items()}
    for column, value in second.items():
        row[column] = row.get(column, 0.0) + b * value
    return row


def _matrix(rows: list[tuple[dict[int, float], float, Key | None]], size: int, csr_array) -> tuple:
    if not rows:
        return None, None, []
    data, indices, pointers = [], [], [0]
    for row, _bound, _tag in rows:
        indices.extend(row)
        data.extend(row.values())
        pointers.append(len(indices))
    return (csr_array((data, indices, pointers), shape=(len(rows), size)), np.array([row[1] for row in rows]),
            [row[2] for row in rows])
