"""Charts: drawn from tidy tables into the given Axes, labelled in Danish, nothing shown or saved."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from reportlib.figures.stats import table
from reportlib.report import charts

AREAS = table(["Arbejdsmarked", "Børn og Unge", "By og Miljø"], [72, 30, 12])  # 63 / 26 / 11 %


def nb(text):
    return text.replace("\u00a0", " ")


def value_labels(ax):
    return [nb(t.get_text()) for t in ax.texts if t.get_text() not in category_labels(ax)]


def category_labels(ax):
    """The category names, which stand above their bars (left-aligned at zero)."""
    return [t.get_text() for t in ax.texts if t.get_ha() == "left" and t.get_va() == "bottom"]


def test_distribution_bars_draw_into_the_given_axes_in_table_order():
    _, ax = plt.subplots()
    assert charts.bars(AREAS, ax=ax) is ax
    assert [round(bar.get_width()) for bar in ax.patches] == [63, 26, 11]
    assert [round(bar.get_y() + bar.get_height() / 2) for bar in ax.patches] == [0, 1, 2]
    assert category_labels(ax) == ["Arbejdsmarked", "Børn og Unge", "By og Miljø"]
    assert value_labels(ax) == ["63 %", "26 %", "11 %"]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # the first category on top


def test_long_category_names_wrap_and_the_text_is_11_points():
    ax = charts.bars(table(["Et meget langt områdenavn, som ikke kan stå på én linje over søjlen", "b"],
                                       [1, 2]))
    assert category_labels(ax)[0] == "Et meget langt områdenavn, som ikke kan\nstå på én linje over søjlen"  # 42 a line
    assert {t.get_fontsize() for t in ax.texts} == {charts.FONT_SIZE} == {11}


def test_counts_use_danish_thousands():
    ax = charts.bars(table(["a", "b"], [1234, 5]), value="count")
    assert value_labels(ax) == ["1.234", "5"]


def test_suppressed_cell_draws_no_bar_and_shows_a_star():
    suppressed = AREAS.assign(pct=pd.array([63, None, None], dtype="Int64"))
    ax = charts.bars(suppressed)
    assert [round(bar.get_width()) for bar in ax.patches] == [63, 0, 0]
    assert value_labels(ax) == ["63 %", "*", "*"]


def test_unknown_value_column_is_named():
    with pytest.raises(ValueError, match="value must be 'pct' or 'count', not 'share'"):
        charts.bars(AREAS, value="share")


def test_monthly_bars():
    months = pd.DataFrame({"month": ["2018-11", "2018-12"], "count": [2, 0]})
    ax = charts.monthly_bars(months)
    assert [bar.get_height() for bar in ax.patches] == [2, 0]
    # Three letters fit twelve columns; the year stands under the first month and under January.
    assert [t.get_text() for t in ax.get_xticklabels()] == ["nov\n2018", "dec"]
    year_turn = pd.DataFrame({"month": ["2018-12", "2019-01", "2019-02"], "count": [1, 2, 3]})
    assert [t.get_text() for t in charts.monthly_bars(year_turn).get_xticklabels()] == ["dec\n2018", "jan\n2019", "feb"]


def test_alt_text_lists_every_category():
    assert nb(charts.alt_text(AREAS, "sager fordelt på område")) == (
        "Vandret søjlediagram over sager fordelt på område: Arbejdsmarked 63 %, Børn og Unge 26 %, By og Miljø 11 %.")


def test_alt_text_of_counts_and_of_withheld_cells():
    counts = table(["Oplæg", "Åben rådgivning"], [1234, 9])
    assert nb(charts.alt_text(counts, "aktiviteter", value="count")) == (
        "Vandret søjlediagram over aktiviteter: Oplæg 1.234, Åben rådgivning 9.")
    withheld = AREAS.assign(pct=pd.array([63, None, None], dtype="Int64"))
    assert nb(charts.alt_text(withheld, "områder")).endswith("Arbejdsmarked 63 %, Børn og Unge *, By og Miljø *.")


def test_monthly_alt_text_names_every_month():
    months = pd.DataFrame({"month": ["2018-12", "2019-01"], "count": [1500, 0]})
    assert nb(charts.monthly_alt_text(months)) == ("Søjlediagram over sager pr. måned: december 2018 1.500, "
                                                  "januar 2019 0.")


def test_plots_never_show_or_save(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("plot functions must not show or save")

    monkeypatch.setattr(plt, "show", forbidden)
    monkeypatch.setattr(plt.Figure, "savefig", forbidden)
    charts.bars(AREAS)
    charts.monthly_bars(pd.DataFrame({"month": ["2019-01"], "count": [3]}))


def test_monthly_trend_draws_one_line_per_type_in_table_order():
    months = pd.DataFrame({"month": ["2018-11", "2018-11", "2018-12", "2018-12"],
                           "type": ["Anden henvendelse", "Klage"] * 2, "count": [1, 2, 0, 3]})
    _, ax = plt.subplots()
    assert charts.monthly_trend(months, ax=ax) is ax
    drawn = [line for line in ax.lines if len(line.get_xdata())]
    assert [list(line.get_ydata()) for line in drawn] == [[1, 0], [2, 3]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["nov.\n2018", "dec.\n2018"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Måned", "Sager")
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "Henvendelsestype"
    assert [t.get_text() for t in legend.texts] == ["Anden henvendelse", "Klage"]


def test_monthly_trend_labels_at_most_twelve_months():
    # 36 months: every third is labelled, November, February, May and August of each year.
    months = pd.DataFrame({"month": pd.period_range("2018-11", "2021-10", freq="M").strftime("%Y-%m"),
                           "type": "Klage", "count": 1})
    labels = [t.get_text() for t in charts.monthly_trend(months).get_xticklabels()]
    assert len(labels) == 12
    assert labels[:4] == ["nov.\n2018", "feb.\n2019", "maj\n2019", "aug.\n2019"]


@pytest.mark.parametrize("label", ["Telefon $5 og $10", "$\\nosuch$"])
def test_a_label_with_dollar_signs_is_drawn_as_written_not_as_mathematics(label):
    from reportlib.report.display import chart_html

    ax = charts.bars(table([label, "b"], [1, 2]))
    assert category_labels(ax)[0] == label
    assert all(not t.get_parse_math() for t in ax.texts if t.get_text() == label)
    assert "<figure" in chart_html(ax, alt="x")  # drawing it does not fail either


# The exploration notebook's charts.


def test_handling_time_spread_has_a_row_per_area_and_the_target_line():
    days = pd.DataFrame({"area": pd.Categorical(["Nord", "Nord", "Nord"], categories=["Nord", "Syd"]),
                         "days": [5, 10, 30]})
    _, ax = plt.subplots()
    assert charts.handling_time_spread(days, target=14, ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Nord", "Syd"]  # Syd is listed without cases
    assert [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--"] == [14]
    assert [t.get_text() for t in ax.texts] == ["Mål: 14 dage"]
    assert ax.get_xlabel() == "Dage fra modtaget til afsluttet"


def test_handling_time_spread_without_closed_cases_says_so():
    days = pd.DataFrame({"area": pd.Categorical([], categories=["Nord"]), "days": pd.Series([], dtype="int64")})
    ax = charts.handling_time_spread(days)
    assert [t.get_text() for t in ax.texts] == ["Ingen afsluttede sager"]


def test_handling_time_alt_text_gives_the_spread_of_each_area():
    summary = pd.DataFrame({"area": ["Nord", "Syd"], "closed": [3, 0], "q1": [7.5, None], "median": [10.0, None],
                            "q3": [20.0, None], "within_target_pct": pd.array([67, None], dtype="Int64")})
    assert nb(charts.handling_time_alt_text(summary, 10)) == (
        "Boksdiagram over sagsbehandlingstiden i dage pr. område, med målet på 10 dage som lodret linje. "
        "Nord: 3 sager, median 10,0 dage, halvdelen mellem 7,5 og 20,0 dage, 67 % inden for målet; "
        "Syd: ingen afsluttede sager.")


SEASONS = pd.DataFrame({"year": ["2018/19"] * 2 + ["2019/20"] * 2,
                        "month": ["2018-11", "2018-12", "2019-11", "2019-12"], "count": [1, 2, 3, 0]})


def test_seasonality_lines_put_the_years_over_the_same_months():
    ax = charts.seasonality_lines(SEASONS)
    drawn = [line for line in ax.lines if len(line.get_xdata())]
    assert [list(line.get_xdata()) for line in drawn] == [[0, 1], [0, 1]]
    assert [list(line.get_ydata()) for line in drawn] == [[1, 2], [3, 0]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["nov.", "dec."]  # the months, whatever the year
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2018/19", "2019/20"]


def test_seasonality_alt_text_names_every_month_of_every_year():
    assert charts.seasonality_alt_text(SEASONS) == (
        "Linjediagram over sager pr. måned, én linje pr. beretningsår. "
        "2018/19: nov. 1, dec. 2; 2019/20: nov. 3, dec. 0.")


CHANGE = pd.DataFrame({"centre": ["Ydelser", "Jobcenter", "Vej/park"], "count": [5, 3, 0], "previous": [2, 3, 1234],
                       "diff": [3, 0, -1234]})


def test_centre_change_bars_are_signed_and_in_table_order():
    ax = charts.centre_change_bars(CHANGE)
    assert [round(bar.get_width()) for bar in ax.patches] == [3, 0, -1234]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ydelser", "Jobcenter", "Vej/park"]
    assert [t.get_text() for t in ax.texts] == ["+3", "0", "\u22121.234"]  # a real minus sign


@pytest.mark.parametrize("draw", ["spread", "change"])
def test_the_exploration_charts_draw_dollar_signs_in_a_label_as_written(draw):
    from reportlib.report.display import chart_html

    label = "By $\\nosuch$ miljø"  # mathematics that matplotlib cannot parse, were it read as such
    if draw == "spread":
        ax = charts.handling_time_spread(pd.DataFrame({"area": pd.Categorical([label, "Syd"]), "days": [5, 10]}))
    else:
        ax = charts.centre_change_bars(CHANGE.assign(centre=[label, "Jobcenter", "Vej/park"]))
    assert label in [t.get_text() for t in ax.get_yticklabels()]
    assert "<figure" in chart_html(ax, alt="x")  # drawing it does not fail
    assert label in [t.get_text() for t in ax.get_yticklabels()]  # nor make new labels that parse it


def test_centre_change_alt_text():
    assert charts.centre_change_alt_text(CHANGE) == (
        "Vandret søjlediagram over ændringen i problemstillinger pr. center fra perioden før: "
        "Ydelser +3 (2 til 5), Jobcenter 0 (3 til 3), Vej/park \u22121.234 (1.234 til 0).")


TREND = pd.DataFrame({"period": ["2018/19", "2018/19", "2019/20", "2019/20"],
                      "label": ["Anden henvendelse", "Klage", "Anden henvendelse", "Klage"],
                      "count": [640, 500, 1120, 3]})


def test_trend_bars_stack_the_types_of_each_period_in_table_order():
    _, ax = plt.subplots()
    assert charts.trend_bars(TREND, ax=ax) is ax
    # The first type's parts, then the second's, each starting where the first ends.
    assert [(bar.get_x(), bar.get_width()) for bar in ax.patches] == [(0, 640), (0, 1120), (640, 500), (1120, 3)]
    assert [round(bar.get_y() + bar.get_height() / 2) for bar in ax.patches[:2]] == [0, 1]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # the first period on top
    texts = [nb(t.get_text()) for t in ax.texts]
    assert category_labels(ax) == ["2018/19", "2019/20"]
    assert {"1.140", "1.123"} <= set(texts)  # each period's total at its bar's end, Danish thousands
    # A part too small to hold its count (3, less than a tenth of 1.140) shows none; the table beside it has it.
    assert "3" not in texts and {"640", "500", "1.120"} <= set(texts)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Anden henvendelse", "Klage"]
    assert {t.get_fontsize() for t in ax.texts} | {t.get_fontsize() for t in ax.get_legend().get_texts()} == {11}
    assert charts.trend_bars(TREND).figure.get_figwidth() == charts.WIDTH  # a figure of its own is the report's width


def test_trend_alt_text_gives_every_period_its_total_and_types():
    assert nb(charts.trend_alt_text(TREND)) == (
        "Vandret søjlediagram over sagerne i hver periode, delt efter type. 2018/19: 1.140 i alt (Anden henvendelse "
        "640, Klage 500); 2019/20: 1.123 i alt (Anden henvendelse 1.120, Klage 3).")
