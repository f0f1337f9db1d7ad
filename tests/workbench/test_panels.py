"""A table as the analyst sees it: Danish cells, escaped, long texts cut (never 'ikke registreret')."""

import pandas as pd

from reportlib.workbench import panels, selection

NR = selection.NOT_RECORDED


def test_cells_are_danish_text_escaped_and_long_ones_cut():
    frame = pd.DataFrame({"Område": ["By & Land", "Arbejdsmarked/Social & Sundhed"], "Sager": [1234, 5],
                          "Median": [12.5, None], "Andel": pd.array([63, None], dtype="Int64"),
                          "Dato": pd.to_datetime(["2018-11-01", None]), "Møde": [True, False]})
    cells = panels.Table("T", frame, "T", percent=("Andel",), cut=True).cells()
    assert cells.map(lambda c: c.replace("\u00a0", " ")).values.tolist() == [
        ["By &amp; Land", "1.234", "12,5", "63 %", "2018-11-01", "ja"],
        ['<span class="reportlib-cut" title="Arbejdsmarked/Social &amp; Sundhed">Arbejdsmarked/Social &amp; Sundhed'
         '</span>', "5", "", "", "", "nej"]]


def test_not_recorded_is_never_cut():
    frame = pd.DataFrame({"Type": ["Anden henvendelse"], "Kanal": [NR]})
    assert panels.Table("T", frame, "T", cut=True).cells().values.tolist()[0][1] == NR


def test_only_the_case_table_cuts_long_texts():
    frame = pd.DataFrame({"Område": ["Arbejdsmarked/Social & Sundhed"]})
    assert panels.Table("T", frame, "T").cells().values.tolist() == [["Arbejdsmarked/Social &amp; Sundhed"]]
