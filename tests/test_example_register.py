"""The example register's 2018/19 year reproduces every figure the seed report publishes.

Counted with the csv module and plain arithmetic, independently of reportlib.
"""

import csv
import re
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

import pytest

from conftest import ROOT
from reportlib.paths import DATA_RAW

START, END = "2018-11-01", "2019-10-31"
AM, BU, BEM = "Arbejdsmarked/Social & Sundhed", "Børn og Unge/Skole/Kultur", "By, Erhverv og miljø, Opkrævning"


def rows(name):
    with open(DATA_RAW / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def largest_remainder(counts):
    """Whole percentages summing to 100: floors, then +1 to the largest remainders (earlier wins ties)."""
    total = sum(counts)
    exact = [100 * c / total for c in counts]
    result = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: -(exact[i] - result[i]))
    for i in by_remainder[: 100 - sum(result)]:
        result[i] += 1
    return result


@pytest.fixture(scope="module")
def year():
    cases = [c for c in rows("sager") if START <= c["modtaget"] <= END]
    ids = {c["sag_id"] for c in cases}
    problems = [p for p in rows("problemstillinger") if p["sag_id"] in ids]
    activities = [a for a in rows("aktiviteter") if START <= a["dato"] <= END]
    return cases, problems, activities


def primary_rows(problems):
    """One row per case: the one marked primary, else the case's first row."""
    marked = {p["sag_id"]: p for p in problems if p["primaer"] == "ja"}
    first = {}
    for p in problems:
        first.setdefault(p["sag_id"], p)
    return {sag_id: marked.get(sag_id, row) for sag_id, row in first.items()}


def test_cases_and_types(year):
    cases, _, _ = year
    assert len(cases) == 114
    assert Counter(c["henvendelsestype"] for c in cases) == {"Anden henvendelse": 64, "Klage": 50}


def test_most_cases_raise_several_problems(year):
    _, problems, _ = year
    per_case = Counter(p["sag_id"] for p in problems)
    assert sum(1 for n in per_case.values() if n > 1) > 114 / 2


def test_areas_63_26_11(year):
    _, problems, _ = year
    areas = Counter(p["omraade"] for p in primary_rows(problems).values())
    assert largest_remainder([areas[AM], areas[BU], areas[BEM]]) == [63, 26, 11]


@pytest.mark.parametrize("area,centres,expected", [
    (AM, ["Jobcenter", "Ydelser", "Hjælpemidler og visitation", "Handicap og psykiatri", "Pleje og omsorg"],
     [26, 14, 26, 24, 10]),
    (BU, ["Familie", "Handicap", "Dagtilbud", "Skoler", "Kultur"], [30, 26, 5, 35, 4]),
    (BEM, ["Opkrævning", "Ejendomme", "Bolig", "Anlæg/plan", "Vej/park"], [18, 9, 37, 18, 18]),
])
def test_centre_tables_count_problem_rows(year, area, centres, expected):
    _, problems, _ = year
    counts = Counter(p["center"] for p in problems if p["omraade"] == area)
    assert largest_remainder([counts[c] for c in centres]) == expected


def test_complaint_categories(year):
    cases, problems, _ = year
    complaints = {c["sag_id"] for c in cases if c["henvendelsestype"] == "Klage"}
    good_administration = ["Sagsbehandlingstid", "Manglende svar", "Manglende kontakt med sagsbehandler", "Partshøring",
                           "Begrundelse", "Klagevejledning", "Aktindsigt", "Notatpligt", "Sagsoplysning", "Vejledning",
                           "Optræden og sprogbrug"]
    legal_basis = ["Hjemmel", "Afgørelsens indhold", "Forståelse af afgørelsen"]
    topics = [p["emne"] for sag_id, p in primary_rows(problems).items() if sag_id in complaints]
    good = sum(t in good_administration for t in topics)
    legal = sum(t in legal_basis for t in topics)
    assert 0.5 < good / 50 <= 0.6  # "godt halvdelen"
    assert legal / 50 == 0.20  # "ca. 20 %"


def test_meetings_and_complaint_letters(year):
    cases, _, _ = year
    meetings = [c for c in cases if c["moede_deltaget"] == "ja"]
    assert len(meetings) == 16
    assert sum(c["henvendelsestype"] == "Anden henvendelse" for c in meetings) == 14
    assert sum(c["klagebistand"] == "ja" for c in cases) == 5


def test_talks(year):
    _, _, activities = year
    kinds = Counter(a["aktivitet"] for a in activities)
    assert (kinds["Eksternt oplæg"], kinds["Internt oplæg"]) == (8, 10)


def test_drop_in_every_monday_from_2_september_2019(year):
    _, _, activities = year
    sessions = [a for a in activities if a["aktivitet"] == "Åben rådgivning"]
    mondays = [(date(2019, 9, 2) + timedelta(weeks=w)).isoformat() for w in range(9)]
    assert [a["dato"] for a in sessions] == mondays
    assert {int(a["antal_borgere"]) for a in sessions} <= {2, 3}


