"""The comparison report's content (reportlib.report.network) and a member's section "Sammenlignet med andre kommuner".

The member is conftest's register with 8,000 inhabitants and a target of 14 days (Testby Kommune,
2018/19: two cases, one a complaint, one closed after 10 days, no results; its topics Partshøring,
Sagsbehandlingstid and Andet are spelt like three themes, one problem each, and no topic maps to the
other eight). Its network has the four invented members of tests/network_members.py:

===============  ==========  =========  ==========  =============  ===========  ======  ====  =============
member           indbyggere  cases per  complaints  complaint      criticism    median  p90   within target
                             10,000     per 10,000  share
===============  ==========  =========  ==========  =============  ===========  ======  ====  =============
Testby Kommune   8,000       2.5        1.3         50 % (1 of 2)  –            10      10    100 % (1 of 1)
Nabo Kommune     12,000      25.0       5.0         20 % (6/30)    20 % (1/5)   14      40    75 %
Lilleby Kommune  25,000      16.0       4.0         25 % (10/40)   17 % (1/6)   12      35    75 %
Østby Kommune    18,000      15.0       5.0         33 % (9/27)    –            16.5    44    80 %
Storby Kommune   120,000     20.0       8.0         40 % (96/240)  –            21      55    80 %
===============  ==========  =========  ==========  =============  ===========  ======  ====  =============

Testby's section sets its figures beside the *other four* (never itself) and the other three under 30,000
(Nabo, Lilleby, Østby): cases per 10,000 (25 + 16 + 15 + 20) / 4 = 19.0 and 56 / 3 = 18.67 -> 18.7;
complaints 22 / 4 = 5.5 and 14 / 3 = 4.67 -> 4.7; the complaint share 118 / 4 = 29.5 -> 30 % and 78 / 3 = 26 %;
criticism only Nabo's and Lilleby's: two, no average; median 63.5 / 4 = 15.875 -> 15.9 and 42.5 / 3 = 14.17
-> 14.2; p90 174 / 4 = 43.5 and 119 / 3 = 39.67 -> 39.7; within the target 310 / 4 = 77.5 -> 78 % and
230 / 3 = 76.67 -> 77 %.

The network's report averages all five: cases per 10,000 78.5 / 5 = 15.7, under 30,000 58.5 / 4 = 14.625 ->
14.6; Storby is alone in its band: no average. Criticism: two values, no average.
"""

import json
import re

import pytest

import network_members
from conftest import KOMMUNE_YML, text_of
from network_members import LILLEBY, NABO, OESTBY, REPORTING_YEAR, STORBY, section
from reportlib import load_register
from reportlib.exceptions import NetworkInvalid
from reportlib.figures.document import figures
from reportlib.figures.network import network
from reportlib.figures.network_documents import read_members
from reportlib.periods import parse_period
from reportlib.report import network as report
from reportlib.report.beretning import load_beretning

YEAR = ("2018-11-01", "2019-10-31")
TESTBY_YML = KOMMUNE_YML + "indbyggere: 8000\nmaal_sagsbehandlingstid_dage: 14\n"
NEIGHBOURS = (("nabo.json", NABO), ("lilleby.json", LILLEBY), ("oestby.json", OESTBY), ("storby.json", STORBY))


@pytest.fixture
def member(make_register):
    return make_register(kommune=TESTBY_YML)


def network_of(member, tmp_path, neighbours=NEIGHBOURS):
    """network.json of Testby (its own figures document, as its run writes figures.json) and ``neighbours``."""
    own = figures(load_register(member), parse_period("2018/19", 11))
    files = [network_members.write(tmp_path / name, document)
             for name, document in (("testby.json", own), *neighbours)]
    return network_members.write(tmp_path / "network.json", network(read_members(files)))


@pytest.fixture
def network_file(member, tmp_path):
    """The network of Testby, Nabo, Lilleby, Østby and Storby."""
    return network_of(member, tmp_path)


def rows_of(html):
    """Each body and footer row's text (after the header row)."""
    return [text_of(row).replace("\u00a0", " ") for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]]


def section_text(member, network_file):
    return text_of(load_beretning(member, *YEAR, netvaerk=network_file).section("network").html).replace(
        "\u00a0", " ")


