"""The synthetic network (scripts/make_example_register.py --network): deterministic, valid, varied, and as said.

Each year's figures, computed by reportlib from the folders written, are the counts the generator says it
drew (its YearSpecs); the first member's are also worked out here by hand.
"""

import csv
import datetime as dt
import importlib.util
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportlib.cli import main
from reportlib.figures import coverage
from reportlib.figures.document import figures
from reportlib.identifiers import cpr_like
from reportlib.periods import Period
from reportlib.register.national import unmapped
from reportlib.register.validate import load_register

SCRIPT = ROOT / "scripts" / "make_example_register.py"
_spec = importlib.util.spec_from_file_location("make_example_register", SCRIPT)
generator = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)  # dataclasses look themselves up
_spec.loader.exec_module(generator)

# The 98 municipalities of Denmark: no invented one may be called like them.
REAL = """Albertslund Allerød Assens Ballerup Billund Bornholm Brøndby Brønderslev Dragør Egedal Esbjerg Fanø
Favrskov Faxe Fredensborg Fredericia Frederiksberg Frederikshavn Frederikssund Furesø Faaborg-Midtfyn Gentofte
Gladsaxe Glostrup Greve Gribskov Guldborgsund Haderslev Halsnæs Hedensted Helsingør Herlev Herning Hillerød Hjørring
Holbæk Holstebro Horsens Hvidovre Høje-Taastrup Hørsholm Ikast-Brande Ishøj Jammerbugt Kalundborg Kerteminde Kolding
København Køge Langeland Lejre Lemvig Lolland Lyngby-Taarbæk Læsø Mariagerfjord Middelfart Morsø Norddjurs Nordfyns
Nyborg Næstved Odder Odense Odsherred Randers Rebild Ringkøbing-Skjern Ringsted Roskilde Rudersdal Rødovre Samsø
Silkeborg Skanderborg Skive Slagelse Solrød Sorø Stevns Struer Svendborg Syddjurs Sønderborg Thisted Tønder Tårnby
Vallensbæk Varde Vejen Vejle Vesthimmerlands Viborg Vordingborg Ærø Aabenraa Aalborg Aarhus"""


def generate(out, n, years):
    subprocess.run([sys.executable, str(SCRIPT), "--network", str(n), "--years", str(years), "--out", str(out)],
                   check=True, capture_output=True)
    return out


