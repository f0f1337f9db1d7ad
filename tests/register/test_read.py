"""Reading tables: dialects, encodings, spreadsheet line numbers, xlsx, and what is dropped at the door."""


from conftest import KOMMUNE_YML, PROBLEMSTILLINGER, SAGER, TODAY, problems_of, write_workbook
from reportlib import load_register
from reportlib.register.read import read_tables
from reportlib.register.schema import SCHEMA

CONTRACT = {name: [column.name for column in table.read] for name, table in SCHEMA.items()}


def test_empty_cells_beyond_the_header_are_ignored(make_register):
    register = load_register(make_register(sager=SAGER.replace(",,,,\n", ",,,,,,,\n")), today=TODAY)
    assert list(register.sager["sag_id"]) == ["S1", "S2"]


def test_a_column_named_twice(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("primaer\n", "primaer, Emne\n"))
    # Named as the header writes its second appearance (matched ignoring case and spaces).
    assert problems_of(folder) == [f"{folder}/problemstillinger.csv:1: column 'Emne': column appears twice in the "
                                   "header; keep one"]


def test_the_header_as_written_is_kept_for_messages(make_register):
    tables, _ = read_tables(make_register(sager=SAGER.replace("sag_id,modtaget", " Sag_ID ,MODTAGET")), CONTRACT)
    sager = tables["sager"]
    assert sager.header[:2] == (" Sag_ID ", "MODTAGET")
    assert (sager.position["sag_id"], sager.position["modtaget"], sager.position["klagebistand"]) == (0, 1, 7)


def test_header_is_matched_ignoring_case_and_spaces_and_extra_columns_are_ignored(make_register):
    sager = SAGER.replace("sag_id,modtaget", " SAG_ID ,Modtaget ").replace("note\n", "note,sagsbehandler\n")
    register = load_register(make_register(sager=sager), today=TODAY)
    assert list(register.sager["sag_id"]) == ["S1", "S2"]
    assert "sagsbehandler" not in register.sager.columns


def test_free_text_is_never_read_even_when_asked_for(make_register):
    columns = {"sager": ["sag_id", "note"], "aktiviteter": ["dato", "beskrivelse"]}
    tables, problems = read_tables(make_register(), columns)
    assert problems == []
    assert list(tables["sager"].frame.columns) == ["sag_id"]
    assert list(tables["aktiviteter"].frame.columns) == ["dato"]


def test_missing_file(make_register):
    folder = make_register(problemstillinger=None)
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv: file not found; the register needs problemstillinger.csv or a sheet "
        "'problemstillinger' in register.xlsx, with at least the columns sag_id, omraade, center, emne; a sheet of "
        "another name is given under ark in kommune.yml (ark: {problemstillinger: Mit ark}), and two tables may "
        "share one sheet"
    ]


def test_a_register_may_keep_no_activities_but_a_sheet_kommune_yml_names_must_be_there(make_register):
    assert "aktiviteter" in load_register(make_register(aktiviteter=None), today=TODAY).not_recorded
    folder = make_register(aktiviteter=None, kommune=KOMMUNE_YML + "ark:\n  aktiviteter: Aktiviteter 2022\n")
    [problem] = problems_of(folder)
    assert problem.startswith(f"{folder}/aktiviteter.csv: file not found; the register needs aktiviteter.csv or a "
                              "sheet 'Aktiviteter 2022' in register.xlsx, with at least the columns dato, aktivitet")


def test_a_missing_table_after_an_unreadable_kommune_yml_says_which_to_fix_first(make_register):
    folder = make_register(problemstillinger=None, kommune="kommune: [Testby\nfunktion: x\n")  # never closed
    found = problems_of(folder)
    assert any(problem.startswith(f"{folder}/kommune.yml:2: not valid YAML") for problem in found)
    assert found[-1].endswith("in register.xlsx, with at least the columns sag_id, omraade, center, emne; kommune.yml "
                             "could not be read, so its ark and kolonner were not applied: fix it first")


def test_completely_empty_file(make_register):
    folder = make_register(aktiviteter="")
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:1: the table is empty: the first line must be the header"]


def test_a_sheet_named_almost_as_kommune_yml_says_is_suggested(make_register):
    folder = make_register(problemstillinger=None, kommune=KOMMUNE_YML + "ark:\n  problemstillinger: Problemer 2022\n")
    write_workbook(folder / "register.xlsx", {"Problemer2022": [["sag_id", "omraade", "center", "emne"]]})
    [problem] = problems_of(folder)
    assert problem.startswith(f"{folder}/problemstillinger.csv: file not found; the register needs "
                              "problemstillinger.csv or a sheet 'Problemer 2022' in register.xlsx")
    assert problem.endswith("; did you mean the sheet 'Problemer2022'?")
