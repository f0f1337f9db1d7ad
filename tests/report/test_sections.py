"""The report's sections, rendered from the hand-made register of test_stats (answers in comments)."""

import base64
import dataclasses
import os
import re
import subprocess
import sys

import pytest

from conftest import COMPLETE_FROM_2017_18, KOMMUNE_YML, text_of
from reportlib.exceptions import PeriodError
from reportlib.jinja import breakable
from reportlib.report.beretning import load_beretning
from reportlib.report.outputs import DOCUMENT_MIMETYPE, WARNING_MIMETYPE
from reportlib.report.sections import SECTIONS
from stats_register import AKTIVITETER, PROBLEMSTILLINGER, SAGER

YEAR = ("2018-11-01", "2019-10-31")
# The sections of the register's optional parts (docs/register.md).
PART_SECTIONS = ("followup", "criticism", "methods", "own_initiative")
NETWORK_SECTION = "network"  # only with a network's figures (reportlib run --network)


@pytest.fixture
def folder(make_register):
    return make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER,
                         complete=COMPLETE_FROM_2017_18)


@pytest.fixture
def beretning(folder):
    return load_beretning(folder, *YEAR)


def test_title_names_the_municipality_and_the_reporting_year(beretning):
    assert beretning.title == "Beretning fra Borgerrådgiveren, Testby Kommune, 2018/19"
    assert text_of(beretning.section("title").html) == (
        "Testby Kommune Beretning fra Borgerrådgiveren 2018/19: 1. november 2018 – 31. oktober 2019")
    assert "1.\u00a0november\u00a02018" in beretning.section("title").html  # a date never breaks


def test_summary_compares_with_the_year_before(beretning):
    # 2018/19 holds B, C, D (Klage, Anden henvendelse, Klage) with 5 problem rows; 2017/18 holds A
    # (Klage, 1 row). Meetings: B; complaint letters: C; drop-ins 2019-09-02/09/16 with 3 + 2 citizens.
    # Open at the end: D (2019), A (2018: closed 5 November). Closed in 2018/19: A 5, B 10, C 30 days.
    summary = text_of(beretning.section("summary").html)
    # Counts up to twelve are words in running text.
    assert "Borgerrådgiveren modtog tre sager i perioden. " in summary  # no indbyggere: no rate
    # Testby's kommune.yml gives no forms for the types in running text, so they are quoted.
    assert "Heraf var én af typen »Anden henvendelse« og to af typen »Klage«." in summary
    assert "Flest sager handlede om Social (100 % af sagerne)." in summary
    assert "Da en sag kan handle om flere ting, rejste sagerne i alt fem problemstillinger." in summary
    assert "siger ikke noget om kvaliteten af kommunens sagsbehandling som helhed" in summary
    assert "Årets anbefalinger" not in summary  # no narrative, no recommendations
    # The key figures are the panel "Året i tal", with the full table folded beneath it.
    glance = text_of(beretning.section("glance").html)
    assert glance.startswith("Året i tal 3 sager (2017/18: 1) 2 klager (2017/18: 1) 10 dage sagsbehandlingstid for "
                             "halvdelen af sagerne Se alle nøgletal i en tabel")  # nothing closed in 2017/18
    assert "Nøgletal for 2018/19 sammenlignet med 2017/18 Nøgletal 2018/19 2017/18 Ændring" in glance
    assert "Sager i alt 3 1 +2 (+200 %)" in glance
    assert "Heraf klager 2 1 +1 (+100 %)" in glance
    assert "Problemstillinger 5 1 +4 (+400 %)" in glance
    assert "Møder med forvaltningen, hvor borgerrådgiveren deltog 1 0 +1 Hjælp" in glance  # no % of zero
    assert "Åben rådgivning, antal gange 3 0 +3" in glance
    assert "Åben rådgivning, antal borgere 5 0 +5" in glance
    assert "Åbne sager ved periodens slutning 1 1 0 (0 %)" in glance
    assert glance.endswith("Halvdelen af sagerne var afsluttet inden for 10 dage –")


def test_the_summary_carries_the_years_recommendations(folder):
    (folder / "beretning_2018-11-01_2019-10-31.md").write_text(
        "# Anbefalinger\n## Svar hurtigere\nTekst.\n## Skriv <klart>\nMere.\n", encoding="utf-8")
    summary = load_beretning(folder, *YEAR).section("summary").html
    assert ('<h3>Årets anbefalinger</h3>\n  <ol class="recommendations">\n<li>Svar hurtigere</li>\n'
            '<li>Skriv &lt;klart&gt;</li>') in summary


