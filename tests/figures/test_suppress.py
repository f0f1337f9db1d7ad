"""Small-cell suppression in a figures document: the cells, the rule per table, the second cell, withholding more."""

import copy

import pytest

from reportlib.figures import suppress


def rows(counts, pcts=None):
    pcts = pcts or [None] * len(counts)
    return [{"label": label, "count": count, "pct": pct}
            for label, count, pct in zip("abcdefg"[:len(counts)], counts, pcts, strict=True)]


def document(*, topics=(), areas=(5,), centres=None, methods=None, criticism=None, themes=None):
    """A figures document with only the tables suppression reads."""
    return {
        "areas": rows(list(areas)),
        "centres": centres or {},
        "complaint_categories": rows([3]),
        "topics": rows(list(topics)),
        "methods": methods,
        "criticism": criticism,
        "comparable": {"themes": themes or []},
    }


def withheld(counts, min_celle):
    doc = document(topics=counts)
    suppress.apply(doc, min_celle)
    return [row["suppressed"] for row in doc["topics"]]


def test_off_when_min_celle_is_0_yet_every_row_says_it_is_shown():
    doc = document(topics=[1, 9])
    suppress.apply(doc, 0)
    assert doc["topics"] == [{"label": "a", "count": 1, "pct": None, "suppressed": False},
                             {"label": "b", "count": 9, "pct": None, "suppressed": False}]


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


def test_a_withheld_row_loses_every_number_and_keeps_its_names():
    doc = document(topics=[4, 1, 6])
    doc["topics"] = rows([4, 1, 6], [36, 9, 55])
    suppress.apply(doc, 3)
    assert doc["topics"] == [{"label": "a", "count": None, "pct": None, "suppressed": True},
                             {"label": "b", "count": None, "pct": None, "suppressed": True},
                             {"label": "c", "count": 6, "pct": 55, "suppressed": False}]


def test_each_area_is_a_table_of_its_own():
    doc = document(centres={"A": rows([1, 8]), "B": rows([5, 5])},
                   methods={"by_area": {"A": rows([2, 0]), "B": rows([4, 4])}})
    suppress.apply(doc, 3)
    assert [row["suppressed"] for row in doc["centres"]["A"] + doc["centres"]["B"]] == [True, True, False, False]
    # The only other cell of A's methods is a zero: withheld, since 2 would be the area's total.
    assert [row["suppressed"] for row in doc["methods"]["by_area"]["A"]] == [True, True]


def test_an_examined_row_is_withheld_whole_by_its_examined_cases():
    criticism = {"by_area": [{"area": "A", "examined": 2, "criticised": 2, "rate_pct": 100},
                             {"area": "B", "examined": 9, "criticised": 1, "rate_pct": 11},
                             {"area": "C", "examined": 12, "criticised": 0, "rate_pct": 0}]}
    doc = document(criticism=criticism)
    suppress.apply(doc, 3)
    assert doc["criticism"]["by_area"][0] == {"area": "A", "examined": None, "criticised": None, "rate_pct": None,
                                              "suppressed": True}
    assert doc["criticism"]["by_area"][1]["suppressed"]  # the second cell: 9 is the smallest other
    assert doc["criticism"]["by_area"][2]["criticised"] == 0  # a criticised count is no cell of its own


def test_an_unmapped_theme_is_no_cell():
    themes = [{"label": "x", "count": 1, "pct": 100, "mapped": True},
              {"label": "y", "count": None, "pct": None, "suppressed": False, "mapped": False}]
    doc = document(themes=themes)
    suppress.apply(doc, 3)
    # One mapped cell only, and small: withheld; the unmapped one is no second cell to withhold beside it.
    assert doc["comparable"]["themes"][0]["suppressed"] and not doc["comparable"]["themes"][1]["suppressed"]


def test_the_cells_are_named_by_kind_and_table():
    doc = document(topics=[4], centres={"A": rows([7])}, methods={"by_area": {"A": rows([1])}},
                   criticism={"by_area": [{"area": "A", "examined": 3, "criticised": 1, "rate_pct": 33}]})
    names = [suppress.key(kind, within, row) for kind, within, table in suppress.tables(doc) for row in table]
    assert names == [("areas", "a"), ("centres", "A", "a"), ("categories", "a"), ("topics", "a"),
                     ("methods", "A", "a"), ("examined", "A")]


def test_withhold_withholds_the_named_cells_only():
    doc = document(topics=[4, 5, 6], centres={"A": rows([4, 5])})
    suppress.apply(doc, 3)
    before = copy.deepcopy(doc)
    suppress.withhold(doc, {("topics", "b"), ("centres", "A", "a"), ("topics", "nothing")})
    assert [row["count"] for row in doc["topics"]] == [4, None, 6]
    assert [row["count"] for row in doc["centres"]["A"]] == [None, 5]
    assert doc["areas"] == before["areas"]