def test_a_members_section_sets_its_figures_beside_the_other_members_averages(member, network_file):
    section_html = load_beretning(member, *YEAR, netvaerk=network_file).section("network").html
    text = text_of(section_html).replace("\u00a0", " ")
    assert text.startswith("Sammenlignet med andre kommuner Testby Kommune er med i et netværk af fem kommuner, der "
                           "sammenligner borgerrådgivernes tal. Tabellen viser kommunens egne tal for 2018/19 ved "
                           "siden af gennemsnittet for de fire andre kommuner og for de andre kommuner af samme "
                           "størrelse (med under 30.000 indbyggere). Kommunens egne tal indgår ikke i "
                           "gennemsnittene.")
    assert "Nøgletal Testby Kommune Andre kommuner Andre af samme størrelse" in text
    # Each measure written by one rule, Testby's value and the averages alike; a share with its base; each
    # average with the municipalities it is of; criticism has two values, so no average.
    assert rows_of(section_html)[:7] == [
        "Sager pr. 10.000 indbyggere 2,5 19,0 (4 kommuner) 18,7 (3 kommuner)",
        "Klager pr. 10.000 indbyggere 1,3 5,5 (4 kommuner) 4,7 (3 kommuner)",
        "Klagernes andel af sagerne 50 % (1 af 2) 30 % (4 kommuner) 26 % (3 kommuner)",
        "Undersøgte sager, der endte med kritik – – –",
        "Dage, før halvdelen af sagerne var afsluttet 10,0 15,9 (4 kommuner) 14,2 (3 kommuner)",
        "Dage, før ni ud af ti sager var afsluttet 10,0 43,5 (4 kommuner) 39,7 (3 kommuner)",
        "Sager afsluttet inden for kommunens eget mål 100 % (1 af 1) 78 % (4 kommuner) 77 % (3 kommuner)",
    ]
    assert "Alle kommunernes tal gælder den samme periode, 2018/19." in text
    assert ("hvor færre end tre kommuner har et tal, står der – i stedet for et gennemsnit. En andel står med det "
            "antal, den er regnet ud af: 50 % (1 af 2) betyder 1 ud af 2 sager. Andele er i hele procent og de øvrige "
            "tal med én decimal, både kommunens egne tal og gennemsnittene.") in text
    # Testby maps no topic to eight of the themes: the network's report says "ikke kortlagt", never 0 %.
    assert ("Otte temaer, som ingen af kommunens emner er knyttet til, står der som »ikke kortlagt« og ikke som 0 %: "
            "manglende svar, begrundelse, klagevejledning, notatpligt, aktindsigt, vejledning, optræden og faktisk "
            "forvaltningsvirksomhed.") in text


def test_a_band_of_fewer_than_three_others_has_no_column_and_the_section_says_why(member, tmp_path):
    # Without Østby, Testby's band holds two other members, Nabo and Lilleby: each could work out the other's figure.
    # The others all three: cases per 10,000 (25 + 16 + 20) / 3 = 20.33 -> 20.3.
    text = section_text(member, network_of(member, tmp_path, (NEIGHBOURS[0], NEIGHBOURS[1], NEIGHBOURS[3])))
    assert ("Netværket har kun to andre kommuner med under 30.000 indbyggere, og et gennemsnit kræver mindst tre, så "
            "kommunen sammenlignes ikke med kommuner af samme størrelse.") in text
    assert "Samme størrelse" not in text and "Sager pr. 10.000 indbyggere 2,5 20,3 (3 kommuner)" in text


def test_a_network_of_fewer_than_three_others_has_no_average_at_all(member, tmp_path):
    text = section_text(member, network_of(member, tmp_path, (NEIGHBOURS[0], NEIGHBOURS[3])))
    assert ("Netværket har kun to andre kommuner, og et gennemsnit kræver mindst tre, så her er intet gennemsnit at "
            "sammenligne med.") in text
    assert "Nøgletal" not in text and "Andre kommuner" not in text


def test_without_a_network_there_is_no_section(member):
    assert load_beretning(member, *YEAR).section("network") is None


def test_a_network_of_another_period_is_refused_by_the_report(member, network_file):
    kommune = member / "kommune.yml"  # a register complete for 2019/20 too
    said = kommune.read_text(encoding="utf-8")
    kommune.write_text(said.replace("komplet_til: 2019-10-31", "komplet_til: 2020-10-31"), encoding="utf-8")
    with pytest.raises(NetworkInvalid, match=r"network.json: the network's figures of 2018-11-01 to 2019-10-31, not "
                                             r"of 2019-11-01 to 2020-10-31 as the report"):
        load_beretning(member, "2019-11-01", "2020-10-31", netvaerk=network_file)