def test_running_text_uses_kommune_ymls_forms_and_says_one_or_many(make_register):
    kommune = KOMMUNE_YML + ("funktion_i_tekst: Testbys borgerrådgiver\n"
                             "typer_i_tekst:\n  Klage: [klage, klager]\n"
                             "  anden henvendelse: [anden henvendelse, andre henvendelser]\n")
    beretning = load_beretning(make_register(kommune=kommune, sager=SAGER, problemstillinger=PROBLEMSTILLINGER,
                                             aktiviteter=AKTIVITETER), *YEAR)
    summary = text_of(beretning.section("summary").html)
    assert "Heraf var én anden henvendelse og to klager." in summary
    assert "Møder med forvaltningen, hvor Testbys borgerrådgiver deltog" in text_of(beretning.section("glance").html)
    assistance = text_of(beretning.section("assistance").html)
    assert assistance == ("Møder og klagebistand Borgerrådgiveren deltog i ét møde mellem en borger og forvaltningen "
                          "og hjalp borgeren med at skrive en klage til en klageinstans i én sag.")


def test_distribution_sections_show_chart_with_alt_text_and_table(beretning):
    areas = beretning.section("areas").html
    # Primary problems: B has none marked, so its first row (Social); C marks Ydelser (Social); D Social.
    assert ("Sager fordelt på områder Område Antal Andel Social 3 100 % Teknik 0 0 % I alt 3 100 %"
            in text_of(areas))
    # One area holds every case: a chart of one bar says nothing the table does not, so the table stands alone.
    assert '<figure class="chart">' not in areas and "<details" not in areas and "<caption>" in areas
    centres = beretning.section("centres").html
    # Social's problem rows: Jobcenter 1 (B), Ydelser 2 (C, D): two centres, a chart.
    alt = re.search(r'<figure class="chart"><img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">', centres)
    assert alt.group(2).replace("\u00a0", " ") == (
        "Vandret søjlediagram over problemstillinger inden for Social: Jobcenter 33 %, Ydelser 67 %.")
    svg = base64.b64decode(alt.group(1)).decode()
    assert svg.startswith("<?xml") and "<dc:date>" not in svg  # no timestamp: byte-identical reruns
    assert "<figcaption>Problemstillinger inden for Social</figcaption>" in centres
    assert beretning.section("centres").html == centres


def test_a_chart_is_drawn_for_two_categories_or_a_withheld_one_never_for_one_or_for_withheld_cells_only():
    from reportlib.report.sections import bar_figure

    one = [{"label": "Social", "count": 3, "pct": 100}, {"label": "Teknik", "count": 0, "pct": 0}]
    withheld = [{"label": "Social", "count": 3, "pct": 75}, {"label": "Teknik", "count": None, "pct": None}]
    all_withheld = [{"label": "Social", "count": None, "pct": None}, {"label": "Teknik", "count": None, "pct": None}]
    assert bar_figure(one, "sager", "Sager") == "" and bar_figure(all_withheld, "sager", "Sager") == ""
    assert bar_figure(withheld, "sager", "Sager").startswith('<figure class="chart">')


def test_centre_tables_count_problem_rows_within_each_area(beretning):
    # Social rows: B Jobcenter, C Ydelser, D Ydelser -> 1/2 of 3; Teknik rows: B and C Vej/park.
    centres = text_of(beretning.section("centres").html)
    assert "Center Antal Andel Jobcenter 1 33 % Ydelser 2 67 % I alt 3 100 %" in centres
    assert "Center Antal Andel Vej/park 2 100 % I alt 2 100 %" in centres


