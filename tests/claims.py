"""Every sentence a report's sections can say, held to counts made from the register's CSV text alone.

:func:`facts` counts what a sentence may claim (cases, complaints, problem rows, primary areas,
drop-in sessions, closed cases) without reportlib; :func:`check_every_claim` holds each sentence to
them: it may appear only where what it asserts is true, and the sentences that must appear do.
Used on the registers of tests/report/test_shapes.py and on the synthetic network's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import statistics

from reportlib.formatting import format_count_spelled
from reportlib.report.sections import SECTIONS


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
            "problemstillinger": len(problem_rows), "areas": areas, "closed": closed, "sessions": len(sessions),
            "counted": counted, "activities": tables.get("aktiviteter") is not None}


def rendered(beretning) -> str:
    return "\n".join(section.html for name in SECTIONS if (section := beretning.section(name)) is not None)


def check_every_claim(name, beretning, html, text, counted) -> None:  # noqa: C901 - one claim after another
    cases, problemstillinger, complaints = counted["cases"], counted["problemstillinger"], counted["complaints"]
    # "Da en sag kan handle om flere ting" and "flere problemstillinger end sager": only where there are more.
    for more in ("Da en sag kan handle om flere ting", "derfor er der flere problemstillinger end sager",
                 "En sag kan handle om flere ting, som hører til forskellige centre"):
        assert (more in text) == (problemstillinger > cases), (name, more)
    if problemstillinger == cases:
        assert "i perioden havde hver sag én" in text, name
    # The summary's count of cases.
    assert f"modtog {format_count_spelled(cases, 'sag', 'sager')} i perioden".replace("\u00a0", " ") in text, name
    # "Flest sager handlede om X (P % af sagerne)": X the one area with most cases, P its share; nothing on a tie
    # or where withheld cells could hold as many.
    found = re.search(r"Flest sager handlede om (.+?) \((\d+) % af sagerne\)", text)
    ranked = sorted(counted["areas"].items(), key=lambda item: -item[1])
    unique = ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1])
    if found:
        assert unique and found.group(1) == ranked[0][0], name
        exact = 100 * ranked[0][1] / cases  # whole percent, rounded as the table's shares add up (largest remainder)
        assert math.floor(exact) <= int(found.group(2)) <= math.ceil(exact), name
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
    period = beretning.period
    kind = "Halvåret i tal" if (period.end - period.start).days < 200 else "Året i tal"
    assert f"{kind} " in text, name
    assert ("Foreløbige tal: de tæller sagerne fra" in text) == beretning.interim, name
    if beretning.interim:
        assert "foreløbig: opgjort 1. november 2018 – 30. april 2019" in text, name
        assert "Den 30. april 2019, så langt registret er ført, var" in text, name
