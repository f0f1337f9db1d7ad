"""Registers unlike the example, and every sentence their reports say checked against figures counted here.

Each shape is a small register written out below; :func:`facts` counts what a sentence may claim
straight from its CSV text (cases, complaints, problem rows, primary areas, drop-in counts, closed
cases), without reportlib. :func:`check_every_claim` then holds each sentence the sections can say
to those counts: it may appear only where what it asserts is true, and the sentences that must
appear do. The shapes: one problem per case (a one-sheet register), no activities, one complaint
category, a calendar year, a tiny municipality whose cells are mostly withheld, a year without
complaints, a half-year, a partial year as an interim report, every optional part, and a year with
more than ten closed cases.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import statistics

import pytest

from conftest import DEFAULT_TABLES, KOMMUNE_PARTS_YML, KOMMUNE_YML, text_of
from reportlib.formatting import format_count_spelled
from reportlib.report.beretning import load_beretning
from reportlib.report.sections import SECTIONS

YEAR = ("2018-11-01", "2019-10-31")
HEADER = "sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand\n"


def cases(*rows: str) -> str:
    return HEADER + "".join(f"{row}\n" for row in rows)


def problems(*rows: str) -> str:
    return "sag_id,omraade,center,emne,primaer\n" + "".join(f"{row}\n" for row in rows)


def activities(*rows: str) -> str:
    return "dato,aktivitet,antal_borgere\n" + "".join(f"{row}\n" for row in rows)


# Ten closed cases and more, all in Social; used by the shape that may say "ni ud af ti".
MANY = [f"M{i},2019-0{1 + i % 9}-0{1 + i % 9},2019-0{1 + i % 9}-2{i % 9},Anden henvendelse,Telefon,Vejledt,,"
        for i in range(12)]

SHAPES = {
    "one problem per case": dict(
        tables=dict(sager=cases("A,2018-11-05,2018-11-20,Klage,Telefon,Vejledt,ja,",
                                "B,2019-01-10,2019-02-01,Anden henvendelse,Skriftlig,Afvist,,",
                                "C,2019-03-15,,Klage,Telefon,,,ja",
                                "D,2019-06-01,2019-06-03,Klage,Telefon,Vejledt,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Partshøring,", "B,Social,Ydelser,Andet,",
                                               "C,Teknik,Vej/park,Sagsbehandlingstid,", "D,Social,Jobcenter,Andet,"))),
    "no activities": dict(
        tables=dict(sager=cases("A,2018-11-05,2018-11-20,Klage,Telefon,Vejledt,ja,",
                                "B,2019-01-10,2019-02-01,Anden henvendelse,Skriftlig,Afvist,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Partshøring,", "A,Teknik,Vej/park,Andet,",
                                               "B,Social,Ydelser,Andet,"),
                    aktiviteter=None)),
    "one complaint category": dict(
        kommune=KOMMUNE_YML.replace("  Forvaltningsloven:\n    - Partshøring\n    - Sagsbehandlingstid\n  Øvrige:\n"
                                    "    - Andet\n", "  Emner:\n    - Partshøring\n    - Sagsbehandlingstid\n"
                                                    "    - Andet\n"),
        tables=dict(sager=cases("A,2018-11-05,2018-11-20,Klage,Telefon,Vejledt,,",
                                "B,2019-01-10,2019-02-01,Klage,Skriftlig,Afvist,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Partshøring,", "B,Teknik,Vej/park,Andet,"))),
    "calendar year": dict(
        kommune=KOMMUNE_YML.replace("periode_start_maaned: 11", "periode_start_maaned: 1"),
        complete="komplet_fra: 2019-01-01\nkomplet_til: 2019-12-31\n", period=("2019-01-01", "2019-12-31"),
        tables=dict(sager=cases("A,2019-01-05,2019-01-20,Klage,Telefon,Vejledt,,",
                                "B,2019-05-10,2019-06-01,Anden henvendelse,Skriftlig,Afvist,,",
                                "C,2019-12-30,,Anden henvendelse,Telefon,,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Partshøring,", "B,Social,Ydelser,Andet,",
                                               "C,Teknik,Vej/park,Andet,"),
                    aktiviteter=activities("2019-03-04,Åben rådgivning,4", "2019-04-01,Åben rådgivning,6"))),
    "tiny, mostly withheld": dict(
        kommune=KOMMUNE_YML + "min_celle: 3\n",
        tables=dict(sager=cases("A,2018-11-05,2018-11-20,Klage,Telefon,Vejledt,,",
                                "B,2019-01-10,2019-02-01,Klage,Skriftlig,Afvist,,",
                                "C,2019-02-10,2019-02-11,Anden henvendelse,Telefon,Vejledt,,",
                                "D,2019-03-10,2019-03-11,Anden henvendelse,Telefon,Vejledt,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Partshøring,", "B,Social,Ydelser,Andet,",
                                               "C,Teknik,Vej/park,Andet,", "D,Social,Jobcenter,Andet,"))),
    "no complaints": dict(
        tables=dict(sager=cases("A,2018-11-05,2018-11-20,Anden henvendelse,Telefon,Vejledt,,",
                                "B,2019-01-10,2019-02-01,Anden henvendelse,Skriftlig,Afvist,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Andet,", "B,Teknik,Vej/park,Andet,"))),
    "half-year": dict(
        period=("2018-11-01", "2019-04-30"),
        tables=dict(sager=cases("A,2018-11-05,2018-11-20,Klage,Telefon,Vejledt,,",
                                "B,2019-01-10,2019-02-01,Anden henvendelse,Skriftlig,Afvist,,",
                                "C,2019-08-10,2019-08-11,Klage,Telefon,Vejledt,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Partshøring,", "B,Social,Ydelser,Andet,",
                                               "C,Teknik,Vej/park,Andet,"))),
    "partial year, interim": dict(
        complete="komplet_fra: 2018-11-01\nkomplet_til: 2019-04-30\n", interim=True,
        tables=dict(sager=cases("A,2018-11-05,2018-11-20,Klage,Telefon,Vejledt,,",
                                "B,2019-01-10,,Anden henvendelse,Skriftlig,,,",
                                "C,2019-04-10,2019-04-11,Klage,Telefon,Vejledt,,"),
                    problemstillinger=problems("A,Social,Jobcenter,Partshøring,", "B,Social,Ydelser,Andet,",
                                               "C,Teknik,Vej/park,Andet,"),
                    aktiviteter=activities("2019-02-04,Åben rådgivning,"))),
    "every optional part": dict(kommune=KOMMUNE_PARTS_YML, parts=True),
    "more than ten closed": dict(
        tables=dict(sager=cases(*MANY),
                    problemstillinger=problems(*(f"M{i},Social,Jobcenter,Andet," for i in range(12))),
                    aktiviteter=activities("2019-02-04,Åben rådgivning,2", "2019-03-04,Åben rådgivning,2"))),
}


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def facts(tables: dict[str, str | None], start: str, end: str) -> dict:
    """What the period's sentences may claim, counted from the CSV text alone."""
    inside = [row for row in rows_of(tables["sager"]) if start <= row["modtaget"] <= end]
    ids = {row["sag_id"] for row in inside}
    problem_rows = [row for row in rows_of(tables["problemstillinger"]) if row["sag_id"] in ids]
    primary: dict[str, str] = {}
    for row in problem_rows:  # the marked primary problem, else the case's first row
        if row["sag_id"] not in primary or row.get("primaer") == "ja":
            primary[row["sag_id"]] = row["omraade"]
    areas: dict[str, int] = {}
    for area in primary.values():
        areas[area] = areas.get(area, 0) + 1
    closed = [(dt.date.fromisoformat(row["afsluttet"]) - dt.date.fromisoformat(row["modtaget"])).days
              for row in rows_of(tables["sager"]) if row["afsluttet"] and start <= row["afsluttet"] <= end]
    sessions = [row for row in rows_of(tables.get("aktiviteter") or "dato,aktivitet,antal_borgere\n")
                if start <= row["dato"] <= end and row["aktivitet"] == "Åben rådgivning"]
    counted = [int(row["antal_borgere"]) for row in sessions if row["antal_borgere"]]
    return {"cases": len(inside), "complaints": sum(row["henvendelsestype"] == "Klage" for row in inside),
            "problems": len(problem_rows), "areas": areas, "closed": closed, "sessions": len(sessions),
            "counted": counted, "activities": tables.get("aktiviteter") is not None}


