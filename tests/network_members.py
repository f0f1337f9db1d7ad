"""Invented members of a network, as figures documents with only what a network reads (not a test file itself).

``section(...)`` writes a member's document: its period and its comparable section, as
reportlib.figures.comparable makes it. The figures of tests/figures/test_network.py and the member's
section of tests/report/test_comparison.py are worked out from these by hand; NABO, LILLEBY, OESTBY
and STORBY are the neighbours of conftest's register (Testby Kommune, 2018/19) in the latter and in
tests/publish/test_network_folder.py:

==============  ==========  =====  ==========  ==========  =========  ===========  ======  ====  ======  ==========
member          indbyggere  cases  complaints  per 10,000  complaint  criticism    median  p90   target  within
                                               (cases,     share
                                               complaints)
==============  ==========  =====  ==========  ==========  =========  ===========  ======  ====  ======  ==========
Nabo Kommune    12,000      30     6           25.0, 5.0   20 %       20 % (1/5)   14      40    30      75 % 21/28
Lilleby Kommune 25,000      40     10          16.0, 4.0   25 %       17 % (1/6)   12      35    20      75 % 27/36
Østby Kommune   18,000      27     9           15.0, 5.0   33 %       (none)       16.5    44    30      80 % 20/25
Storby Kommune  120,000     240    96          20.0, 8.0   40 %       (none)       21      55    45      80 % 184/230
==============  ==========  =====  ==========  ==========  =========  ===========  ======  ====  ======  ==========

The four members of tests/figures/test_network.py and tests/figures/test_network_documents.py:

=============  ==========  =====  ==========  ==========  =========  ==========  ======  ====  ======  ===========
member         indbyggere  cases  complaints  per 10,000  complaint  crit.       median  p90   target  within
                                              (cases)     share
=============  ==========  =====  ==========  ==========  =========  ==========  ======  ====  ======  ===========
Aby Kommune    20,000      30     12          15.0        40 %       40 % (2/5)  14      40.5  30      75 % (21/28)
Bøby Kommune   25,000      50     10          20.0        20 %       25 % (1/4)  10.5    30    20      60 % (27/45)
Ærby Kommune   45,000      45     27          10.0        60 %       (none)      21      60    (none)  (none)
Åby Kommune    (none)      12     3           (none)      25 %       (none examined; none closed, target 30)
=============  ==========  =====  ==========  ==========  =========  ==========  ======  ====  ======  ===========

Partshøring's share: Aby's is withheld (2 problemstillinger under its min_celle 3), Bøby 20 % (10 of 50),
Ærby 10 % (5 of 50), Åby 0 % (0 of 12). An average needs three values: the network's of the complaint
share (four) and of the handling time (three) are there, the size bands' (two and one) are not, and
neither are those of criticism and of the share within the target (two each).

Østby maps none of its topics to the national themes (every theme "ikke kortlagt"); Storby withholds its
partshøring (2 problemstillinger under its min_celle 5) and counts Hjemmel and Diverse as andet.
"""

from __future__ import annotations

import json
from pathlib import Path

from reportlib.figures.document_format import FORMAT
from reportlib.register.national import vocabulary

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
REPORTING_YEAR = {"start": "2018-11-01", "end": "2019-10-31"}  # conftest's register's 2018/19
NO_CASE_CLOSED = {"closed": 0, "median": None, "p90": None, "target_days": None, "within_target": None,
                  "within_target_pct": None}


