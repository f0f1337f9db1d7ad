"""Generate the example register in data/raw/ (Ballerup Kommune, 1 Nov 2018 - 31 Oct 2021).

Deterministic: the same seed writes byte-identical files. Run ``make example-data`` (or this
script) after changing it and commit the output.

The first reporting year is calibrated so that the contract's rules reproduce every figure the
2018/19 annual report publishes (see ../shared/docs/seed-figures.md). The two later years are
plausible variations so that comparisons between years show something. All names, CPR-like
numbers and phone numbers in the notes are invented; they are planted so that the privacy tests
can prove none of them reaches a published file.

The register's optional parts (how each case was handled and what the advisor found, the
own-initiative investigations with their area, and the recommendations with their follow-up)
are drawn afterwards from a random stream of their own, so every other column is exactly what it
would be without them. The recommendations and their statuses are those of the narratives
(beretning_*.md).

``--network N --years Y --out DIR`` writes instead N invented municipalities, DIR/<slug>/, each a
register folder of Y complete reporting years ending before 2026 (see :func:`network`): their
names, sizes, taxonomies, start months and mappings to the national themes differ, drawn from the
seed, and a municipality's folder depends only on the seed, its place in the list and Y (the first
40 of 98 are the 40). Their notes hold no CPR-like number.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from reportlib.register.kommune import Kommune, load_kommune  # noqa: E402

SEED = 20181101
ANDEN, KLAGE = "Anden henvendelse", "Klage"
EXTERNAL_TALK, INTERNAL_TALK, DROP_IN = "Eksternt oplæg", "Internt oplæg", "Åben rådgivning"
OWN_INITIATIVE = "Egen drift-undersøgelse"
INVESTIGATION = "Undersøgelse"
NOT_EXAMINED = "Ikke undersøgt"
# How a closed case was handled, from its outcome; an investigation, or a meeting the advisor attended, comes first.
METHOD_OF_OUTCOME = {"Løst i dialog med afdelingen": "Dialog med forvaltningen", "Vejledt": "Vejledning",
                     "Henvist til rette instans": "Videresendt", "Afvist": "Afvist",
                     "Bistand til klage": "Vejledning", "Ingen yderligere kontakt": "Vejledning"}
MEETING = "Møde med borger og forvaltning"


@dataclass(frozen=True)
class YearSpec:
    """Exact counts for one reporting year; the generator draws everything else."""

    start: dt.date
    types: tuple[int, int]  # Anden henvendelse, Klage
    primary_areas: tuple[int, ...]  # cases by area of the primary problem, kommune.yml order
    centre_rows: tuple[tuple[int, ...], ...]  # problem rows per centre, per area
    complaint_categories: tuple[int, ...]  # complaints by category of their primary topic
    meetings: tuple[int, int]  # moede_deltaget among Anden henvendelse, Klage
    complaint_letters: int
    talks: tuple[int, int]  # external, internal
    drop_in: tuple[tuple[dt.date, dt.date], ...]  # Mondays from..to, both inclusive
    drop_in_citizens: tuple[int, int]  # attendance range per session
    growth: float  # > 1: inquiries pick up during the year (a new function becoming known)
    own_initiative: int  # investigations on the advisor's own initiative

    @property
    def end(self) -> dt.date:
        return dt.date(self.start.year + 1, self.start.month, 1) - dt.timedelta(days=1)


YEARS = (
    # 2018/19: the seed report. 72/30/12 cases -> 63/26/11 %; centre rows 100, 57 and 22 give the
    # published centre percentages; 27 of 50 complaints ("a good half") in God forvaltningsskik and
    # 10 (20 %) in Hjemmelsspørgsmål; 16 meetings (14 of them in Anden henvendelse).
    YearSpec(
        start=dt.date(2018, 11, 1), types=(64, 50), primary_areas=(72, 30, 12),
        centre_rows=((26, 14, 26, 24, 10), (17, 15, 3, 20, 2), (4, 2, 8, 4, 4)),
        complaint_categories=(27, 10, 13), meetings=(14, 2), complaint_letters=5, talks=(8, 10),
        drop_in=((dt.date(2019, 9, 2), dt.date(2019, 10, 28)),), drop_in_citizens=(2, 3), growth=2.0,
        own_initiative=1,
    ),
    # 2019/20: the function is known; drop-in paused by the spring 2020 lockdown.
    YearSpec(
        start=dt.date(2019, 11, 1), types=(70, 61), primary_areas=(78, 37, 16),
        centre_rows=((30, 22, 25, 28, 15), (22, 18, 6, 18, 4), (6, 3, 7, 5, 6)),
        complaint_categories=(36, 14, 11), meetings=(15, 4), complaint_letters=8, talks=(5, 12),
        drop_in=((dt.date(2019, 11, 4), dt.date(2020, 3, 9)), (dt.date(2020, 8, 17), dt.date(2020, 10, 26))),
        drop_in_citizens=(1, 5), growth=1.0, own_initiative=2,
    ),
    # 2020/21: more complaints, fewer other inquiries; drop-in closed in winter, busier after.
    YearSpec(
        start=dt.date(2020, 11, 1), types=(58, 68), primary_areas=(70, 41, 15),
        centre_rows=((27, 18, 20, 30, 14), (26, 22, 7, 21, 5), (5, 3, 6, 4, 5)),
        complaint_categories=(39, 17, 12), meetings=(11, 6), complaint_letters=9, talks=(4, 9),
        drop_in=((dt.date(2020, 11, 2), dt.date(2020, 12, 7)), (dt.date(2021, 4, 19), dt.date(2021, 6, 28)),
                 (dt.date(2021, 8, 9), dt.date(2021, 10, 25))),
        drop_in_citizens=(2, 6), growth=1.1, own_initiative=3,
    ),
)
# The recommendations of each year's narrative (beretning_*.md, under "# Anbefalinger") and the
# statuses the next narratives give them ("Opfølgning på sidste års anbefalinger"), each dated the
# end of the year whose narrative reports it; every recommendation is "Ny" at the end of its own year.
RECOMMENDATIONS = {
    "2018/19": ("Tydelig hjemmel og viden om forvaltningsret",
                "Sagen skal være oplyst, før den sendes til klageinstansen",
                "Læring af ændrede og hjemviste afgørelser",
                "Synlige og opdaterede sagsbehandlingsfrister"),
    "2019/20": ("Én fast kontaktperson, når flere afdelinger er involveret",
                "Notater om telefonsamtaler og møder"),
    "2020/21": ("Aktindsigt skal behandles hurtigt",
                "Faste skabeloner til afgørelser"),
}
FOLLOW_UP = {  # (year made, number): ((status, year whose narrative reports it), ...)
    ("2018/19", 1): (("Igangsat", "2019/20"),),
    ("2018/19", 2): (("Delvist fulgt", "2019/20"),),
    ("2018/19", 3): (("Igangsat", "2019/20"),),
    ("2018/19", 4): (("Fulgt", "2019/20"),),
    ("2019/20", 1): (("Delvist fulgt", "2020/21"),),
    ("2019/20", 2): (("Igangsat", "2020/21"),),
}
# Library closed on these Mondays (Whit Monday 2021).
HOLIDAYS = {dt.date(2021, 5, 24)}

FIRST_NAMES = ["Mette", "Lars", "Hanne", "Jens", "Birgitte", "Søren", "Anne", "Per", "Kirsten", "Ahmad",
               "Fatima", "Mikkel", "Louise", "Jørgen", "Camilla", "Bo", "Aylin", "Niels"]
LAST_NAMES = ["Hansen", "Pedersen", "Nielsen", "Jensen", "Sørensen", "Rasmussen", "Kristensen", "Yilmaz",
              "Andersen", "Møller", "Larsen", "Østergaard", "Holm", "Ali", "Thomsen", "Bækgaard"]
NOTE_TEMPLATES = [
    "Borger ringede om manglende svar fra afdelingen.",
    "Aftalt at jeg kontakter afdelingen og beder om status.",
    "Rykket afdelingen to gange.",
    "Møde med borger og sagsbehandler aftalt.",
    "Borger ønsker hjælp til at forstå afgørelsen.",
    "Vejledt om klagemuligheder og frister.",
    "Henvist til rette afdeling.",
    "{name} ({cpr}) ringede om sin sag; tlf. {phone}.",
    "Pårørende {name}, tlf. {phone}, ønsker at deltage i mødet.",
    "CPR {cpr} oplyst af borger; journal gennemgået sammen med borger.",
    "Datter {name} henvender sig på morens vegne (mor: {cpr}).",
    "Ring tilbage til {name} på {phone} efter kl. 15.",
]
TALK_TOPICS = {
    EXTERNAL_TALK: ["Oplæg for Seniorrådet", "Oplæg for Handicaprådet", "Oplæg for en patientforening",
                    "Oplæg på forældreforenings generalforsamling", "Oplæg for frivillige"],
    INTERNAL_TALK: ["Oplæg på personalemøde", "Oplæg for ledelsesteam", "Oplæg om god forvaltningsskik",
                    "Oplæg om partshøring og begrundelse", "Introduktion for nye medarbejdere"],
    OWN_INITIATIVE: ["Gennemgang af svartider på ansøgninger", "Gennemgang af klagevejledning i afgørelser",
                     "Gennemgang af breve i den digitale postkasse", "Gennemgang af notater fra telefonsamtaler"],
}


@dataclass(frozen=True)
class Municipality:
    """What the generator draws a municipality's rows from, besides its kommune.yml."""

    years: tuple[YearSpec, ...]
    prefix: str  # of sag_id: BR-2018-001
    channels: dict[str, int]  # channel -> weight; "" is a case without one
    other_weights: tuple[float, ...]  # other inquiries by complaint category of their primary topic
    notes: tuple[str, ...]
    recommendations: dict[str, tuple[str, ...]]  # reporting year -> its narrative's recommendations


