"""The workbench's controls and sections, driven from Python as the browser drives them, on test_stats' register.

Cases (see stats_register.py and test_explore.py): A 2018-10-31 Klage, primary Social/Jobcenter; B 2018-11-01 Klage,
Social/Jobcenter, Vejledt; C 2019-03-15 Anden henvendelse, Social/Ydelser (marked), Afvist; D 2019-10-31 Klage,
Social/Ydelser, open; E 2019-11-01 Anden henvendelse, Teknik/Vej/park. Reporting years start in November;
the target is 10 days.
"""

import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest

import stats_register
from conftest import KOMMUNE_YML, TODAY
from reportlib import load_register
from reportlib.exceptions import LabelError
from reportlib.periods import Period
from reportlib.workbench import panels, selection, widgets
from stats_register import YEAR

register, unkept_register = stats_register.register, stats_register.unkept  # stats_register's fixtures

# The same cases without the columns a register may not keep (kanal, udfald, moede_deltaget, klagebistand).
NR = selection.NOT_RECORDED
UDFALD_NOTICE = ("Kolonnen udfald i sager er ikke registreret (den mangler i registret eller er tom), "
                 "så der er ingen tal at vise.")


@pytest.fixture
def bench(register, tmp_path):
    return widgets.Workbench(register, periode="2018/19", omraade="social", center="Ydelser",
                               excel_dir=tmp_path / "intern")


@pytest.fixture
def unkept(unkept_register, tmp_path):
    """The bench of ``bench`` on stats_register's register without those four columns and with no activities."""
    return widgets.Workbench(unkept_register, periode="2018/19", omraade="social", center="Ydelser",
                             excel_dir=tmp_path / "intern")


def shown(bench, section, index=0):
    """The rows the interactive table of a section shows, as lists of cell texts (non-breaking spaces as spaces)."""
    rows = bench.section(section).itables[index].df.values.tolist()
    return [[c.replace("\u00a0", " ") if isinstance(c, str) else c for c in row] for row in rows]


def test_a_year_with_only_activities_is_a_period_to_choose(make_register):
    # Before one rule said which periods a register covers, the workbench listed only the years of
    # received cases, while `run --all` reported a year with activities only: 2019/20 here.
    folder = make_register(aktiviteter="dato,aktivitet,antal_borgere\n2019-09-02,Åben rådgivning,3\n"
                                      "2020-03-02,Åben rådgivning,4\n",
                           complete="komplet_fra: 2018-11-01\nkomplet_til: 2020-10-31\n")
    register = load_register(folder, today=TODAY)
    assert [label for label, _ in widgets.period_options(register)] == [
        "2018/19", "2018/19, 1. halvår", "2018/19, 2. halvår", "2019/20", "2019/20, 1. halvår"]


def test_the_periods_are_the_years_and_covered_halves(bench):
    # 2017/18 has only A (October 2018, second half); 2019/20 only E and a session in November (first half),
    # the month through which the register is complete (kommune.yml): that is what is counted of it.
    assert [label.replace("\u00a0", " ") for label, _ in bench.period.options] == [
        "2017/18", "2017/18, 2. halvår", "2018/19", "2018/19, 1. halvår", "2018/19, 2. halvår",
        "2019/20 (opgjort 1. november 2019 – 30. november 2019)",
        "2019/20, 1. halvår (opgjort 1. november 2019 – 30. november 2019)"]
    assert bench.period.value == YEAR and bench.period.label == "2018/19"


def test_the_controls_start_from_the_parameters(bench):
    assert (bench.area.value, bench.centre.value, bench.kind.value) == ("Social", "Ydelser", "")  # as in kommune.yml
    assert [label for label, _ in bench.centre.options] == ["Alle centre", "Jobcenter", "Ydelser"]
    assert [label for label, _ in bench.area.options] == ["Alle områder", "Social", "Teknik"]
    assert [label for label, _ in bench.kind.options] == ["Alle henvendelsestyper", "Anden henvendelse", "Klage"]
    # C and D have their primary problem in Ydelser.
    assert [row[0] for row in shown(bench, "cases")] == ["C", "D"]


