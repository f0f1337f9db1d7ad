"""`reportlib init` and `reportlib template`: a new municipality from an empty folder to its first report."""

import datetime as dt
import re
import subprocess

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from reportlib import load_kommune
from reportlib.cli import main


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_init_writes_a_commented_kommune_yml_a_template_and_the_narratives_of_last_year_and_this(tmp_path):
    folder = tmp_path / "fjordby"
    result = invoke("init", str(folder), "--kommune", "Fjordby Kommune", "--start-maaned", "11",
                    "--indbyggere", "21000")
    assert result.exit_code == 0, result.output
    year = dt.date.today().year - (dt.date.today().month < 11)
    narrative = f"beretning_{year}-11-01_{year + 1}-10-31.md"
    # The year just completed is the first a new advisor reports on; the year under way comes next.
    last = f"beretning_{year - 1}-11-01_{year}-10-31.md"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["kommune.yml", "register.xlsx", last, narrative])
    kommune = load_kommune(folder)
    assert (kommune.kommune, kommune.periode_start_maaned, kommune.indbyggere) == ("Fjordby Kommune", 11, 21000)
    text = (folder / "kommune.yml").read_text(encoding="utf-8")
    assert text.startswith("# kommune.yml: Fjordby Kommunes taksonomi og indstillinger")  # Danish comments
    # An empty register has no key figures yet; the scaffold says when they come.
    scaffold = " ".join((folder / narrative).read_text(encoding="utf-8").split())
    assert "Her står periodens nøgletal, når registret har sager fra perioden og `reportlib validate` godkender det" \
        in scaffold and "Periodens nøgletal" not in scaffold


def test_the_optional_parts_are_commented_out_and_work_when_switched_on(tmp_path):
    folder = tmp_path / "fjordby"
    assert invoke("init", str(folder), "--kommune", "Fjordby Kommune").exit_code == 0
    assert load_kommune(folder).metoder == []  # off until the advisor switches them on
    text = (folder / "kommune.yml").read_text(encoding="utf-8")
    on = re.sub(r"^# ((metoder|resultater|egen_drift|anbefaling_status):.*|  .*)$", r"\1", text, flags=re.M)
    on = on.replace("  # - Undersøgelse af egen drift", "  - Undersøgelse af egen drift")
    (folder / "kommune.yml").write_text(on, encoding="utf-8")
    kommune = load_kommune(folder)
    assert (kommune.own_initiative_activity, kommune.anbefaling_status["Fulgt"]) == ("Undersøgelse af egen drift",
                                                                                      "fulgt")
    assert invoke("template", "--data", str(folder)).exit_code == 0
    assert "anbefalinger" in load_workbook(folder / "register.xlsx").sheetnames


def test_init_refuses_a_folder_that_holds_a_register(make_register):
    folder = make_register()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = invoke("init", str(folder), "--kommune", "Testby Kommune")
    assert result.exit_code == 2
    assert "indeholder allerede et register (kommune.yml); intet er skrevet" in result.stderr  # init speaks Danish
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.kernel
def test_three_cases_entered_in_the_template_give_a_valid_register_and_a_report(tmp_path):
    folder = tmp_path / "fjordby"
    assert invoke("init", str(folder), "--kommune", "Fjordby Kommune").exit_code == 0
    book = load_workbook(folder / "register.xlsx")
    for row in (["F1", dt.datetime(2025, 2, 3), dt.datetime(2025, 2, 20), "Klage", "Telefon",
                 "Løst i dialog med forvaltningen", "ja", "nej", "ringede om et brev"],
                ["F2", dt.datetime(2025, 3, 4), None, "Anden henvendelse", "Skriftlig", None, "nej", "nej", None],
                ["F3", dt.datetime(2025, 5, 6), dt.datetime(2025, 5, 7), "klage", "Personligt møde", "Vejledt", None,
                 "ja", None]):
        book["sager"].append(row)
    for row in (["F1", "Beskæftigelse og social", "Jobcenter", "Sagsbehandlingstid", "ja"],
                ["F2", "Børn, unge og familie", "Skoler", "Manglende svar", None],
                ["F3", "Teknik og miljø", "Opkrævning", "Hjemmel", None]):
        book["problemstillinger"].append(row)
    book["aktiviteter"].append([dt.datetime(2025, 4, 1), "Åben rådgivning", 4])
    book.save(folder / "register.xlsx")

    validated = invoke("validate", "--data", str(folder))
    assert validated.exit_code == 0, validated.output
    # The register init wrote speaks Danish (sprog: da), and so does every command on it.
    assert re.search(r"\n  sager\s+3\n", validated.stdout) and re.search(r"åbne sager\s+1\n", validated.stdout)
    # The register holds February to May so far: the year is refused, and reported as an interim report of those months.
    year = ["run", "--period", "2025-01-01:2025-12-31", "--data", str(folder), "--out", str(tmp_path / "out"),
            "--format", "html"]
    refused = invoke(*year)
    assert refused.exit_code == 2 and "komplet_til: 2025-12-31" in refused.stderr
    # The scaffold init wrote for 2025 is not written yet: a final report would publish empty headings.
    unwritten = invoke(*year, "--foreloebig")
    assert unwritten.exit_code == 2 and "kapitler har endnu ingen tekst: '# Forord'" in unwritten.stderr
    made = invoke(*year, "--foreloebig", "--udkast")
    assert made.exit_code == 0, made.output
    assert "kapitlet '# Forord' har endnu ingen tekst" in made.stderr  # a draft leaves each out, saying so
    page = (tmp_path / "out" / "2025-01-01_2025-12-31" / "beretning.html").read_text(encoding="utf-8")
    shown = page.replace("\u00a0", " ")
    assert "Fjordby Kommune" in page and "Heraf var én anden henvendelse og to klager." in shown
    assert "2025, foreløbig: opgjort 1. februar 2025 – 31. maj 2025" in shown
    assert "ringede om et brev" not in page

    refreshed = invoke("template", "--data", str(folder))
    assert refreshed.exit_code == 0 and "alle 7 rækker og alt andet er bevaret" in refreshed.stdout
    assert invoke("validate", "--data", str(folder)).exit_code == 0


