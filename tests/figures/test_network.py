"""A network's figures from members' figures documents: per 10,000, averages, size bands, suppression.

The four invented members (ABY, BOEBY, CBY, DBY) and their figures worked out by hand are in
tests/network_members.py.
"""

import hashlib

import pytest

import network_members
from network_members import ABY, BOEBY, CBY, DBY, YEAR, section
from reportlib.figures.network import (
    FORMAT,
    MAIN_MEASURES,
    MIN_MEMBERS,
    SIZE_BANDS,
    band_of,
    mean,
    measure_table,
    member_comparison,
    network,
)
from reportlib.figures.network_documents import read_members
from reportlib.register.national import vocabulary


@pytest.fixture
def write(tmp_path):
    return lambda name, document: network_members.write(tmp_path / name, document)


@pytest.fixture
def files(write):
    # Given out of order: the network lists its members in Danish alphabetical order (ø after z).
    return [write("d.json", DBY), write("b.json", BOEBY), write("a.json", ABY), write("c.json", CBY)]


@pytest.fixture
def document(files):
    return network(read_members(files))


def measure(document, key):
    return next(m for m in document["measures"] if m["key"] == key)


def averages(document, key):
    m = measure(document, key)
    return m["network"]["average"], m["network"]["members"], {b["label"]: (b["average"], b["members"])
                                                              for b in m["bands"]}


def test_the_size_bands_are_fixed_and_every_number_of_inhabitants_is_in_one():
    assert [band.label for band in SIZE_BANDS] == ["under 30.000", "30.000–59.999", "60.000–99.999",
                                                   "100.000 og flere"]
    assert [band_of(n).label for n in (1, 29_999, 30_000, 59_999, 60_000, 99_999, 100_000, 650_000)] == [
        "under 30.000", "under 30.000", "30.000–59.999", "30.000–59.999", "60.000–99.999", "60.000–99.999",
        "100.000 og flere", "100.000 og flere"]
    assert band_of(None) is None


def test_the_mean_is_exact_before_it_is_rounded_half_up_to_one_decimal():
    assert mean([12.5, 13]) == 12.8  # 12.75
    assert mean([40, 20, 60, 25]) == 36.3  # 36.25
    assert mean([1, 1, 2]) == 1.3 and mean([]) is None


def test_a_share_is_averaged_to_a_whole_percent_rounded_once_from_the_exact_mean():
    assert mean([40, 20, 60, 25], 0) == 36 and isinstance(mean([40, 20, 60, 25], 0), int)  # 36.25
    assert mean([20, 25, 33, 40], 0) == 30  # 29.5, half up
    # Nine of 39 and eleven of 38: 769 / 20 = 38.45, which is 38, though to one decimal it is 38.5 (and that 39).
    assert mean([39] * 9 + [38] * 11, 0) == 38 and mean([39] * 9 + [38] * 11) == 38.5


def test_members_are_in_danish_order_with_their_bands_and_digests(document, files):
    members = document["members"]
    # Æ before Å, as in Danish (not as in Unicode, where å comes first).
    assert [m["kommune"] for m in members] == ["Aby Kommune", "Bøby Kommune", "Ærby Kommune", "Åby Kommune"]
    assert [m["band"] for m in members] == ["under 30.000", "under 30.000", "30.000–59.999", None]
    assert members[0]["sha256"] == hashlib.sha256(files[2].read_bytes()).hexdigest()
    assert members[0]["comparable"] == ABY["comparable"]  # as given
    assert document["network"] == FORMAT == 3 and document["version"] == 1 and document["period"] == YEAR
    assert document["min_members"] == MIN_MEMBERS == 3


def test_per_10000_averages_over_the_members_with_inhabitants_and_no_band_of_fewer_than_three(document):
    # Cases: Aby 15.0, Bøby 20.0, Ærby 10.0; Åby has no inhabitants: no value and no band. Under 30,000 are Aby
    # and Bøby, two: no average (17.5 would give each the other's figure); 30,000-59,999 is Ærby alone, whose
    # "average" would be its own 10.0.
    assert averages(document, "cases_per_10000") == (15.0, 3, {"under 30.000": (None, 2), "30.000–59.999": (None, 1),
                                                               "60.000–99.999": (None, 0),
                                                               "100.000 og flere": (None, 0)})
    # Complaints: 6, 4 and 6: 16 / 3 = 5.33.
    assert averages(document, "complaints_per_10000")[:2] == (5.3, 3)
    left_out = measure(document, "cases_per_10000")["network"]["left_out"]
    assert left_out == [{"kommune": "Åby Kommune", "missing": "no_inhabitants"}]


