"""`reportlib narrative`: the period's scaffold, last year's recommendations carried over, never overwriting."""

import re

import pytest
from click.testing import CliRunner

from reportlib.cli import main
from reportlib.exceptions import NarrativeExists
from reportlib.report.narrative import CHAPTERS, FOLLOW_UP, read_narrative, recommendations

LAST_YEAR = "beretning_2017-11-01_2018-10-31.md"
THIS_YEAR = "beretning_2018-11-01_2019-10-31.md"


def narrative(folder, period="2018/19"):
    return CliRunner().invoke(main, ["narrative", "--period", period, "--data", str(folder)])


def test_the_scaffold_has_every_chapter_with_guidance_that_is_never_published(make_register):
    folder = make_register()
    result = narrative(folder)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{folder / THIS_YEAR}: written; fill in the chapters (the comments are guidance and " \
                            "are never published)\n"
    text = (folder / THIS_YEAR).read_text(encoding="utf-8")
    assert re.findall(r"^# (.+)$", text, re.M) == list(CHAPTERS)
    assert re.findall(r"^## (.+)$", text, re.M) == [FOLLOW_UP]
    # Guidance is in comments: what the report would show of an untouched scaffold is the headings alone.
    chapters = read_narrative(folder / THIS_YEAR).chapters
    assert [(c.heading, c.html) for c in chapters if c.heading != "Anbefalinger"] == [
        (name, "") for name in CHAPTERS if name != "Anbefalinger"]
    assert read_narrative(folder / THIS_YEAR).chapter("Anbefalinger").html == f"<h3>{FOLLOW_UP}</h3>"


def test_the_key_figures_are_in_a_comment_so_the_text_can_agree_with_them(make_register):
    folder = make_register()
    narrative(folder)
    header = (folder / THIS_YEAR).read_text(encoding="utf-8").split("-->", 1)[0].replace("\u00a0", " ")
    # The hand-made register of conftest: S1 (Klage, meeting) and S2 in 2018/19, 3 problem rows,
    # one drop-in with 3 citizens; nothing the year before.
    assert "Beretning fra Borgerrådgiveren, Testby Kommune, 2018/19: 1. november 2018 – 31. oktober 2019." in header
    for line in ("Sager i alt: 2", "Heraf klager: 1", "Problemstillinger: 3",
                 "Møder med forvaltningen, hvor borgerrådgiveren deltog: 1", "Åben rådgivning, antal borgere: 3",
                 "Social: 1 sag (50 %)", "Teknik: 1 sag (50 %)", "Åbne sager ved periodens slutning: 1",
                 "Sager pr. måned: 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0"):
        assert f"  {line}\n" in header
    assert "2017/18:" not in header  # nothing the year before to compare with


def test_last_years_recommendations_are_carried_into_the_follow_up(make_register):
    folder = make_register()
    (folder / LAST_YEAR).write_text(
        "# Anbefalinger\n\n## Opfølgning på sidste års anbefalinger\n\n### Gammel sag\n\nFulgt.\n\n"
        "## Nye anbefalinger\n\n### Svar inden for fristen\n\nTekst.\n\n### Én indgang\n\nTekst.\n\n"
        "# Kontakt\n\n## Ikke en anbefaling\n", encoding="utf-8")
    narrative(folder)
    text = (folder / THIS_YEAR).read_text(encoding="utf-8")
    follow_up = text.split(f"## {FOLLOW_UP}", 1)[1].split("# Sagseksempler", 1)[0]
    assert re.findall(r"^- \*\*(.+?)\*\*:", follow_up, re.M) == ["Svar inden for fristen", "Én indgang"]
    assert LAST_YEAR in follow_up


@pytest.mark.parametrize("chapter,expected", [
    ("## Svar hurtigere\nTekst.\n## Én indgang\n", ["Svar hurtigere", "Én indgang"]),
    ("- **Svar hurtigere.** Fordi.\n- Én indgang\n  - et underpunkt\n", ["Svar hurtigere. Fordi.", "Én indgang"]),
    ("## Opfølgning på sidste års anbefalinger\n- Gammel\n## Ny\n", ["Ny"]),
    ("Ingen anbefalinger i år.\n", []),
    # The advisor's own numbers go (the report's list numbers them); a year is no number of the advisor's.
    ("## 1. Svar hurtigere\n## 2) Én indgang\n## 3.1 Klar tale\n## 2019 i tal\n",
     ["Svar hurtigere", "Én indgang", "Klar tale", "2019 i tal"]),
])
def test_recommendations_are_leaf_subheadings_or_else_list_items(tmp_path, chapter, expected):
    path = tmp_path / "b.md"
    path.write_text(f"# Anbefalinger\n{chapter}# Kontakt\n- ikke en anbefaling\n", encoding="utf-8")
    assert recommendations(read_narrative(path)) == expected