def test_months_outreach_and_handling(beretning):
    cases = text_of(beretning.section("cases").html)
    # B in November, C in March, D in October: one row per month.
    assert ("Modtagne sager pr. måned Måned Sager november 2018 1 december 2018 0 januar 2019 0 februar 2019 0 "
            "marts 2019 1 april 2019 0") in cases
    assert cases.endswith("september 2019 0 oktober 2019 1")
    outreach = text_of(beretning.section("outreach").html)
    assert "Aktivitet Antal Eksternt oplæg 1 Åben rådgivning 3" in outreach
    # Three sessions, of which two were counted (3 and 2 citizens): five citizens in those two, not "in all".
    assert ("Åben rådgivning blev holdt tre gange; de to gange, hvor antallet er noteret, kom der fem borgere, i "
            "gennemsnit 2,5 pr. gang (mellem 2 og 3).") in outreach
    # Closed in the period: A (5 days, received before it), B (10), C (30): median 10; the 90th
    # percentile lies 0.8 of the way from 10 to 30: 26. Nothing closed in 2017/18.
    handling = text_of(beretning.section("handling").html)
    assert "Her indgår de tre sager, der blev afsluttet i perioden, også dem, der kom ind før." in handling
    # Of three cases, nine out of ten within 26 days would be false (two of three are): it is not said.
    assert "Halvdelen af sagerne var afsluttet inden for 10 dage. Ved" in handling and "ni ud af ti" not in handling
    assert "Ved periodens slutning var én sag stadig åben." in handling  # singular, not "én sager ... åbne"
    assert "Afsluttede sager 3 0 Halvdelen afsluttet inden for 10 dage – Ni ud af ti afsluttet inden for – –" in (
        handling)
    assert "Åbne sager ved periodens slutning 1 1" in handling


def test_equal_counts_show_equal_shares_and_a_short_total_says_why(make_register):
    kommune = KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig, Brev]")
    sager = ("sag_id,modtaget,henvendelsestype,kanal\nX,2019-01-01,Klage,Telefon\nY,2019-01-02,Klage,Skriftlig\n"
             "Z,2019-01-03,Klage,Brev\n")
    problems = ("sag_id,omraade,center,emne\n"
                "X,Social,Jobcenter,Partshøring\nY,Social,Jobcenter,Sagsbehandlingstid\nZ,Social,Jobcenter,Andet\n")
    beretning = load_beretning(make_register(kommune=kommune, sager=sager, problemstillinger=problems), *YEAR)
    channels = text_of(beretning.section("channels_outcomes").html)
    # 1, 1, 1 of 3: 33.3 each; the one missing point cannot go to all three, so none gets it.
    assert "Telefon 1 33 % Skriftlig 1 33 % Brev 1 33 % I alt 3 99 %*" in channels
    assert "* Andelene er rundet til hele procent og giver derfor 99 % tilsammen." in channels
    assert "Andelene er rundet til hele procent, så de giver ikke altid præcis 100 % tilsammen." in text_of(
        beretning.section("method").html)
    assert "*" not in text_of(beretning.section("areas").html)  # 3 of 3: 100 %, no footnote
    # The topics, one of each of three, are one table shown in two parts: 33 + 33 = 66 and 33. Their
    # total rows are sums of parts, so no asterisk there, and the note says which tables it is about.
    complaints = text_of(beretning.section("complaints").html)
    assert "Partshøring 1 33 % Sagsbehandlingstid 1 33 % I alt 2 66 %" in complaints
    assert ("Andet 1 33 % I alt 1 33 % Andelene i tabellerne er rundet til hele procent og giver derfor 99 % "
            "tilsammen") in complaints
    assert "*" not in complaints


def test_a_case_left_out_of_a_distribution_is_named_in_the_singular(beretning):
    # D (received 2019-10-31, still open) has neither channel nor outcome: one case, so "den", not "de".
    channels = text_of(beretning.section("channels_outcomes").html)
    assert "For én sag er kontaktformen ikke noteret; den er ikke med i fordelingen." in channels
    assert "For én sag er udfaldet ikke noteret, typisk fordi den stadig er åben; den er ikke med i fordelingen." in (
        channels)


def test_the_complaint_categories_are_explained_where_kommune_yml_says_how(make_register):
    kommune = KOMMUNE_YML + "forklaring:\n  forvaltningsloven: Regler for, hvordan en sag behandles.\n"
    beretning = load_beretning(make_register(kommune=kommune, sager=SAGER, problemstillinger=PROBLEMSTILLINGER,
                                             aktiviteter=AKTIVITETER), *YEAR)
    complaints = beretning.section("complaints").html
    assert "<dt>Forvaltningsloven</dt><dd>Regler for, hvordan en sag behandles.</dd>" in complaints
    assert "<dt>Øvrige</dt>" not in complaints  # no explanation given: no line, and no error


def test_no_explanations_without_forklaring(beretning):
    assert "<dl" not in beretning.section("complaints").html


