"""The contract is declared once: a column added to the schema is read, validated, typed and templated."""

import dataclasses

import pytest

from conftest import SAGER
from reportlib import load_kommune, load_register, paths
from reportlib.exceptions import RegisterInvalid
from reportlib.register import schema
from reportlib.register.schema import SCHEMA, Column
from reportlib.register.workbook import GUIDE_SHEET, new_workbook
from reportlib.report import vocabulary

INTERPRETER = Column("tolk", "bool", guide="ja, hvis borgeren havde tolk med.")


@pytest.fixture
def with_interpreter(monkeypatch):
    """The contract with one more column of sager, before its free text, as a new column is declared."""
    sager = SCHEMA["sager"]
    columns = (*sager.read, INTERPRETER, *(c for c in sager.columns if c.kind == "free"))
    monkeypatch.setitem(SCHEMA, "sager", dataclasses.replace(sager, columns=columns))


def with_column(values: list[str]) -> str:
    header, *rows = SAGER.splitlines()
    return "\n".join([f"{header},tolk", *(f"{row},{value}" for row, value in zip(rows, values, strict=True))]) + "\n"


def test_a_new_column_is_read_and_typed(with_interpreter, make_register):
    register = load_register(make_register(sager=with_column(["ja", ""])))
    assert register.sager["tolk"].tolist() == [True, False]
    assert list(register.sager.columns)[-1] == "tolk"


def test_a_new_column_is_validated(with_interpreter, make_register):
    with pytest.raises(RegisterInvalid) as caught:
        load_register(make_register(sager=with_column(["ja", "måske"])))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.value) == (3, "tolk", "måske")


def test_a_new_column_is_in_the_workbook_template(with_interpreter, make_register):
    book = new_workbook(load_kommune(make_register()))
    header = [cell.value for cell in book["sager"][1]]
    assert header[-2:] == ["tolk", "note"]  # before the free text
    letter = chr(ord("A") + header.index("tolk"))
    rules = [rule for rule in book["sager"].data_validations.dataValidation if str(rule.sqref).startswith(letter)]
    assert [rule.type for rule in rules] == ["list"]  # ja/nej
    assert ["sager", "tolk", "nej", INTERPRETER.guide] in [[c.value for c in row] for row in book[GUIDE_SHEET]]


def test_the_file_names_are_the_tables():
    assert tuple(SCHEMA) == paths.TABLE_NAMES


def test_the_reports_words_are_the_contracts():
    """What the report cannot count without a column: the contract's words, columns first."""
    words = schema.not_recorded()
    assert list(words) == ["sager.kanal", "sager.udfald", "sager.moede_deltaget", "sager.klagebistand", "aktiviteter"]
    assert vocabulary.not_recorded({"not_recorded": ["sager.kanal"], "methods": {}, "criticism": {}}) == [
        "sagernes kontaktform"]


def test_every_label_list_is_a_kommune_yml_list():
    listed = {c.labels for table in SCHEMA.values() for c in table.columns if c.labels}
    assert listed <= set(schema.LISTS)
    assert {c.drop_down for table in SCHEMA.values() for c in table.columns} - {None} <= set(schema.LISTS)
