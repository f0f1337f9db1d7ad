"""Where the records of a CSV file lie, and how many cells each has: a scan of its bytes with numpy.

A record is what a spreadsheet shows as one row. It ends at a line break (``\n``, ``\r\n`` or a
lone ``\r``) outside quotes. A quote opens a quoted cell only at the start of a cell; inside one,
``""`` is a quote, and a quote followed by anything else closes it. These are the rules of
Python's ``csv`` module and of pandas' C reader alike, so the scan numbers the records exactly as
they read them, without a Python loop over the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK = 1 << 22  # bytes compared at a time: temporary arrays stay small
_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")


@dataclass(frozen=True)
class Records:
    """The records of one CSV file, the header first: ``raw[starts[i]:ends[i]]`` is record i without its line break."""

    starts: np.ndarray  # byte offset where each record begins
    ends: np.ndarray  # byte offset of its line break, or the file's length
    cells: np.ndarray  # how many cells it has: separators outside quotes plus one, 0 for an empty line
    unclosed: bool  # the last record opens a quoted cell that the file never closes

    @classmethod
    def scan(cls, raw: bytes, begin: int, separator: str) -> Records:
        """Find the records of ``raw`` from byte ``begin`` (after a byte order mark), cells split by ``separator``."""
        data = np.frombuffer(raw, dtype=np.uint8)
        toggles = _quote_toggles(data, _find(data, begin, _QUOTE), begin, ord(separator))
        returns = _outside(_find(data, begin, _CR), toggles)
        # A record ends at \n, \r\n or a lone \r; ``breaks`` holds each line break's last byte.
        lone = returns[data[np.minimum(returns + 1, len(data) - 1)] != _LF]
        breaks = _outside(_find(data, begin, _LF), toggles)
        if len(lone):
            breaks = np.sort(np.concatenate([breaks, lone]))
        ends = breaks - ((data[breaks - 1] == _CR) & (data[breaks] == _LF) & (breaks > begin))
        starts = np.concatenate([[begin], breaks + 1])
        if starts[-1] < len(data):
            ends = np.append(ends, len(data))  # the last record has no line break
        starts = starts[:len(ends)]
        # A record has a cell more than it has separators outside quoted cells; no separator lies in a line break.
        separators = _find(data, begin, ord(separator))
        before = np.searchsorted(separators, np.append(starts, len(data)))
        cells = np.diff(before) + 1
        opens, closes = toggles[0::2], np.append(toggles[1::2], len(data))[:len(toggles[0::2])]
        quoted = np.searchsorted(separators, closes) - np.searchsorted(separators, opens)
        cells -= np.bincount(np.searchsorted(starts, opens, side="right") - 1, weights=quoted,
                             minlength=len(starts)).astype(np.int64)
        cells[starts == ends] = 0
        return cls(starts, ends, cells, len(toggles) % 2 == 1)


def _find(data: np.ndarray, begin: int, byte: int) -> np.ndarray:
    """Positions of ``byte`` in ``data`` from ``begin``, compared a chunk at a time."""
    found = [np.flatnonzero(data[first:first + CHUNK] == byte) + first for first in range(begin, len(data), CHUNK)]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _quote_toggles(data: np.ndarray, quotes: np.ndarray, begin: int, separator: int) -> np.ndarray:
    """Positions where a quoted cell opens or closes, in order (an odd count: the last one never closes).

    Adjacent quotes act as a run: inside a quoted cell each pair is one literal quote, so only a
    run of odd length can change the state. An odd run opens a quoted cell when it starts a cell
    (after a separator, a line break or at the file's start) and none is open; any odd run closes
    the open one. So among consecutive cell-starting odd runs every other one opens, and the odd
    run after an opener closes it.
    """
    if not len(quotes):
        return quotes
    run_start = np.flatnonzero(np.diff(quotes, prepend=-2) != 1)
    odd = quotes[run_start[np.diff(run_start, append=len(quotes)) % 2 == 1]]
    before = data[np.maximum(odd - 1, 0)]
    starts_cell = (odd == begin) | (before == separator) | (before == _LF) | (before == _CR)
    index = np.arange(len(odd))
    begins_stretch = starts_cell & ~np.concatenate([[False], starts_cell[:-1]])
    stretch_first = np.maximum.accumulate(np.where(begins_stretch, index, 0))
    opens = starts_cell & ((index - stretch_first) % 2 == 0)
    closes = np.concatenate([[False], opens[:-1]])
    return odd[opens | closes]


def _outside(positions: np.ndarray, toggles: np.ndarray) -> np.ndarray:
    """Those of ``positions`` that lie outside quoted cells."""
    return positions[np.searchsorted(toggles, positions) % 2 == 0] if len(toggles) else positions