def test_small_cells_are_withheld_and_the_method_note_says_so(folder):
    beretning = load_beretning(folder, *YEAR, min_celle=3)
    # Centre rows: Jobcenter 1, Ydelser 2, Vej/park 2 are all below 3, so all are withheld, and no
    # table shows a total from which they could be recovered. Areas: Social's 3 cases would tell that its
    # centres hold at least 3 of the 5 problems, so Vej/park at most 2: withheld, and Teknik's 0 with it.
    centres = text_of(beretning.section("centres").html)
    assert "Center Antal Andel Jobcenter * * Ydelser * * Teknik" in centres
    assert centres.endswith("Center Antal Andel Vej/park * *")
    assert text_of(beretning.section("areas").html).endswith("Social * * Teknik * *")
    assert "vises antal fra 1 til 2 som * i tabellerne over områder, centre, emner og klagekategorier." in (
        text_of(beretning.section("method").html))
    # Social's 3 and Teknik's 0 are withheld to protect others, so at least two more than the small ones.
    protecting = re.search(r"Et skjult tal må heller ikke kunne regnes ud af beretningens øvrige tal og summer, "
                           r"og derfor er (\d+) tal mere skjult\.", text_of(beretning.section("method").html))
    assert protecting and int(protecting.group(1)) >= 2
    # Complaint categories: Forvaltningsloven 1 and Øvrige 1 are withheld, so no total row either.
    assert "Kategori Antal Andel Forvaltningsloven * * Øvrige * * Hvad sagerne handlede om" in (
        text_of(beretning.section("complaints").html))


def test_the_method_note_names_the_reports_a_withheld_count_is_held_to(folder):
    beretning = load_beretning(folder, *YEAR, min_celle=3)
    held_to = {"withheld": 3, "protecting": 0, "disregarded": [], "given": [],
               "published_with": [{"start": "2017-11-01", "end": "2018-10-31"},
                                  {"start": "2018-11-01", "end": "2019-04-30"}]}
    note = text_of(dataclasses.replace(beretning, figures={**beretning.figures, "disclosure": held_to})
                   .section("method").html)
    assert ("Intet skjult tal kan regnes ud af beretningens øvrige tal og summer eller af beretningerne for "
            "2017/18 og 2018/19, 1. halvår, der er offentliggjort før den.") in note
    # A count earlier reports alone give away is not claimed safe.
    given = {**held_to, "given": [{"period": {"start": "2018-11-01", "end": "2019-04-30"},
                                   "cell": ["areas", "Social"]}]}
    note = text_of(dataclasses.replace(beretning, figures={**beretning.figures, "disclosure": given})
                   .section("method").html)
    assert "Intet skjult tal" not in note and "vises antal fra 1 til 2 som *" in note


def test_a_withheld_area_leaves_no_total_to_recover_it_from(folder):
    # Social 3 is below 4; Teknik 0 is withheld with it, as one withheld cell could be recovered from the total.
    areas = text_of(load_beretning(folder, *YEAR, min_celle=4).section("areas").html)
    assert areas.endswith("Område Antal Andel Social * * Teknik * *")


def test_labels_from_kommune_yml_are_escaped(make_register):
    kommune = KOMMUNE_YML.replace("  Teknik:", '  "<script>alert(1)</script> & Co":')
    problems = PROBLEMSTILLINGER.replace("Teknik", "<script>alert(1)</script> & Co")
    beretning = load_beretning(make_register(kommune=kommune, sager=SAGER, problemstillinger=problems,
                                             aktiviteter=AKTIVITETER), *YEAR)
    for name in ("areas", "centres", "method"):
        assert "<script" not in beretning.section(name).html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in beretning.section("centres").html


def test_without_a_narrative_each_chapter_is_a_warning_that_is_not_published(beretning):
    missing = beretning.chapter("Forord")
    bundle = missing._repr_mimebundle_()
    assert bundle[WARNING_MIMETYPE]["message"] == (
        "beretning_2018-11-01_2019-10-31.md: no narrative file, so chapter 'Forord' is left out; "
        "'reportlib narrative --period 2018-11-01:2019-10-31' writes one to fill in")
    assert bundle["text/plain"].startswith("Advarsel: der er ingen beretning_2018-11-01_2019-10-31.md")
    assert "text/html" not in bundle  # nothing for the board
    assert beretning.other_chapters() is None
    method = text_of(beretning.section("method").html)
    assert "Beretningen viser kun antal, aldrig oplysninger om den enkelte sag eller borger." in method
    assert "skjult" not in method