BALLERUP = Municipality(YEARS, "BR", {"Telefon": 45, "Skriftlig": 35, "Personligt møde": 17, "": 3}, (3, 1, 4),
                        tuple(NOTE_TEMPLATES), RECOMMENDATIONS)


class ExampleRegister:
    """Builds the rows of all three tables, one reporting year at a time."""

    def __init__(self, seed: int | str, municipality: Municipality = BALLERUP, kommune: Kommune | None = None):
        self.rng = random.Random(seed)
        # The optional parts' own stream: drawing them leaves every draw of the other columns as it was.
        self.parts_rng = random.Random(f"{seed}-optional-parts")
        self.municipality = municipality
        self.kommune = kommune or load_kommune(ROOT / "data" / "raw")
        self.cases: list[dict] = []
        self.problemstillinger: list[dict] = []
        self.activities: list[dict] = []
        self.recommendations: list[dict] = []

    def build(self) -> None:
        for spec in self.municipality.years:
            self._year(spec)
        self.cases.sort(key=lambda c: (c["modtaget"], c["sag_id"]))
        for spec in self.municipality.years:
            self._optional_parts(spec)
        self.activities.sort(key=lambda a: (a["dato"], a["aktivitet"]))
        self._recommendations()

    def _weekday(self, start: dt.date, end: dt.date, growth: float, rng: random.Random | None = None) -> dt.date:
        """A weekday in [start, end], later dates more likely when growth > 1."""
        rng = rng or self.rng
        span = (end - start).days
        while True:
            u = rng.random()
            day = start + dt.timedelta(days=int(span * u ** (1 / growth)))
            if day.weekday() < 5:
                return day

    def _year(self, spec: YearSpec) -> None:
        rng, kommune = self.rng, self.kommune
        end = spec.end
        areas = kommune.areas
        categories = list(kommune.emner)
        n_cases = sum(spec.types)
        assert sum(spec.primary_areas) == n_cases and sum(spec.complaint_categories) == spec.types[1]
        assert all(sum(rows) >= cases for rows, cases in zip(spec.centre_rows, spec.primary_areas, strict=True))

        drop_in_days = [d for first, last in spec.drop_in for d in _mondays(first, last) if d not in HOLIDAYS]
        types = [ANDEN] * spec.types[0] + [KLAGE] * spec.types[1]
        primary_area = [a for a, n in zip(areas, spec.primary_areas, strict=True) for _ in range(n)]
        rng.shuffle(types)
        rng.shuffle(primary_area)
        complaint_category = [c for c, n in zip(categories, spec.complaint_categories, strict=True) for _ in range(n)]
        rng.shuffle(complaint_category)

        pools = {}
        for area, counts in zip(areas, spec.centre_rows, strict=True):
            pool = [c for c, n in zip(kommune.omraader[area], counts, strict=True) for _ in range(n)]
            rng.shuffle(pool)
            pools[area] = pool

        received = sorted(self._weekday(spec.start, end, spec.growth) for _ in range(n_cases))
        year_cases = []
        for i, (day, kind, area) in enumerate(zip(received, types, primary_area, strict=True), start=1):
            category = (complaint_category.pop() if kind == KLAGE
                        else rng.choices(categories, weights=self.municipality.other_weights)[0])
            case = {
                "sag_id": f"{self.municipality.prefix}-{spec.start.year}-{i:03d}",
                "modtaget": day,
                "henvendelsestype": kind,
                "kanal": self._channel(day, drop_in_days),
                "moede_deltaget": False,
                "klagebistand": False,
                "rows": [{"omraade": area, "center": pools[area].pop(),
                          "emne": rng.choice(kommune.emner[category])}],
            }
            year_cases.append(case)
        # The problem rows left in the pools are the cases' further problems ("flere problemstillinger").
        leftovers = [(area, centre) for area in areas for centre in pools[area]]
        rng.shuffle(leftovers)
        takers = rng.sample(year_cases, min(len(leftovers), len(year_cases)))
        for j, (area, centre) in enumerate(leftovers):
            case = takers[j] if j < len(takers) else rng.choice(year_cases)
            case["rows"].append({"omraade": area, "center": centre, "emne": rng.choice(kommune.topics)})

        self._mark(year_cases, ANDEN, "moede_deltaget", spec.meetings[0])
        self._mark(year_cases, KLAGE, "moede_deltaget", spec.meetings[1])
        self._mark(year_cases, KLAGE, "klagebistand", spec.complaint_letters)
        for case in year_cases:
            self._close(case)
            self._emit(case)
        self._activities(spec, end, drop_in_days)

    def _channel(self, day: dt.date, drop_in_days: list[dt.date]) -> str:
        if day in drop_in_days and self.rng.random() < 0.6:
            return "Åben rådgivning"
        channels = self.municipality.channels
        return self.rng.choices(list(channels), weights=list(channels.values()))[0]

    def _mark(self, cases: list[dict], kind: str, flag: str, count: int) -> None:
        candidates = [c for c in cases if c["henvendelsestype"] == kind and not c[flag]]
        for case in self.rng.sample(candidates, count):
            case[flag] = True

    def _close(self, case: dict) -> None:
        rng = self.rng
        days = int(rng.lognormvariate(2.6, 0.8)) + (21 if case["moede_deltaget"] else 0)
        if rng.random() < 0.02:  # the odd case that drags on
            days += 400
        closed = case["modtaget"] + dt.timedelta(days=days)
        closed += dt.timedelta(days=max(0, 7 - closed.weekday()) if closed.weekday() >= 5 else 0)
        if closed > self.municipality.years[-1].end:  # still open when the register ends
            case["afsluttet"], case["udfald"] = None, ""
            return
        case["afsluttet"] = closed
        if case["klagebistand"]:
            case["udfald"] = "Bistand til klage"
        else:
            case["udfald"] = rng.choices(
                ["Løst i dialog med afdelingen", "Vejledt", "Henvist til rette instans", "Afvist",
                 "Ingen yderligere kontakt"], weights=(40, 30, 12, 5, 8))[0]

    def _note(self) -> str:
        rng = self.rng
        template = rng.choice(self.municipality.notes)
        birth = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))
        return template.format(
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            cpr=f"{birth:%d%m%y}-{rng.randrange(10000):04d}",
            phone=f"{rng.randint(20, 99)} " + " ".join(f"{rng.randrange(100):02d}" for _ in range(3)),
        )

    def _emit(self, case: dict) -> None:
        rows = case.pop("rows")
        note = self._note() if self.rng.random() < 0.45 else ""
        self.cases.append({**case, "note": note})
        if len(rows) > 1:
            # Mark the primary problem explicitly and do not always list it first.
            rows[0]["primaer"] = True
            self.rng.shuffle(rows)
        for row in rows:
            self.problemstillinger.append({"sag_id": case["sag_id"], **row, "primaer": row.get("primaer", False)})

    def _activities(self, spec: YearSpec, end: dt.date, drop_in_days: list[dt.date]) -> None:
        rng = self.rng
        for kind, count in ((EXTERNAL_TALK, spec.talks[0]), (INTERNAL_TALK, spec.talks[1])):
            for _ in range(count):
                self.activities.append({"dato": self._weekday(spec.start, end, 1.0), "aktivitet": kind,
                                        "antal_borgere": "", "omraade": "",
                                        "beskrivelse": rng.choice(TALK_TOPICS[kind])})
        low, high = spec.drop_in_citizens
        for day in drop_in_days:
            self.activities.append({"dato": day, "aktivitet": DROP_IN, "antal_borgere": rng.randint(low, high),
                                    "omraade": "", "beskrivelse": "Hovedbiblioteket, kl. 14-18"})

    def _optional_parts(self, spec: YearSpec) -> None:
        """How each case of the year was handled and what was found; the own-initiative investigations.

        About a tenth of the complaints are investigated (closed ones, solved in dialogue or with
        guidance, without a meeting or a complaint letter); criticism is rare. Every other closed
        case is "Ikke undersøgt"; open cases have neither method nor result.
        """
        rng = self.parts_rng
        cases = [c for c in self.cases if spec.start <= c["modtaget"] <= spec.end]
        candidates = [c for c in cases if c["henvendelsestype"] == KLAGE and c["afsluttet"] is not None
                      and not (c["moede_deltaget"] or c["klagebistand"])
                      and c["udfald"] in ("Løst i dialog med afdelingen", "Vejledt")]
        # A small municipality's year may have fewer candidates than a tenth of its complaints.
        investigated = {c["sag_id"] for c in rng.sample(candidates, min(len(candidates), round(spec.types[1] / 10)))}
        for case in cases:
            if case["afsluttet"] is None:
                case["metode"], case["resultat"] = "", ""
            elif case["sag_id"] in investigated:
                case["metode"] = INVESTIGATION
                case["resultat"] = rng.choices(["Kritik", "Delvis kritik", "Ingen kritik"], weights=(1, 2, 5))[0]
            else:
                case["metode"] = MEETING if case["moede_deltaget"] else METHOD_OF_OUTCOME[case["udfald"]]
                case["resultat"] = NOT_EXAMINED
        for _ in range(spec.own_initiative):
            self.activities.append({"dato": self._weekday(spec.start, spec.end, 1.0, rng), "aktivitet": OWN_INITIATIVE,
                                    "antal_borgere": "", "omraade": rng.choice(self.kommune.areas),
                                    "beskrivelse": rng.choice(TALK_TOPICS[OWN_INITIATIVE])})

    def _recommendations(self) -> None:
        """The narratives' recommendations: "Ny" at the end of their year, then each status reported."""
        end_of = {f"{spec.start.year}/{(spec.start.year + 1) % 100:02d}": spec.end for spec in self.municipality.years}
        for year, texts in self.municipality.recommendations.items():
            for number, text in enumerate(texts, start=1):
                statuses = (("Ny", year), *FOLLOW_UP.get((year, number), ()))
                self.recommendations += [{"periode": year, "nr": number, "anbefaling": text, "omraade": "",
                                          "status": status, "status_dato": end_of[reported]}
                                         for status, reported in statuses]


