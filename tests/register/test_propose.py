"""`reportlib init --from`: a municipality's own one-sheet export to a register that validates, counted by hand."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from conftest import FIXTURES
from reportlib import load_kommune, load_register
from reportlib.cli import main
from reportlib.register.propose import Labels, propose
from reportlib.register.propose import _labels as propose_labels

D = dt.datetime
HEADER = ["Sagsnr.", "Modtaget", "Afsluttet", "Henvendelsestype", "Forvaltning", "Afdeling", "Emne", "Kanal",
          "Udfald", "Bemærkning", "Sagsbehandler"]
# A calendar-year municipality's 2025, as kept by hand: spellings that differ in case, a trailing space and
# one letter (Jobcentret), a date typed as text, an open case, an empty row, notes and a caseworker's name.
ROWS = [
    ["S-1", D(2025, 1, 6), D(2025, 1, 20), "Klage", "Social og Sundhed", "Jobcenter", "Sagsbehandlingstid", "Telefon",
     "Vejledt", "ring tilbage 12345678", "Anne Andersen"],
    ["S-2", D(2025, 1, 15), D(2025, 2, 1), "Anden henvendelse", "Social og Sundhed", "Jobcentret", "Manglende svar",
     "Mail", "Løst", None, "Anne Andersen"],
    ["S-3", "03-02-2025", None, "klage", "Børn og Unge", "Skoler", "Partshøring", "mail", None, None, "Bo Berg"],
    ["S-4", D(2025, 3, 10), D(2025, 3, 12), "Klage ", "Teknik og Miljø", "Byggesag", "Sagsbehandlingstid", "Telefon",
     "Vejledt", None, None],
    [None] * 11,
    ["S-5", D(2025, 4, 1), D(2025, 4, 30), "Anden henvendelse", "Social og Sundhed", "Ydelser", "Vejledning",
     "Telefon", "Henvist", None, None],
    ["S-6", D(2025, 5, 5), D(2025, 5, 6), "Klage", "Børn og Unge", "Familie", "Manglende svar", "Personligt møde",
     "Løst", None, None],
    ["S-7", D(2025, 6, 2), D(2025, 6, 20), "Klage", "Social og Sundhed", "Jobcenter", "Sagsbehandlingstid", "Telefon",
     "Løst", None, None],
    ["S-8", D(2025, 9, 1), D(2025, 9, 15), "Anden henvendelse", "Teknik og Miljø", "Byggesag", "Vejledning", "mail",
     "Vejledt", None, None],
]


@pytest.fixture
def export(tmp_path):
    book = Workbook()
    book.active.title = "Sager 2025"
    for row in [HEADER, *ROWS]:
        book.active.append(row)
    book.create_sheet("Ark2")  # an empty sheet beside it
    path = tmp_path / "sager-2025.xlsx"
    book.save(path)
    return path


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_the_proposal_reads_headers_labels_and_areas_off_the_sheet(export):
    found = propose(export)
    assert (found.sheet, found.rows) == ("Sager 2025", 8)  # the empty row is no case
    assert found.columns == {"sag_id": "Sagsnr.", "modtaget": "Modtaget", "afsluttet": "Afsluttet",
                             "henvendelsestype": "Henvendelsestype", "kanal": "Kanal", "udfald": "Udfald",
                             "omraade": "Forvaltning", "center": "Afdeling", "emne": "Emne", "note": "Bemærkning"}
    assert found.unread == ["Sagsbehandler"]
    # Klage: S-1, S-4 ("Klage "), S-6, S-7 and S-3 ("klage"); the most common spelling is kept.
    assert found.labels["henvendelsestype"].counts == {"Klage": 5, "Anden henvendelse": 3}
    assert found.complaint_type == "Klage"
    assert found.labels["kanal"].counts == {"Telefon": 4, "mail": 3, "Personligt møde": 1}
    assert found.labels["center"].synonyms == {"Jobcenter": ["Jobcentret"]}  # one letter apart: proposed
    assert found.areas == {"Social og Sundhed": ["Jobcenter", "Jobcentret", "Ydelser"],
                           "Børn og Unge": ["Skoler", "Familie"], "Teknik og Miljø": ["Byggesag"]}


def test_init_from_the_export_gives_a_register_that_validates_and_counts_as_the_sheet_does(export, tmp_path):
    before = export.read_bytes()
    folder = tmp_path / "nyby"
    result = invoke("init", str(folder), "--kommune", "Nyby Kommune", "--start-maaned", "1", "--indbyggere", "48000",
                    "--from", str(export))
    assert result.exit_code == 0, result.output
    assert export.read_bytes() == before and (folder / "register.xlsx").read_bytes() == before  # copied, unchanged
    assert "Registret er gyldigt: 8 sager." in result.output
    assert "Bemærkning               -> note  (fritekst: læses aldrig)" in result.output
    assert "er 'Jobcentret' (1) det samme som 'Jobcenter' (2)?" in result.output
    kommune = load_kommune(folder)
    assert (kommune.min_celle, kommune.periode_start_maaned, kommune.klagetype) == (3, 1, "Klage")
    assert "# 5 i regnearket" in (folder / "kommune.yml").read_text(encoding="utf-8")
    # The scaffold of 2025 carries its key figures as far as the export holds the year (January to September).
    scaffold = " ".join((folder / "beretning_2025-01-01_2025-12-31.md").read_text(encoding="utf-8").split())
    assert "Periodens nøgletal så langt registret er ført, fra 1. januar 2025 til 30. september 2025" in scaffold
    assert scaffold.startswith("<!-- Beretning fra Borgerrådgiveren, Nyby Kommune, 2025: 1. januar 2025")
    assert "Sager i alt: 8" in scaffold and "Heraf klager: 5" in scaffold

    validated = invoke("validate", "--data", str(folder))
    assert validated.exit_code == 0, validated.output
    assert f"ulæste kolonner    {folder}/register.xlsx[Sager 2025]: Sagsbehandler (læses ikke)" in validated.output
    # Counted by hand from ROWS: 8 cases, 5 complaints; areas 4/2/2; S-3 is still open at the end of 2025.
    figures = json.loads(invoke("figures", "--period", "2025", "--foreloebig", "--data", str(folder),
                                "--min-celle", "0").stdout)
    assert (figures["key_figures"]["cases_total"], figures["key_figures"]["complaints"]) == (8, 5)
    assert [(row["label"], row["count"], row["pct"]) for row in figures["areas"]] == [
        ("Social og Sundhed", 4, 50), ("Børn og Unge", 2, 25), ("Teknik og Miljø", 2, 25)]
    assert [(row["label"], row["count"]) for row in figures["centres"]["Social og Sundhed"]] == [
        ("Jobcenter", 2), ("Jobcentret", 1), ("Ydelser", 1)]  # S-2's Jobcentret is proposed, not merged
    assert [(row["label"], row["count"]) for row in figures["channels"]] == [
        ("Telefon", 4), ("mail", 3), ("Personligt møde", 1)]
    assert figures["open_at_end"] == 1 and figures["activities"] is None  # the export keeps no activities
    # As published: kommune.yml's min_celle 3 hides the areas of two cases.
    published = json.loads(invoke("figures", "--period", "2025", "--foreloebig", "--data", str(folder)).stdout)
    assert [row["count"] for row in published["areas"]] == [4, None, None]


def test_an_export_without_a_column_the_register_needs_is_refused_and_nothing_is_written(tmp_path):
    book = Workbook()
    book.active.append(["Sagsnr.", "Dato", "Type"])
    book.active.append(["S-1", D(2025, 1, 6), "Klage"])
    path = tmp_path / "kort.xlsx"
    book.save(path)
    result = invoke("init", str(tmp_path / "nyby"), "--kommune", "Nyby Kommune", "--from", str(path))
    assert result.exit_code == 2
    assert ("ingen kolonne fundet til omraade, center, emne blandt overskrifterne i linje 1 (Sagsnr., Dato, Type); "
            "giv i eksporten hver af de kolonner et af de navne, init kender (omraade: 'omraade', 'område', "
            "'forvaltning'; center: 'center', 'afdeling', 'enhed'; emne: 'emne', 'problemstilling', 'tema')"
            ) in result.stderr
    assert "docs/register.md" not in result.stderr
    assert not (tmp_path / "nyby").exists()


def test_template_after_init_from_adds_the_missing_sheets_and_lists_around_the_users_sheet(export, tmp_path):
    folder = tmp_path / "nyby"
    assert invoke("init", str(folder), "--kommune", "Nyby Kommune", "--start-maaned", "1", "--from",
                  str(export)).exit_code == 0
    refreshed = invoke("template", "--data", str(folder))
    assert refreshed.exit_code == 0, refreshed.output
    assert "alle 8 rækker og alt andet er bevaret" in refreshed.output  # the sheet's rows, counted once
    from openpyxl import load_workbook

    book = load_workbook(folder / "register.xlsx")
    assert book.sheetnames[0] == "Sager 2025" and "aktiviteter" in book.sheetnames
    assert [cell.value for cell in book["Sager 2025"][1]][:11] == HEADER  # the user's columns as they were
    assert [row[0].value for row in book["Sager 2025"].iter_rows(min_row=2) if row[0].value] == [
        f"S-{n}" for n in range(1, 9)]
    assert invoke("validate", "--data", str(folder)).exit_code == 0
    # The columns and the sheet template added are empty: unknown until filled in, never a false zero.
    figures = json.loads(invoke("figures", "--period", "2025", "--foreloebig", "--data", str(folder)).stdout)
    assert figures["key_figures"]["meetings_attended"] is None and figures["activities"] is None
    assert {"sager.moede_deltaget", "sager.klagebistand", "aktiviteter"} <= set(figures["not_recorded"])


def test_a_csv_export_from_danish_excel_is_read_and_copied_as_both_tables(tmp_path):
    # Excel's "CSV (semikolonsepareret)": Windows-1252, semicolons, dates as the user typed them.
    lines = ["Sagsnr.;Modtaget;Henvendelsestype;Område;Afdeling;Emne;Bemærkning",
             "1;06-01-2025;Klage;Social;Jobcenter;Svartid;Ring til Åse",
             "2;15-01-2025;Vejledning;Social;Ydelser;Svartid;",
             "3;03-02-2025;klage;Teknik;Byggesag;Partshøring;"]
    export = tmp_path / "sager.csv"
    export.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    folder = tmp_path / "nyby"
    result = invoke("init", str(folder), "--kommune", "Nyby Kommune", "--start-maaned", "1", "--from", str(export))
    assert result.exit_code == 0, result.output
    assert "Fra sager.csv (3 rækker):" in result.output and "Registret er gyldigt: 3 sager." in result.output
    assert (folder / "sager.csv").read_bytes() == export.read_bytes() == (folder / "problemstillinger.csv").read_bytes()
    assert "ark:" not in (folder / "kommune.yml").read_text(encoding="utf-8")
    validated = invoke("validate", "--data", str(folder)).output
    assert "ulæste kolonner" not in validated  # Bemærkning is the notes; the two copies read every other column
    figures = json.loads(invoke("figures", "--period", "2025", "--foreloebig", "--data", str(folder),
                                "--min-celle", "0").stdout)
    assert (figures["key_figures"]["cases_total"], figures["key_figures"]["complaints"]) == (3, 2)
    assert [(row["label"], row["count"]) for row in figures["areas"]] == [("Social", 2), ("Teknik", 1)]


def test_a_column_the_register_reads_by_its_own_name_is_read_by_init_too(tmp_path):
    # Resultat is the contract's own name: validate reads it, so init maps it and lists its results.
    book = Workbook()
    book.active.append([*HEADER[:9], "Resultat"])
    for row, result in zip(ROWS[:4], ["Kritik", "Ingen kritik", "Ingen kritik", "Afvist"], strict=True):
        book.active.append([*row[:9], result])
    path = tmp_path / "med-resultat.xlsx"
    book.save(path)
    result = invoke("init", str(tmp_path / "nyby"), "--kommune", "Nyby Kommune", "--from", str(path))
    assert result.exit_code == 0, result.output
    assert "læses ikke" not in result.output and "Resultat                 -> resultat" in result.output
    assert "Registret er gyldigt: 4 sager" in result.output
    assert load_kommune(tmp_path / "nyby").resultater == {
        "Ingen kritik": "ingen kritik", "Kritik": "kritik", "Afvist": "ikke undersøgt"}


def test_a_messy_export_reads_as_validate_reads_it(tmp_path):
    # tests/fixtures/eksport: a title and a blank row above the header, 20 cases over 2024-2025 with dates typed
    # in the Danish ways, a totals line and a note at the foot, ;-separated Windows-1252.
    result = invoke("init", str(tmp_path / "nyby"), "--kommune", "Nyby Kommune",
                    "--from", str(FIXTURES / "eksport" / "sagsoversigt.csv"))
    assert result.exit_code == 0, result.output
    assert "Fra sagsoversigt.csv (20 rækker):" in result.output
    assert ("rækker, der ikke er sager (titel, sum eller note), læses ikke: linje 1 »Borgerrådgivningen – "
            "sagsoversigt 2024-2025«; linje 24 »20 sager«; linje 25 »Udtrukket af sagssystemet 5. januar 2026«"
            ) in result.output
    assert "Registret er gyldigt: 20 sager." in result.output
    register = load_register(tmp_path / "nyby")
    assert register.sager["modtaget"].dt.strftime("%Y-%m-%d").tolist()[:5] == [
        "2024-01-08", "2024-02-03", "2024-03-03", "2024-04-17", "2024-05-02"]
    assert register.left_out == {str(tmp_path / "nyby" / "sager.csv"): [
        (1, "Borgerrådgivningen – sagsoversigt 2024-2025"), (24, "20 sager"),
        (25, "Udtrukket af sagssystemet 5. januar 2026")]}


def test_proposed_spellings_are_commented_out_until_the_user_accepts_them(tmp_path):
    folder = tmp_path / "nyby"
    result = invoke("init", str(folder), "--kommune", "Nyby Kommune", "--from",
                    str(FIXTURES / "eksport" / "sagsoversigt.csv"))
    assert "er 'Familieafd.' (1) det samme som 'Familieafdelingen' (3)?" in result.output
    assert "er 'Klagevejledning' (2) det samme som 'Vejledning' (4)?" in result.output
    text = (folder / "kommune.yml").read_text(encoding="utf-8")
    assert "    - Jobcentret  # 1 i regnearket; forslag: det samme som Jobcenter (se synonymer nederst)\n" in text
    assert "\n# synonymer:\n#   Jobcenter:  # 5 i regnearket\n#     - Jobcentret  # 1 i regnearket\n" in text
    assert load_kommune(folder).synonymer == {}  # nothing merged until accepted
    # Accepting the centres' proposals as the comments say: remove the # before their lines, drop the list's lines.
    accepted = text.replace("# synonymer:", "synonymer:").replace("#   Jobcenter:", "  Jobcenter:").replace(
        "#     - Jobcentret", "    - Jobcentret").replace("#   Familieafdelingen:", "  Familieafdelingen:").replace(
        "#     - Familieafd.", "    - Familieafd.")
    accepted = "\n".join(line for line in accepted.splitlines() if "forslag: det samme som Jobcenter" not in line
                         and "forslag: det samme som Familieafdelingen" not in line)
    (folder / "kommune.yml").write_text(accepted + "\n", encoding="utf-8")
    # Counted by hand from the fixture: Social og Sundhed's 2025 cases are B-10, B-13, B-15, B-17 and B-19.
    figures = json.loads(invoke("figures", "--period", "2025", "--data", str(folder), "--min-celle", "0").stdout)
    assert [(row["label"], row["count"]) for row in figures["centres"]["Social og Sundhed"]] == [
        ("Jobcenter", 3), ("Ydelser", 2)]
    assert [(row["label"], row["count"]) for row in figures["centres"]["Børn og Unge"]] == [
        ("Familieafdelingen", 2), ("Skoler", 2)]


def test_categories_are_proposed_from_the_topics_names(export):
    found = propose(export)
    assert found.categories == {"God forvaltningsskik/Forvaltningsloven": [
        "Sagsbehandlingstid", "Manglende svar", "Vejledning", "Partshøring"]}  # all four national themes, by count
    found.labels["emne"] = Labels(counts={"Partshøring": 2, "Byggetilladelse": 1, "aktindsigt": 1})
    assert found.categories == {"God forvaltningsskik/Forvaltningsloven": ["Partshøring", "aktindsigt"],
                                "Øvrige": ["Byggetilladelse"]}


@pytest.mark.parametrize("label,other,alike", [
    ("Jobcenter", "Jobcentret", True), ("Familieafdelingen", "Familieafd.", True),
    ("Beskæftigelse", "Beskæftigelsesforvaltningen", True), ("Skoler", "Social og Sundhed", False),
    ("Vej", "Vejledning", False),  # too short a start to say
])
def test_near_spellings_are_proposed_for_the_more_common_label(label, other, alike):
    labels = propose_labels([label, label, label, other])
    assert labels.counts == {label: 3, other: 1}  # each a label of its own until the user accepts
    assert labels.synonyms == ({label: [other]} if alike else {})
