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
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reportlib.register.kommune import load_kommune  # noqa: E402

SEED = 20181101
REGISTER_END = dt.date(2021, 10, 31)
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


class ExampleRegister:
    """Builds the rows of all three tables, one reporting year at a time."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        # The optional parts' own stream: drawing them leaves every draw of the other columns as it was.
        self.parts_rng = random.Random(f"{seed}-optional-parts")
        self.kommune = load_kommune(ROOT / "data" / "raw")
        self.cases: list[dict] = []
        self.problems: list[dict] = []
        self.activities: list[dict] = []
        self.recommendations: list[dict] = []

    def build(self) -> None:
        for spec in YEARS:
            self._year(spec)
        self.cases.sort(key=lambda c: (c["modtaget"], c["sag_id"]))
        for spec in YEARS:
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
            category = complaint_category.pop() if kind == KLAGE else rng.choices(categories, weights=(3, 1, 4))[0]
            case = {
                "sag_id": f"BR-{spec.start.year}-{i:03d}",
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
        return self.rng.choices(["Telefon", "Skriftlig", "Personligt møde", ""], weights=(45, 35, 17, 3))[0]

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
        if closed > REGISTER_END:
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
        template = rng.choice(NOTE_TEMPLATES)
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
            self.problems.append({"sag_id": case["sag_id"], **row, "primaer": row.get("primaer", False)})

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
        investigated = {c["sag_id"] for c in rng.sample(candidates, round(spec.types[1] / 10))}
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
        end_of = {f"{spec.start.year}/{(spec.start.year + 1) % 100:02d}": spec.end for spec in YEARS}
        for year, texts in RECOMMENDATIONS.items():
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "raw", help="folder to write the CSV files into")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    register = ExampleRegister(args.seed)
    register.build()
    args.out.mkdir(parents=True, exist_ok=True)
    _write(args.out / "sager.csv", ["sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald",
                                    "moede_deltaget", "klagebistand", "metode", "resultat", "note"], register.cases)
    _write(args.out / "problemstillinger.csv", ["sag_id", "omraade", "center", "emne", "primaer"], register.problems)
    _write(args.out / "aktiviteter.csv", ["dato", "aktivitet", "antal_borgere", "omraade", "beskrivelse"],
           register.activities)
    _write(args.out / "anbefalinger.csv", ["periode", "nr", "anbefaling", "omraade", "status", "status_dato"],
           register.recommendations)
    _vouch_invented(args.out, ["sager.csv", "aktiviteter.csv"])
    print(f"wrote {len(register.cases)} cases, {len(register.problems)} problems, "
          f"{len(register.activities)} activities and {len(register.recommendations)} recommendation statuses "
          f"to {args.out}")


if __name__ == "__main__":
    main()
