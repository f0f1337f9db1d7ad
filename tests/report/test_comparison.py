"""The comparison report's content (reportlib.report.network) and a member's section "Sammenlignet med andre kommuner".

The member is conftest's register with 8,000 inhabitants (Testby Kommune, 2018/19: two cases, one a
complaint, one closed after 10 days, no results, no target). Its network has two invented members:

==============  ==========  =====  ==========  =========  =========  =====  ======  ====  ======  ======
member          indbyggere  cases  complaints  cases per  complaints share  crit.   median p90   target  within
                                               10,000     per 10,000
==============  ==========  =====  ==========  =========  =========  =====  ======  ====  ======  ======
Testby Kommune  8,000       2      1           2.5        1.3        50 %   –       10    10    –       –
Nabo Kommune    12,000      30     6           25.0       5.0        20 %   20 %    14    40    30      75 %
Storby Kommune  120,000     240    96          20.0       8.0        40 %   –       21    55    45      80 %
==============  ==========  =====  ==========  =========  =========  =====  ======  ====  ======  ======

All three: cases per 10,000 (2.5 + 25 + 20) / 3 = 15.83 -> 15.8; complaints (1.3 + 5 + 8) / 3 = 4.77 -> 4.8;
share (50 + 20 + 40) / 3 = 36.7; criticism Nabo's 20.0; median (10 + 14 + 21) / 3 = 15.0; p90 105 / 3 = 35.0;
within the target (75 + 80) / 2 = 77.5. Under 30,000 (Testby and Nabo): 13.75 -> 13.8, 3.15 -> 3.2, 35.0,
20.0, 12.0, 25.0, 75.0.
"""

import json
import re

import pytest

import network_members
from conftest import KOMMUNE_YML, text_of
from network_members import REPORTING_YEAR, section
from reportlib import load_register
from reportlib.exceptions import NetworkInvalid
from reportlib.figures.document import figures
from reportlib.figures.network import network, read_members
from reportlib.periods import parse_period
from reportlib.report import network as report
from reportlib.report.beretning import load_beretning

YEAR = ("2018-11-01", "2019-10-31")
TESTBY_YML = KOMMUNE_YML + "indbyggere: 8000\n"
NABO = section("Nabo Kommune", 12_000, 30, 6, per_10000=(25.0, 5.0), period=REPORTING_YEAR,
               criticism={"examined": 5, "criticised": 1, "rate_pct": 20},
               handling={"closed": 28, "median": 14.0, "p90": 40.0, "target_days": 30, "within_target_pct": 75})
STORBY = section("Storby Kommune", 120_000, 240, 96, per_10000=(20.0, 8.0), period=REPORTING_YEAR,
                 partshoering=(2, 1), min_celle=5, unmapped=["Hjemmel", "Diverse"],
                 handling={"closed": 230, "median": 21.0, "p90": 55.0, "target_days": 45, "within_target_pct": 80})


@pytest.fixture
def member(make_register):
    return make_register(kommune=TESTBY_YML)


@pytest.fixture
def network_file(member, tmp_path):
    """The network of Testby (its own figures document, as its run writes figures.json), Nabo and Storby."""
    own = figures(load_register(member), parse_period("2018/19", 11))
    files = [network_members.write(tmp_path / name, document)
             for name, document in (("testby.json", own), ("nabo.json", NABO), ("storby.json", STORBY))]
    return network_members.write(tmp_path / "network.json", network(read_members(files)))


def rows_of(html):
    """Each body and footer row's text (after the header row)."""
    return [text_of(row).replace("\u00a0", " ") for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]]


def test_a_members_section_sets_its_figures_beside_the_networks_and_its_size_bands(member, network_file):
    section_html = load_beretning(member, *YEAR, netvaerk=network_file).section("network").html
    text = text_of(section_html).replace("\u00a0", " ")
    assert text.startswith("Sammenlignet med andre kommuner Testby Kommune er med i et netværk af tre kommuner, der "
                           "sammenligner borgerrådgivernes tal. Tabellen viser kommunens egne tal for 2018/19 ved "
                           "siden af gennemsnittet for alle kommunerne i netværket og for kommunerne af samme "
                           "størrelse (med under 30.000 indbyggere).")
    assert "Nøgletal Testby Kommune Netværket Samme størrelse" in text
    assert rows_of(section_html)[:7] == [
        "Sager pr. 10.000 indbyggere 2,5 15,8 13,8",
        "Klager pr. 10.000 indbyggere 1,3 4,8 3,2",
        "Klagernes andel af sagerne 50 % 36,7 % 35,0 %",
        "Undersøgte sager, der endte med kritik – 20,0 % 20,0 %",
        "Dage, før halvdelen af sagerne var afsluttet 10 15,0 12,0",
        "Dage, før ni ud af ti sager var afsluttet 10 35,0 25,0",
        "Sager afsluttet inden for kommunens eget mål – 77,5 % 75,0 %",
    ]
    assert "Gennemsnittene er simple gennemsnit af kommunernes egne tal" in text


def test_without_a_network_there_is_no_section(member):
    assert load_beretning(member, *YEAR).section("network") is None


