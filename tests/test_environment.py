"""Environment variables scoped to a block: set or cleared inside, each as it was after, whatever happens."""

import os

import pytest

from reportlib import environment


def test_variables_are_set_and_cleared_inside_and_put_back_after(monkeypatch):
    monkeypatch.setenv("REPORTLIB_TEST_A", "before")
    monkeypatch.delenv("REPORTLIB_TEST_B", raising=False)
    monkeypatch.setenv("REPORTLIB_TEST_C", "kept")
    with environment.scoped({"REPORTLIB_TEST_A": None, "REPORTLIB_TEST_B": "inside"}):
        assert "REPORTLIB_TEST_A" not in os.environ
        assert os.environ["REPORTLIB_TEST_B"] == "inside"
        assert os.environ["REPORTLIB_TEST_C"] == "kept"
    assert os.environ["REPORTLIB_TEST_A"] == "before"
    assert "REPORTLIB_TEST_B" not in os.environ
    assert os.environ["REPORTLIB_TEST_C"] == "kept"


def test_an_error_inside_puts_them_back_too(monkeypatch):
    monkeypatch.setenv("REPORTLIB_TEST_A", "before")
    with pytest.raises(RuntimeError), environment.scoped({"REPORTLIB_TEST_A": "inside"}):
        raise RuntimeError
    assert os.environ["REPORTLIB_TEST_A"] == "before"


def test_a_change_made_inside_to_a_scoped_variable_is_undone(monkeypatch):
    monkeypatch.delenv("REPORTLIB_TEST_A", raising=False)
    with environment.scoped({"REPORTLIB_TEST_A": "inside"}):
        os.environ["REPORTLIB_TEST_A"] = "changed by a library"
    assert "REPORTLIB_TEST_A" not in os.environ
