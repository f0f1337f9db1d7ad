"""Small-cell suppression, including the second cell that stops recovery by subtraction."""

import pandas as pd
import pytest

from reportlib.figures.stats import table
from reportlib.figures.suppress import suppress


def withheld(counts, min_celle):
    return suppress(table(list("abcdefg"[: len(counts)]), counts), min_celle)["suppressed"].tolist()


def test_off_by_default():
    result = suppress(table(["a", "b"], [1, 9]), 0)
    assert result["suppressed"].tolist() == [False, False]
    assert result["count"].tolist() == [1, 9]
    assert (result["count"].dtype, result["pct"].dtype) == ("Int64", "Int64")  # the same columns as when on


@pytest.mark.parametrize("counts,min_celle,expected", [
    ([4, 1, 6], 3, [True, True, False]),  # 1 alone would be total - 10: withhold the smallest other, 4
    ([1, 2, 9], 3, [True, True, False]),  # two small cells protect each other
    ([5, 2, 0, 7], 3, [True, True, False, False]),  # the second cell is non-zero when there is one
    ([3, 0, 0], 5, [True, False, True]),  # only zeros left: the last of them
    ([6, 6, 2, 6], 3, [False, False, True, True]),  # equal candidates: the one listed last
    ([0, 5, 7], 3, [False, False, False]),  # zero is not small: nothing withheld
    ([3, 5, 7], 3, [False, False, False]),  # 3 is not below the threshold 3: shown
    ([2], 3, [True]),  # a table of one cell: nothing else to withhold
])
def test_which_cells_are_withheld(counts, min_celle, expected):
    assert withheld(counts, min_celle) == expected


def test_withheld_cells_lose_count_and_percentage():
    result = suppress(table(["a", "b", "c"], [4, 1, 6]), 3)
    assert result["count"].isna().tolist() == [True, True, False]
    assert result["pct"].isna().tolist() == [True, True, False]
    assert result.loc[2, "count"] == 6 and result.loc[2, "pct"] == 55  # 6/11 -> 54.5 -> 55
    # Nullable integers: the shown cells stay whole numbers (6, not 6.0) beside the missing ones.
    assert (result["count"].dtype, result["pct"].dtype) == ("Int64", "Int64")


def test_groups_are_separate_tables():
    frame = pd.concat([table(["x", "y"], [1, 8]).assign(area="A"), table(["z", "w"], [5, 5]).assign(area="B")],
                      ignore_index=True)
    assert suppress(frame, 3, by="area")["suppressed"].tolist() == [True, True, False, False]