@pytest.fixture(params=list(SHAPES))
def shape(request, make_register):
    import parts_register

    spec = SHAPES[request.param]
    tables = (dict(sager=parts_register.SAGER, problemstillinger=parts_register.PROBLEMSTILLINGER,
                   aktiviteter=parts_register.AKTIVITETER, anbefalinger=parts_register.ANBEFALINGER)
              if spec.get("parts") else spec["tables"])
    folder = make_register(kommune=spec.get("kommune", KOMMUNE_YML), **tables,
                           complete=spec.get("complete", "komplet_fra: 2018-11-01\nkomplet_til: 2019-10-31\n"))
    start, end = spec.get("period", YEAR)
    beretning = load_beretning(folder, start, end, foreloebig=spec.get("interim", False))
    counted = beretning.figures["period"]
    written = {**DEFAULT_TABLES, **tables}  # what make_register wrote: its defaults, but for a table given or None
    return request.param, beretning, facts(written, counted["start"], counted["end"])


def rendered(beretning) -> str:
    return "\n".join(section.html for name in SECTIONS if (section := beretning.section(name)) is not None)


def test_every_sentence_holds_for_the_register_it_was_made_from(shape):
    name, beretning, counted = shape
    html = rendered(beretning)
    text = text_of(html).replace("\u00a0", " ")
    check_every_claim(name, beretning, html, text, counted)


