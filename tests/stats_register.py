"""The hand-made register of tests/figures/test_stats.py, whose every figure is worked out in comments there.

Other tests (the workbench's, the report's, the figures document's) reuse it for figures already known,
with its fixtures: ``register`` (the whole register, a handling-time target of 10 days) and ``year`` (2018/19).
"""

import datetime as dt

import pytest

from conftest import COMPLETE_FROM_2017_18, KOMMUNE_YML, TODAY
from reportlib import load_register
from reportlib.figures import stats
from reportlib.periods import Period

# Reporting year 2018/19 = 2018-11-01..2019-10-31. A is received the day before it, B on its first
# day, D on its last day, E the day after. A (closed on 2018-11-05) counts for handling time.
SAGER = """\
sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand
A,2018-10-31,2018-11-05,Klage,Telefon,Vejledt,,
B,2018-11-01,2018-11-11,Klage,Telefon,Vejledt,ja,
C,2019-03-15,2019-04-14,Anden henvendelse,Skriftlig,Afvist,,ja
D,2019-10-31,,Klage,,,,
E,2019-11-01,2019-11-02,Anden henvendelse,Telefon,Vejledt,,
"""
PROBLEMSTILLINGER = """\
sag_id,omraade,center,emne,primaer
A,Social,Jobcenter,Andet,
B,Social,Jobcenter,Partshøring,
B,Teknik,Vej/park,Andet,
C,Teknik,Vej/park,Sagsbehandlingstid,
C,Social,Ydelser,Andet,ja
D,Social,Ydelser,Andet,
E,Teknik,Vej/park,Andet,
"""
AKTIVITETER = """\
dato,aktivitet,antal_borgere
2018-11-05,Eksternt oplæg,
2019-09-02,Åben rådgivning,3
2019-09-09,Åben rådgivning,2
2019-09-16,Åben rådgivning,
2019-11-04,Åben rådgivning,5
"""
YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))


def rows(frame):
    return [tuple(r) for r in frame.itertuples(index=False)]


@pytest.fixture
def register(make_register):
    folder = make_register(kommune=KOMMUNE_YML + "maal_sagsbehandlingstid_dage: 10\n", complete=COMPLETE_FROM_2017_18,
                           sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER)
    return load_register(folder, today=TODAY)


# The same cases without the columns a register may not keep (kanal, udfald, moede_deltaget, klagebistand).
SAGER_UNKEPT = """\
sag_id,modtaget,afsluttet,henvendelsestype
A,2018-10-31,2018-11-05,Klage
B,2018-11-01,2018-11-11,Klage
C,2019-03-15,2019-04-14,Anden henvendelse
D,2019-10-31,,Klage
E,2019-11-01,2019-11-02,Anden henvendelse
"""


@pytest.fixture
def unkept(make_register):
    """The register without those four columns and with no activities (a table of no rows)."""
    # An empty table rather than none: make_register's folder may already hold the `register` fixture's.
    folder = make_register(kommune=KOMMUNE_YML + "maal_sagsbehandlingstid_dage: 10\n", complete=COMPLETE_FROM_2017_18,
                           sager=SAGER_UNKEPT, problemstillinger=PROBLEMSTILLINGER,
                           aktiviteter="dato,aktivitet,antal_borgere\n")
    return load_register(folder, today=TODAY)


@pytest.fixture
def year(register):
    return stats.select(register, YEAR)