def test_init_inside_a_git_work_tree_warns_and_names_a_safe_place(tmp_path):
    subprocess.run(["git", "-C", str(tmp_path), "init", "-q"], check=True)
    result = invoke("init", str(tmp_path / "data" / "raw" / "fjordby"), "--kommune", "Fjordby Kommune")
    assert result.exit_code == 0
    assert "ligger i git-arbejdsmappen" in result.stderr and "læg registret i data/private/" in result.stderr


def test_any_name_reads_back_exactly_from_kommune_yml(tmp_path):
    for number, name in enumerate(["Kommune: Fjordby", "#1 Kommune", "'Fjordby' \"Kommune\"", "- Fjordby", "ja"]):
        folder = tmp_path / str(number)
        assert invoke("init", str(folder), "--kommune", name).exit_code == 0
        assert load_kommune(folder).kommune == name


def test_a_name_on_several_lines_is_refused(tmp_path):
    result = invoke("init", str(tmp_path / "f"), "--kommune", "Fjordby\nKommune")
    assert result.exit_code == 2 and "skriv kommunens navn på én linje" in result.stderr
    assert not (tmp_path / "f").exists()


def test_a_folder_that_cannot_be_created_is_a_message_and_leaves_nothing(tmp_path):
    (tmp_path / "en-fil").write_text("x")
    result = invoke("init", str(tmp_path / "en-fil" / "fjordby"), "--kommune", "Fjordby Kommune")
    assert result.exit_code == 1 and "kan ikke skrives" in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en-fil"]


def test_a_failure_half_way_removes_what_init_wrote(tmp_path, monkeypatch):
    from reportlib.exceptions import RunFailed
    from reportlib.register import new as init_module

    def full_disk(*args, **kwargs):
        raise RunFailed("register.xlsx: cannot be written (No space left on device)")

    monkeypatch.setattr(init_module, "write_new_workbook", full_disk)
    result = invoke("init", str(tmp_path / "ny" / "fjordby"), "--kommune", "Fjordby Kommune")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []  # neither kommune.yml nor the folders it made


def test_a_fault_in_the_callers_file_removes_the_register_too(tmp_path):
    from reportlib.exceptions import RunFailed
    from reportlib.register.new import init_register

    def scaffold_fails(config):
        assert config.kommune == "Fjordby Kommune"  # handed the new kommune.yml, read back
        (tmp_path / "ny" / "beretning.md").write_text("half")
        raise RunFailed("beretning.md: cannot be written (No space left on device)")  # returns no paths

    with pytest.raises(RunFailed, match="No space left"):
        init_register(tmp_path / "ny", kommune="Fjordby Kommune", then=scaffold_fails)
    # kommune.yml and register.xlsx are gone; what the caller half-wrote is the caller's to clean up
    assert sorted(p.name for p in (tmp_path / "ny").iterdir()) == ["beretning.md"]


def test_a_new_register_hides_counts_of_one_and_two_and_says_why(tmp_path):
    assert invoke("init", str(tmp_path / "ny"), "--kommune", "Fjordby Kommune").exit_code == 0
    assert load_kommune(tmp_path / "ny").min_celle == 3
    text = (tmp_path / "ny" / "kommune.yml").read_text(encoding="utf-8")
    assert "3 skjuler 1 og 2; 0 slår det fra." in text