def test_chapters_come_from_the_period_narrative_in_the_register_folder(folder):
    (folder / "beretning_2018-11-01_2019-10-31.md").write_text(
        "# Forord\nHej.\n# Egne tanker\nMine.\n# Anbefalinger\nSvar.\n# Bilag\nMere.\n", encoding="utf-8")
    beretning = load_beretning(folder, *YEAR)
    assert text_of(beretning.chapter("Forord").html) == "Forord Hej."
    assert text_of(beretning.chapter("anbefalinger").html) == "Anbefalinger Svar."
    assert text_of(beretning.other_chapters().html) == "Egne tanker Mine. Bilag Mere."  # file order
    missing = beretning.chapter("Kontakt")._repr_mimebundle_()[WARNING_MIMETYPE]["message"]
    assert missing == "beretning_2018-11-01_2019-10-31.md: no chapter '# Kontakt', so it is left out of the report"


def test_the_title_section_tells_the_export_the_document_title(beretning):
    bundle = beretning.section("title")._repr_mimebundle_()
    assert bundle[DOCUMENT_MIMETYPE] == {"title": "Beretning fra Borgerrådgiveren, Testby Kommune, 2018/19"}
    assert DOCUMENT_MIMETYPE not in beretning.section("summary")._repr_mimebundle_()


def test_every_section_renders_and_an_unknown_one_is_refused(beretning):
    # Every section but those of the register's optional parts, which this register lacks.
    assert [name for name in SECTIONS if beretning.section(name) is not None] == [
        name for name in SECTIONS if name not in (*PART_SECTIONS, NETWORK_SECTION)]
    assert repr(beretning.section("summary")) == "<section summary>"
    with pytest.raises(ValueError, match="unknown section 'resume'; the sections are title, glance, summary"):
        beretning.section("resume")


# -- The sections of the register's optional parts, on the register of test_findings (worked out there) --------


def test_a_register_without_the_optional_parts_gives_the_report_of_today(make_register):
    # conftest's register: two cases, both in 2018/19, so the trend has a single year and is left out too.
    beretning = load_beretning(make_register(), *YEAR)
    assert [name for name in (*PART_SECTIONS, "trend") if beretning.section(name) is not None] == []
    assert "Egen drift" not in text_of(beretning.section("outreach").html)
    assert "behandling pr. område" not in text_of(load_beretning(make_register(), *YEAR, min_celle=3)
                                                   .section("method").html)


def test_every_section_renders_with_every_part(parts_folder):
    beretning = load_beretning(parts_folder, *YEAR)
    # test_findings' register keeps no kanal, udfald, moede_deltaget or klagebistand: those counts are
    # unknown, not zero, so their sections are left out and "Om tallene" says what is not recorded.
    assert [name for name in SECTIONS if beretning.section(name) is None] == ["channels_outcomes", "assistance",
                                                                            NETWORK_SECTION]
    assert ("Registret noterer ikke sagernes kontaktform, sagernes udfald, møder med forvaltningen og hjælp til at "
            "klage til en klageinstans, så beretningen har ingen tal for det.") in (
        text_of(beretning.section("method").html))
    glance = text_of(beretning.section("glance").html)
    assert "Møder med forvaltningen" not in glance and "Hjælp til at klage" not in glance
    assert "Sager i alt 7" in glance


def test_a_register_that_keeps_one_of_two_columns_says_only_what_it_knows(make_register):
    sager = "sag_id,modtaget,henvendelsestype,moede_deltaget\nX,2019-01-01,Klage,ja\nY,2019-01-02,Klage,nej\n"
    problems = "sag_id,omraade,center,emne\nX,Social,Jobcenter,Partshøring\nY,Social,Jobcenter,Andet\n"
    beretning = load_beretning(make_register(sager=sager, problemstillinger=problems), *YEAR)
    assert text_of(beretning.section("assistance").html) == (
        "Møder med forvaltningen Borgerrådgiveren deltog i ét møde mellem en borger og forvaltningen.")
    assert beretning.figures["key_figures"]["complaint_letters"] is None
    assert beretning.figures["channels"] is None and beretning.figures["outcomes"] is None