def test_a_period_of_its_own_and_a_centre_without_its_area(register):
    bench = widgets.Workbench(register, periode="2019-03-01:2019-03-31", center="jobcenter")
    label, period = bench.period.options[0]
    assert (label.replace("\u00a0", " "), period) == ("1. marts 2019 – 31. marts 2019",
                                                      Period(dt.date(2019, 3, 1), dt.date(2019, 3, 31)))
    assert (bench.area.value, bench.centre.value) == ("Social", "Jobcenter")  # the centre brings its area
    assert shown(bench, "cases") == []  # C, the only case in March 2019, is in Ydelser


def test_a_half_year(register):
    bench = widgets.Workbench(register, periode="2018/19-H1")
    assert bench.period.label == "2018/19, 1. halvår" and bench.centre.disabled
    assert [row[0] for row in shown(bench, "cases")] == ["B", "C"]  # received November 2018 to April 2019


def test_unknown_labels_are_refused(register):
    with pytest.raises(LabelError, match="omraade 'Sociaal': unknown area; did you mean 'Social'"):
        widgets.Workbench(register, periode="2018/19", omraade="Sociaal")


def test_changing_the_area_lists_its_centres_and_updates_the_tables_in_place(bench):
    cases, centres = bench.section("cases").itables[0], bench.section("distributions").itables[1]
    bench.area.value = "Teknik"
    assert [label for label, _ in bench.centre.options] == ["Alle centre", "Vej/park"]
    assert bench.centre.value == "" and not bench.centre.disabled
    # No 2018/19 case has its primary problem in Teknik; B's and C's Teknik rows are both Vej/park.
    assert bench.section("cases").itables[0] is cases and cases.df.values.tolist() == []
    assert bench.section("distributions").itables[1] is centres
    assert centres.df.values.tolist() == [["Vej/park", "2", "100\u00a0%"]]  # "100 %", never broken
    # Updated with the same options: the cells' HTML is kept as HTML, and a short table has no pages.
    assert centres._dt_args["paging"] is False and "<span" not in centres._dt_args["data_json"]
    assert cases._dt_args["pageLength"] == 10
    assert "Problemstillinger pr. center i Teknik" in bench.section("distributions").captions[1].value

    bench.area.value = ""
    assert bench.centre.options == (("Alle centre", ""),) and bench.centre.disabled
    assert [row[0] for row in cases.df.values.tolist()] == ["B", "C", "D"]
    # Every centre, with its area: B Jobcenter; C and D Ydelser (1 and 2 of 3); Vej/park 2 of 2.
    assert centres.df.map(lambda c: c.replace("\u00a0", " ")).values.tolist() == [
        ["Social", "Jobcenter", "1", "33 %"], ["Social", "Ydelser", "2", "67 %"], ["Teknik", "Vej/park", "2", "100 %"]]


def test_the_type_period_and_centre_filter_the_cases(bench):
    bench.kind.value = "Klage"
    assert [row[0] for row in shown(bench, "cases")] == ["D"]  # C is another inquiry
    bench.centre.value = "Jobcenter"
    assert [row[0] for row in shown(bench, "cases")] == ["B"]
    bench.period.value = Period(dt.date(2017, 11, 1), dt.date(2018, 10, 31))
    assert [row[0] for row in shown(bench, "cases")] == ["A"]
    assert bench.section("cases").content.note.startswith(
        '<p class="reportlib-note" style="line-height: 1.4; margin: 0.3em 0">Vist for: <strong>2017/18 · Klage · '
        'Social · Jobcenter</strong> 1\u00a0sag.')  # one case: singular


