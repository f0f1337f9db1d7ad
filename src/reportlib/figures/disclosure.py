"""Disclosure control over everything published together: the cells, their additive relations, and the reader.

The small-cell rule (:mod:`reportlib.figures.suppress`) withholds a count of 1 to ``min_celle`` - 1,
table by table. But the tables are linked: the areas add up to the cases, a theme is the sum of the
topics mapped to it, the methods by area add up to the methods in all; and a reporting year is its
two halves. A reader with every published document can subtract one from another. So each published
count is a *cell* here, the links are linear *relations*, and the reader is a linear programme: the
tightest interval ``[low, high]`` the published cells and relations allow any cell of any stretch of
days (:class:`~reportlib.figures.reader.Reader`; HiGHS, through ``scipy.optimize.linprog``).

**Together** means the report being made and every report published before it from the same
register (its ledger, :mod:`reportlib.publish.ledger`): what was published stays published. The
publications' first and last days cut time into *spans* (a year and its first half: the two
halves); each cell has a count in each span, and the reader may learn about a span no report covers
alone (the second half, as the year minus the first).

**The rule.** A count of 1 to ``min_celle`` - 1 of any cell in any span must keep an interval that
holds a count of at least ``min_celle``: a reader cannot tell it from a count that is not small,
which is what the small-cell rule promises. Its interval always holds its true, small count, so the
least is never the question. Where the figures every report shows in full (cases, problemstillinger,
complaints, the methods in all, examined and criticised in all) already keep the count below
``min_celle`` (2 complaints in all: each category has at most 2), it must keep every count they
allow instead: the reader learns nothing of it beyond them (:class:`Bar`). Protecting the spans
protects every period made of them: a small count of a period is a sum of span counts below
``min_celle``, one of them small and at least 1; that one can be ``min_celle`` or more, and so can
the sum. A small count whose value follows from what was published before cannot be protected by
withholding more now, and is *given*: it is still withheld, and the audit names it.

**More withheld cells, and which.** A small count the reader can narrow gets one more cell of the
report being made withheld, until none can be. The candidates, likeliest first: the same cell,
where the report shows it (the year when a half is small); the cells of a sum that gives it away
by subtraction (its other cells all shown); those of any relation it is in, and of the relations
of the withheld cells those reach. Within each, the smallest count first (a zero last), since it
costs the board the least. Of the first dozen, the first whose withholding alone widens the
count's interval is taken (the reader is asked again without it); where none does, the first,
since it takes two (a cell, and the one that gives it away). Withholding only widens every
interval, so a count once protected stays protected, and the number of cells withheld is far
below what protecting every period against every other would take.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reportlib.figures import suppress
from reportlib.figures.reader import Reader, spans
from reportlib.figures.suppress import Key
from reportlib.periods import Period, period_between

# The kinds of cell the small-cell rule withholds: the small counts to protect, and the cells that may
# be withheld to protect them (a criticised count goes with its row of examined cases).
SMALL = frozenset({"areas", "centres", "categories", "topics", "methods", "examined", "themes"})
WITHHOLDABLE = SMALL | {"criticised"}
# How many candidates to withhold protect() tries, the likeliest first, before it takes the likeliest.
_TRIED = 12


@dataclasses.dataclass(frozen=True)
class Publication:
    """What one figures document tells a reader.

    Attributes
    ----------
    period : Period
        The days its counts count (an interim report's, not its whole period's).
    cells : dict
        Each cell's count, None where it is withheld.
    shares : tuple
        For each shown cell with a whole-percent share: (cell, share, the cells whose sum is its base).
    """

    period: Period
    cells: dict[Key, int | None]
    shares: tuple[tuple[Key, int, tuple[Key, ...]], ...] = ()

    def withholding(self, keys: Iterable[Key]) -> Publication:
        """The same publication with ``keys`` withheld, a row of examined cases whole, and their shares gone.

        The other cells of their tables keep their shares, of a base that still counts the withheld ones.
        """
        gone = {mate for key in keys for mate in _row(key)}
        cells = {key: None if key in gone else value for key, value in self.cells.items()}
        shares = tuple(share for share in self.shares if share[0] not in gone)
        return dataclasses.replace(self, cells=cells, shares=shares)

    @property
    def withheld(self) -> list[Key]:
        return [key for key, value in self.cells.items() if value is None]

    def agrees(self, truth: dict[Key, int]) -> bool:
        """Tell whether every cell it shows is the count ``truth`` gives (it was made from this register)."""
        return all(value is None or truth.get(key) == value for key, value in self.cells.items())


def _row(key: Key) -> tuple[Key, ...]:
    if key[0] in ("examined", "criticised"):
        return (("examined", *key[1:]), ("criticised", *key[1:]))
    return (key,)


def publication(document: dict[str, Any]) -> Publication:
    """The cells of a figures document as it is published (withheld cells None), with their shares."""
    cells: dict[Key, int | None] = {("cases",): document["key_figures"]["cases_total"],
                                    ("problemstillinger",): document["key_figures"]["problemstillinger"],
                                    ("complaints",): document["key_figures"]["complaints"]}
    shares: list[tuple[Key, int, tuple[Key, ...]]] = []
    for kind, within, rows in suppress.tables(document):
        keys = tuple(suppress.key(kind, within, row) for row in rows)
        for key, row in zip(keys, rows, strict=True):
            cells[key] = suppress.count(kind, row)
            if kind == "examined":
                cells[("criticised", *key[1:])] = row["criticised"]
            elif row["count"] is not None and row.get("pct") is not None:
                shares.append((key, row["pct"], keys))
    if document.get("methods"):
        for row in document["methods"]["overall"]:
            cells[("methods_overall", row["label"])] = row["count"]
        cells[("methods_not_given",)] = document["methods"]["not_given"]
    if document.get("criticism"):
        cells[("examined_total",)] = document["criticism"]["examined"]
        cells[("criticised_total",)] = document["criticism"]["criticised"]
    return Publication(period_between(**document["period"]), cells, tuple(shares))


@dataclasses.dataclass(frozen=True)
class Relation:
    """``sum(coefficient * cell) == 0``, or ``<= 0`` when ``at_most``, in every span of days."""

    terms: tuple[tuple[Key, int], ...]
    at_most: bool = False

    def holds(self, counts: dict[Key, int]) -> bool:
        total = sum(coefficient * counts.get(key, 0) for key, coefficient in self.terms)
        return total <= 0 if self.at_most else total == 0


def relations(cells: Iterable[Key], *, topic_category: dict[str, str], topic_theme: dict[str, str]) -> list[Relation]:
    """The additive relations between the cells ``cells`` (the keys of publications), given the topics' categories
    and national themes.

    The areas add up to the cases; the centres and the topics to the problemstillinger; the complaint
    categories to the complaints; the methods of each area, with those not given, to the cases, and
    the methods by area to the methods in all; examined and criticised by area to their totals; each
    national theme is the topics mapped to it. And, a case counted by its primary problemstilling: an
    area's cases, its methods and its examined cases are at most its centres' problemstillinger, and
    at most its cases; criticised at most examined; a complaint category's complaints at most its
    topics' problemstillinger.
    """
    keys = set(cells)
    found: list[Relation] = []

    def of(kind: str, *within: str) -> list[Key]:
        return sorted(key for key in keys if key[0] == kind and key[1:1 + len(within)] == within)

    def adds_up(whole: Key, parts: list[Key], *, at_most: bool = False) -> None:
        if whole in keys and parts:  # sum(parts) - whole == 0, or <= 0
            found.append(Relation(((whole, -1), *((part, 1) for part in parts)), at_most))

    def at_most(smaller: Key, larger: list[Key]) -> None:
        if smaller in keys and larger:  # smaller - sum(larger) <= 0
            found.append(Relation(((smaller, 1), *((key, -1) for key in larger)), at_most=True))

    adds_up(("cases",), of("areas"))
    adds_up(("problemstillinger",), of("centres"))
    adds_up(("problemstillinger",), of("topics"))
    adds_up(("complaints",), of("categories"))
    methods = of("methods")
    adds_up(("cases",), [*methods, ("methods_not_given",)] if ("methods_not_given",) in keys else [])
    for method in sorted({key[2] for key in methods}):
        adds_up(("methods_overall", method), [key for key in methods if key[2] == method])
    for area in sorted({key[1] for key in methods}):
        adds_up(("areas", area), of("methods", area), at_most=True)
    adds_up(("examined_total",), of("examined"))
    adds_up(("criticised_total",), of("criticised"))
    for key in of("criticised"):
        adds_up(("examined", *key[1:]), [key], at_most=True)
    for key in of("examined"):
        at_most(key, [("areas", *key[1:])] if ("areas", *key[1:]) in keys else [])
    for key in of("areas"):
        at_most(key, of("centres", key[1]))
    for key in of("categories"):
        at_most(key, [topic for topic in of("topics") if topic_category.get(topic[1]) == key[1]])
    for key in of("themes"):
        adds_up(key, [topic for topic in of("topics") if topic_theme.get(topic[1]) == key[1]])
    return found


def as_they_hold(found: Sequence[Relation], counts: Iterable[dict[Key, int]]) -> list[Relation]:
    """``found``, each sum that is not equal in every one of ``counts`` only an upper bound.

    A register whose cases need not all have a problem (or a topic) makes the areas (the topics) add
    up to at most the cases (the problemstillinger): the reader is granted every equality that holds.
    """
    counts = list(counts)
    return [relation if relation.at_most or all(relation.holds(c) for c in counts)
            else dataclasses.replace(relation, at_most=True) for relation in found]


@dataclasses.dataclass(frozen=True)
class Finding:
    """A small count of one cell in one span, and what a reader of every publication can tell of it.

    Attributes
    ----------
    span : Period
    key : Key
    low, high : int, float
        The tightest interval the publications and relations allow it (``high`` ``inf``: no bound).
    bar : Bar
        What the interval must still hold.
    """

    span: Period
    key: Key
    low: int
    high: float
    bar: Bar

    @property
    def protected(self) -> bool:
        return self.bar.met(self.low, self.high)


@dataclasses.dataclass(frozen=True)
class Bar:
    """What a small count's interval must still hold: a count of ``high`` or more, and, where ``low`` is given, one
    of ``low`` or less.

    ``high`` is ``min_celle``, unless the figures every report shows in full (with none of the cells
    the small-cell rule withholds) already keep the count below it: then the interval must be all
    they allow, ``low`` to ``high`` (a reader learns nothing of the count they do not tell).
    """

    high: float
    low: int | None = None

    def met(self, low: int, high: float) -> bool:
        return high >= self.high and (self.low is None or low <= self.low)


def audit(publications: Sequence[Publication], relations: Sequence[Relation], min_celle: int,
          truth: Callable[[Period], dict[Key, int]]) -> list[Finding]:
    """Every small count of every span of ``publications``, with the interval a reader of all of them gets."""
    cut = spans([p.period for p in publications])
    relations = as_they_hold(relations, map(truth, cut))
    reader, bars = Reader(publications, relations), _Bars(publications, relations, min_celle)
    return [Finding(span, key, *reader.interval(span, key), bars(span, key)) for span, key in
            _small(cut, truth, min_celle)]


def _small(cut: Sequence[Period], truth: Callable[[Period], dict[Key, int]],
           min_celle: int) -> list[tuple[Period, Key]]:
    return [(span, key) for span in cut
            for key, value in sorted(truth(span).items()) if key[0] in SMALL and 0 < value < min_celle]


@dataclasses.dataclass(frozen=True)
class Protection:
    """What :func:`protect` did: the report as it may be published, and what it could not protect.

    Attributes
    ----------
    draft : Publication
        The report with the cells withheld that protect the small counts.
    extra : tuple of Key
        The cells withheld beyond the small-cell rule's, in the order they were chosen.
    given : tuple of (Period, Key)
        The small counts no more withholding protects, each in its span: their value follows from
        what was published before or from the figures shown in full.
    """

    draft: Publication
    extra: tuple[Key, ...]
    given: tuple[tuple[Period, Key], ...]


def protect(draft: Publication, published: Sequence[Publication], relations: Sequence[Relation], min_celle: int,
            truth: Callable[[Period], dict[Key, int]]) -> Protection:
    """Withhold more cells of ``draft`` until every small count of every span is protected, if it can be.

    Parameters
    ----------
    draft : Publication
        The report to be published, the small-cell rule applied table by table.
    published : sequence of Publication
        What was published before and agrees with the register (the ledger): fixed.
    relations : sequence of Relation
        Each equality that does not hold in the register's counts of every span is taken as an upper bound.
    min_celle : int
    truth : callable
        The true count of every cell in a stretch of days (the register's).

    Returns
    -------
    Protection
    """
    cut = spans([p.period for p in (draft, *published)])
    relations = as_they_hold(relations, map(truth, cut))
    targets = _small(cut, truth, min_celle)
    if not targets:
        return Protection(draft, (), ())
    reader = Reader([draft, *published], relations)
    bars = _Bars([draft, *published], relations, min_celle)
    extra: list[Key] = []
    given: list[tuple[Period, Key]] = []
    for span, key in targets:
        bar = bars(span, key)
        while not _met(reader, bar, span, key):
            # The draft tells of days it does not count only through a report that counts both (a half: the year).
            linked = any(_within(span, p.period) and _overlap(p.period, draft.period) for p in (draft, *published))
            candidates = _candidates(draft, key, relations) if linked else []
            if not candidates:
                given.append((span, key))
                break
            # The first that widens the count's interval by itself; else the first (it takes two, as a cell
            # and the one that gives it away by subtraction).
            now = reader.interval(span, key)
            partner = next((cell for cell in candidates[:_TRIED] if _widens(reader, bar, span, key, now, cell)),
                           candidates[0])
            extra.append(partner)
            draft = draft.withholding([partner])
            reader = Reader([draft, *published], relations)
    # A count given up on may have been protected by what was withheld after it.
    return Protection(draft, tuple(extra), tuple(
        (span, key) for span, key in given if not _met(reader, bars(span, key), span, key)))


def _widens(reader: Reader, bar: Bar, span: Period, key: Key, now: tuple[int, float], cell: Key) -> bool:
    """Tell whether withholding ``cell`` of the draft widens ``key``'s interval in ``span`` where the bar asks."""
    low, high = reader.interval(span, key, without=_row(cell)) if bar.low is not None else (
        now[0], reader.greatest(span, key, without=_row(cell)))
    return high > now[1] or low < now[0]


def _met(reader: Reader, bar: Bar, span: Period, key: Key) -> bool:
    return bar.met(*reader.interval(span, key)) if bar.low is not None else reader.greatest(span, key) >= bar.high


class _Bars:
    """The :class:`Bar` of each small count, from the publications with none of the withholdable cells shown."""

    def __init__(self, publications: Sequence[Publication], relations: Sequence[Relation], min_celle: int):
        self._min_celle = min_celle
        self._bare = Reader([p.withholding([k for k in p.cells if k[0] in WITHHOLDABLE]) for p in publications],
                            relations)

    @functools.cache  # noqa: B019 - one instance per protect() or audit(), dropped with it
    def __call__(self, span: Period, key: Key) -> Bar:
        high = self._bare.greatest(span, key)
        if high >= self._min_celle:
            return Bar(self._min_celle)
        return Bar(high, self._bare.interval(span, key)[0])


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _overlap(first: Period, second: Period) -> bool:
    return first.start <= second.end and second.start <= first.end


def _candidates(draft: Publication, key: Key, relations: Sequence[Relation]) -> list[Key]:
    """The cells of ``draft`` that may be withheld to protect ``key``'s count, the likeliest first.

    The same cell, where the draft shows it; then the cells of a sum in which ``key`` is the only one
    withheld (it gives ``key`` away by subtraction); then of any relation ``key`` is in; then of the
    relations of the withheld cells those reach, and so on (a topic withheld with its theme, the theme
    given away by the other themes; an area withheld with another, that one's centres shown as 0).
    Each group of a kind the small-cell rule withholds and shown, the smallest count first, a zero
    last, then in the cells' order; an examined row named by its examined cases, as the document
    names its cells.
    """
    cells = draft.cells
    found: list[Key] = []

    def add(pool: Iterable[Key]) -> None:
        shown = [cell for cell in set(pool) if cell[0] in WITHHOLDABLE and cells.get(cell) is not None]
        for cell in sorted(shown, key=lambda cell: (cells[cell] == 0, cells[cell], cell)):
            if _row(cell)[0] not in found:
                found.append(_row(cell)[0])

    add([key])
    linked = [dict(relation.terms) for relation in relations]
    add(cell for relation, terms in zip(relations, linked, strict=True) if key in terms and not relation.at_most
        and all(cells.get(other) is not None for other in terms if other != key) for cell in terms)
    reached = frontier = {key}
    while frontier:
        pool = {cell for terms in linked if frontier & terms.keys() for cell in terms}
        add(pool)
        frontier = {cell for cell in pool if cells.get(cell, 0) is None} - reached
        reached = reached | frontier
    return found
