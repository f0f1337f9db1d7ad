"""A network's documents read and checked: members' figures documents refused naming each file, network.json read.

The members (ABY, BOEBY, CBY, DBY) are tests/network_members.py's.
"""

import json

import pytest

import network_members
from network_members import ABY, BOEBY, CBY, DBY, YEAR, section
from reportlib.exceptions import InputError, NetworkInvalid
from reportlib.figures.network import average, network
from reportlib.figures.network_documents import read_members, read_network


@pytest.fixture
def write(tmp_path):
    return lambda name, document: network_members.write(tmp_path / name, document)


@pytest.fixture
def document(write):
    return network(read_members([write(f"{name}.json", member) for name, member in
                                 (("a", ABY), ("b", BOEBY), ("c", CBY), ("d", DBY))]))


# -- Refusals, each naming its files -------------------------------------------------------------------------


def refused(paths) -> str:
    with pytest.raises(NetworkInvalid) as caught:
        read_members(paths)
    assert isinstance(caught.value, InputError)  # exit 2
    return str(caught.value)


def test_members_of_different_periods_are_refused_naming_each_ones_period(write):
    # A reporting year from November beside two calendar years: not one period, whatever the figures.
    november = section("Bøby Kommune", None, 50, 10, period={"start": "2024-11-01", "end": "2025-10-31"})
    first, second, third = write("a.json", ABY), write("b.json", november), write("c.json", CBY)
    assert refused([first, second, third]) == (
        f"the members' figures are of different periods: {first} (Aby Kommune): 2025-01-01 to 2025-12-31; {second} "
        f"(Bøby Kommune): 2024-11-01 to 2025-10-31; {third} (Ærby Kommune): 2025-01-01 to 2025-12-31; a network "
        "compares one period, so give every member's figures of the same days, e.g. of 2025-01-01 to 2025-12-31, made "
        "where a reporting year runs otherwise with `reportlib figures --period 2025-01-01:2025-12-31 --data DIR`")


def test_interim_figures_are_refused_naming_the_file(write):
    counted = {"start": "2025-01-01", "end": "2025-10-31"}
    interim = section("Bøby Kommune", 25_000, 40, 8, period=counted, interim_of=YEAR)
    first, second = write("a.json", ABY), write("b.json", interim)
    assert refused([first, second]) == (
        f"{second}: interim figures (--foreloebig) of 2025-01-01 to 2025-10-31, only part of the period 2025-01-01 to "
        "2025-12-31; interim figures cannot be compared, so give the figures of the whole period, made once it has "
        "ended and the register is complete for it")
    # Even two interim documents of the same days: part of a period is no period to compare.
    also = write("c.json", section("Ærby Kommune", 45_000, 40, 8, period=counted, interim_of=YEAR))
    assert refused([second, also]).splitlines()[1].startswith(f"{also}: interim figures (--foreloebig)")


def test_a_document_of_another_vocabulary_version_is_refused(write):
    first, second = write("a.json", ABY), write("b.json", section("Bøby Kommune", None, 50, 10, version=2))
    assert refused([first, second]) == (
        f"{second}: counted in version 2 of the national vocabulary, not version 1 as {first}; make every member's "
        "figures with the same version of reportlib")


def test_the_same_municipality_twice_is_refused_naming_both_files(write):
    first, again = write("a.json", ABY), write("aby-igen.json", section("aby kommune ", None, 3, 1))
    assert refused([first, again, write("b.json", BOEBY)]) == (
        f"{first} and {again}: Aby Kommune twice; a municipality is one member of a network, so give its figures once")


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); give a "
                  "member's figures document: the figures.json of its report, or what `reportlib figures` prints"),
    (json.dumps({"kommune": "Aby Kommune", "period": YEAR, "key_figures": {}}),
     "not a figures document with a comparable section (one made before reportlib compared municipalities has "
     "none); make it again with `reportlib figures --period P --data DIR` or `reportlib run`"),
    (json.dumps({"network": 1, "members": [], "measures": []}),
     "a network's own document (network.json), not a member's figures; give each member's figures.json with "
     "--figures"),
    (json.dumps({**ABY, "comparable": {**ABY["comparable"], "cases_per_10000": None}}),
     "comparable.cases_per_10000 is missing or not as reportlib writes it; the comparable section is not as reportlib "
     "writes it, so make the figures document again with `reportlib figures` or `reportlib run`"),
    (json.dumps({**ABY, "comparable": {**ABY["comparable"], "cases": "30"}}),
     "comparable.cases is missing or not as reportlib writes it; the comparable section is not as reportlib writes "
     "it, so make the figures document again with `reportlib figures` or `reportlib run`"),
])
def test_a_file_that_is_no_members_figures_document_is_refused_with_what_to_give(write, content, message):
    bad = write("bad.json", content)
    assert refused([write("b.json", BOEBY), bad]) == f"{bad}: {message}"