def test_the_complaint_share_is_each_members_rate_with_its_base_and_their_plain_mean_in_whole_percent(document):
    # 12 of 30, 10 of 50, 27 of 45, 3 of 12: 40, 20, 60 and 25 %; the mean 36.25 is 36 %, as whole as theirs.
    values = [(row["kommune"], row["value"], row["count"], row["base"])
              for row in measure(document, "complaint_share")["values"]]
    assert values == [("Aby Kommune", 40, 12, 30), ("Bøby Kommune", 20, 10, 50), ("Ærby Kommune", 60, 27, 45),
                      ("Åby Kommune", 25, 3, 12)]
    assert averages(document, "complaint_share")[:2] == (36, 4)


def test_criticism_and_handling_time_leave_out_who_has_none_and_say_why(document):
    # Criticism: 40 and 25 % of two members, no average (it would be 32.5); each rate with its base.
    assert averages(document, "criticism_rate")[:2] == (None, 2)
    assert [(row["value"], row["count"], row["base"]) for row in measure(document, "criticism_rate")["values"]] == [
        (40, 2, 5), (25, 1, 4), (None, None, None), (None, None, None)]
    assert measure(document, "criticism_rate")["network"]["left_out"] == [
        {"kommune": "Ærby Kommune", "missing": "not_recorded"}, {"kommune": "Åby Kommune", "missing": "none_examined"}]
    assert averages(document, "handling_median")[:2] == (15.2, 3)  # (14 + 21 + 10.5) / 3 = 15.17
    assert averages(document, "handling_p90")[:2] == (43.5, 3)  # (40.5 + 60 + 30) / 3
    assert averages(document, "within_target")[:2] == (None, 2)  # 75 and 60: two
    assert [(row["count"], row["base"]) for row in measure(document, "within_target")["values"][:2]] == [
        (21, 28), (27, 45)]
    assert measure(document, "within_target")["network"]["left_out"] == [
        {"kommune": "Ærby Kommune", "missing": "no_target"}, {"kommune": "Åby Kommune", "missing": "none_closed"}]


def test_a_suppressed_theme_share_stays_suppressed_and_is_left_out_of_the_averages_named(document):
    m = measure(document, "theme:partshøring")
    assert [(row["kommune"], row["value"], row["missing"], row["count"], row["base"]) for row in m["values"]] == [
        ("Aby Kommune", None, "suppressed", None, None), ("Bøby Kommune", 20, None, 10, 50),
        ("Ærby Kommune", 10, None, 5, 50), ("Åby Kommune", 0, None, 0, 12)]
    # Bøby 20, Ærby 10, Åby 0: 10 %; Aby's share withheld, so its band has Bøby's alone, and no average.
    assert averages(document, "theme:partshøring") == (10, 3, {"under 30.000": (None, 1), "30.000–59.999": (None, 1),
                                                               "60.000–99.999": (None, 0),
                                                               "100.000 og flere": (None, 0)})
    assert m["network"]["left_out"] == [{"kommune": "Aby Kommune", "missing": "suppressed"}]
    assert next(b for b in m["bands"] if b["label"] == "under 30.000")["left_out"] == m["network"]["left_out"]
    # Every theme of the vocabulary is a measure, after the main ones.
    keys = [m["key"] for m in document["measures"]]
    assert keys == [*MAIN_MEASURES, *(f"theme:{theme}" for theme in vocabulary().themes)]


def test_a_measure_as_a_tidy_table(document):
    table = measure_table(document, "cases_per_10000")
    assert list(table.columns) == ["kommune", "band", "value", "missing", "count", "base"]
    assert table["value"].tolist()[:3] == [15.0, 20.0, 10.0] and table["missing"].tolist()[3] == "no_inhabitants"
    assert measure_table(document, "criticism_rate")["base"].tolist()[:2] == [5, 4]