def test_a_network_of_another_period_is_refused_by_the_report(member, network_file):
    kommune = member / "kommune.yml"  # a register complete for 2019/20 too
    said = kommune.read_text(encoding="utf-8")
    kommune.write_text(said.replace("komplet_til: 2019-10-31", "komplet_til: 2020-10-31"), encoding="utf-8")
    with pytest.raises(NetworkInvalid, match=r"network.json: the network's figures of 2018-11-01 to 2019-10-31, not "
                                             r"of 2019-11-01 to 2020-10-31 as the report"):
        load_beretning(member, "2019-11-01", "2020-10-31", netvaerk=network_file)


def test_a_municipality_without_inhabitants_is_compared_with_the_whole_network_only(make_register, network_file):
    text = text_of(load_beretning(make_register(), *YEAR, netvaerk=network_file).section("network").html)
    assert "Kommunens indbyggertal står ikke i kommune.yml, så den har ingen tal pr. 10.000 indbyggere" in text
    assert "Samme størrelse" not in text
    assert "Sager pr. 10.000 indbyggere – 15,8" in text.replace("\u00a0", " ")


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
    assert text.startswith("Tre kommuner side om side Sammenligning af kommunernes borgerrådgivere 2018/19")
    for heading in ("Om sammenligningen", "Sager og klager", "Undersøgelser og kritik", "Sagsbehandlingstid",
                    "Hvad problemstillingerne handlede om", "Det kan ikke sammenlignes direkte", "Om tallene"):
        assert f"<h2>{heading}</h2>" in str(report.body(document))


def test_each_measure_has_a_chart_with_alt_text_and_a_table_with_both_averages(document):
    html = str(report.body(document))
    # Seven measures and eleven themes.
    assert html.count('<figure class="chart">') == 18 and html.count("<caption>") == 19  # and the members' table
    table = html.split("<caption>Sager pr. 10.000 indbyggere, 2018/19</caption>")[1].split("</table>")[0]
    assert rows_of(table) == [
        "Nabo Kommune under 30.000 25,0", "Storby Kommune 100.000 og flere 20,0", "Testby Kommune under 30.000 2,5",
        "Gennemsnit, alle kommuner (3 kommuner) 15,8", "Gennemsnit, under 30.000 indbyggere (2 kommuner) 13,8",
        "Gennemsnit, 100.000 og flere indbyggere (1 kommune) 20,0"]
    # The chart's alt text reads the averages first, then the members from the largest value.
    assert ('alt="Vandret søjlediagram, kommune for kommune: Sager pr. 10.000 indbyggere. gennemsnit for alle '
            'kommuner 15,8; gennemsnit for kommuner med under 30.000 indbyggere 13,8; gennemsnit for kommuner med '
            '100.000 og flere indbyggere 20,0; Nabo Kommune 25,0; Storby Kommune 20,0; Testby Kommune 2,5."'
            ) in html.replace("\u00a0", " ")


def test_the_notes_name_what_is_not_comparable_and_what_was_withheld(document):
    text = text_of(str(report.body(document))).replace("\u00a0", " ")
    assert "Storby Kommune: »Hjemmel«, »Diverse«" in text  # counted as andet for want of a theme
    assert ("skjuler kommunerne små tal, men de sætter grænsen forskelligt: Nabo Kommune og Testby Kommune skjuler "
            "ingen tal; Storby Kommune skjuler antal under 5.") in text
    assert "Skjulte andele af problemstillingerne: Storby Kommune: partshøring" in text
    assert ("Målet for sagsbehandlingstiden er kommunens eget: Nabo Kommune 30 dage, Storby Kommune 45 dage; "
            "Testby Kommune har intet mål.") in text
    assert "Storby Kommune og Testby Kommune registrerer ikke resultatet af deres undersøgelser" in text
    # The withheld share is a * in its table and left out of the average, named in the note under it.
    theme = text_of(str(report.body(document)).split("<h3>Problemstillinger om partshøring</h3>")[1]
                    .split("<h3>")[0])
    assert "Storby Kommune 100.000 og flere *" in theme.replace("\u00a0", " ")
    assert ("Gennemsnittet for alle kommuner bygger på to af de tre kommuner. Ikke med: Storby Kommune (tallet er "
            "skjult, fordi det er lille).") in theme


def test_names_from_the_members_documents_are_escaped(make_register, tmp_path):
    hostile = section("<script>alert(1)</script> Kommune", 9_000, 3, 1, per_10000=(3.3, 1.1), period=REPORTING_YEAR)
    files = [network_members.write(tmp_path / "a.json", hostile), network_members.write(tmp_path / "b.json", NABO)]
    html = str(report.body(network(read_members(files))))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Kommune" in html


@pytest.mark.parametrize(("value", "kind", "average", "shown"), [
    (15.0, "decimal", False, "15,0"), (40, "pct", False, "40\u00a0%"), (36.3, "pct", True, "36,3\u00a0%"),
    (10.5, "days", False, "10,5"), (14.0, "days", False, "14"), (15.0, "days", True, "15,0"), (None, "pct", True, "–"),
])
def test_values_are_written_the_danish_way_and_averages_to_one_decimal(value, kind, average, shown):
    assert report.shown(value, kind, average=average) == shown