def contents(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """Three municipalities of two years each, and what the generator says it drew for them."""
    return generate(tmp_path_factory.mktemp("network"), 3, 2), generator.network(3, 2)


def test_the_same_network_twice_is_the_same_bytes_and_a_larger_one_starts_with_it(tmp_path, three):
    folder, _ = three
    first, second = generate(tmp_path / "a", 2, 2), generate(tmp_path / "b", 2, 2)
    assert contents(first) == contents(second)
    assert len({name.split("/")[0] for name in contents(first)}) == 2
    larger = contents(folder)
    assert all(larger[name] == data for name, data in contents(first).items())


def test_one_folder_per_member_each_valid(three):
    folder, members = three
    assert sorted(p.name for p in folder.iterdir()) == sorted(m.slug for m in members)
    for member in members:
        result = CliRunner().invoke(main, ["validate", "--data", str(folder / member.slug)])
        assert result.exit_code == 0, result.output
        assert "register is valid" in result.output
        assert sorted(p.name for p in (folder / member.slug).iterdir()) == [
            "aktiviteter.csv", "kommune.yml", "problemstillinger.csv", "sager.csv"]


def test_each_covers_the_years_asked_for_the_last_ending_in_2025(three):
    folder, members = three
    for member in members:
        register = load_register(folder / member.slug)
        years = coverage.covered_periods(register, today=dt.date(2026, 1, 1), halves=False)
        month = member.config["periode_start_maaned"]
        last_end = {1: dt.date(2025, 12, 31), 11: dt.date(2025, 10, 31)}[month]
        assert [(y.start, y.end) for y in years] == [(s.start, s.end) for s in member.municipality.years]
        assert len(years) == 2 and years[-1].end == last_end
        assert coverage.last_day(register) <= last_end


def test_each_years_figures_are_the_counts_the_generator_drew(three):
    folder, members = three
    for member in members:
        register = load_register(folder / member.slug)
        areas, categories = list(member.config["omraader"]), list(member.config["emner"])
        for spec in member.municipality.years:
            document = figures(register, Period(spec.start, spec.end), min_celle=0)
            assert document["key_figures"]["cases_total"] == sum(spec.types)
            assert [t["count"] for t in document["cases"]["by_type"]] == list(spec.types)
            assert document["key_figures"]["problemstillinger"] == sum(map(sum, spec.centre_rows))
            assert [a["label"] for a in document["areas"]] == areas
            assert tuple(a["count"] for a in document["areas"]) == spec.primary_areas
            assert [c["label"] for c in document["complaint_categories"]] == categories
            assert tuple(c["count"] for c in document["complaint_categories"]) == spec.complaint_categories
            assert document["meetings_attended"] == sum(spec.meetings)
            assert document["complaint_letters"] == spec.complaint_letters
            talks = {a["label"]: a["count"] for a in document["activities"]}
            assert (talks["Eksternt oplæg"], talks["Internt oplæg"]) == spec.talks
            mondays = [day for first, last in spec.drop_in for day in generator._mondays(first, last)]
            assert document["drop_in"]["sessions"] == len(set(mondays) - generator.HOLIDAYS)
            assert document["own_initiative"]["total"] == spec.own_initiative
            comparable = document["comparable"]
            assert (comparable["kommune"], comparable["indbyggere"]) == (member.config["kommune"],
                                                                         member.config["indbyggere"])
            assert comparable["complaints"] == spec.types[1]


def test_the_first_member_worked_by_hand(three):
    folder, members = three
    first = members[0]
    assert (first.config["kommune"], first.config["indbyggere"], first.config["periode_start_maaned"]) == (
        "Sivkær Kommune", 132_300, 11)
    assert [sum(spec.types) for spec in first.municipality.years] == [261, 279]
    comparable = figures(load_register(folder / first.slug), Period(dt.date(2023, 11, 1), dt.date(2024, 10, 31)),
                         min_celle=0)["comparable"]
    # Per 10,000 inhabitants: 261 / 132,300 x 10,000 = 19.73 cases; 78 / 132,300 x 10,000 = 5.90 complaints.
    assert (comparable["cases"], comparable["complaints"], comparable["other_inquiries"]) == (261, 78, 183)
    assert (comparable["cases_per_10000"], comparable["complaints_per_10000"]) == (19.7, 5.9)


def test_members_differ_in_size_taxonomy_start_and_mapping():
    members = generator.network(12, 1)
    configs = [m.config for m in members]
    inhabitants = [c["indbyggere"] for c in configs]
    assert len(set(inhabitants)) == 12 and all(10_000 <= n <= 350_000 for n in inhabitants)
    assert min(inhabitants) < 30_000 and max(inhabitants) > 150_000
    assert {c["periode_start_maaned"] for c in configs} == {1, 11}
    assert len({tuple(c["omraader"]) for c in configs}) == 12
    assert len({len(c["omraader"]) for c in configs}) > 1
    assert len({sum(map(len, c["omraader"].values())) for c in configs}) > 3  # centres
    assert len({tuple(c["emner"]) for c in configs}) > 3
    assert len({sum(map(len, c["emner"].values())) for c in configs}) > 3  # topics
    mapped = [len(c["sammenligning"]["temaer"]) for c in configs]
    left_out = [len(unmapped(c["emner"], c["sammenligning"]["temaer"])) for c in configs]
    assert min(left_out) == 0 and max(left_out) >= 5 and len(set(mapped)) > 3
    assert {c["min_celle"] for c in configs} > {0}
    # Cases roughly in proportion to the inhabitants: 15 to 35 per 10,000 a year, give or take 15 %.
    for member in members:
        cases = sum(member.municipality.years[0].types)
        assert 12 <= cases / member.config["indbyggere"] * 10_000 <= 41


def test_names_are_invented_and_unique():
    names = [m.config["kommune"].removesuffix(" Kommune") for m in generator.network(120, 1)]
    assert len(set(names)) == 120
    assert not set(names) & set(REAL.split())
    with pytest.raises(ValueError, match="1 to 120 municipalities"):
        generator.network(121, 1)


def test_no_note_holds_anything_cpr_like(three):
    folder, _ = three
    notes = []
    for sager in folder.glob("*/sager.csv"):
        with sager.open(encoding="utf-8", newline="") as f:
            notes += [row["note"] for row in csv.DictReader(f) if row["note"]]
    assert len(notes) > 100
    assert not any(cpr_like(note) for note in notes)


def test_network_needs_a_folder_to_write_into():
    result = subprocess.run([sys.executable, str(SCRIPT), "--network", "2"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--network needs --out DIR" in result.stderr


def test_every_sentence_of_each_members_last_year_holds_for_its_register(three):
    """Registers this project did not write by hand: the claims of tests/report/test_shapes.py hold for them too."""
    from claims import check_every_claim, facts, rendered
    from conftest import text_of
    from reportlib.report.beretning import load_beretning

    folder, members = three
    for member in members:
        last = member.municipality.years[-1]
        beretning = load_beretning(folder / member.slug, last.start.isoformat(), last.end.isoformat())
        tables = {name: (folder / member.slug / f"{name}.csv").read_text(encoding="utf-8")
                  for name in ("sager", "problemstillinger", "aktiviteter")}
        html = rendered(beretning)
        check_every_claim(member.slug, beretning, html, text_of(html).replace("\u00a0", " "),
                          facts(tables, last.start.isoformat(), last.end.isoformat()))