def check_every_claim(name, beretning, html, text, counted) -> None:  # noqa: C901 - one claim after another
    cases, problems, complaints = counted["cases"], counted["problems"], counted["complaints"]
    # "Da en sag kan handle om flere ting" and "flere problemstillinger end sager": only where there are more.
    for more in ("Da en sag kan handle om flere ting", "derfor er der flere problemstillinger end sager",
                 "En sag kan handle om flere ting, som hører til forskellige centre"):
        assert (more in text) == (problems > cases), (name, more)
    if problems == cases:
        assert "i perioden havde hver sag én" in text, name
    # The summary's count of cases.
    assert f"modtog {format_count_spelled(cases, 'sag', 'sager')} i perioden" in text, name
    # "Flest sager handlede om X (P % af sagerne)": X the one area with most cases, P its share; nothing on a tie
    # or where withheld cells could hold as many.
    found = re.search(r"Flest sager handlede om (.+?) \((\d+) % af sagerne\)", text)
    ranked = sorted(counted["areas"].items(), key=lambda item: -item[1])
    unique = ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1])
    if found:
        assert unique and found.group(1) == ranked[0][0], name
        assert int(found.group(2)) == round(100 * ranked[0][1] / cases), name
    elif beretning.figures["min_celle"] == 0:
        assert not unique, name  # said wherever it is a fact and nothing is withheld
    # Complaints: "ingen klager" exactly where there are none; never "De 0 klager".
    assert ("Der var ingen klager i perioden." in text) == (complaints == 0), name
    assert "De 0 klager" not in text and "ingen klager er" not in text, name
    # Handling time: nine out of ten only of ten closed cases or more.
    closed = counted["closed"]
    assert ("ni ud af ti inden for" in text) == (len(closed) >= 10), name
    if len(closed) >= 2:
        median = math.ceil(statistics.median(closed))  # rounded up: "within 18,5 days" holds for 19 days too
        assert f"Halvdelen af sagerne var afsluttet inden for {median} dag" in text, name
        assert sum(days <= median for days in closed) * 2 >= len(closed), name  # and it is true
    # Drop-in: "i alt" only where every session was counted; an average of two counted sessions or more.
    sessions, citizens = counted["sessions"], counted["counted"]
    if counted["activities"] and sessions:
        assert ("med i alt" in text) == (len(citizens) == sessions), name
        assert ("i gennemsnit" in text) == (len(citizens) >= 2), name
        if len(citizens) >= 2 and min(citizens) == max(citizens):
            assert "(mellem" not in text, name
    assert ("Udadrettede aktiviteter" in text) == counted["activities"], name
    # No chart of one category: every chart's alt text names two categories or more, and one shown.
    for alt in re.findall(r'<figure class="chart"><img [^>]*alt="([^"]+)"', html):
        if alt.startswith("Vandret søjlediagram over"):
            entries = alt.split(":", 1)[1].strip().rstrip(".").split(", ")
            assert sum(not re.search(r"\s0(\s%)?$", entry) for entry in entries) >= 2, (name, alt)
            assert any(re.search(r"\s[1-9]\d*(\s%)?$", entry) for entry in entries), (name, alt)  # not only withheld
    # The heading at a glance names the period for what it is; an interim report says what it counts.
    kind = {"half-year": "Halvåret i tal"}.get(name, "Året i tal")
    assert text.startswith(text_of(beretning.section("title").html)) and f"{kind} " in text, name
    assert ("Foreløbige tal: de tæller sagerne fra" in text) == beretning.interim, name
    if beretning.interim:
        assert "foreløbig: opgjort 1. november 2018 – 30. april 2019" in text, name
        assert "Den 30. april 2019, så langt registret er ført, var" in text, name