def test_every_problem_is_named_in_one_refusal_and_a_missing_file_too(write, tmp_path):
    missing = tmp_path / "ingen.json"
    other = write("c.json", section("Ærby Kommune", None, 45, 27, period={"start": "2024-01-01",
                                                                         "end": "2024-12-31"}))
    first = write("a.json", ABY)
    lines = refused([first, missing, other]).splitlines()
    assert lines[0].startswith(f"{missing}: file not found; give a member's figures document")
    assert lines[1].startswith(f"the members' figures are of different periods: {first} (Aby Kommune): 2025-01-01 to "
                               f"2025-12-31; {other} (Ærby Kommune): 2024-01-01 to 2024-12-31; ")
    assert len(lines) == 2


def test_one_member_is_no_network(write):
    assert refused([write("a.json", ABY)]) == (
        "a network compares at least two municipalities; give each member's figures document with --figures (the "
        "figures.json of its report)")


def test_the_network_document_is_read_back_for_a_members_report_and_another_period_is_refused(write, document):
    path = write("network.json", document)
    assert read_network(path, period=YEAR, version=1) == document
    with pytest.raises(NetworkInvalid, match=r"network.json: the network's figures of 2025-01-01 to 2025-12-31, not "
                                             r"of 2024-01-01 to 2024-12-31 as the report; give the network.json of "
                                             r"the report's period"):
        read_network(path, period={"start": "2024-01-01", "end": "2024-12-31"})
    with pytest.raises(NetworkInvalid, match="counted in version 1 of the national vocabulary, not version 2"):
        read_network(path, version=2)
    with pytest.raises(NetworkInvalid, match="not a network's figures document; give the network.json"):
        read_network(write("figures.json", ABY))
    # A network.json of format 1 (before averages needed three members) or 2 (its members' sections saying
    # "problems") is read: the section averages its values and names its members, which both have.
    assert read_network(write("earlier.json", {**document, "network": 2}))["network"] == 2
    first = of_network_format_1(document)
    criticism = next(m for m in first["measures"] if m["key"] == "criticism_rate")
    assert (criticism["network"]["average"], criticism["network"]["members"]) == (32.5, 2)  # (40 + 25) / 2
    assert read_network(write("earlier.json", first))["network"] == 1


def of_network_format_1(document):
    """network.json as format 1 wrote it: every known value averaged to one decimal, however few; no share's base."""
    def measure(m):
        values = [{key: row[key] for key in ("kommune", "band", "value", "missing")} for row in m["values"]]
        return {**m, "values": values, "network": average(values, 1, minimum=1),
                "bands": [{"label": band["label"], **average([row for row in values if row["band"] == band["label"]],
                                                             1, minimum=1)} for band in m["bands"]]}

    return {**{key: value for key, value in document.items() if key != "min_members"}, "network": 1,
            "measures": [measure(m) for m in document["measures"]]}


def test_an_interim_report_is_refused_the_network(write, document):
    path = write("network.json", document)
    with pytest.raises(NetworkInvalid) as caught:
        read_network(path, period=YEAR, version=1, interim_of=YEAR)
    assert str(caught.value) == (
        f"{path}: the report's figures are interim (--foreloebig), only part of 2025-01-01 to 2025-12-31, and interim "
        "figures cannot be compared with a network's; leave out the network, or make the report once the period has "
        "ended and the register is complete for it")


@pytest.mark.parametrize("spoil,named", [
    (lambda d: d["measures"].pop(0), "measures.cases_per_10000 is missing"),
    (lambda d: d["measures"][3]["network"].update(average="31,5"),
     "measures.criticism_rate.network.average is missing or not as"),
    (lambda d: d["measures"][0]["bands"][1].pop("members"), r"measures.cases_per_10000.bands\[1\].members is missing"),
    (lambda d: d["members"].append("Cby Kommune"), r"members\[4\] is missing or not as"),
    (lambda d: d["measures"][2]["values"][0].update(value=None),
     r"measures.complaint_share.values\[0\].value is missing or not as"),
    # A member's value in the other members' rows, or in another order: not the network's members.
    (lambda d: d["measures"][1]["values"].reverse(), "measures.complaints_per_10000 is missing or not as"),
    (lambda d: d.update(version=10**20), "version is missing or not as"),
])
def test_a_spoilt_network_document_is_refused_naming_the_key(write, document, spoil, named):
    spoilt = json.loads(json.dumps(document))
    spoil(spoilt)
    path = write("network.json", spoilt)
    with pytest.raises(NetworkInvalid, match=f"network.json: {named}.*publish them again with `reportlib network`"):
        read_network(path)


# -- Numbers: finite, of their kind and in range; a network's averages those of its values ---------------------


FIGURES_AGAIN = ("the comparable section is not as reportlib writes it, so make the figures document again with "
                 "`reportlib figures` or `reportlib run`")