def test_the_trend_section(parts_folder):
    trend = load_beretning(parts_folder, *YEAR).section("trend").html
    # 2017/18: P3 Anden henvendelse, P1 and P2 Klage; 2018/19: E and G, and A-D and F.
    assert text_of(trend) == (
        "Udviklingen over årene Sagerne fordelt på type i 2018/19 og i samme periode i årene før, tilbage til 2017/18. "
        "I 2017/18 var der tre sager, i 2018/19 syv sager. Sager efter type, 2017/18 til 2018/19 "  # the caption
        "Se tallene i en tabel "  # the table, folded
        "Sager efter type, 2017/18 til 2018/19 Periode Anden henvendelse Klage I alt 2017/18 1 2 3 2018/19 2 5 7")
    alt = re.search(r'alt="([^"]+)"', trend).group(1).replace("\u00a0", " ")
    assert alt == ("Vandret søjlediagram over sagerne i hver periode, delt efter type. 2017/18: 3 i alt (Anden "
                   "henvendelse 1, Klage 2); 2018/19: 7 i alt (Anden henvendelse 2, Klage 5).")


def test_the_criticism_section(parts_folder):
    criticism = load_beretning(parts_folder, *YEAR).section("criticism").html
    text = text_of(criticism)
    # Examined A, B, C, F; criticised A (Kritik) and B (Delvis kritik). 2017/18: P1 criticised, P2 not.
    assert ("Borgerrådgiveren undersøgte fire sager og kritiserede forvaltningen i to af dem (50 %). "
            "I 2017/18 var det én af to undersøgte sager (50 %).") in text
    # Chart and table count the same cases as the sentence: the four examined, as shares of four (not of
    # the six with a result); the two not examined are named beside it, and G (open) is not in it.
    alt = re.search(r'alt="([^"]+)"', criticism).group(1).replace("\u00a0", " ")
    assert alt == ("Vandret søjlediagram over de undersøgte sager efter resultat: Kritik 25 %, Delvis kritik 25 %, "
                   "Ingen kritik 50 %.")
    assert "Resultat Antal Andel Kritik 1 25 % Delvis kritik 1 25 % Ingen kritik 2 50 % I alt 4 100 %" in text
    assert "De øvrige to sager med et resultat blev ikke undersøgt nærmere og indgår ikke her." in text
    assert "For én sag er resultatet ikke noteret, typisk fordi den stadig er åben; den er ikke med i" in text
    assert text.endswith("Undersøgte sager og kritik fordelt på områder Område Undersøgt Med kritik Andel med kritik "
                         "Social 3 2 67 % Teknik 1 0 0 % I alt, 2018/19 4 2 50 % I alt, 2017/18 2 1 50 %")


def test_the_methods_section(parts_folder):
    text = text_of(load_beretning(parts_folder, *YEAR).section("methods").html)
    assert "Behandling Antal Andel Vejledning 1 17 % Dialog 1 17 % Undersøgelse 4 66 % I alt 6 100 %" in text
    assert "For én sag er behandlingen ikke noteret, typisk fordi den stadig er åben; den er" in text  # G, open
    assert ("Behandling inden for Social Behandling Antal Andel Vejledning 0 0 % Dialog 1 25 % Undersøgelse 3 75 % "
            "I alt 4 100 % Behandling inden for Teknik Behandling Antal Andel Vejledning 1 50 % Dialog 0 0 % "
            "Undersøgelse 1 50 % I alt 2 100 %") in text


def test_own_initiative_is_kept_apart_from_the_outreach(parts_folder):
    beretning = load_beretning(parts_folder, *YEAR)
    own = text_of(beretning.section("own_initiative").html)
    assert "I perioden gennemførte borgerrådgiveren tre undersøgelser af egen drift." in own
    assert "Område Antal Andel Social 1 50 % Teknik 1 50 % I alt 2 100 %" in own
    assert own.endswith("Én undersøgelse er ikke knyttet til et område; den er ikke med i fordelingen.")
    outreach = text_of(beretning.section("outreach").html)
    assert outreach.endswith("Aktivitet Antal Eksternt oplæg 0 Åben rådgivning 1")  # no Egen drift here


