"""The rounding rules of the figures, each worked by hand, halves included."""

import numpy as np
import pytest

from reportlib.figures import percent, stats


@pytest.mark.parametrize("counts,expected", [
    ([2, 1, 4, 2, 2], [18, 9, 37, 18, 18]),  # the seed's own BEM/O centre table
    ([72, 30, 12], [63, 26, 11]),  # the seed's area table
    ([1, 1, 1], [33, 33, 33]),  # three equal counts cannot share one point: 99 in all
    ([3, 3, 1], [43, 43, 14]),  # 42.9, 42.9, 14.3: the two 3s take both missing points together
    ([2, 2, 2, 1], [28, 28, 28, 14]),  # 28.6 x3 do not fit 2 points; 14.3 then gets none either: 98
    ([1, 3, 196], [1, 1, 98]),  # 0.5 and 1.5: equal remainders of different counts, first listed wins
    ([3, 1, 196], [2, 0, 98]),
    ([8, 8, 8, 8, 9, 8, 10, 9, 10, 11, 12, 13, 14, 17, 21, 13], None),  # checked below: equal stays equal
    ([1, 2], [33, 67]),
    ([5], [100]),
    ([0, 0, 0], [0, 0, 0]),
    ([0, 3, 0], [0, 100, 0]),
])
def test_shares_of_a_whole_by_largest_remainder(counts, expected):
    assert percent.largest_remainder(counts).dtype == np.int64  # whole numbers, also when all counts are 0
    pct = percent.largest_remainder(counts).tolist()
    if expected is not None:
        assert pct == expected
    assert sum(pct) in (100, 0) or (99 - len(counts) < sum(pct) < 100)  # never more than 100
    by_count = {}
    for count, share in zip(counts, pct, strict=True):
        assert by_count.setdefault(count, share) == share  # equal counts, equal percentages


def test_counts_of_a_narrow_integer_type_do_not_wrap_around():
    # A table of 200 and 56 (total 256) kept as bytes: 200 * 100 does not fit in a byte (it would wrap
    # to 32). Computed in int64: 78.125 and 21.875 -> 78 and 21, and the missing point goes to the
    # larger remainder (.875): 78 and 22.
    counts = np.array([200, 56], dtype=np.uint8)
    assert percent.largest_remainder(counts).tolist() == [78, 22]
    frame = stats.table(["a", "b"], counts)
    assert [tuple(r) for r in frame.itertuples(index=False)] == [("a", 200, 78), ("b", 56, 22)]
    assert frame["count"].dtype == np.int64  # sums and differences of counts cannot wrap around either


@pytest.mark.parametrize("part,whole,expected", [
    (1, 8, 13),  # 12.5: half rounded up
    (3, 8, 38),  # 37.5
    (2, 3, 67), (1, 3, 33), (0, 4, 0), (4, 4, 100),
    (0, 0, None),  # nothing examined: no rate
])
def test_a_rate_rounds_half_up(part, whole, expected):
    assert percent.rate(part, whole) == expected




@pytest.mark.parametrize("current,previous,expected", [
    (3, 2, 50),  # +1 of 2
    (1, 4, -75),  # -3 of 4
    (9, 8, 13),  # +1 of 8 is +12.5 %: half away from zero, as 1 of 8 is 13 %
    (7, 8, -13),  # -12.5 %: the same size of change reads the same either way
    (11, 8, 38), (5, 8, -38),  # +/- 37.5
    (8, 8, 0), (0, 3, -100),
    (5, 0, None),  # no base to compare with
])
def test_a_change_in_whole_percent_rounds_a_half_away_from_zero(current, previous, expected):
    assert percent.change(current, previous) == expected


def test_a_change_and_a_rate_of_the_same_size_agree():
    # Before one module held every rule, +1 on 8 was "+12 %" (round() takes a half to even) while 1 of 8 was 13 %.
    assert percent.change(9, 8) == percent.rate(1, 8) == 13


@pytest.mark.parametrize("value,expected", [
    (2.25, 2.3),  # round(2.25, 1) gives 2.2: the float is a shade below the half
    (23.45, 23.5), (0.05, 0.1), (2.35, 2.4), (9.96, 10.0), (2.0 / 3, 0.7), (4.0, 4.0),
])
def test_a_decimal_rounds_a_half_up_as_written(value, expected):
    assert percent.decimal(value) == expected
