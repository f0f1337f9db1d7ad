"""A municipality's own export, read as it is: own headers, sheet names and spellings mapped in kommune.yml."""

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from conftest import FIXTURES, KOMMUNE_PARTS_YML, TODAY, problems_of
from reportlib.cli import main
from reportlib.register.validate import load_register

FJORDBY = FIXTURES / "fjordby"
MAPPING = """
kolonner:
  sager:
    sag_id: Sagsnr.
    modtaget: Dato modtaget
    afsluttet: Dato afsluttet
    henvendelsestype: Type af henvendelse
    kanal: Kontaktform
    udfald: Udfald af sagen
    moede_deltaget: Deltog i møde
    klagebistand: Hjælp til klage
  problemstillinger:
    sag_id: Sagsnr.
    omraade: Område
    center: Afdeling
    emne: Emne
    primaer: Vigtigste
  aktiviteter:
    dato: Dato
    aktivitet: Hvad
    antal_borgere: Antal borgere
ark:
  sager: Sager 2022
  problemstillinger: Problemstillinger 2022
  aktiviteter: Aktiviteter 2022
synonymer:
  Klage over sagsbehandling: [Klage, K]
  Ældreområdet: [Ældre]
  E-mail: [Mail]
"""
# The same cases as the contract-form fixture (tests/fixtures/fjordby), as a municipality's own
# workbook: own headers (with spaces and capitals), own sheet names, own spellings, Excel date cells,
# and columns of its own that hold names, phone numbers and a CPR number.
SAGER = [
    ["Sagsnr.", "Dato modtaget", "Dato afsluttet", "Type af henvendelse", "Kontaktform", "Udfald af sagen",
     "Deltog i møde", "Hjælp til klage", "Sagsbehandler", "Borgers telefon", "CPR"],
    ["F-01", dt.datetime(2022, 1, 3), dt.datetime(2022, 1, 17), "K", "Telefon", "Løst", "ja", "nej",
     "Åse Ørsted", "31 45 67 89", "010190-1234"],
    ["F-02", dt.datetime(2022, 2, 15), None, "vejledning", "mail", None, "nej", "nej", "Åse Ørsted", "", ""],
    ["F-03", dt.datetime(2022, 3, 7), dt.datetime(2022, 4, 8), "Erhvervshenvendelse", "Fremmøde", "Videresendt",
     "nej", "ja", "Kurt Bech", "", ""],
]
PROBLEMER = [
    ["Sagsnr.", "Område", "Afdeling", "Emne", "Vigtigste"],
    ["F-01", "Social og Ældre", "Ældre", "Sagsbehandlingstid", "nej"],
    ["F-01", "Teknik og Miljø", "Byggesag", "Partshøring", "ja"],
    ["F-02", "Social og Ældre", "Socialcenter", "Tone og adfærd", None],
    ["F-03", "Teknik og Miljø", "Affald og genbrug", "Tilgængelighed", "ja"],
]
AKTIVITETER = [
    ["Dato", "Hvad", "Antal borgere", "Sted"],
    [dt.datetime(2022, 1, 10), "Foredrag", None, "Ældrerådet"],
    [dt.datetime(2022, 1, 17), "Træffetid", 4, "Rådhuset"],
    [dt.datetime(2022, 1, 24), "Træffetid", 0, "Rådhuset"],
]
SECRETS = ("Åse Ørsted", "Kurt Bech", "31 45 67 89", "010190-1234")


TITLES = ("Sager 2022", "Problemstillinger 2022", "Aktiviteter 2022")


def export(folder, sheets=(SAGER, PROBLEMER, AKTIVITETER), mapping=MAPPING, titles=TITLES):
    folder.mkdir()
    (folder / "kommune.yml").write_text((FJORDBY / "kommune.yml").read_text(encoding="utf-8") + mapping,
                                        encoding="utf-8")
    book = Workbook()
    book.remove(book.active)
    for title, rows in zip(titles, sheets, strict=True):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(folder / "register.xlsx")
    return folder


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_an_own_export_gives_the_same_figures_as_the_contract_form(tmp_path):
    own = export(tmp_path / "own")
    validated = invoke("validate", "--data", str(own))
    assert validated.exit_code == 0, validated.output
    # The columns of its own are named once and never read.
    assert f"ignored columns    {own}/register.xlsx[Sager 2022]: Sagsbehandler, Borgers telefon, CPR (not read)" in (
        validated.stdout)
    assert f"{own}/register.xlsx[Aktiviteter 2022]: Sted (not read)" in validated.stdout
    contract = invoke("figures", "--period", "2022-01-01:2022-12-31", "--data", str(FJORDBY))
    mapped = invoke("figures", "--period", "2022-01-01:2022-12-31", "--data", str(own))
    assert contract.exit_code == mapped.exit_code == 0
    assert mapped.stdout == contract.stdout