def test_the_case_table_reads_in_danish(bench):
    # C: 15 March 2019 to 14 April 2019, Skriftlig, Afvist, no meeting, a complaint letter. Area and centre
    # are chosen, so those columns (one value each) are left out on screen; "Klagebistand" may break.
    header = list(bench.section("cases").itables[0].df.columns)
    assert header == ["Sag", "Modtaget", "Afsluttet", "Type", "Kanal", "Udfald", "Møde", "Klage\u00adbistand", "Emne"]
    assert shown(bench, "cases")[0] == ["C", "2019-03-15", "2019-04-14", '<span class="reportlib-cut" title="Anden '
                                        'henvendelse">Anden henvendelse</span>', "Skriftlig", "Afvist", "nej", "ja",
                                        "Andet"]
    assert shown(bench, "cases")[1][2] == ""  # D is open
    # The Excel export keeps every column.
    assert list(bench.tables()["Sager"].columns) == ["Sag", "Modtaget", "Afsluttet", "Type", "Kanal", "Udfald", "Møde",
                                                     "Klagebistand", "Område", "Center", "Emne"]
    bench.area.value = ""
    assert list(bench.section("cases").itables[0].df.columns)[-3:] == ["Område", "Center", "Emne"]


def test_the_crosstabs_show_counts_and_row_percentages(bench):
    # 2018/19, all types: Social has C (other) and B, D (complaints); Teknik none.
    assert shown(bench, "areas_by_type", 0) == [["Social", "1", "2", "3"], ["Teknik", "0", "0", "0"]]
    assert shown(bench, "areas_by_type", 1) == [["Social", "33 %", "67 %"], ["Teknik", "0 %", "0 %"]]
    assert list(bench.section("areas_by_type").itables[0].df.columns) == ["Område", "Anden henvendelse", "Klage",
                                                                          "I\u00a0alt"]
    # Centres of Social by outcome: Jobcenter B Vejledt; Ydelser C Afvist (D has no outcome).
    assert shown(bench, "centres_by_outcome", 0) == [["Jobcenter", "1", "0", "1"], ["Ydelser", "0", "1", "1"]]
    assert shown(bench, "centres_by_outcome", 1) == [["Jobcenter", "100 %", "0 %"], ["Ydelser", "0 %", "100 %"]]


def test_the_case_table_says_not_recorded_where_the_register_does_not_keep_the_column(unkept):
    # C and D (Ydelser): Kanal, Udfald, Møde and Klagebistand unknown, shown whole (not cut), never "nej" or empty.
    assert [row[4:8] for row in shown(unkept, "cases")] == [[NR] * 4] * 2
    assert [row[0] for row in shown(unkept, "cases")] == ["C", "D"] and shown(unkept, "cases")[1][-1] == "Andet"
    html = str(unkept.section("cases").content.tables[0].html())
    assert html.count(f"<td>{NR}</td>") == 8 and "<td>nej</td>" not in html


def test_centre_and_outcome_without_udfald_is_a_notice_not_a_grid_of_zeros(unkept):
    section = unkept.section("centres_by_outcome")
    assert section.content.tables == [] and section.itables == []
    assert section.content.note.endswith(f"Social</strong> {UDFALD_NOTICE}</p>")
    html = section._repr_mimebundle_()["text/html"]
    assert "<table>" not in html and UDFALD_NOTICE in html
    unkept.area.value = ""  # another choice: still the notice
    assert unkept.section("centres_by_outcome").content.tables == []


def test_the_overview_says_not_recorded_for_meetings_letters_and_drop_in(unkept):
    html = unkept.overview()._repr_html_()
    # As test_the_overview_is_a_static_danish_table: A; B, C, D; E. The rest is not kept in this register.
    assert '<tr><th scope="row">Sager i alt</th><td>1</td><td>3</td><td>1</td></tr>' in html
    for name in ("Møder med forvaltningen, hvor borgerrådgiveren deltog", "Hjælp til at klage til en klageinstans",
                 "Åben rådgivning, antal gange", "Åben rådgivning, antal borgere"):
        assert f'<tr><th scope="row">{name}</th>' + f"<td>{NR}</td>" * 3 + "</tr>" in html


def test_the_excel_export_says_not_recorded_never_nej_or_zero(unkept):
    book = openpyxl.load_workbook(unkept.to_excel())
    # The notice stands where the two outcome sheets would be.
    assert book.sheetnames == ["Sager", "Områder", "Centre", "Emner", "Område x type, antal", "Område x type, andel",
                               "Center og udfald", "Sagsbehandlingstid", "Udvikling pr. center", "Sæson"]
    assert [[cell.value for cell in row] for row in book["Center og udfald"].iter_rows()] == [
        ["Center og udfald"], [UDFALD_NOTICE]]
    header, *cases = [[cell.value for cell in row] for row in book["Sager"].iter_rows()]
    assert header[4:8] == ["Kanal", "Udfald", "Møde", "Klagebistand"]
    assert [row[0] for row in cases] == ["C", "D"] and [row[4:8] for row in cases] == [[NR] * 4] * 2