def test_later_years_differ(year):
    later = [c for c in rows("sager") if c["modtaget"] > END]
    per_year = Counter("2019/20" if c["modtaget"] <= "2020-10-31" else "2020/21" for c in later)
    assert set(per_year) == {"2019/20", "2020/21"}
    assert len({114, *per_year.values()}) == 3
    assert max(c["modtaget"] for c in later) <= "2021-10-31"


def test_notes_hold_fake_personal_data():
    notes = " ".join(c["note"] for c in rows("sager"))
    assert len(re.findall(r"\b\d{6}-\d{4}\b", notes)) >= 10
    assert len(re.findall(r"\b\d{2} \d{2} \d{2} \d{2}\b", notes)) >= 10


def test_generator_rewrites_the_committed_files_byte_for_byte(tmp_path):
    script = ROOT / "scripts" / "make_example_register.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in ("sager.csv", "problemstillinger.csv", "aktiviteter.csv", "anbefalinger.csv", "OPDIGTET.sha256"):
        assert (tmp_path / name).read_bytes() == (DATA_RAW / name).read_bytes(), name


YEARS = {"2018/19": ("2018-11-01", "2019-10-31"), "2019/20": ("2019-11-01", "2020-10-31"),
         "2020/21": ("2020-11-01", "2021-10-31")}
# How a closed case was handled follows its outcome, but for investigations and meetings the advisor attended.
METHOD_OF_OUTCOME = {"Løst i dialog med afdelingen": "Dialog med forvaltningen", "Vejledt": "Vejledning",
                     "Henvist til rette instans": "Videresendt", "Afvist": "Afvist",
                     "Bistand til klage": "Vejledning", "Ingen yderligere kontakt": "Vejledning"}


@pytest.mark.parametrize("period", YEARS)
def test_methods_and_results_are_plausible(period):
    start, end = YEARS[period]
    cases = [c for c in rows("sager") if start <= c["modtaget"] <= end]
    investigated = [c for c in cases if c["metode"] == "Undersøgelse"]
    complaints = sum(c["henvendelsestype"] == "Klage" for c in cases)
    # About a tenth of the complaints are investigated, and only complaints; criticism is rare.
    assert round(complaints / 10) == len(investigated) and {c["henvendelsestype"] for c in investigated} == {"Klage"}
    assert {c["resultat"] for c in investigated} <= {"Kritik", "Delvis kritik", "Ingen kritik"}
    assert sum(c["resultat"] in ("Kritik", "Delvis kritik") for c in cases) <= len(investigated) / 2
    for case in cases:
        if not case["afsluttet"]:
            assert (case["metode"], case["resultat"]) == ("", "")  # open: nothing yet
        elif case["metode"] != "Undersøgelse":
            assert case["resultat"] == "Ikke undersøgt"
            assert case["metode"] == ("Møde med borger og forvaltning" if case["moede_deltaget"] == "ja"
                                      else METHOD_OF_OUTCOME[case["udfald"]])


def test_a_few_own_initiative_investigations_a_year_each_with_an_area():
    investigations = [a for a in rows("aktiviteter") if a["aktivitet"] == "Egen drift-undersøgelse"]
    per_year = Counter(next(y for y, (s, e) in YEARS.items() if s <= a["dato"] <= e) for a in investigations)
    assert per_year == {"2018/19": 1, "2019/20": 2, "2020/21": 3}
    assert all(a["omraade"] for a in investigations)
    assert not any(a["omraade"] for a in rows("aktiviteter") if a["aktivitet"] != "Egen drift-undersøgelse")


def narrative_recommendations(period):
    """The recommendations a narrative makes, and the statuses it gives last year's: (made, {heading: status})."""
    start, end = YEARS[period]
    text = (DATA_RAW / f"beretning_{start}_{end}.md").read_text(encoding="utf-8")
    chapter = re.search(r"^# Anbefalinger\n(.*?)(?=^# )", text, re.S | re.M).group(1)
    if "## Nye anbefalinger" not in chapter:  # the first year: every ## heading is a recommendation
        return re.findall(r"^## (.+)$", chapter, re.M), {}
    follow_up, new = chapter.split("## Nye anbefalinger")
    statuses = dict(re.findall(r"^### (.+)\n\n\*\*(.+?)\.\*\*", follow_up, re.M))
    return re.findall(r"^### (.+)$", new, re.M), statuses


def test_the_recommendations_are_those_of_the_narratives_with_the_statuses_they_give():
    table = rows("anbefalinger")
    for period, (_, end) in YEARS.items():
        made, statuses = narrative_recommendations(period)
        ours = [r for r in table if r["periode"] == period and r["status"] == "Ny"]
        assert [(r["nr"], r["anbefaling"], r["status_dato"]) for r in ours] == [
            (str(number), heading, end) for number, heading in enumerate(made, start=1)]
        reported = {r["anbefaling"]: r["status"] for r in table if r["status_dato"] == end and r["status"] != "Ny"}
        assert reported == statuses
    assert len(table) == 4 + 2 + 2 + 4 + 2  # a first row for each of the 8, and the 6 statuses reported
