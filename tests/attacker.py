"""A hostile reader of what a municipality publishes, written apart from reportlib.figures.disclosure.

It reads figures documents as anyone who has the published folders has them: every count shown,
every whole-percent share and the sums every reader knows hold (the areas make the cases, a theme is
its topics, a year is its halves...). For each small count of the register in each stretch of days
the documents' periods cut time into, it solves for the least and the greatest value they allow
(scipy's linprog with HiGHS, dense matrices, its own variables) and holds it to the protection rule
of docs/register.md: the interval reaches ``min_celle``, or, where the figures shown in full keep the
count below that, all they allow. The test knows the register, so it is given the true counts, and
grants the reader every sum that holds with equality in them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import numpy as np
from scipy.optimize import linprog

DAY = dt.timedelta(days=1)
SMALL_KINDS = {"area", "centre", "category", "topic", "method", "examined", "theme"}
# What a report may withhold; everything else it shows in full.
WITHHOLDABLE = SMALL_KINDS | {"criticised"}


def period_of(document: dict) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(document["period"]["start"]), dt.date.fromisoformat(document["period"]["end"])


def read(document: dict) -> tuple[dict, list]:
    """The cells a document shows (None: withheld) and its shares, as (cell, percent, cells of the base)."""
    cells, shares = {}, []

    def table(kind, rows, *within, name="label", count="count"):
        keys = [(kind, *within, row[name]) for row in rows]
        for key, row in zip(keys, rows, strict=True):
            cells[key] = row[count]
            if row.get("pct") is not None and row[count] is not None:
                shares.append((key, row["pct"], keys))

    figures = document["key_figures"]
    cells[("cases",)], cells[("problemstillinger",)], cells[("complaints",)] = (
        figures["cases_total"], figures["problemstillinger"], figures["complaints"])
    table("area", document["areas"])
    for area, rows in document["centres"].items():
        table("centre", rows, area)
    table("category", document["complaint_categories"])
    table("topic", document["topics"])
    if document["methods"]:
        for area, rows in document["methods"]["by_area"].items():
            table("method", rows, area)
        for row in document["methods"]["overall"]:
            cells[("all methods", row["label"])] = row["count"]
        cells[("no method",)] = document["methods"]["not_given"]
    if document["criticism"]:
        cells[("all examined",)] = document["criticism"]["examined"]
        cells[("all criticised",)] = document["criticism"]["criticised"]
        for row in document["criticism"]["by_area"]:
            cells[("examined", row["area"])] = row["examined"]
            cells[("criticised", row["area"])] = row["criticised"]
    table("theme", [row for row in document["comparable"]["themes"] if row.get("mapped", True)])
    return cells, shares


def sums(keys: set, category_of: dict, theme_of: dict) -> list[tuple[list, list, bool]]:
    """What every reader knows: (cells, the cells they are part of, equal or at most)."""
    def of(kind, *within):
        return [key for key in keys if key[0] == kind and key[1:1 + len(within)] == tuple(within)]

    known = [(of("area"), [("cases",)]), (of("centre"), [("problemstillinger",)]),
             (of("topic"), [("problemstillinger",)]), (of("category"), [("complaints",)]),
             (of("examined"), [("all examined",)]), (of("criticised"), [("all criticised",)])]
    if ("no method",) in keys:
        known.append(([*of("method"), ("no method",)], [("cases",)]))
    known += [([key for key in of("method") if key[2] == method[1]], [method]) for method in of("all methods")]
    known += [([key for key in of("topic") if theme_of[key[1]] == theme[1]], [theme]) for theme in of("theme")]
    found = [(parts, whole, True) for parts, whole in known if parts and all(w in keys for w in whole)]
    for area in of("area"):
        found += [(of("method", area[1]), [area], False), (of("examined", area[1]), [area], False),
                  ([area], of("centre", area[1]), False)]
    found += [([("criticised", *key[1:])], [key], False) for key in of("examined")]
    found += [([key], [t for t in of("topic") if category_of[t[1]] == key[1]], False) for key in of("category")]
    return [(parts, whole, exact) for parts, whole, exact in found if parts and whole]


def spans(periods) -> list[tuple[dt.date, dt.date]]:
    edges = sorted({start for start, _ in periods} | {end + DAY for _, end in periods})
    return [(a, b - DAY) for a, b in itertools.pairwise(edges) if any(s <= a <= e for s, e in periods)]


class Attacker:
    """The reader of ``documents``; ``truth(start, end)`` gives the register's cells of any stretch of days."""

    def __init__(self, documents: list[dict], truth: Callable, category_of: dict, theme_of: dict):
        self.documents = [(period_of(d), *read(d)) for d in documents]
        self.spans = spans([period for period, _, _ in self.documents])
        self.truth = {span: read(truth(*span))[0] for span in self.spans}
        keys = set().union(*(cells for _, cells, _ in self.documents), *self.truth.values())
        self.sums = [(parts, whole, exact and all(
            sum(self.truth[s].get(p, 0) for p in parts) == sum(self.truth[s].get(w, 0) for w in whole)
            for s in self.spans)) for parts, whole, exact in sums(keys, category_of, theme_of)]
        self.column = {key: i for i, key in enumerate(sorted(keys))}

    def interval(self, span, key, *, bare: bool = False) -> tuple[float, float]:
        """The least and greatest count of ``key`` in ``span`` (``bare``: from what is shown in full only)."""
        size, n = len(self.column), len(self.column) * len(self.spans)

        def variables(period, keys):
            row = np.zeros(n)
            for i, (start, end) in enumerate(self.spans):
                if period[0] <= start and end <= period[1]:
                    for k in keys:
                        row[i * size + self.column[k]] = 1
            return row

        equal, equal_to, below, below_to = [], [], [], []
        for i in range(len(self.spans)):
            for parts, whole, exact in self.sums:
                row = np.zeros(n)
                for p in parts:
                    row[i * size + self.column[p]] += 1
                for w in whole:
                    row[i * size + self.column[w]] -= 1
                (equal if exact else below).append(row)
                (equal_to if exact else below_to).append(0)
        for period, cells, shares in self.documents:
            for cell, value in cells.items():
                if value is not None and not (bare and cell[0] in WITHHOLDABLE):
                    equal.append(variables(period, [cell]))
                    equal_to.append(value)
            for cell, pct, base in [] if bare else shares:
                # pct - 1 <= 100 * cell / base <= pct + 1: the share is rounded to a whole percent
                below.append((pct - 1) * variables(period, base) - 100 * variables(period, [cell]))
                below.append(100 * variables(period, [cell]) - (pct + 1) * variables(period, base))
                below_to += [0, 0]
        objective = variables(span, [key])
        ends = []
        for sign in (1, -1):
            result = linprog(sign * objective, A_ub=np.array(below) if below else None, b_ub=below_to or None,
                             A_eq=np.array(equal), b_eq=equal_to, bounds=(0, None), method="highs")
            assert result.status in (0, 3), result.message  # 3: no greatest
            ends.append(np.inf if result.status == 3 else sign * result.fun)
        return ends[0], ends[1]

    def narrowed(self, min_celle: int) -> list[tuple]:
        """Every small count a reader can narrow below the rule: (span, cell, true count, interval, bare interval)."""
        found = []
        for span in self.spans:
            for key, value in sorted(self.truth[span].items()):
                if key[0] not in SMALL_KINDS or not 0 < value < min_celle:
                    continue
                low, high = self.interval(span, key)
                bare_low, bare_high = self.interval(span, key, bare=True)
                if bare_high >= min_celle:
                    kept = high >= min_celle - 1e-6
                else:
                    kept = high >= bare_high - 1e-6 and low <= bare_low + 1e-6
                if not kept:
                    found.append((span, key, value, (low, high), (bare_low, bare_high)))
        return found

    def small_counts(self, min_celle: int) -> int:
        return sum(0 < value < min_celle for cells in self.truth.values() for key, value in cells.items()
                   if key[0] in SMALL_KINDS)
