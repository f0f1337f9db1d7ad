"""The figures document and `reportlib figures`, on the hand-made register and on the example register."""

import json

import pytest
from click.testing import CliRunner

from conftest import COMPLETE_FROM_2017_18, KOMMUNE_YML
from reportlib.cli import main
from reportlib.figures.document_format import FORMAT
from stats_register import AKTIVITETER, PROBLEMSTILLINGER, SAGER

KEYS = {"period", "cases", "areas", "centres", "complaint_categories", "topics", "channels", "outcomes",
        "meetings_attended", "complaint_letters", "activities", "drop_in", "open_at_end", "handling_days", "previous"}
# The figures of the register's optional parts (docs/register.md), null without the part, and the trend.
PART_KEYS = ("methods", "results", "criticism", "own_initiative", "recommendations_followup")


def figures(*args):
    result = CliRunner().invoke(main, ["figures", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(make_register):
    return make_register(kommune=KOMMUNE_YML + "indbyggere: 20000\n", complete=COMPLETE_FROM_2017_18, sager=SAGER,
                         problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER)


def test_document(folder):
    code, out, _ = figures("--period", "2018/19", "--data", str(folder))
    assert code == 0
    doc = json.loads(out)
    assert doc.keys() >= KEYS
    assert next(iter(doc)) == "format" and doc["format"] == FORMAT  # first, for whoever reads it back
    assert doc["period"] == {"start": "2018-11-01", "end": "2019-10-31"}
    assert doc["cases"]["total"] == 3
    assert doc["cases"]["by_type"] == [{"label": "Anden henvendelse", "count": 1, "pct": 33},
                                       {"label": "Klage", "count": 2, "pct": 67}]
    # Every configured label is listed, with 0 where nothing was registered.
    assert doc["areas"][1] == {"label": "Teknik", "count": 0, "pct": 0, "suppressed": False}
    assert list(doc["centres"]) == ["Social", "Teknik"]
    assert doc["centres"]["Teknik"] == [{"label": "Vej/park", "count": 2, "pct": 100, "suppressed": False}]
    assert (doc["meetings_attended"], doc["complaint_letters"], doc["open_at_end"]) == (1, 1, 1)
    assert doc["drop_in"]["sessions"] == 3 and doc["drop_in"]["citizens"] == 5
    assert doc["handling_days"]["closed"] == 3 and doc["handling_days"]["median"] == 10.0
    assert doc["cases_per_10000"] == 1.5  # 3 / 20,000 * 10,000
    # The year before holds case A only.
    assert doc["previous"]["period"] == {"start": "2017-11-01", "end": "2018-10-31"}
    assert doc["previous"]["cases_total"] == 1
    assert doc["previous"]["change"]["cases_total"] == {"diff": 2, "pct": 200}
    # Open at the end of 2017/18: A (closed 5 November 2018); at the end of 2018/19: D. Nothing closed in 2017/18.
    assert (doc["previous"]["open_at_end"], doc["previous"]["change"]["open_at_end"]) == (1, {"diff": 0, "pct": 0})
    assert doc["previous"]["handling_days"] == {"closed": 0, "median": None, "p90": None, "target_days": None,
                                                "within_target_pct": None}


def test_a_half_year_is_compared_with_the_same_half_of_the_year_before(folder):
    doc = json.loads(figures("--period", "2018/19-H2", "--data", str(folder))[1])
    # 2018/19-H2 is May-October 2019 (C is not in it, D is); the same half of 2017/18 holds A (31 October 2018).
    assert doc["previous"]["period"] == {"start": "2018-05-01", "end": "2018-10-31"}
    assert (doc["cases"]["total"], doc["previous"]["cases_total"]) == (1, 1)


def test_previous_is_null_where_the_register_does_not_reach(folder):
    doc = json.loads(figures("--period", "2017/18", "--data", str(folder))[1])
    assert doc["cases"]["total"] == 1
    assert doc["previous"] is None


def test_suppressed_cells(folder):
    doc = json.loads(figures("--period", "2018/19", "--data", str(folder), "--min-celle", "2")[1])
    # Topics 1/1/3: both ones are withheld; Andet (3) stays.
    assert doc["topics"] == [
        {"label": "Partshøring", "count": None, "pct": None, "suppressed": True},
        {"label": "Sagsbehandlingstid", "count": None, "pct": None, "suppressed": True},
        {"label": "Andet", "count": 3, "pct": 60, "suppressed": False},
    ]
    # Social's centres 1/2: the 1 is withheld, and the 2 with it, else 3 - 2 would give it away.
    assert [c["suppressed"] for c in doc["centres"]["Social"]] == [True, True]


def test_bad_period_exits_2(folder):
    code, out, err = figures("--period", "2018-19", "--data", str(folder))
    assert code == 2 and out == ""
    assert "period '2018-19' not understood" in err


def test_invalid_register_exits_2(make_register):
    folder = make_register(sager=SAGER.replace("2019-03-15", "x"))
    code, out, err = figures("--period", "2018/19", "--data", str(folder))
    assert code == 2 and out == ""
    assert "sager.csv:4: column 'modtaget': value 'x'" in err


def test_example_register_2018_19_gives_the_seed_reports_figures():
    code, out, _ = figures("--period", "2018/19")
    assert code == 0
    doc = json.loads(out)
    pct = lambda rows: [r["pct"] for r in rows]  # noqa: E731
    assert doc["cases"]["total"] == 114
    assert [r["count"] for r in doc["cases"]["by_type"]] == [64, 50]
    assert pct(doc["areas"]) == [63, 26, 11]
    assert [pct(rows) for rows in doc["centres"].values()] == [
        [26, 14, 26, 24, 10], [30, 26, 5, 35, 4], [18, 9, 37, 18, 18]]
    good, legal, _ = pct(doc["complaint_categories"])
    assert 50 < good <= 60 and legal == 20
    assert (doc["meetings_attended"], doc["complaint_letters"]) == (16, 5)
    assert {r["label"]: r["count"] for r in doc["activities"]}["Eksternt oplæg"] == 8
    assert {r["label"]: r["count"] for r in doc["activities"]}["Internt oplæg"] == 10
    assert doc["drop_in"]["sessions"] == 9 and 2 <= doc["drop_in"]["per_session"] <= 3
    assert doc["previous"] is None


def test_another_municipality_with_its_own_labels():
    from conftest import FIXTURES

    code, out, _ = figures("--period", "2022-01-01:2022-12-31", "--data", str(FIXTURES / "fjordby"))
    assert code == 0
    doc = json.loads(out)
    assert doc["kommune"] == "Fjordby Kommune"
    # One complaint (F-01), whose marked primary problem is Partshøring (category Forvaltningsret).
    assert doc["key_figures"]["complaints"] == 1
    assert [(r["label"], r["count"]) for r in doc["complaint_categories"]] == [("Forvaltningsret", 1), ("Service", 0)]
    # Its drop-in activity is called Træffetid: two sessions, 4 + 0 citizens.
    assert (doc["drop_in"]["sessions"], doc["drop_in"]["citizens"]) == (2, 4)
    assert list(doc["centres"]) == ["Social og Ældre", "Teknik og Miljø"]


def test_a_register_without_the_optional_parts_has_null_for_their_figures(folder):
    doc = json.loads(figures("--period", "2018/19", "--data", str(folder))[1])
    assert {key: doc[key] for key in PART_KEYS} == dict.fromkeys(PART_KEYS)
    # The new keys come after every existing one, which keep their order.
    assert list(doc)[-8:] == [*PART_KEYS, "trend", "comparable", "disclosure"]
    # The trend is always there: 2017/18 (A, a complaint) and 2018/19 (B, C, D).
    assert doc["trend"] == [
        {"period": "2017/18", "start": "2017-11-01", "end": "2018-10-31", "total": 1,
         "by_type": [{"label": "Anden henvendelse", "count": 0, "pct": 0}, {"label": "Klage", "count": 1, "pct": 100}]},
        {"period": "2018/19", "start": "2018-11-01", "end": "2019-10-31", "total": 3,
         "by_type": [{"label": "Anden henvendelse", "count": 1, "pct": 33}, {"label": "Klage", "count": 2, "pct": 67}]},
    ]


def test_the_figures_of_the_optional_parts(parts_folder):
    # The register of test_findings, whose figures are worked out there.
    doc = json.loads(figures("--period", "2018/19", "--data", str(parts_folder))[1])
    assert doc["methods"]["overall"] == [{"label": "Vejledning", "count": 1, "pct": 17},
                                         {"label": "Dialog", "count": 1, "pct": 17},
                                         {"label": "Undersøgelse", "count": 4, "pct": 66}]
    assert doc["methods"]["by_area"]["Teknik"][0] == {"label": "Vejledning", "count": 1, "pct": 50, "suppressed": False}
    assert doc["methods"]["not_given"] == 1  # G, open
    assert [r["count"] for r in doc["results"]] == [1, 1, 2, 2]
    assert doc["criticism"] == {
        "examined": 4, "criticised": 2, "rate_pct": 50,
        # The examined cases only, as shares of the 4 (the sentence's denominator), not of all 8 cases.
        "by_result": [{"label": "Kritik", "count": 1, "pct": 25}, {"label": "Delvis kritik", "count": 1, "pct": 25},
                      {"label": "Ingen kritik", "count": 2, "pct": 50}],
        "by_area": [{"area": "Social", "examined": 3, "criticised": 2, "rate_pct": 67, "suppressed": False},
                    {"area": "Teknik", "examined": 1, "criticised": 0, "rate_pct": 0, "suppressed": False}],
        "previous": {"period": {"start": "2017-11-01", "end": "2018-10-31"}, "examined": 2, "criticised": 1,
                     "rate_pct": 50}}
    assert doc["own_initiative"] == {"total": 3, "by_area": [{"label": "Social", "count": 1, "pct": 50},
                                                             {"label": "Teknik", "count": 1, "pct": 50}]}
    followup = doc["recommendations_followup"]
    assert (followup["reported"], followup["followed"], followup["followed_pct"]) == (3, 1, 33)  # 33.3 -> 33
    assert followup["rows"][0] == {"periode": "2017/18", "nr": "1", "anbefaling": "Svar inden for fristen",
                                   "omraade": "Social", "status": "Fulgt", "followed": True,
                                   "status_dato": "2019-05-01"}
    assert [(t["period"], t["total"]) for t in doc["trend"]] == [("2017/18", 3), ("2018/19", 7)]


def test_the_figures_of_the_optional_parts_are_suppressed_by_area(parts_folder):
    doc = json.loads(figures("--period", "2018/19", "--data", str(parts_folder), "--min-celle", "2")[1])
    # Examined by area: Social 3, Teknik 1. Teknik's 1 is withheld, and Social's with it: the total 4 is shown.
    assert [(r["area"], r["examined"], r["suppressed"]) for r in doc["criticism"]["by_area"]] == [
        ("Social", None, True), ("Teknik", None, True)]
    assert (doc["criticism"]["examined"], doc["criticism"]["criticised"]) == (4, 2)
    # Methods in Social 0, 1, 3: the 1 is withheld, and the smallest other non-zero cell, 3, with it.
    # In Teknik 1, 0, 1: both ones are withheld; they protect each other. And each area's 0 too: the
    # methods in all show 1 Vejledning and 1 Dialog, so Social's 0 Vejledning would tell that Teknik's
    # withheld Vejledning is 1, and Teknik's 0 Dialog that Social's is.
    assert [r["count"] for r in doc["methods"]["by_area"]["Social"]] == [None, None, None]
    assert [r["count"] for r in doc["methods"]["by_area"]["Teknik"]] == [None, None, None]
    assert [r["count"] for r in doc["methods"]["overall"]] == [1, 1, 4]  # a distribution of all cases, like outcomes


def test_own_initiative_without_an_area_column_and_no_previous_criticism(parts_folder):
    import parts_register

    (parts_folder / "aktiviteter.csv").write_text(parts_register.AKTIVITETER.replace(",omraade", "").replace(
        ",Social\n", "\n").replace(",Teknik\n", "\n"), encoding="utf-8")
    doc = json.loads(figures("--period", "2017/18", "--data", str(parts_folder))[1])
    assert doc["own_initiative"] == {"total": 0, "by_area": None}
    assert doc["criticism"]["previous"] is None  # the register does not reach back to 2016/17
    assert doc["recommendations_followup"]["rows"][0]["periode"] == "2016/17"