def test_an_existing_narrative_is_never_overwritten(make_register):
    folder = make_register()
    (folder / THIS_YEAR).write_text("# Forord\nMin tekst.\n", encoding="utf-8")
    result = narrative(folder)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {folder / THIS_YEAR}: the narrative exists already and was left untouched; "
                             "edit it, or move it away to write a new scaffold\n")
    assert (folder / THIS_YEAR).read_text(encoding="utf-8") == "# Forord\nMin tekst.\n"


def test_an_invalid_register_writes_no_scaffold(make_register):
    folder = make_register(sager="sag_id,modtaget,henvendelsestype\nS1,2019-13-01,Klage\n")
    result = narrative(folder)
    assert result.exit_code == 2 and "sager.csv:2: column 'modtaget'" in result.stderr
    assert not (folder / THIS_YEAR).exists()


def test_a_register_folder_that_cannot_be_written_is_exit_1_and_leaves_no_file(make_register, monkeypatch):
    import os

    folder = make_register()
    before = sorted(p.name for p in folder.iterdir())
    real_open = os.open

    def read_only(path, flags, *args):
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)  # the tests run as root, for whom chmod does not stop a write
    result = CliRunner().invoke(main, ["narrative", "--period", "2018/19", "--data", str(folder)])
    assert result.exit_code == 1 and "cannot be written (Permission denied)" in result.stderr
    assert "Traceback" not in result.output and sorted(p.name for p in folder.iterdir()) == before


def test_a_new_register_gets_the_scaffolds_of_the_year_completed_and_the_year_under_way(make_register):
    import datetime as dt

    from reportlib import load_kommune
    from reportlib.report.scaffold import write_first_scaffolds

    folder = make_register()  # Testby: the year starts in November
    kommune = load_kommune(folder).model_copy(update={"periode_start_maaned": 1})
    written = write_first_scaffolds(kommune, folder, today=dt.date(2026, 3, 15))
    assert [p.name for p in written] == ["beretning_2025-01-01_2025-12-31.md", "beretning_2026-01-01_2026-12-31.md"]
    (folder / "beretning_2028-01-01_2028-12-31.md").write_text("# Forord\nMin tekst.\n", encoding="utf-8")
    with pytest.raises(NarrativeExists):
        write_first_scaffolds(kommune, folder, today=dt.date(2028, 2, 1))  # 2028 exists: the advisor's
    assert not (folder / "beretning_2027-01-01_2027-12-31.md").exists()  # the fault leaves neither
    assert (folder / "beretning_2028-01-01_2028-12-31.md").read_text(encoding="utf-8") == "# Forord\nMin tekst.\n"


def test_a_word_scaffold_replaces_a_markdown_scaffold_nobody_has_written_in(make_register):
    folder = make_register()
    assert narrative(folder).exit_code == 0
    result = CliRunner().invoke(main, ["narrative", "--period", "2018/19", "--data", str(folder), "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert f"{folder / THIS_YEAR}: removed, as nobody had written in it" in result.output
    assert not (folder / THIS_YEAR).exists() and (folder / THIS_YEAR.replace(".md", ".docx")).exists()


def test_a_markdown_scaffold_with_older_key_figures_is_untouched_too(make_register):
    folder = make_register()
    assert narrative(folder).exit_code == 0
    path = folder / THIS_YEAR
    text = path.read_text(encoding="utf-8")
    older = re.sub(r"Sager i alt: [0-9]+", "Sager i alt: 1", text)  # written when the register held less
    assert older != text
    path.write_text(older, encoding="utf-8")
    result = CliRunner().invoke(main, ["narrative", "--period", "2018/19", "--data", str(folder), "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert not path.exists()


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("# Forord\n", "# Forord\n\nMin tekst.\n"),  # the advisor's text
    lambda text: text.replace("-->", "Husk at ringe til forvaltningen.\n-->", 1),  # a note of theirs in the comment
])
def test_a_markdown_scaffold_someone_has_written_in_is_never_replaced(make_register, edit):
    folder = make_register()
    assert narrative(folder).exit_code == 0
    path = folder / THIS_YEAR
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["narrative", "--period", "2018/19", "--data", str(folder), "--format", "docx"])
    assert result.exit_code == 2 and "the narrative exists already and was left untouched" in result.stderr
    assert path.read_bytes() == before and not (folder / THIS_YEAR.replace(".md", ".docx")).exists()


def test_init_writes_the_scaffolds_in_word_when_asked(tmp_path):
    folder = tmp_path / "nyby"
    result = CliRunner().invoke(main, ["init", str(folder), "--kommune", "Nyby Kommune", "--narrative", "docx"])
    assert result.exit_code == 0, result.output
    narratives = sorted(p.name for p in folder.glob("beretning_*"))
    assert len(narratives) == 2 and all(name.endswith(".docx") for name in narratives)
    assert read_narrative(folder / narratives[0]).chapters  # a Word scaffold the report reads