def section(kommune: str, indbyggere: int | None, cases: int, complaints: int, *, per_10000=None,
            partshoering=(0, 0), min_celle=0, criticism=None, handling=None, unmapped=(), period=YEAR,
            version=1, problemstillinger=None, not_mapped=(), interim_of=None, older=False) -> dict:
    """A member's figures document: ``partshoering`` is (count, pct) of that theme, the others 0 (withheld below
    ``min_celle``); ``per_10000`` the (cases, complaints) per 10,000 inhabitants as the document gives them.

    ``problemstillinger`` is those counted by theme (one per case unless given); ``not_mapped`` the themes none
    of the member's topics maps to (count and share None); ``interim_of`` the whole period of an interim
    document; ``older`` writes the document as reportlib did before it gave the bases and said which themes
    are mapped (no ``format``, no ``problems``, no theme's ``mapped``, no ``handling_days.within_target``).
    """
    count, pct = partshoering
    themes = [{"label": label, "count": 0, "pct": 0, "suppressed": False, "mapped": True}
              for label in vocabulary().themes]
    withheld = 0 < count < min_celle
    themes[2] = {"label": "partshøring", "count": None if withheld else count, "pct": None if withheld else pct,
                 "suppressed": withheld, "mapped": True}
    themes = [{**row, "count": None, "pct": None, "suppressed": False, "mapped": False}
              if row["label"] in not_mapped else row for row in themes]
    handling = {**NO_CASE_CLOSED, **(handling or {})}
    per = per_10000 or (None, None)
    comparable = {
        "version": version, "kommune": kommune, "indbyggere": indbyggere, "period": period, "min_celle": min_celle,
        "cases": cases, "complaints": complaints, "other_inquiries": cases - complaints,
        "cases_per_10000": per[0], "complaints_per_10000": per[1],
        "problemstillinger": cases if problemstillinger is None else problemstillinger,
        "themes": themes, "unmapped_topics": list(unmapped), "criticism": criticism, "handling_days": handling}
    if older:
        del comparable["problemstillinger"], handling["within_target"]
        for row in themes:
            del row["mapped"]
    return {**({} if older else {"format": FORMAT}), "kommune": kommune, "period": period, "interim_of": interim_of,
            "comparable": comparable}


def of_format_1(document: dict) -> dict:
    """A member's document as figures documents of format 1 were written: no ``format``, the base as ``problems``."""
    comparable = {("problems" if key == "problemstillinger" else key): value
                  for key, value in document["comparable"].items()}
    return {**{key: value for key, value in document.items() if key != "format"}, "comparable": comparable}


ABY = section("Aby Kommune", 20_000, 30, 12, per_10000=(15.0, 6.0), partshoering=(2, 7), min_celle=3,
              criticism={"examined": 5, "criticised": 2, "rate_pct": 40},
              handling={"closed": 28, "median": 14.0, "p90": 40.5, "target_days": 30, "within_target": 21,
                        "within_target_pct": 75})
BOEBY = section("Bøby Kommune", 25_000, 50, 10, per_10000=(20.0, 4.0), partshoering=(10, 20),
                criticism={"examined": 4, "criticised": 1, "rate_pct": 25},
                handling={"closed": 45, "median": 10.5, "p90": 30.0, "target_days": 20, "within_target": 27,
                          "within_target_pct": 60})
CBY = section("Ærby Kommune", 45_000, 45, 27, per_10000=(10.0, 6.0), partshoering=(5, 10), unmapped=["Hjemmel"],
              problemstillinger=50, handling={"closed": 40, "median": 21.0, "p90": 60.0, "target_days": None,
                                     "within_target_pct": None})
DBY = section("Åby Kommune", None, 12, 3, criticism={"examined": 0, "criticised": 0, "rate_pct": None},
              handling={"closed": 0, "median": None, "p90": None, "target_days": 30, "within_target_pct": None})


NABO = section("Nabo Kommune", 12_000, 30, 6, per_10000=(25.0, 5.0), period=REPORTING_YEAR,
               criticism={"examined": 5, "criticised": 1, "rate_pct": 20},
               handling={"closed": 28, "median": 14.0, "p90": 40.0, "target_days": 30, "within_target": 21,
                         "within_target_pct": 75})
LILLEBY = section("Lilleby Kommune", 25_000, 40, 10, per_10000=(16.0, 4.0), period=REPORTING_YEAR,
                  criticism={"examined": 6, "criticised": 1, "rate_pct": 17},
                  handling={"closed": 36, "median": 12.0, "p90": 35.0, "target_days": 20, "within_target": 27,
                            "within_target_pct": 75})
OESTBY = section("Østby Kommune", 18_000, 27, 9, per_10000=(15.0, 5.0), period=REPORTING_YEAR,
                 not_mapped=vocabulary().themes,
                 handling={"closed": 25, "median": 16.5, "p90": 44.0, "target_days": 30, "within_target": 20,
                           "within_target_pct": 80})
STORBY = section("Storby Kommune", 120_000, 240, 96, per_10000=(20.0, 8.0), period=REPORTING_YEAR,
                 partshoering=(2, 1), min_celle=5, unmapped=["Hjemmel", "Diverse"],
                 handling={"closed": 230, "median": 21.0, "p90": 55.0, "target_days": 45, "within_target": 184,
                           "within_target_pct": 80})


def write(path: Path, document: dict | str) -> Path:
    """Write a document (or any text) as a member would hand it over."""
    path.write_text(document if isinstance(document, str) else json.dumps(document, ensure_ascii=False),
                    encoding="utf-8")
    return path
