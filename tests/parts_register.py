"""The hand-made register of tests/figures/test_parts.py, with every optional part; worked out there.

KOMMUNE_PARTS_YML (conftest): areas Social and Teknik; methods Vejledning, Dialog, Undersøgelse;
results Kritik and Delvis kritik (kind kritik), Ingen kritik, Ikke undersøgt; own-initiative
activity Egen drift; statuses Ny, Igangsat (not followed) and Fulgt (followed). 2018/19 is
1 November 2018 to 31 October 2019; the year before, 2017/18, holds P1-P3.
"""

import datetime as dt

from reportlib.periods import Period

SAGER = """\
sag_id,modtaget,afsluttet,henvendelsestype,metode,resultat
P1,2017-12-01,2017-12-20,Klage,Undersøgelse,Kritik
P2,2018-03-01,2018-03-20,Klage,Undersøgelse,Ingen kritik
P3,2018-05-01,2018-05-10,Anden henvendelse,Vejledning,Ikke undersøgt
A,2018-11-05,2018-12-01,Klage,Undersøgelse,Kritik
B,2018-12-01,2019-01-15,Klage,Undersøgelse,Delvis kritik
C,2019-01-10,2019-02-01,Klage,Undersøgelse,Ingen kritik
D,2019-02-01,2019-02-10,Klage,Dialog,Ikke undersøgt
E,2019-03-01,2019-03-02,Anden henvendelse,Vejledning,Ikke undersøgt
F,2019-04-01,2019-05-01,Klage,Undersøgelse,Ingen kritik
G,2019-10-31,,Anden henvendelse,,
"""
PROBLEMSTILLINGER = """\
sag_id,omraade,center,emne
P1,Social,Jobcenter,Andet
P2,Teknik,Vej/park,Andet
P3,Social,Ydelser,Andet
A,Social,Jobcenter,Partshøring
B,Social,Ydelser,Andet
C,Social,Jobcenter,Andet
D,Social,Ydelser,Sagsbehandlingstid
E,Teknik,Vej/park,Andet
F,Teknik,Vej/park,Andet
G,Social,Jobcenter,Andet
"""
AKTIVITETER = """\
dato,aktivitet,antal_borgere,omraade
2018-11-20,Egen drift,,Social
2019-05-01,Egen drift,,
2019-06-01,Egen drift,,Teknik
2019-09-02,Åben rådgivning,3,
2019-11-04,Egen drift,,Social
"""
ANBEFALINGER = """\
periode,nr,anbefaling,omraade,status,status_dato
2016/17,1,Gammel og fulgt,,Ny,2017-10-31
2016/17,1,Gammel og fulgt,,Fulgt,2018-06-01
2017/18,10,Tiende,,Ny,2018-10-31
2017/18,1,Svar inden for fristen,Social,Ny,2018-10-31
2017/18,1,Svar inden for fristen,Social,Fulgt,2019-05-01
2017/18,2,Klar klagevejledning,,Ny,2018-10-31
2017/18,2,Klar klagevejledning,,Igangsat,2019-10-31
2017/18,2,Klar klagevejledning,,Fulgt,2019-11-01
2018/19,1,Ny i år,,Ny,2019-10-31
2018-11-01:2019-04-30,1,Halvårets,,Ny,2019-04-30
"""
YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))
