"""Every rounding rule of the figures, in one place, each with its half cases.

- **Shares of a whole** (a distribution's ``pct``): :func:`largest_remainder`, whole percentages that
  keep equal counts equal, so a table adds up to 100 or a little less, never more.
- **A part of a whole** (a rate: criticised of examined, within the target of closed, followed of
  reported): :func:`rate`, whole percent, half rounded up.
- **A change** against an earlier count: :func:`change`, whole percent of the earlier count, half
  rounded away from zero, so +1 on 8 is +13 % as 1 of 8 is 13 %.
- **A decimal** (cases per 10,000 inhabitants, citizens per drop-in session, the 90th percentile of
  handling days): :func:`decimal`, one decimal, half rounded up as written in decimal.

All work in integers or decimals, so a half is a half, not a binary neighbour of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np


def largest_remainder(counts: Sequence[int] | np.ndarray) -> np.ndarray:
    """Return whole percentages of ``counts``: largest remainder, with equal counts kept equal.

    Each share is rounded down; then the points still missing go to the largest remainders. Equal
    counts get the extra point all together or not at all, and once a group of them does not fit,
    no smaller remainder gets one either, so a table may add up to a little less than 100, never
    more. Different counts with equal remainders are served in the order listed. Computed in
    integers, so ties are exact. All-zero counts give all-zero percentages.

    Examples
    --------
    >>> largest_remainder([2, 1, 4, 2, 2]).tolist()
    [18, 9, 37, 18, 18]
    >>> largest_remainder([1, 1, 1]).tolist()  # three equal thirds: 99 in all
    [33, 33, 33]
    """
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(len(counts), dtype=np.int64)
    pct = counts * 100 // total
    missing = 100 - int(pct.sum())
    values, first_listed = np.unique(counts, return_index=True)
    for value in values[np.lexsort((first_listed, -(values * 100 % total)))]:
        group = counts == value
        if missing == 0 or group.sum() > missing:
            break
        pct[group] += 1
        missing -= int(group.sum())
    return pct


def rate(part: int, whole: int) -> int | None:
    """Return ``part`` of ``whole`` in whole percent, half rounded up; None when ``whole`` is 0.

    Examples
    --------
    >>> rate(1, 8), rate(2, 3), rate(0, 0)  # 12.5 -> 13, 66.7 -> 67
    (13, 67, None)
    """
    return (200 * part + whole) // (2 * whole) if whole else None


def change(current: int, previous: int) -> int | None:
    """Return the change from ``previous`` to ``current`` in whole percent of ``previous``; None when it was 0.

    A half is rounded away from zero: the same size of change reads the same either way.

    Examples
    --------
    >>> change(9, 8), change(7, 8), change(3, 2), change(5, 0)  # +12.5, -12.5, +50
    (13, -13, 50, None)
    """
    if not previous:
        return None
    difference = current - previous
    magnitude = (200 * abs(difference) + previous) // (2 * previous)
    return magnitude if difference >= 0 else -magnitude


def decimal(value: float, digits: int = 1) -> float:
    """Round ``value`` to ``digits`` decimals, half up as the number is written (2.25 -> 2.3, not 2.2).

    Examples
    --------
    >>> decimal(2.25), decimal(23.45), decimal(2.0 / 3)
    (2.3, 23.5, 0.7)
    """
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