def test_own_headers_and_sheet_names_match_whatever_their_case_and_surrounding_spaces(tmp_path):
    # kommune.yml maps "Dato modtaget" and "Sager 2022"; the workbook writes " DATO MODTAGET " and "SAGER 2022".
    sheets = tuple([[f" {header.upper()} " for header in rows[0]], *rows[1:]]
                   for rows in (SAGER, PROBLEMER, AKTIVITETER))
    own = export(tmp_path / "own", sheets=sheets, titles=tuple(title.upper() for title in TITLES))
    contract = invoke("figures", "--period", "2022-01-01:2022-12-31", "--data", str(FJORDBY))
    mapped = invoke("figures", "--period", "2022-01-01:2022-12-31", "--data", str(own))
    assert mapped.exit_code == 0, mapped.output
    assert mapped.stdout == contract.stdout


@pytest.mark.kernel
def test_the_columns_of_its_own_appear_in_no_output(tmp_path):
    own = export(tmp_path / "own")
    out = tmp_path / "out"
    result = invoke("run", "--period", "2022-01-01:2022-12-31", "--data", str(own), "--out", str(out),
                    "--format", "html")
    assert result.exit_code == 0, result.output
    for path in (out / "2022-01-01_2022-12-31").iterdir():
        text = path.read_text(encoding="utf-8")
        assert [secret for secret in SECRETS if secret in text] == [], path.name


def test_problems_name_the_registers_own_sheet_row_column_letter_and_header(tmp_path):
    sager = [row[:] for row in SAGER]
    sager[2][1] = "31-02-2022"  # no such date
    sager[3][3] = "Erhvervs-henvendelse"  # an unknown type
    own = export(tmp_path / "own", sheets=(sager, PROBLEMER, AKTIVITETER))
    found = problems_of(own)
    assert found == [
        f"{own}/register.xlsx[Sager 2022]:3 (B): column 'Dato modtaget': value '31-02-2022': no such date in the "
        "calendar; check day and month (day comes first)",
        f"{own}/register.xlsx[Sager 2022]:4 (D): column 'Type af henvendelse': value 'Erhvervs-henvendelse': "
        "unknown type; did you mean 'Erhvervshenvendelse'? allowed: 'Klage over sagsbehandling', 'Vejledning', "
        "'Erhvervshenvendelse'; add 'Erhvervs-henvendelse' to henvendelsestyper in kommune.yml, or under synonymer "
        "as another spelling of 'Erhvervshenvendelse'",
    ]


def test_a_missing_mapped_column_and_sheet_are_named_as_the_register_names_them(tmp_path):
    sager = [[cell for i, cell in enumerate(row) if i != 1] for row in SAGER]  # no "Dato modtaget"
    own = export(tmp_path / "own", sheets=(sager, PROBLEMER, AKTIVITETER),
                 mapping=MAPPING.replace("aktiviteter: Aktiviteter 2022", "aktiviteter: Aktiviteter"))
    found = problems_of(own)
    assert (f"{own}/register.xlsx[Sager 2022]:1: column 'Dato modtaget': required column is missing; the header "
            "has: Sagsnr., Dato afsluttet, Type af henvendelse, Kontaktform, Udfald af sagen, Deltog i møde, "
            "Hjælp til klage, Sagsbehandler, Borgers telefon, CPR") in found
    assert (f"{own}/aktiviteter.csv: file not found; the register needs aktiviteter.csv or a sheet 'Aktiviteter' "
            "in register.xlsx, with at least the columns dato, aktivitet; a sheet of another name is given under ark "
            "in kommune.yml (ark: {aktiviteter: Mit ark}), and two tables may share one sheet; did you mean the "
            "sheet 'Aktiviteter 2022'?") in found


@pytest.mark.parametrize("yml,line,message", [
    ("synonymer:\n  Klage over sagsbehandling: [Vejledning]\n", 2,
     "key 'synonymer.Klage over sagsbehandling.0': value 'Vejledning': is itself a label of 'henvendelsestyper'; "
     "a synonym must be another spelling"),
    ("synonymer:\n  Løst: [OK]\n  Afvist: [ok]\n", 3,
     "key 'synonymer.Afvist.0': value 'ok': is also a synonym of 'Løst'; a spelling can stand for one label only"),
    ("synonymer:\n  Ukendt: [x]\n", 2,
     "key 'synonymer.Ukendt': value 'Ukendt': not a label of any list in kommune.yml"),
    ("kolonner:\n  sagerne:\n    sag_id: Nr\n", 2,
     "key 'kolonner.sagerne': value 'sagerne': not a table of the register; the tables are sager, "
     "problemstillinger, aktiviteter"),
    ("kolonner:\n  sager:\n    sagsnummer: Nr\n", 3,
     "key 'kolonner.sager.sagsnummer': value 'sagsnummer': not a column of 'sager'; its columns are sag_id, "
     "modtaget, afsluttet, henvendelsestype, kanal, udfald, moede_deltaget, klagebistand, metode, resultat"),
    ("kolonner:\n  sager:\n    modtaget: Dato\n    afsluttet: dato\n", 4,
     "key 'kolonner.sager.afsluttet': value 'dato': the same header as 'modtaget'; each column needs its own"),
])
def test_mapping_mistakes_are_kommune_yml_problems_with_their_line(tmp_path, yml, line, message):
    folder = tmp_path / "register"
    shutil.copytree(FJORDBY, folder)
    text = (folder / "kommune.yml").read_text(encoding="utf-8")
    (folder / "kommune.yml").write_text(text + yml, encoding="utf-8")
    where = f"{folder}/kommune.yml:{len(text.splitlines()) + line}: "
    assert [p for p in problems_of(folder) if message in p] == [
        next(p for p in problems_of(folder) if p.startswith(where) and message in p)]