def test_an_interim_report_is_refused_the_network(member, network_file, tmp_path):
    # An interim report of 2018/19 as far as 30 June 2019 (run --foreloebig), beside the network's whole year.
    own = figures(load_register(member), parse_period("2018-11-01:2019-06-30", 11),
                  interim_of=parse_period("2018/19", 11))
    with pytest.raises(NetworkInvalid, match=r"network.json: the report's figures are interim \(--foreloebig\), only "
                                             r"part of 2018-11-01 to 2019-10-31, and interim figures cannot be "
                                             r"compared with a network's"):
        load_beretning(member, *YEAR, figurer=network_members.write(tmp_path / "own.json", own),
                       netvaerk=network_file)


def test_a_municipality_without_inhabitants_is_compared_with_the_whole_network_only(make_register, network_file):
    text = text_of(load_beretning(make_register(), *YEAR, netvaerk=network_file).section("network").html)
    assert "Kommunens indbyggertal står ikke i kommune.yml, så den har ingen tal pr. 10.000 indbyggere" in text
    assert "Samme størrelse" not in text
    assert "Sager pr. 10.000 indbyggere – 19,0 (4 kommuner)" in text.replace("\u00a0", " ")


# -- The comparison report's content -------------------------------------------------------------------


@pytest.fixture
def document(network_file):
    return json.loads(network_file.read_text(encoding="utf-8"))


def test_the_report_is_titled_by_its_period_and_counts_its_members(document):
    assert report.title(document) == "Sammenligning af kommunernes borgerrådgivere 2018/19"
    assert report.period_name({"start": "2025-01-01", "end": "2025-12-31"}) == "2025"
    assert report.period_name({"start": "2025-01-01", "end": "2025-06-30"}) == (
        "1.\u00a0januar\u00a02025 – 30.\u00a0juni\u00a02025")
    text = text_of(str(report.body(document)))
    assert text.startswith("Fem kommuner side om side Sammenligning af kommunernes borgerrådgivere 2018/19")
    for heading in ("Om sammenligningen", "Sager og klager", "Undersøgelser og kritik", "Sagsbehandlingstid",
                    "Hvad problemstillingerne handlede om", "Det kan ikke sammenlignes direkte", "Om tallene"):
        assert f"<h2>{heading}</h2>" in str(report.body(document))


def table_of(html, caption):
    return html.split(f"<caption>{caption}, 2018/19</caption>")[1].split("</table>")[0]


def test_each_measure_has_a_chart_with_alt_text_and_a_table_with_its_averages_of_three_or_more(document):
    html = str(report.body(document))
    # Seven measures and eleven themes.
    assert html.count('<figure class="chart">') == 18 and html.count("<caption>") == 19  # and the members' table
    # Storby is alone with 100,000 and more: its "average" would be its own 20,0, so there is none.
    assert rows_of(table_of(html, "Sager pr. 10.000 indbyggere")) == [
        "Lilleby Kommune under 30.000 16,0", "Nabo Kommune under 30.000 25,0", "Storby Kommune 100.000 og flere 20,0",
        "Testby Kommune under 30.000 2,5", "Østby Kommune under 30.000 15,0",
        "Gennemsnit, alle kommuner (5 kommuner) 15,7", "Gennemsnit, under 30.000 indbyggere (4 kommuner) 14,6"]
    # The chart's alt text reads the averages first, then the members from the largest value.
    assert ('alt="Vandret søjlediagram, kommune for kommune: Sager pr. 10.000 indbyggere. gennemsnit for alle '
            'kommuner 15,7; gennemsnit for kommuner med under 30.000 indbyggere 14,6; Nabo Kommune 25,0; Storby '
            'Kommune 20,0; Lilleby Kommune 16,0; Østby Kommune 15,0; Testby Kommune 2,5."'
            ) in html.replace("\u00a0", " ")
    text = text_of(html).replace("\u00a0", " ")
    assert "100.000 og flere indbyggere: Storby Kommune – for få til et gennemsnit" in text
    assert ("Et gennemsnit vises kun, når mindst tre kommuner har et tal: »gennemsnittet« af én kommune er bare dens "
            "eget tal, og af to kan hver af dem regne den andens tal ud.") in text