def test_a_members_own_figures_beside_the_other_members_averages_never_its_own(document):
    rows = {row["key"]: row for row in member_comparison(BOEBY["comparable"], document)}
    assert list(rows) == list(MAIN_MEASURES)
    # Bøby's others: Aby 15.0 and Ærby 10.0 per 10,000 (Åby has no inhabitants): two, no average.
    assert (rows["cases_per_10000"]["own"], rows["cases_per_10000"]["network"],
            rows["cases_per_10000"]["network_members"]) == (20.0, None, 2)
    # Complaint share: Aby 40, Ærby 60 and Åby 25 (not Bøby's own 20): 41.67, 42 %; of its size only Aby.
    assert (rows["complaint_share"]["own"], rows["complaint_share"]["count"], rows["complaint_share"]["base"],
            rows["complaint_share"]["network"], rows["complaint_share"]["network_members"],
            rows["complaint_share"]["band"], rows["complaint_share"]["band_members"]) == (20, 10, 50, 42, 3, None, 1)
    # Handling: Aby 14 and Ærby 21 (Åby closed none): two, no average; Bøby's 10.5 is in none.
    assert (rows["handling_median"]["own"], rows["handling_median"]["network"]) == (10.5, None)
    alone = {row["key"]: row for row in member_comparison(DBY["comparable"], document)}
    assert (alone["cases_per_10000"]["own"], alone["cases_per_10000"]["missing"]) == (None, "no_inhabitants")
    assert (alone["cases_per_10000"]["network"], alone["cases_per_10000"]["network_members"]) == (15.0, 3)
    assert alone["complaint_share"]["band"] is None and alone["complaint_share"]["band_members"] == 0
    # A municipality outside the network is compared with all of it.
    outside = section("Udeby Kommune", 22_000, 10, 5, per_10000=(4.5, 2.3))
    rows = {row["key"]: row for row in member_comparison(outside["comparable"], document)}
    assert (rows["complaint_share"]["network"], rows["complaint_share"]["network_members"]) == (36, 4)


def test_a_theme_no_topic_maps_to_is_not_known_never_zero(write):
    # Aby maps no topic to partshøring: its share is unknown (null, "not_mapped"), not the 0 % a count would say.
    unmapped = section("Aby Kommune", 20_000, 30, 12, per_10000=(15.0, 6.0), not_mapped=["partshøring", "vejledning"])
    document = network(read_members([write("a.json", unmapped), write("b.json", BOEBY), write("c.json", CBY),
                                     write("d.json", DBY)]))
    m = measure(document, "theme:partshøring")
    assert (m["values"][0]["value"], m["values"][0]["missing"], m["values"][0]["base"]) == (None, "not_mapped", None)
    assert m["network"] == {"average": 10, "members": 3,
                            "left_out": [{"kommune": "Aby Kommune", "missing": "not_mapped"}]}
    # Even with no case in the period, a theme not mapped says so, not "no cases".
    empty = section("Aby Kommune", 20_000, 0, 0, per_10000=(0.0, 0.0), not_mapped=["partshøring"])
    document = network(read_members([write("a.json", empty), write("b.json", BOEBY)]))
    assert measure(document, "theme:partshøring")["values"][0]["missing"] == "not_mapped"
    assert measure(document, "theme:vejledning")["values"][0]["missing"] == "no_cases"


def test_an_older_document_is_read_with_the_bases_it_gives_and_its_zero_themes_as_unknown(write):
    # Made before the section gave the bases: no problemstillinger, no within_target, no theme's "mapped".
    older = section("Aby Kommune", 20_000, 30, 12, per_10000=(15.0, 6.0), partshoering=(6, 20), older=True,
                    handling={"closed": 28, "median": 14.0, "p90": 40.5, "target_days": 30, "within_target_pct": 75})
    older["comparable"]["themes"][-1].update(count=24, pct=80)  # andet: the 24 problemstillinger not about partshøring
    assert "problemstillinger" not in older["comparable"]
    assert "within_target" not in older["comparable"]["handling_days"]
    document = network(read_members([write("a.json", older), write("b.json", BOEBY)]))
    # Its partshøring (6 of the 6 + 24 problemstillinger its counts add up to) is known; a zero may be a theme it
    # does not map.
    parts = measure(document, "theme:partshøring")["values"][0]
    assert (parts["value"], parts["count"], parts["base"]) == (20, 6, 30)
    assert measure(document, "theme:vejledning")["values"][0]["missing"] == "mapping_unknown"
    within = measure(document, "within_target")["values"][0]
    assert (within["value"], within["count"], within["base"]) == (75, None, 28)  # the base alone
