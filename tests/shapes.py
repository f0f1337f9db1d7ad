"""Registers unlike the example, each a small register written out: tests/report/test_shapes.py holds every
sentence of their reports to what they hold, tests/figures/test_disclosure.py every count they publish to the
protection rule.

The shapes: one problem per case (a one-sheet register), no activities, one complaint category, a
calendar year, a tiny municipality whose cells are mostly withheld, a year without complaints, a
half-year, a partial year as an interim report, every optional part, and a year with more than ten
closed cases.
"""

from __future__ import annotations

from conftest import KOMMUNE_PARTS_YML, KOMMUNE_YML

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


def write_shape(make_register, name: str):
    """Write the register of shape ``name`` with conftest's ``make_register``; return its folder and its tables."""
    import parts_register

    spec = SHAPES[name]
    tables = (dict(sager=parts_register.SAGER, problemstillinger=parts_register.PROBLEMSTILLINGER,
                   aktiviteter=parts_register.AKTIVITETER, anbefalinger=parts_register.ANBEFALINGER)
              if spec.get("parts") else spec["tables"])
    folder = make_register(kommune=spec.get("kommune", KOMMUNE_YML), **tables,
                           complete=spec.get("complete", "komplet_fra: 2018-11-01\nkomplet_til: 2019-10-31\n"))
    return folder, tables