def test_every_share_stands_with_its_base_and_is_written_as_its_average_is(document):
    html = str(report.body(document)).replace("\u00a0", " ")
    # 96 of 240 complaints, and so on; the average of the five shares, 168 / 5 = 33.6, is 34 %, as whole as theirs.
    assert rows_of(table_of(html, "Klagernes andel af sagerne")) == [
        "Lilleby Kommune under 30.000 25 % (10 af 40)", "Nabo Kommune under 30.000 20 % (6 af 30)",
        "Storby Kommune 100.000 og flere 40 % (96 af 240)", "Testby Kommune under 30.000 50 % (1 af 2)",
        "Østby Kommune under 30.000 33 % (9 af 27)", "Gennemsnit, alle kommuner (5 kommuner) 34 %",
        "Gennemsnit, under 30.000 indbyggere (4 kommuner) 32 %"]  # 128 / 4
    # Criticism: Lilleby's 1 of 6 and Nabo's 1 of 5, two values: no average, and the note says why.
    criticism = table_of(html, "Undersøgte sager, der endte med kritik")
    assert rows_of(criticism)[:2] == ["Lilleby Kommune under 30.000 17 % (1 af 6)",
                                      "Nabo Kommune under 30.000 20 % (1 af 5)"]
    assert "Gennemsnit" not in criticism and "<tfoot>" not in criticism
    assert ("Der er intet gennemsnit for alle kommuner: kun to af de fem kommuner har et tal, og et gennemsnit kræver "
            "mindst tre. Ikke med: Storby Kommune (registrerer ikke resultatet af undersøgelser)") in text_of(html)
    assert "Lilleby Kommune 17 % (1 af 6)" in html  # in the chart's alt text as well
    assert "Testby Kommune under 30.000 100 % (1 af 1)" in rows_of(table_of(html, "Sager afsluttet inden for kommunens "
                                                                                 "eget mål"))
    text = text_of(html)
    assert ("Andele er i hele procent, både kommunernes og gennemsnittene, og står med det antal, de er regnet ud af. "
            "Tal pr. 10.000 indbyggere og antal dage har én decimal.") in text
    # Days to one decimal, Testby's whole 10 days as 10,0 beside the averages' 14,7.
    assert "Testby Kommune under 30.000 10,0" in rows_of(table_of(html, "Dage, før halvdelen af sagerne var afsluttet"))


def test_a_theme_a_member_does_not_map_reads_ikke_kortlagt_never_zero(document):
    html = str(report.body(document)).replace("\u00a0", " ")
    rows = rows_of(table_of(html, "Problemstillinger om vejledning"))
    # Testby and Østby map no topic to vejledning; the three that do have none: 0 % of their problems.
    assert rows[:5] == ["Lilleby Kommune under 30.000 0 % (0 af 40)", "Nabo Kommune under 30.000 0 % (0 af 30)",
                        "Storby Kommune 100.000 og flere 0 % (0 af 240)", "Testby Kommune under 30.000 ikke kortlagt",
                        "Østby Kommune under 30.000 ikke kortlagt"]
    assert rows[5] == "Gennemsnit, alle kommuner (3 kommuner) 0 %"
    assert ("Storby Kommune 0 % (0 af 240); Testby Kommune ikke kortlagt; Østby Kommune ikke kortlagt.\"") in html
    text = text_of(html)
    assert ("Temaer, som ingen af kommunens emner er knyttet til, står som »ikke kortlagt«: Testby Kommune: manglende "
            "svar, begrundelse, klagevejledning, notatpligt, aktindsigt, vejledning, optræden og faktisk "
            "forvaltningsvirksomhed Østby Kommune: alle temaerne (kommunen har ikke knyttet sine emner til de fælles "
            "temaer)") in text
    # Partshøring: Testby 33 % (1 of its 3 problems) and Lilleby's and Nabo's 0: (33 + 0 + 0) / 3 = 11 %.
    assert "Gennemsnit, alle kommuner (3 kommuner) 11 %" in rows_of(table_of(html, "Problemstillinger om partshøring"))


def test_the_report_states_the_rule_of_one_whole_period(document):
    text = text_of(str(report.body(document))).replace("\u00a0", " ")
    assert ("Alle kommunernes tal gælder netop disse datoer. Tal for en anden periode, fx et år fra november til "
            "oktober ved siden af kalenderåret, sammenlignes ikke, og heller ikke foreløbige tal for en del af "
            "perioden") in text