def test_the_followup_section(parts_folder):
    text = text_of(load_beretning(parts_folder, *YEAR).section("followup").html)
    assert "Af de tre anbefalinger var én fulgt ved periodens slutning (33 %)." in text
    # The area column is there because one recommendation has an area.
    assert text.endswith("Status for tidligere anbefalinger Anbefaling Givet i Område Status og dato "
                         "Svar inden for fristen 2017/18, nr. 1 Social Fulgt 1. maj 2019 "
                         "Klar klagevejledning 2017/18, nr. 2 Igangsat 31. oktober 2019 "
                         "Tiende 2017/18, nr. 10 Ny 31. oktober 2018")
    # Nothing was made before 2016/17: no section (of a register that is complete for that year, too).
    kommune = parts_folder / "kommune.yml"
    said = kommune.read_text(encoding="utf-8")
    kommune.write_text(said.replace("komplet_fra: 2017-11-01", "komplet_fra: 2016-11-01"), encoding="utf-8")
    assert load_beretning(parts_folder, "2016-11-01", "2017-10-31").section("followup") is None


def test_the_optional_parts_tables_by_area_are_suppressed(parts_folder):
    beretning = load_beretning(parts_folder, *YEAR, min_celle=2)
    # Examined by area 3 and 1: the 1 is withheld, the 3 with it; the totals stay.
    assert text_of(beretning.section("criticism").html).endswith(
        "Social * * * Teknik * * * I alt, 2018/19 4 2 50 % I alt, 2017/18 2 1 50 %")
    # Social's methods 0, 1, 3 and Teknik's 1, 0, 1, all withheld (see test_document): no total row.
    methods = text_of(beretning.section("methods").html)
    assert "Behandling inden for Social Behandling Antal Andel Vejledning * * Dialog * * Undersøgelse * * " \
           "Behandling inden for Teknik" in methods
    assert "behandling pr. område og undersøgte sager pr. område" in text_of(beretning.section("method").html)


def test_a_label_may_break_after_its_slashes_and_stays_escaped():
    assert str(breakable("God forvaltningsskik/Forvaltningsloven")) == (
        "God forvaltningsskik/<wbr>Forvaltningsloven")
    assert str(breakable("Social & Sundhed/<b>")) == "Social &amp; Sundhed/<wbr>&lt;b&gt;"


def test_the_sections_are_the_templates_one_argument_macros_in_report_order():
    # A helper macro (leading underscore, or other arguments) is not a section; the order is the template's.
    assert SECTIONS == ("title", "glance", "summary", "followup", "cases", "trend", "areas", "centres", "complaints",
                        "criticism", "channels_outcomes", "methods", "assistance", "handling", "outreach",
                        "own_initiative", "network", "method")


@pytest.mark.parametrize("name", ["_exhibit", "chapters", "sager"])
def test_a_name_that_is_not_a_section_is_refused_with_the_list(beretning, name):
    with pytest.raises(ValueError, match=rf"unknown section '{name}'; the sections are title, glance, summary"):
        beretning.section(name)


def test_who_speaks_and_when_the_title_and_the_signed_foreword(make_register):
    kommune = KOMMUNE_YML + "borgerraadgiver:\n  navn: Karin Holm\n  titel: Borgerrådgiver\nlogo: logo.svg\n"
    folder = make_register(kommune=kommune, sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER)
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="8" height="8"/></svg>',
                                     encoding="utf-8")
    (folder / "beretning_2018-11-01_2019-10-31.md").write_text("# Forord\nHej.\n# Indledning\nOm os.\n",
                                                                encoding="utf-8")
    beretning = load_beretning(folder, *YEAR, dato="2019-12-02", moede="Byrådets møde 12. december 2019")
    title = beretning.section("title").html
    assert '<img class="logo" src="data:image/svg+xml;base64,' in title and 'alt="Logo: Testby Kommune"' in title
    assert text_of(title).endswith("Udgivet 2. december 2019. Byrådets møde 12. december 2019")
    assert text_of(beretning.chapter("Forord").html) == "Forord Hej. Karin Holm Borgerrådgiver"
    assert text_of(beretning.chapter("Indledning").html) == "Indledning Om os."  # only the foreword is signed
    unsigned = load_beretning(make_register(), *YEAR)
    assert "Udgivet" not in unsigned.section("title").html and "<img" not in unsigned.section("title").html


