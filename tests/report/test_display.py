"""Showing an analyst's chart or table as the board gets it: alt text, accessible tables, same bytes."""

import base64
import datetime as dt
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from reportlib import show
from reportlib.report.display import format_cell, table_html


def chart():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["Nord", "Syd"], [3, 5])
    return ax


def test_a_chart_is_an_svg_image_with_its_alt_text_and_caption():
    shown = show(chart(), alt="Søjler: Nord 3, Syd 5", caption="Sager & områder")
    match = re.fullmatch(r'<figure class="chart"><img src="data:image/svg\+xml;base64,([^"]+)" '
                         r'alt="Søjler: Nord 3, Syd 5"><figcaption>Sager &amp; områder</figcaption></figure>',
                         shown._repr_html_())
    svg = base64.b64decode(match.group(1)).decode()
    assert "<dc:date>" not in svg and ">Nord<" in svg  # no timestamp; text stays text
    assert repr(shown) == "<figur: Søjler: Nord 3, Syd 5>"
    assert plt.get_fignums() == []  # closed, so Jupyter's inline backend does not show it again


def test_the_same_chart_gives_the_same_bytes():
    assert show(chart(), alt="a")._repr_html_() == show(chart(), alt="a")._repr_html_()


def test_a_figure_is_accepted_like_its_axes():
    assert 'alt="x"' in show(chart().figure, alt="x")._repr_html_()


@pytest.mark.parametrize("alt", [None, "", "  "])
def test_a_chart_without_alt_text_is_refused(alt):
    with pytest.raises(ValueError, match="show\\(\\) needs alt text for a chart: describe in Danish"):
        show(chart(), alt=alt)


def test_only_charts_and_tables_can_be_shown():
    with pytest.raises(ValueError, match="not list"):
        show([1, 2], alt="x")


def test_a_table_has_scoped_headers_danish_numbers_and_no_unnamed_index():
    frame = pd.DataFrame({"Område": ["Nord", "Syd"], "Sager": [1234, 5], "Andel": [0.5, 12.25],
                          "Åben": [True, False]})
    html = str(table_html(frame, caption="Sager <i alt>"))
    assert html == (
        '<div class="table-wrap"><table><caption>Sager &lt;i alt&gt;</caption>'
        '<thead><tr><th scope="col">Område</th><th scope="col" class="num">Sager</th>'
        '<th scope="col" class="num">Andel</th><th scope="col">Åben</th></tr></thead><tbody>'
        '<tr><td>Nord</td><td class="num">1.234</td><td class="num">0,5</td><td>ja</td></tr>'
        '<tr><td>Syd</td><td class="num">5</td><td class="num">12,2</td><td>nej</td></tr>'
        '</tbody></table></div>')


def test_a_named_index_becomes_the_row_headers():
    frame = pd.DataFrame({"Sager": [3]}, index=pd.Index(["Nord"], name="Område"))
    html = show(frame)._repr_html_()
    assert '<th scope="col">Område</th><th scope="col" class="num">Sager</th>' in html
    assert '<tr><th scope="row">Nord</th><td class="num">3</td></tr>' in html


@pytest.mark.parametrize("value,shown", [
    (None, ""), (float("nan"), ""), (pd.NA, ""), (3.0, "3"), (1234567, "1.234.567"), (2.5, "2,5"),
    (dt.date(2019, 11, 1), "1. november 2019"), (pd.Timestamp("2020-02-29"), "29. februar 2020"), ("<b>", "<b>"),
])
def test_cells_are_written_the_danish_way(value, shown):
    assert format_cell(value).replace("\u00a0", " ") == shown  # escaping is the table's job


def test_percentage_columns_show_a_percent_sign_and_stay_right_aligned():
    frame = pd.DataFrame({"Område": ["Nord", "Syd"], "Andel": pd.array([63, None], dtype="Int64")})
    html = str(table_html(frame, percent=("Andel",)))
    assert '<th scope="col" class="num">Andel</th>' in html
    assert '<td class="num">63\u00a0%</td>' in html and '<td class="num"></td>' in html  # missing stays empty


def test_a_chart_in_the_reports_style_reads_on_a_phone_and_seaborns_default_does_not(monkeypatch):
    import IPython.display
    import matplotlib.pyplot as plt
    import pandas as pd

    from reportlib import bars
    from reportlib.report import display
    from reportlib.report.outputs import WARNING_MIMETYPE

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kwargs: shown.extend(objs))
    house = bars(pd.DataFrame({"label": ["a", "b"], "count": [3, 1], "pct": [75, 25]}), value="count")
    # 4.5 in wide (432 px) on 360 px: 11 pt text (14,67 px) shows at 12,2 px.
    assert round(display.phone_text_px(house.figure), 1) == 12.2
    display.show(house, alt="Søjler")
    assert shown == []
    _, plain = plt.subplots()  # matplotlib's default: 6.4 in (614,4 px), 10 pt text: 13,33 px x 360/614,4 = 7,8 px
    plain.bar(["a", "b"], [3, 1])
    assert round(display.phone_text_px(plain.figure), 1) == 7.8
    display.show(plain, alt="Søjler", caption="Mine søjler")
    [warning] = shown
    assert warning[WARNING_MIMETYPE]["message"] == (
        "chart 'Mine søjler': its smallest text is 7,8 px on a phone (390 px wide), below 9,0 px; draw it with "
        "reportlib.bars, or narrower (figsize) or with larger text")
    assert warning["text/plain"].startswith("Advarsel: diagrammets mindste tekst bliver 7,8 px på en telefon")