def test_handling_time_change_and_seasonality(bench):
    # Closed in 2018/19: A 5, B 10, C 30 days, all Social: quartiles 7,5 and 20, p90 26, 2 of 3 within 10 days.
    assert shown(bench, "handling_time") == [["Social", "3", "7,5", "10", "20", "26", "30", "2", "67 %"],
                                             ["Teknik", "0", "", "", "", "", "", "0", ""]]
    section = bench.section("handling_time")
    assert 'alt="Boksdiagram over sagsbehandlingstiden' in section.charts[0].value
    # Social's centres against 2017/18 (A's Jobcenter row): Ydelser 0 -> 2, Jobcenter 1 -> 1.
    assert shown(bench, "centre_change") == [["Ydelser", "2", "0", "2", ""], ["Jobcenter", "1", "1", "0", "0 %"]]
    assert list(bench.section("centre_change").itables[0].df.columns) == ["Center", "2018/19", "2017/18", "Ændring",
                                                                          "Ændring i %"]
    # Ydelser's cases C (March 2019) and D (October 2019), both in 2018/19; the first year is that of C.
    # The years the register covers: 2018/19, and 2019/20 (an activity in November 2019) with no case in Ydelser,
    # counted through November 2019 only: its other months are not counted, so no 0 stands for them.
    assert shown(bench, "seasonality")[0][1:] == ["0", "0"]
    assert shown(bench, "seasonality")[4] == ["marts", "1", ""] and shown(bench, "seasonality")[11] == [
        "oktober", "1", ""]


def test_a_section_also_renders_statically_for_headless_runs(bench):
    bundle = bench.section("distributions")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "<Fordelinger>"
    html = bundle["text/html"].replace("\u00a0", " ")
    assert "Vist for: <strong>2018/19 · alle henvendelsestyper · Social · Ydelser</strong>" in html
    assert html.count("<table>") == 3
    assert '<caption>Problemstillinger pr. emne i Ydelser</caption>' in html
    assert '<tr><td>Andet</td><td class="num">2</td><td class="num">100 %</td></tr>' in html  # C and D: Andet
    controls = bench.controls()._repr_mimebundle_()["text/html"]
    assert "Udsnit: 2018/19 · alle henvendelsestyper · Social · Ydelser" in controls


def test_unknown_section(bench):
    with pytest.raises(ValueError, match="section 'sager': unknown; the sections are: cases, distributions"):
        bench.section("sager")


def test_the_excel_button_saves_every_table_of_the_selection(bench, tmp_path):
    bench.excel_button.click()
    [path] = (tmp_path / "intern").glob("*.xlsx")
    assert re.fullmatch(r"udtraek-\d{8}-\d{6}\.xlsx", path.name)
    assert "Kun til internt brug" in bench.excel_status.value and path.name in bench.excel_status.value
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Sager", "Områder", "Centre", "Emner", "Område x type, antal", "Område x type, andel",
                               "Center x udfald, antal", "Center x udfald, andel", "Sagsbehandlingstid",
                               "Udvikling pr. center", "Sæson"]
    cases = [[cell.value for cell in row] for row in book["Sager"].iter_rows()]
    assert [row[0] for row in cases] == ["Sag", "C", "D"] and cases[1][1] == dt.datetime(2019, 3, 15)
    # C Skriftlig, Afvist, no meeting, a complaint letter; D open with nothing given.
    assert [row[4:8] for row in cases[1:]] == [["Skriftlig", "Afvist", "nej", "ja"], [None, None, "nej", "nej"]]
    assert [cell.value for cell in book["Områder"][1]] == ["Område", "Sager", "Andel (%)"]
    # Social's centres by outcome: Jobcenter B Vejledt; Ydelser C Afvist (D has no outcome).
    assert [[cell.value for cell in row] for row in book["Center x udfald, antal"].iter_rows()] == [
        ["Center", "Vejledt", "Afvist", "I alt"], ["Jobcenter", 1, 0, 1], ["Ydelser", 0, 1, 1]]