def test_a_misspelt_chapter_heading_is_named_with_the_fix(folder):
    (folder / "beretning_2018-11-01_2019-10-31.md").write_text("# Anbefaling\nSvar hurtigere.\n# Bilag\nMere.\n",
                                                                encoding="utf-8")
    notice = load_beretning(folder, *YEAR).chapter("Anbefalinger")._repr_mimebundle_()
    assert notice[WARNING_MIMETYPE]["message"] == (
        "beretning_2018-11-01_2019-10-31.md: no chapter '# Anbefalinger', so it is left out of the report; did you "
        "mean '# Anbefaling'? Write its heading as '# Anbefalinger'")
    assert notice["text/plain"].endswith("Mente du »# Anbefaling«? Skriv overskriften som »# Anbefalinger«.")
    plain = load_beretning(folder, *YEAR).chapter("Kontakt")._repr_mimebundle_()[WARNING_MIMETYPE]["message"]
    assert plain.endswith("no chapter '# Kontakt', so it is left out of the report")  # nothing close: no guess


def test_a_register_without_activities_leaves_the_outreach_out_and_says_so(make_register):
    beretning = load_beretning(make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=None),
                               *YEAR)
    assert beretning.section("outreach") is None
    assert beretning.figures["key_figures"]["drop_in_sessions"] is None  # unknown, not zero
    assert (beretning.figures["activities"], beretning.figures["drop_in"]) == (None, None)
    assert "udadrettede aktiviteter som oplæg og åben rådgivning" in text_of(beretning.section("method").html)
    assert "Åben rådgivning" not in text_of(beretning.section("glance").html)  # the key-figures table skips it


# A report chart drawn in a fresh interpreter, as the kernel draws it.
_CHART = ("import sys\nfrom reportlib.report import sections\n"
          "rows = [{'label': 'Jobcenter', 'count': 3, 'pct': 60}, {'label': 'Ydelser', 'count': 2, 'pct': 40}]\n"
          "sys.stdout.write(str(sections.bar_figure(rows, 'sager efter center', 'Centre')))")


def test_a_matplotlibrc_on_the_machine_does_not_change_the_reports_charts(tmp_path):
    """A user's or a folder's matplotlibrc (another font, a coloured background, text as paths) is not the report's."""
    own = tmp_path / "matplotlibrc"
    own.write_text("font.family: serif\naxes.facecolor: yellow\nsvg.fonttype: path\nsavefig.facecolor: red\n"
                   "figure.dpi: 200\naxes.prop_cycle: cycler('color', ['ff0000'])\n", encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if key not in ("MATPLOTLIBRC", "MPLCONFIGDIR")}

    def drawn(extra):
        done = subprocess.run([sys.executable, "-c", _CHART], env={**environment, **extra}, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    usual, configured = drawn({}), drawn({"MATPLOTLIBRC": str(own)})
    assert usual.startswith('<figure class="chart">') and configured == usual


def test_an_interim_report_says_what_it_counts_on_its_title_at_a_glance_and_in_its_summary(make_register):
    # The register is complete through 30 June 2019 (kommune.yml): 2018/19 is reported as far as that.
    folder = make_register(complete="komplet_fra: 2018-11-01\nkomplet_til: 2019-06-30\n")
    beretning = load_beretning(folder, *YEAR, foreloebig=True)
    assert (beretning.interim, beretning.period_label, beretning.counted_label.replace("\u00a0", " ")) == (
        True, "2018/19, foreløbig", "1. november 2018 – 30. juni 2019")
    assert beretning.title == "Beretning fra Borgerrådgiveren, Testby Kommune, 2018/19, foreløbig"
    assert text_of(beretning.section("title").html).endswith(
        "2018/19, foreløbig: opgjort 1. november 2018 – 30. juni 2019")
    glance = text_of(beretning.section("glance").html)
    assert glance.startswith("Året i tal Foreløbige tal: de tæller sagerne fra 1. november 2018 til 30. juni 2019, "
                             "så langt registret er ført, ikke hele året. 2 sager")
    assert "Nøgletal for 2018/19, foreløbig (opgjort 1. november 2018 – 30. juni 2019)" in glance
    assert text_of(beretning.section("summary").html).startswith(
        "Resumé Borgerrådgiveren modtog to sager i perioden fra 1. november 2018 til 30. juni 2019.")
    with pytest.raises(PeriodError, match="runs past 2019-06-30"):  # not asked for as interim: refused
        load_beretning(folder, *YEAR)


def test_a_half_year_is_a_half_year_at_a_glance(folder):
    assert text_of(load_beretning(folder, "2018-11-01", "2019-04-30").section("glance").html).startswith(
        "Halvåret i tal")
