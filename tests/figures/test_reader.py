"""The reader of publications: the spans periods cut time into, and intervals worked out by hand."""

from __future__ import annotations

import datetime as dt

from reportlib.figures.disclosure import Publication, Relation
from reportlib.figures.reader import Reader, spans
from reportlib.periods import Period

YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))
H1 = Period(dt.date(2018, 11, 1), dt.date(2019, 4, 30))
H2 = Period(dt.date(2019, 5, 1), dt.date(2019, 10, 31))
T, U, TOTAL = ("topics", "T"), ("topics", "U"), ("problemstillinger",)
ADDS_UP = [Relation(((TOTAL, -1), (T, 1), (U, 1)))]


def test_periods_cut_time_into_spans():
    assert spans([YEAR]) == [YEAR]
    assert spans([YEAR, H1]) == [H1, H2]
    # An interim report of four months and its year: the months, and the rest of the year.
    interim = Period(dt.date(2018, 11, 1), dt.date(2019, 2, 28))
    assert spans([YEAR, interim]) == [interim, Period(dt.date(2019, 3, 1), dt.date(2019, 10, 31))]
    # Two years apart: nothing between them.
    later = Period(dt.date(2020, 11, 1), dt.date(2021, 10, 31))
    assert spans([YEAR, later]) == [YEAR, later]


def test_a_half_is_its_year_minus_the_other_half():
    # The case: the year shows 9, the second half 8, the first half withholds its count: it is 1.
    reader = Reader([Publication(YEAR, {T: 9}), Publication(H2, {T: 8}), Publication(H1, {T: None})], [])
    assert reader.interval(H1, T) == (1, 1)


def test_a_table_gives_its_one_withheld_cell_away():
    reader = Reader([Publication(YEAR, {TOTAL: 10, T: None, U: 9})], ADDS_UP)
    assert reader.interval(YEAR, T) == (1, 1)
    # Both withheld: each anything from 0 to the total.
    reader = Reader([Publication(YEAR, {TOTAL: 10, T: None, U: None})], ADDS_UP)
    assert reader.interval(YEAR, T) == (0, 10)


def test_a_share_bounds_a_cell_by_its_base():
    # U = 5 is 50 % of T + U, rounded: T + U lies in 500/51 .. 500/49 = 9.8 .. 10.2, so T in 4.8 .. 5.2: 5.
    reader = Reader([Publication(YEAR, {T: None, U: 5}, ((U, 50, (T, U)),))], [])
    assert reader.interval(YEAR, T) == (5, 5)


def test_without_a_bound_the_greatest_is_infinite():
    assert Reader([Publication(YEAR, {T: None})], []).interval(YEAR, T) == (0, float("inf"))
