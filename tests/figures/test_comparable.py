"""The comparable section: the national themes, per 10,000 inhabitants, suppression, worked by hand."""

import pytest

from conftest import KOMMUNE_PARTS_YML, KOMMUNE_YML, PROBLEMSTILLINGER, problems_of
from reportlib import load_register
from reportlib.figures.comparable import comparable, themes
from reportlib.figures.document import figures
from reportlib.periods import parse_period
from reportlib.register.national import OTHER, themes_of, unmapped, vocabulary

PERIOD = parse_period("2018/19", 11)
# conftest's problems: Partshøring (S1), Andet (S1, primary), Sagsbehandlingstid (S2).
MAPPED = KOMMUNE_YML + "indbyggere: 8000\nsammenligning:\n  temaer:\n    Øvrige: faktisk forvaltningsvirksomhed\n"


def test_a_topic_is_mapped_by_its_own_line_then_its_category_then_its_spelling_else_andet():
    emner = {"Forvaltningsloven": ["Partshøring", "Svartid", "Tone"], "Øvrige": ["Hjemmel"], "Andre": ["Diverse"]}
    mapping = {"Svartid": "sagsbehandlingstid", "Øvrige": "faktisk forvaltningsvirksomhed", "tone": "optræden"}
    assert themes_of(emner, mapping) == {"Partshøring": "partshøring", "Svartid": "sagsbehandlingstid",
                                         "Tone": "optræden", "Hjemmel": "faktisk forvaltningsvirksomhed",
                                         "Diverse": OTHER}
    assert unmapped(emner, mapping) == ["Diverse"]


def test_the_vocabulary_is_versioned_and_ends_in_andet():
    national = vocabulary()
    assert national.version == 1 and national.themes[-1] == OTHER and len(national.themes) == 11
    assert national.types == ("klage", "anden henvendelse")
    assert national.result_kinds == ("kritik", "ingen kritik", "ikke undersøgt")


def test_problems_are_counted_by_national_theme_in_the_vocabularys_order(make_register):
    table = themes(load_register(make_register(kommune=MAPPED)))
    counts = dict(zip(table["label"], table["count"], strict=True))
    assert list(table["label"]) == list(vocabulary().themes)
    # Partshøring and Sagsbehandlingstid by spelling; Andet by its category Øvrige.
    assert counts == {**dict.fromkeys(vocabulary().themes, 0), "partshøring": 1, "sagsbehandlingstid": 1,
                      "faktisk forvaltningsvirksomhed": 1}
    assert list(table["pct"][table["count"] > 0]) == [33, 33, 33]  # three equal thirds stay equal


def test_the_section_per_10000_inhabitants_and_the_unmapped_topics(make_register):
    section = comparable(load_register(make_register()), PERIOD, 0)
    # Two cases, one a complaint; no inhabitants in kommune.yml: no rate per 10,000.
    assert (section["cases"], section["complaints"], section["other_inquiries"]) == (2, 1, 1)
    assert section["cases_per_10000"] is None and section["version"] == 1
    assert section["unmapped_topics"] == []  # Andet is spelt like the theme andet
    section = comparable(load_register(make_register(kommune=MAPPED)), PERIOD, 0)
    # 2 and 1 per 8,000: 2.5 and 1.25, rounded half up.
    assert (section["indbyggere"], section["cases_per_10000"], section["complaints_per_10000"]) == (8000, 2.5, 1.3)
    assert section["criticism"] is None  # the register keeps no results
    assert (section["handling_days"]["closed"], section["handling_days"]["median"]) == (1, 10.0)


def test_small_theme_counts_are_withheld_by_the_documents_rule(make_register):
    document = figures(load_register(make_register(kommune=MAPPED + "min_celle: 2\n")), PERIOD)
    shown = {row["label"]: row["count"] for row in document["comparable"]["themes"]}
    assert shown["partshøring"] is None and shown["sagsbehandlingstid"] is None  # counts of 1 < 2
    assert shown["andet"] == 0 and document["comparable"]["min_celle"] == 2


def test_criticism_comes_from_the_kinds_of_result(parts_folder):
    section = comparable(load_register(parts_folder), PERIOD, 0)
    assert set(section["criticism"]) == {"examined", "criticised", "rate_pct"}


@pytest.mark.parametrize(("mapping", "expected"), [
    ("    Partshoring: partshøring\n", "key 'sammenligning.temaer.Partshoring': value 'Partshoring': not a topic or "
                                     "complaint category of emner; did you mean 'Partshøring'?"),
    ("    Andet: sagsbehandlingtid\n", "value 'sagsbehandlingtid': not a national theme; did you mean "
                                     "'sagsbehandlingstid'?"),
])
def test_a_mapping_names_its_line_and_the_near_label(make_register, mapping, expected):
    folder = make_register(kommune=KOMMUNE_YML + "sammenligning:\n  temaer:\n" + mapping)
    (problem,) = problems_of(folder)
    assert f"kommune.yml:{KOMMUNE_YML.count(chr(10)) + 3}: " in problem and expected in problem


def test_the_parts_register_maps_without_problems(parts_folder):
    assert load_register(parts_folder).kommune.sammenligning.temaer == {}
    assert KOMMUNE_PARTS_YML  # the fixture's kommune.yml has no sammenligning: every theme by spelling or andet


def test_a_theme_no_topic_maps_to_is_unknown_not_zero_and_every_share_has_its_base(make_register):
    # conftest's topics are spelt like three themes: Partshøring, Sagsbehandlingstid and Andet; one problem each.
    section = comparable(load_register(make_register()), PERIOD, 0)
    rows = {row["label"]: row for row in section["themes"]}
    assert section["problemstillinger"] == 3
    assert rows["partshøring"] == {"label": "partshøring", "count": 1, "pct": 33, "suppressed": False, "mapped": True}
    assert rows["andet"]["mapped"] and rows["andet"]["count"] == 1
    # No topic maps to vejledning: no problem could be counted there, so its share is not known (not 0 %).
    assert rows["vejledning"] == {"label": "vejledning", "count": None, "pct": None, "suppressed": False,
                                  "mapped": False}
    assert sum(not row["mapped"] for row in section["themes"]) == 8


def test_a_municipality_that_maps_no_topic_has_no_theme_known_not_even_andet(make_register):
    own = {"Partshøring": "Høring", "Sagsbehandlingstid": "Svartid", "Andet": "Diverse"}
    kommune, problems = KOMMUNE_YML, PROBLEMSTILLINGER
    for theirs, ours in own.items():
        kommune, problems = kommune.replace(theirs, ours), problems.replace(theirs, ours)
    section = comparable(load_register(make_register(kommune=kommune, problemstillinger=problems)), PERIOD, 0)
    # All three problems would be andet, 100 %, for want of a mapping: that says nothing of the themes.
    assert all(row["count"] is None and not row["mapped"] for row in section["themes"])
    assert section["unmapped_topics"] == ["Høring", "Svartid", "Diverse"]


def test_the_cases_within_the_target_are_the_base_of_its_share(make_register):
    # One case closed, after 10 days (S1): within a target of 10 days, 1 of 1; the document's own keys unchanged.
    folder = make_register(kommune=KOMMUNE_YML + "maal_sagsbehandlingstid_dage: 10\n")
    document = figures(load_register(folder), PERIOD)
    handling = document["comparable"]["handling_days"]
    assert (handling["within_target"], handling["closed"], handling["within_target_pct"]) == (1, 1, 100)
    assert "within_target" not in document["handling_days"]
    # No target: no count within it.
    assert comparable(load_register(make_register()), PERIOD, 0)["handling_days"]["within_target"] is None
