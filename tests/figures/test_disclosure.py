"""Disclosure control: the cells chosen to withhold, and an attacker written apart (tests/attacker.py) that reads
everything the example register publishes and finds nothing (the reader's intervals: tests/figures/test_reader.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from attacker import Attacker
from reportlib.figures import disclosure
from reportlib.figures.disclosure import Bar, Publication, Relation, protect
from reportlib.figures.document import figures
from reportlib.figures.reader import Reader
from reportlib.periods import Period, parse_period
from shapes import SHAPES, write_shape

YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))
H1 = Period(dt.date(2018, 11, 1), dt.date(2019, 4, 30))
H2 = Period(dt.date(2019, 5, 1), dt.date(2019, 10, 31))
T, U, TOTAL = ("topics", "T"), ("topics", "U"), ("problemstillinger",)
ADDS_UP = [Relation(((TOTAL, -1), (T, 1), (U, 1)))]


def truth_of(counts):
    return lambda span: counts[span]


def test_the_half_published_after_its_year_withholds_what_gives_the_other_half_away():
    # The register: T 1 and U 5 in the first half, T 8 and U 6 in the second; the year, 9 and 11, is published.
    truth = truth_of({H1: {T: 1, U: 5, TOTAL: 6}, H2: {T: 8, U: 6, TOTAL: 14}})
    year = Publication(YEAR, {TOTAL: 20, T: 9, U: 11})
    second = Publication(H2, {TOTAL: 14, T: 8, U: 6})
    done = protect(second, [year], ADDS_UP, 3, truth)
    # T of the second half would tell the first half's 1 (9 - 8); withheld, it is still 14 - 6: so U goes too.
    assert done.extra == (T, U)
    assert done.draft.cells == {TOTAL: 14, T: None, U: None}
    assert done.given == ()
    # Now the first half's T is anything from 0 to its 6 problems.
    assert Reader([year, done.draft], ADDS_UP).interval(H1, T) == (0, 6)


def test_what_was_published_before_alone_gives_a_count_away_and_is_named():
    truth = truth_of({H1: {T: 1, U: 5, TOTAL: 6}, H2: {T: 8, U: 6, TOTAL: 14}})
    year, second = Publication(YEAR, {TOTAL: 20, T: 9, U: 11}), Publication(H2, {TOTAL: 14, T: 8, U: 6})
    first = Publication(H1, {TOTAL: 6, T: None, U: None})
    done = protect(first, [year, second], ADDS_UP, 3, truth)
    assert done.extra == () and done.given == ((H1, T),)


def test_a_count_the_totals_keep_small_needs_only_all_they_allow():
    # 2 complaints in all, one in each category: a reader knows each is 0 to 2 from the total alone.
    a, b, complaints = ("categories", "a"), ("categories", "b"), ("complaints",)
    relation = [Relation(((complaints, -1), (a, 1), (b, 1)))]
    draft = Publication(YEAR, {complaints: 2, a: None, b: None})
    done = protect(draft, [], relation, 3, truth_of({YEAR: {complaints: 2, a: 1, b: 1}}))
    assert done.extra == () and done.given == ()
    finding = disclosure.audit([draft], relation, 3, truth_of({YEAR: {complaints: 2, a: 1, b: 1}}))[0]
    assert (finding.low, finding.high, finding.bar, finding.protected) == (0, 2, Bar(2, 0), True)
    # But a reader who could tell a is 1 (b shown as 1) learns more than the total says.
    shown = Publication(YEAR, {complaints: 2, a: None, b: 1})
    finding = disclosure.audit([shown], relation, 3, truth_of({YEAR: {complaints: 2, a: 1, b: 1}}))[0]
    assert (finding.low, finding.high, finding.protected) == (1, 1, False)


def test_an_equality_the_register_breaks_is_only_a_bound():
    # One case has no problem: the areas make at most the cases.
    relation = Relation(((("cases",), -1), (("areas", "x"), 1)))
    assert disclosure.as_they_hold([relation], [{("cases",): 3, ("areas", "x"): 3}]) == [relation]
    assert disclosure.as_they_hold([relation], [{("cases",): 3, ("areas", "x"): 2}]) == [
        Relation(relation.terms, at_most=True)]


def test_the_relations_between_the_tables():
    keys = {("cases",), ("problemstillinger",), ("areas", "A"), ("centres", "A", "c"), ("topics", "t"), ("themes", "θ"),
            ("categories", "K"), ("complaints",)}
    found = disclosure.relations(keys, topic_category={"t": "K"}, topic_theme={"t": "θ"})
    as_text = {(tuple(sorted(r.terms)), r.at_most) for r in found}
    assert (((("areas", "A"), 1), (("cases",), -1)), False) in as_text  # the areas make the cases
    assert (((("centres", "A", "c"), 1), (("problemstillinger",), -1)), False) in as_text
    assert (((("themes", "θ"), -1), (("topics", "t"), 1)), False) in as_text  # a theme is its topics
    assert (((("areas", "A"), 1), (("centres", "A", "c"), -1)), True) in as_text  # an area's cases <= its problems
    assert (((("categories", "K"), 1), (("topics", "t"), -1)), True) in as_text


# --- The attacker on the example register: every period it covers, published one after another ---------


@pytest.fixture(scope="module")
def example():
    from reportlib import load_register
    from reportlib.figures.coverage import covered_periods

    register = load_register("data/raw")
    return register, covered_periods(register, today=dt.date(2026, 12, 6))


def published_in_order(register, periods, min_celle):
    ledger = []
    for period in periods:
        ledger.append(figures(register, period, min_celle=min_celle, published=ledger))
    return ledger


def attacker_of(register, documents):
    kommune = register.kommune
    return Attacker(documents, lambda start, end: figures(register, Period(start, end), min_celle=0),
                    kommune.topic_category(), kommune.topic_theme)


@pytest.mark.slow
@pytest.mark.parametrize("order", ["years first", "as the halves end"])
def test_no_small_count_of_the_example_can_be_narrowed_from_all_it_publishes(example, order):
    register, periods = example
    assert len(periods) == 9  # three years and their six halves
    ordered = (sorted(periods, key=lambda p: (p.start - p.end, p.start)) if order == "years first"
               else sorted(periods, key=lambda p: (p.end, p.start - p.end)))
    documents = published_in_order(register, ordered, 3)
    attacker = attacker_of(register, documents)
    assert attacker.narrowed(3) == []
    assert attacker.small_counts(3) > 50  # the halves cut the years into many small counts, each one checked
    assert all(not document["disclosure"]["given"] for document in documents)


@pytest.mark.slow
def test_before_it_the_example_gave_small_counts_away_by_subtraction(example):
    # The same reports, each made alone (the small-cell rule table by table, as before): the attacker finds
    # the issue's case, topic "Manglende svar" of 2018/19's first half, 9 - 8 = 1.
    register, periods = example
    documents = [figures(register, period, min_celle=3) for period in periods]
    for document in documents:
        assert document["disclosure"]["published_with"] == []
    first_half = parse_period("2018/19-H1", 11)
    narrowed = {(span, key): (value, interval) for span, key, value, interval, _ in
                attacker_of(register, documents).narrowed(3)}
    assert narrowed[((first_half.start, first_half.end), ("topic", "Manglende svar"))] == (1, (1, 1))
    assert len(narrowed) > 50


@pytest.mark.parametrize("name", list(SHAPES))
def test_no_small_count_of_a_register_unlike_the_example_can_be_narrowed(make_register, name):
    from reportlib import load_register
    from reportlib.figures.coverage import check_period, covered_periods

    register = load_register(write_shape(make_register, name)[0])
    start, end = SHAPES[name].get("period", ("2018-11-01", "2019-10-31"))
    own = check_period(register, Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end)),
                       dt.date(2026, 12, 6), interim=SHAPES[name].get("interim", False))
    periods = sorted({own, *covered_periods(register, today=dt.date(2026, 12, 6))},
                     key=lambda p: (p.start - p.end, p.start))
    documents = published_in_order(register, periods, 3)
    assert attacker_of(register, documents).narrowed(3) == []


def test_a_network_publishes_nothing_of_a_member_its_own_reports_withhold(tmp_path, make_register):
    """Three municipalities unlike the example, min_celle 3, in one network: the network repeats each member's
    comparable section as given, and every value, count and base it derives is None where the member's cell is
    withheld; the attacker, reading each member's reports and what the network says of it, finds nothing."""
    from reportlib import load_register
    from reportlib.figures.document import to_json
    from reportlib.figures.network import network
    from reportlib.figures.network_documents import read_members

    paths, members = [], {}
    for number, name in enumerate(["tiny, mostly withheld", "one problem per case", "every optional part"]):
        folder = tmp_path / name
        folder.mkdir()
        kommune = f"Kommune {number}"

        def make(kommune_name=kommune, **kwargs):
            kwargs["kommune"] = kwargs["kommune"].replace("Testby Kommune", kommune_name)
            return make_register(**kwargs)

        register = load_register(write_shape(make, name)[0])
        documents = published_in_order(register, [parse_period(p, 11) for p in ("2018/19", "2018/19-H1")], 3)
        paths.append(folder / "figures.json")
        paths[-1].write_text(to_json(documents[0]), encoding="utf-8")
        members[kommune] = register, documents  # read before make_register writes the next into the same folder
    made = network(read_members(paths))
    for member in made["members"]:
        register, documents = members[member["kommune"]]
        assert member["comparable"] == documents[0]["comparable"]
        withheld = {row["label"] for row in documents[0]["comparable"]["themes"] if row["suppressed"]}
        for measure in made["measures"]:
            value = next(v for v in measure["values"] if v["kommune"] == member["kommune"])
            if measure["theme"] in withheld:
                assert (value["value"], value["count"]) == (None, None)
        shown_again = {**documents[0], "comparable": member["comparable"]}
        assert attacker_of(register, [shown_again, *documents[1:]]).narrowed(3) == []
    assert any(row["suppressed"] for _, docs in members.values() for row in docs[0]["comparable"]["themes"])