def test_the_notes_name_what_is_not_comparable_and_what_was_withheld(document):
    text = text_of(str(report.body(document))).replace("\u00a0", " ")
    assert "Storby Kommune: »Hjemmel«, »Diverse«" in text  # counted as andet for want of a theme
    assert ("skjuler kommunerne små tal, men de sætter grænsen forskelligt: Lilleby Kommune, Nabo Kommune, Testby "
            "Kommune og Østby Kommune skjuler ingen tal; Storby Kommune skjuler antal under 5.") in text
    assert "Skjulte andele af problemstillingerne: Storby Kommune: partshøring" in text
    assert ("Målet for sagsbehandlingstiden er kommunens eget: Lilleby Kommune 20 dage, Nabo Kommune 30 dage, Storby "
            "Kommune 45 dage, Testby Kommune 14 dage, Østby Kommune 30 dage.") in text
    assert "Storby Kommune, Testby Kommune og Østby Kommune registrerer ikke resultatet af deres undersøgelser" in text
    # The withheld share is a * in its table and left out of the average, named in the note under it.
    theme = text_of(str(report.body(document)).split("<h3>Problemstillinger om partshøring</h3>")[1]
                    .split("<h3>")[0])
    assert "Storby Kommune 100.000 og flere *" in theme.replace("\u00a0", " ")
    assert ("Gennemsnittet for alle kommuner bygger på tre af de fem kommuner. Ikke med: Storby Kommune (tallet er "
            "skjult, fordi det er lille), Østby Kommune (ingen af kommunens emner er knyttet til temaet).") in theme


def test_names_from_the_members_documents_are_escaped(make_register, tmp_path):
    hostile = section("<script>alert(1)</script> Kommune", 9_000, 3, 1, per_10000=(3.3, 1.1), period=REPORTING_YEAR)
    files = [network_members.write(tmp_path / "a.json", hostile), network_members.write(tmp_path / "b.json", NABO)]
    html = str(report.body(network(read_members(files))))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Kommune" in html


@pytest.mark.parametrize(("value", "kind", "shown"), [
    (15.0, "decimal", "15,0"), (40, "pct", "40\u00a0%"), (36, "pct", "36\u00a0%"), (10.5, "days", "10,5"),
    (14.0, "days", "14,0"), (15.0, "days", "15,0"), (None, "pct", "–"),
])
def test_values_are_written_the_danish_way_by_one_rule_per_measure(value, kind, shown):
    # A member's value and an average alike: whole percent for a share, one decimal for the rest.
    assert report.shown(value, kind) == shown


def test_a_share_is_written_with_its_base_and_an_average_with_its_municipalities():
    assert report.with_base("17\u00a0%", 1, 6) == "17\u00a0% (1\u00a0af\u00a06)"
    assert report.with_base("75\u00a0%", None, 28) == "75\u00a0% (af\u00a028)"  # an older document's base alone
    assert report.with_base("15,0", None, None) == "15,0"
    assert report.averaged(38, 4, "pct") == "38\u00a0% (4\u00a0kommuner)" and report.averaged(None, 2, "pct") == "–"


def test_a_network_of_two_has_no_average_anywhere_and_says_so_once(tmp_path):
    files = [network_members.write(tmp_path / "a.json", NABO), network_members.write(tmp_path / "b.json", STORBY)]
    html = str(report.body(network(read_members(files)))).replace("\u00a0", " ")
    text = text_of(html)
    assert ("Der er ingen gennemsnit: et gennemsnit kræver mindst tre kommuner, for af to kan hver af dem regne den "
            "andens tal ud.") in text
    assert "Gennemsnit," not in text and "gennemsnit for alle kommuner" not in html and "<tfoot>" not in html
    assert text.count("et gennemsnit kræver mindst tre") == 1


def test_an_older_members_zero_themes_are_unknown_and_its_share_within_the_target_has_its_base(tmp_path):
    older = section("Gammelby Kommune", 15_000, 30, 6, per_10000=(20.0, 4.0), period=REPORTING_YEAR, older=True,
                    partshoering=(30, 100), handling={"closed": 28, "median": 14.0, "p90": 40.0, "target_days": 30,
                                                      "within_target_pct": 75})
    files = [network_members.write(tmp_path / name, document)
             for name, document in (("g.json", older), *NEIGHBOURS)]
    html = str(report.body(network(read_members(files)))).replace("\u00a0", " ")
    assert "Gammelby Kommune under 30.000 75 % (af 28)" in rows_of(table_of(html, "Sager afsluttet inden for kommunens "
                                                                                  "eget mål"))
    assert "Gammelby Kommune under 30.000 100 % (30 af 30)" in rows_of(table_of(html, "Problemstillinger om "
                                                                                      "partshøring"))
    assert "Gammelby Kommune under 30.000 –" in rows_of(table_of(html, "Problemstillinger om vejledning"))
    assert ("Gammelby Kommune har lavet sine tal med en ældre udgave af reportlib, som ikke siger, hvilke temaer "
            "kommunen har kortlagt.") in text_of(html)