def test_the_overview_is_a_static_danish_table(bench):
    html = bench.overview()._repr_html_()
    # One column per reporting year, one row per key figure.
    assert ('<th scope="col">Nøgletal</th><th scope="col" class="num">2017/18</th>'
            '<th scope="col" class="num">2018/19</th><th scope="col" class="num">2019/20 (opgjort 1.\u00a0november'
            '\u00a02019 – 30.\u00a0november\u00a02019)</th>') in html
    # Cases: A; B, C, D; E. Complaints: A; B and D; none.
    cells = '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
    assert '<tr><th scope="row">Sager i alt</th>' + cells.format(1, 3, 1) + "</tr>" in html
    assert '<tr><th scope="row">Heraf klager</th>' + cells.format(1, 2, 0) + "</tr>" in html
    # Meetings: B's, in 2018/19. Drop-in sessions: 2, 9 and 16 September 2019 (2018/19), 4 November 2019 (2019/20).
    assert ('<tr><th scope="row">Møder med forvaltningen, hvor borgerrådgiveren deltog</th>' + cells.format(0, 1, 0)
            + "</tr>") in html
    assert '<tr><th scope="row">Åben rådgivning, antal gange</th>' + cells.format(0, 3, 1) + "</tr>" in html
    # Median handling time: none closed in 2017/18; A, B, C (5, 10, 30 days) in 2018/19; E (1 day) in 2019/20.
    assert ('<th scope="row">Halvdelen af sagerne var afsluttet inden for (dage)</th><td class="num"></td>'
            '<td class="num">10</td><td class="num">1</td>') in html


def test_the_figures_are_called_what_the_report_calls_them_and_the_drop_in_what_kommune_yml_does(make_register):
    # Before one vocabulary, the workbench said "Bistand til klage" and "Åben rådgivning, gange", whatever
    # kommune.yml called the drop-in activity.
    kommune = KOMMUNE_YML.replace("[Eksternt oplæg, Åben rådgivning]", "[Eksternt oplæg, Borgercafé]")
    folder = make_register(kommune=kommune + "aaben_raadgivning: Borgercafé\n",
                           aktiviteter="dato,aktivitet,antal_borgere\n2019-09-02,Borgercafé,3\n")
    register = load_register(folder, today=TODAY)
    html = str(widgets.Workbench(register, periode="2018/19").overview().html)
    for name in ("Hjælp til at klage til en klageinstans", "Borgercafé, antal gange", "Borgercafé, antal borgere",
                 "Møder med forvaltningen, hvor borgerrådgiveren deltog"):
        assert f'<th scope="row">{name}</th>' in html
    assert "Åben rådgivning" not in html and "Bistand til klage" not in html


def test_a_section_updated_in_place_keeps_its_cells_html():
    # itables' update() forgets options not passed again: without allow_html the "&amp;" would be escaped twice.
    section = widgets.WorkbenchSection("cases")
    frame = pd.DataFrame({"Område": ["By & Land, Opkrævning og Miljø"]})
    for _ in range(2):
        section.show(panels.Content("", [panels.Table("Sager", frame, "Sager", paged=True, cut=True)]))
        data = section.itables[0]._dt_args["data_json"]
        assert "By &amp; Land" in data and "&amp;amp;" not in data and "reportlib-cut" in data


def test_the_static_case_table_keeps_rows_on_one_line(bench):
    html = str(bench.section("cases").content.tables[0].html()).replace("\u00a0", " ")
    assert html.startswith('<style>.reportlib-one-line td { white-space: nowrap; }</style>'
                           '<div class="reportlib-one-line" style="overflow-x: auto">')
    assert "<td>C</td><td>15. marts 2019</td>" in html  # the static table has Danish dates
    assert "reportlib-one-line" not in str(bench.section("distributions").content.tables[0].html())