@pytest.mark.parametrize(("changed", "message"), [
    # json.dumps writes float("inf") as Infinity and float("nan") as NaN, which Python's json reads back.
    ({"cases_per_10000": float("inf")}, "Infinity is no number reportlib writes (its documents hold finite numbers "
                                        "only); give a member's figures document: the figures.json of its report, or "
                                        "what `reportlib figures` prints"),
    ({"handling_days": {**ABY["comparable"]["handling_days"], "median": float("nan")}}, "NaN is no number reportlib"),
    ({"cases_per_10000": 1e308},
     f"comparable.cases_per_10000 is missing or not as reportlib writes it; {FIGURES_AGAIN}"),
    ({"cases": 10**12}, f"comparable.cases is missing or not as reportlib writes it; {FIGURES_AGAIN}"),
    ({"complaints": 12.0}, "comparable.complaints is missing or not as reportlib writes it"),
    ({"criticism": {"examined": 5, "criticised": 2, "rate_pct": 140}},
     "comparable.criticism.rate_pct is missing or not as reportlib writes it"),
    ({"handling_days": {**ABY["comparable"]["handling_days"], "p90": 1e300}},
     "comparable.handling_days.p90 is missing or not as reportlib writes it"),
])
def test_a_members_number_that_is_not_finite_or_out_of_its_range_is_refused_naming_the_key(write, changed, message):
    bad = write("bad.json", json.dumps({**ABY, "comparable": {**ABY["comparable"], **changed}}))
    assert refused([write("b.json", BOEBY), bad]).startswith(f"{bad}: {message}")


NETWORK_AGAIN = "the network's figures are not as reportlib writes them, so publish them again with `reportlib network`"


def spoilt_network(write, document, measure, change):
    """network.json with one measure of ``document`` changed, written as json.dumps writes it (NaN, Infinity)."""
    spoilt = json.loads(json.dumps(document))
    change(next(m for m in spoilt["measures"] if m["key"] == measure))
    return write("network.json", json.dumps(spoilt))


def network_refused(path) -> str:
    with pytest.raises(NetworkInvalid) as caught:
        read_network(path, period=YEAR, version=1)
    return str(caught.value)


def test_an_infinite_average_in_network_json_is_refused_as_it_is_read(write, document):
    path = spoilt_network(write, document, "cases_per_10000", lambda m: m["network"].update(average=float("inf")))
    assert network_refused(path) == (
        f"{path}: Infinity is no number reportlib writes (its documents hold finite numbers only); give the network's "
        "figures: the network.json that `reportlib network` published")


def test_an_average_beyond_what_it_can_be_is_refused_naming_the_key(write, document):
    path = spoilt_network(write, document, "cases_per_10000", lambda m: m["network"].update(average=1e300))
    assert network_refused(path) == (
        f"{path}: measures.cases_per_10000.network.average is missing or not as reportlib writes it; {NETWORK_AGAIN}")
    share = spoilt_network(write, document, "complaint_share", lambda m: m["values"][0].update(value=140))
    assert network_refused(share).startswith(f"{share}: measures.complaint_share.values[0].value is missing")


@pytest.mark.parametrize(("measure", "change", "problem"), [
    # Cases per 10,000: Aby 15.0, Bøby 20.0, Ærby 10.0 (Åby has no inhabitants): 15.0 of three.
    ("cases_per_10000", lambda m: m["network"].update(average=16.0),
     "measures.cases_per_10000: the network's average is not that of the members' values in the file"),
    ("cases_per_10000", lambda m: m["network"].update(members=4),
     "measures.cases_per_10000: the network's average is not that of the members' values in the file"),
    # A member's value changed, and the average left as it was.
    ("cases_per_10000", lambda m: m["values"][0].update(value=18.0),
     "measures.cases_per_10000: the network's average is not that of the members' values in the file"),
    # Under 30,000 are Aby and Bøby: two values, no average.
    ("complaint_share", lambda m: m["bands"][0].update(average=30),
     "measures.complaint_share: the average of the members with under 30.000 inhabitants is not that of their "
     "values in the file"),
    # A theme's share, which a member's report does not show, is checked as well.
    ("theme:partshøring", lambda m: m["network"].update(average=12),
     "measures.theme:partshøring: the network's average is not that of the members' values in the file"),
])
def test_an_average_that_is_not_that_of_the_members_values_is_refused_naming_the_measure(write, document, measure,
                                                                                         change, problem):
    assert read_network(write("network.json", document), period=YEAR, version=1) == document
    path = spoilt_network(write, document, measure, change)
    assert network_refused(path) == f"{path}: {problem}; {NETWORK_AGAIN}"


def test_a_member_of_an_earlier_format_is_read_with_todays_keys(write, document):
    # Format 1 said "problems" for the problemstillinger counted by theme: the network's figures are the same.
    older = [write(f"{name}1.json", network_members.of_format_1(member)) for name, member in
             (("a", ABY), ("b", BOEBY), ("c", CBY), ("d", DBY))]
    made = network(read_members(older))
    assert made["measures"] == document["measures"]
    assert [m["comparable"] for m in made["members"]] == [m["comparable"] for m in document["members"]]
    assert made["members"][2]["comparable"]["problemstillinger"] == 50