def _mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    assert first.weekday() == 0, f"{first} is not a Monday"
    return [first + dt.timedelta(weeks=w) for w in range((last - first).days // 7 + 1)]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row[c]) for c in columns] for row in rows)


def _vouch_invented(folder: Path, names: list[str]) -> None:
    """Write the marker that exempts exactly these files from the warning about personal data in git.

    Their notes plant invented names and CPR-like numbers, so that tests can prove none is
    published; `reportlib validate` would otherwise warn that they are tracked by git.
    """
    lines = ["# The notes in these files are invented: names, CPR-like numbers and phone numbers planted to test",
             "# that none of them is ever published. `reportlib validate` does not warn about them being in git",
             "# while they are exactly these files (sha256sum -c OPDIGTET.sha256). Delete this file if you put",
             "# a real register here; better, keep a real register in data/private/, which git ignores."]
    lines += [f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}" for name in names]
    (folder / "OPDIGTET.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_register(folder: Path, register: ExampleRegister) -> None:
    """Write the built register's tables into ``folder``; anbefalinger.csv only when there are recommendations."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "sager.csv", ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald",
                                  "moede_deltaget", "klagebistand", "metode", "resultat", "note"], register.cases)
    _write(folder / "problemstillinger.csv", ["sag_id", "omraade", "center", "emne", "primaer"],
           register.problemstillinger)
    _write(folder / "aktiviteter.csv", ["dato", "aktivitet", "antal_borgere", "omraade", "beskrivelse"],
           register.activities)
    if register.recommendations:
        _write(folder / "anbefalinger.csv", ["periode", "nr", "anbefaling", "omraade", "status", "status_dato"],
               register.recommendations)


# The synthetic network (--network). Names are a prefix and a suffix: invented, none a real municipality's.
PREFIXES = ("Fjord", "Klit", "Mose", "Siv", "Tang", "Ravne", "Ugle", "Bøge", "Rug", "Lærke", "Hvede", "Tjørne")
SUFFIXES = ("by", "bjerg", "havn", "holm", "lund", "dal", "vig", "kær", "mark", "sted")
LAST_START = {1: 2025, 11: 2024}  # by start month: the last reporting year that ends before 2026 starts then
# Directorates: the spellings of each, and its centres.
AREAS = (
    (("Social og Sundhed", "Sundhed og Omsorg", "Social, Sundhed og Ældre"),
     ("Hjemmepleje", "Plejecentre", "Hjælpemidler", "Handicap og psykiatri", "Visitation", "Sundhedscenter")),
    (("Børn og Unge", "Børn, Unge og Familie", "Familie og Uddannelse"),
     ("Familieafdelingen", "Dagtilbud", "Skoler", "PPR", "Ungdomsskolen", "Sundhedsplejen")),
    (("Beskæftigelse", "Arbejdsmarked", "Job og Ydelser"),
     ("Jobcenter", "Ydelsesservice", "Sygedagpenge", "Integration", "Fleksjob")),
    (("Teknik og Miljø", "By og Land", "Plan, Byg og Miljø"),
     ("Byggesag", "Vej og Park", "Natur og Miljø", "Affald", "Kollektiv trafik")),
    (("Kultur og Fritid", "Fritid og Idræt"), ("Biblioteker", "Idrætsanlæg", "Foreningsservice", "Musikskole")),
    (("Borgerservice", "Økonomi og Borgerservice"), ("Pas og kørekort", "Opkrævning", "Ejendomsskat", "Boligstøtte")),
)
# Complaint categories: the spellings of each, and its topics, each with the national theme it stands for
# (None: none) and its spellings. A topic spelt like its theme needs no mapping in kommune.yml.
CATEGORIES = (
    (("God forvaltningsskik", "Forvaltningsret", "Sagsbehandling"), (
        ("sagsbehandlingstid", ("Sagsbehandlingstid", "Lang sagsbehandlingstid", "Ventetid på afgørelse")),
        ("partshøring", ("Partshøring", "Manglende partshøring")),
        ("begrundelse", ("Begrundelse", "Mangelfuld begrundelse")),
        ("klagevejledning", ("Klagevejledning", "Manglende klagevejledning")),
        ("notatpligt", ("Notatpligt", "Manglende notater")),
        ("aktindsigt", ("Aktindsigt", "Afslag på aktindsigt")))),
    (("Kontakt og dialog", "Kommunikation", "Borgerkontakt"), (
        ("manglende svar", ("Manglende svar", "Ingen tilbagemelding", "Manglende kontakt med sagsbehandler")),
        ("vejledning", ("Vejledning", "Mangelfuld vejledning")),
        ("optræden", ("Optræden", "Optræden og sprogbrug", "Tone og adfærd")))),
    (("Hjemmel og afgørelse", "Afgørelser", "Lovgrundlag"), (
        ("faktisk forvaltningsvirksomhed", ("Faktisk forvaltningsvirksomhed", "Fejl i udbetaling", "Praktisk hjælp")),
        (None, ("Hjemmel",)), (None, ("Afgørelsens indhold",)), (None, ("Forståelse af afgørelsen",)),
        (None, ("Serviceniveau",)))),
    (("Øvrige", "Diverse", "Andre emner"), (
        (None, ("Koordinering på tværs",)), (None, ("Adgang til kommunen", "Tilgængelighed")),
        (None, ("Digital kommunikation", "Digital selvbetjening")), ("andet", ("Andet",)))),
)
CHANNELS = {"Telefon": 45, "Skriftlig": 30, "E-mail": 25, "Digital Post": 20, "Personligt møde": 15, "Brev": 5,
            "Videomøde": 5}
RESULTS = {"Kritik": "kritik", "Delvis kritik": "kritik", "Ingen kritik": "ingen kritik",
           NOT_EXAMINED: "ikke undersøgt"}


@dataclass(frozen=True)
class Member:
    """One invented municipality of the network: its folder's name, its kommune.yml and how its rows are drawn."""

    slug: str
    config: dict
    municipality: Municipality


def network(n: int, years: int, seed: int = SEED) -> list[Member]:
    """Draw ``n`` invented municipalities, each of ``years`` complete reporting years ending before 2026.

    The i-th depends only on ``seed``, i and ``years``, so a larger network starts with the smaller one.
    """
    names = [prefix + suffix for prefix in PREFIXES for suffix in SUFFIXES]
    if not 1 <= n <= len(names) or years < 1:
        raise ValueError(f"a network has 1 to {len(names)} municipalities of at least one year")
    random.Random(f"{seed}-names").shuffle(names)
    return [_member(random.Random(f"{seed}-member-{i}"), names[i], years) for i in range(n)]


def _member(rng: random.Random, name: str, years: int) -> Member:
    inhabitants = round(math.exp(rng.uniform(math.log(10_000), math.log(350_000))), -2)  # as many small as large
    month = rng.choice((1, 11))
    areas = {rng.choice(spellings): rng.sample(centres, rng.randint(2, len(centres)))
             for spellings, centres in rng.sample(AREAS, rng.randint(2, 5))}
    # Each category keeps about three topics in four; all but the first may be folded into the first.
    # With `coverage`, the share of own-spelt topics kommune.yml maps: the others count as "andet", unmapped.
    coverage = rng.choice((0.15, 0.5, 0.9, 1.0))
    emner: dict[str, list[str]] = {}
    mapping: dict[str, str] = {}
    for spellings, topics in CATEGORIES:
        category = rng.choice(spellings) if not emner or rng.random() < 0.7 else next(iter(emner))
        for theme, spelt in [t for t in topics if rng.random() < 0.75] or topics[:1]:
            topic = rng.choice(spelt)
            emner.setdefault(category, []).append(topic)
            if topic.lower() != theme and rng.random() < coverage:
                mapping[topic] = theme or "andet"
    channels = {"Telefon": CHANNELS["Telefon"]} | {c: CHANNELS[c] for c in rng.sample(list(CHANNELS)[1:], 3)}
    channels[""] = rng.randint(0, 5)  # cases without a channel
    slug = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    config = {
        "kommune": f"{name} Kommune", "funktion": "Borgerrådgiveren", "indbyggere": int(inhabitants),
        "periode_start_maaned": month, "henvendelsestyper": [ANDEN, KLAGE], "klagetype": KLAGE,
        "typer_i_tekst": {ANDEN: ["anden henvendelse", "andre henvendelser"], KLAGE: ["klage", "klager"]},
        "kanaler": [*filter(None, channels), DROP_IN], "udfald": list(METHOD_OF_OUTCOME),
        "aktiviteter": [EXTERNAL_TALK, INTERNAL_TALK, DROP_IN, OWN_INITIATIVE],
        "aaben_raadgivning": DROP_IN, "egen_drift": OWN_INITIATIVE,
        "metoder": list(dict.fromkeys([*METHOD_OF_OUTCOME.values(), MEETING, INVESTIGATION])), "resultater": RESULTS,
        "omraader": areas, "emner": emner, "sammenligning": {"temaer": mapping},
        "min_celle": rng.choice((0, 0, 3, 5)), "maal_sagsbehandlingstid_dage": rng.choice((20, 30, 45)),
    }
    specs = _years(rng, inhabitants, month, years, [len(c) for c in areas.values()], len(emner))
    # Its register holds every case of the years drawn: reportlib reports them whole (figures.coverage).
    config |= {"komplet_fra": specs[0].start, "komplet_til": specs[-1].end}
    municipality = Municipality(specs, slug[:3].upper(), channels, tuple(rng.uniform(1, 4) for _ in emner),
                                tuple(t for t in NOTE_TEMPLATES if "{cpr}" not in t), {})
    return Member(slug, config, municipality)


def _years(rng: random.Random, inhabitants: float, month: int, years: int, centres: list[int],
           categories: int) -> tuple[YearSpec, ...]:
    """The exact counts of each year: cases in proportion to the inhabitants, the mixes the municipality's own."""
    rate, share, extra = rng.uniform(15, 35), rng.uniform(0.3, 0.6), rng.uniform(0.2, 0.8)  # per 10,000; complaints
    area_weights = [rng.uniform(1, 4) for _ in centres]
    centre_weights = [[rng.uniform(1, 4) for _ in range(n)] for n in centres]
    category_weights = [rng.uniform(1, 4) for _ in range(categories)]
    drop_in = rng.random() < 0.5
    specs = []
    for year in range(LAST_START[month] - years + 1, LAST_START[month] + 1):
        start = dt.date(year, month, 1)
        end = dt.date(year + 1, month, 1) - dt.timedelta(days=1)
        total = max(10, round(inhabitants / 10_000 * rate * rng.uniform(0.85, 1.15)))
        complaints = min(total - 1, round(total * share * rng.uniform(0.9, 1.1)))
        primary = _split(total, [w * rng.uniform(0.8, 1.2) for w in area_weights])
        first_monday = start + dt.timedelta(days=-start.weekday() % 7, weeks=rng.randint(0, 20))
        specs.append(YearSpec(
            start=start, types=(total - complaints, complaints), primary_areas=primary,
            centre_rows=tuple(_split(n + round(n * extra), w) for n, w in zip(primary, centre_weights, strict=True)),
            complaint_categories=_split(complaints, [w * rng.uniform(0.8, 1.2) for w in category_weights]),
            meetings=(round((total - complaints) * 0.15), round(complaints * 0.05)),
            complaint_letters=round(complaints * 0.1),
            talks=(rng.randint(0, 3 + total // 20), rng.randint(0, 3 + total // 15)),
            drop_in=((first_monday, end - dt.timedelta(days=end.weekday())),) if drop_in else (),
            drop_in_citizens=(1, rng.randint(2, 6)), growth=rng.choice((1.0, 1.0, 1.3)),
            own_initiative=rng.randint(0, 3)))
    return tuple(specs)


def _split(total: int, weights: list[float]) -> tuple[int, ...]:
    """``total`` in whole parts in proportion to ``weights``: floors, then one more to the largest remainders."""
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(e) for e in exact]
    for i in sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])[: total - sum(parts)]:
        parts[i] += 1
    return tuple(parts)


def write_member(out: Path, member: Member, seed: int = SEED) -> Path:
    """Write the member's register folder, ``out/<slug>/``: kommune.yml (checked by reading it back) and its tables."""
    folder = out / member.slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kommune.yml").write_text(
        f"# {member.config['kommune']}: an invented municipality (scripts/make_example_register.py --network).\n"
        + yaml.safe_dump(member.config, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    register = ExampleRegister(f"{seed}-{member.slug}", member.municipality, load_kommune(folder))
    register.build()
    write_register(folder, register)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder to write into (default: data/raw; with --network, required)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--network", type=int, metavar="N", help="write N invented municipalities, OUT/<slug>/ each")
    parser.add_argument("--years", type=int, default=5, metavar="Y",
                        help="with --network: complete reporting years each, the last ending before 2026 (default 5)")
    args = parser.parse_args(argv)
    if args.network is not None:
        if args.out is None:
            parser.error("--network needs --out DIR")
        try:
            members = network(args.network, args.years, args.seed)
        except ValueError as exc:
            parser.error(str(exc))
        for member in members:
            write_member(args.out, member, args.seed)
            cases = "/".join(str(sum(spec.types)) for spec in member.municipality.years)
            print(f"{member.slug}: {member.config['kommune']}, {member.config['indbyggere']} inhabitants, years from "
                  f"month {member.config['periode_start_maaned']}, cases {cases}")
        print(f"wrote {len(members)} municipalities of {args.years} years to {args.out}")
        return
    out = args.out or ROOT / "data" / "raw"
    register = ExampleRegister(args.seed)
    register.build()
    write_register(out, register)
    _vouch_invented(out, ["sager.csv", "aktiviteter.csv"])
    print(f"wrote {len(register.cases)} cases, {len(register.problemstillinger)} problemstillinger, "
          f"{len(register.activities)} activities and {len(register.recommendations)} recommendation statuses "
          f"to {out}")


if __name__ == "__main__":
    main()