OWN_PARTS = """\
kolonner:
  sager:
    metode: Håndtering
    resultat: Resultat af sagen
  anbefalinger:
    nr: Nummer
    status: Status nu
synonymer:
  Delvis kritik: [Delvist]
"""


def test_the_optional_parts_are_mapped_like_the_rest(make_register):
    sager = ("sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand,Håndtering,"
             "Resultat af sagen\n"
             "S1,2019-01-10,2019-01-20,Klage,Telefon,Vejledt,ja,,Dialog,Delvist\n"
             "S2,2019-02-01,,Anden henvendelse,,,,,,\n")
    anbefalinger = ("periode,Nummer,anbefaling,Status nu,status_dato\n"
                    "2017/18,1,Svar inden for fristen,Ny,2018-10-31\n"
                    "2017/18,1,Svar inden for fristen,Glemt,2019-10-31\n")
    folder = make_register(kommune=KOMMUNE_PARTS_YML + OWN_PARTS, sager=sager, anbefalinger=anbefalinger)
    # The one problem is named by the register's own header.
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:3: column 'Status nu': value 'Glemt': unknown status; allowed: 'Ny', "
        "'Igangsat', 'Fulgt'; add 'Glemt' to anbefaling_status in kommune.yml, or under synonymer as another "
        "spelling of one of them"]
    (folder / "anbefalinger.csv").write_text(anbefalinger.replace("Glemt", "Fulgt"), encoding="utf-8")
    register = load_register(folder, today=TODAY)
    assert {"sager.metode", "sager.resultat", "anbefalinger"} <= register.parts
    assert register.sager["metode"].tolist()[0] == "Dialog"
    assert register.sager["resultat"].tolist()[0] == "Delvis kritik"  # the synonym read as its label
    assert register.anbefalinger["status"].tolist() == ["Ny", "Fulgt"]


ONE_SHEET = """\
kolonner:
  sager:
    sag_id: Sagsnr.
    modtaget: Modtaget
    henvendelsestype: Henvendelsestype
    note: Noter
  problemstillinger:
    sag_id: Sagsnr.
    omraade: Forvaltning
    center: Afdeling
    emne: Emne
  aktiviteter:
    dato: Dato
    aktivitet: Hvad
ark:
  sager: Sager
  problemstillinger: Sager
  aktiviteter: Aktiviteter
synonymer:
  Klage over sagsbehandling: [K]
  Ældreområdet: [Ældre]
"""


def test_one_sheet_holds_the_cases_and_their_problems_and_only_its_unread_columns_are_ignored(tmp_path):
    cases = [["Sagsnr.", "Modtaget", "Henvendelsestype", "Forvaltning", "Afdeling", "Emne", "Bemærkning", "Noter"],
             ["F-01", dt.datetime(2022, 1, 3), "K", "Social og Ældre", "Ældre", "Sagsbehandlingstid", "ring", "x"],
             ["F-02", dt.datetime(2022, 2, 15), "vejledning", "Teknik og Miljø", "Byggesag", "Partshøring", "", ""]]
    own = export(tmp_path / "own", sheets=(cases, [["Dato", "Hvad"]]), mapping=ONE_SHEET,
                 titles=("Sager", "Aktiviteter"))
    validated = invoke("validate", "--data", str(own))
    assert validated.exit_code == 0, validated.output
    # Before: "register.xlsx[Sager]: Modtaget, Henvendelsestype, Bemærkning (not read)", the case columns
    # counted as ignored because the problemstillinger read the same sheet. "Noter", mapped to the free-text column
    # note (refused before: "not a column of 'sager'"), is known as the notes and never read.
    assert f"ignored columns    {own}/register.xlsx[Sager]: Bemærkning (not read)" in validated.stdout
    assert "cases              2" in validated.stdout and "problemstillinger  2" in validated.stdout
    register = load_register(own)
    assert "note" not in register.sager.columns and "ring" not in register.sager.to_string()  # free text: unread
