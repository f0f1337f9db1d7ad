"""The cache key of a run and whether a published report is current."""

import datetime as dt
import json

import pytest

from reportlib import cache
from reportlib.periods import Period

YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))


@pytest.fixture
def setup(make_register, tmp_path):
    notebook = tmp_path / "beretning.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    return make_register(), notebook


def plan_of(folder, report_notebook, tmp_path, **changes):
    options = {"data": folder, "out": tmp_path / "outputs", "formats": ("html", "pdf"), "min_celle": None,
               "notebook": report_notebook, **changes}
    return cache.plan(YEAR, **options)


def test_the_plan_names_the_target_and_hashes_every_input(setup, tmp_path):
    folder, notebook = setup
    run_plan = plan_of(folder, notebook, tmp_path)
    assert run_plan.target == tmp_path / "outputs" / "2018-11-01_2019-10-31"
    assert sorted(run_plan.inputs) == sorted(["kommune.yml", "aktiviteter.csv", "problemstillinger.csv", "sager.csv",
                                              str(notebook)])
    assert run_plan.inputs["sager.csv"] == cache.sha256(folder / "sager.csv")


@pytest.mark.parametrize("change", ["register", "kommune", "narrative", "notebook", "notebook_path", "min_celle",
                                    "formats"])
def test_the_key_changes_with_every_input_and_parameter(setup, tmp_path, change):
    folder, notebook = setup
    before = plan_of(folder, notebook, tmp_path).key
    options = {}
    if change == "register":
        (folder / "sager.csv").write_text((folder / "sager.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "kommune":
        (folder / "kommune.yml").write_text((folder / "kommune.yml").read_text(encoding="utf-8") + "min_celle: 3\n",
                                            encoding="utf-8")
    elif change == "narrative":
        (folder / "beretning_2018-11-01_2019-10-31.md").write_text("# Forord\n", encoding="utf-8")
    elif change == "notebook":
        notebook.write_text('{"cells": []}', encoding="utf-8")
    elif change == "notebook_path":  # an analyst's variant with, so far, the same content
        variant = tmp_path / "variant.ipynb"
        variant.write_bytes(notebook.read_bytes())
        options = {"notebook": variant}
    elif change == "min_celle":
        options = {"min_celle": 0}  # explicitly off is not the same parameter as "as kommune.yml"
    else:
        options = {"formats": ("html",)}
    assert plan_of(folder, notebook, tmp_path, **options).key != before


def test_the_key_ignores_the_order_of_formats_and_the_folder_name(setup, tmp_path):
    folder, notebook = setup
    key = plan_of(folder, notebook, tmp_path).key
    assert plan_of(folder, notebook, tmp_path, formats=("pdf", "html")).key == key
    moved = folder.rename(tmp_path / "elsewhere")
    assert plan_of(moved, notebook, tmp_path).key == key


def test_the_code_digest_follows_the_package_sources(tmp_path, monkeypatch):
    (tmp_path / "module.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE", tmp_path)
    before = cache.code_digest()
    (tmp_path / "module.py").write_text("x = 2\n", encoding="utf-8")
    assert cache.code_digest() != before


def test_a_report_is_current_only_with_the_same_key_and_unchanged_files(tmp_path):
    folder = tmp_path / "report"
    assert not cache.is_current(folder, "k")  # nothing published yet
    folder.mkdir()
    (folder / "beretning.html").write_text("<p>rapport</p>", encoding="utf-8")
    manifest = {"cache_key": "k", "outputs": {"beretning.html": cache.sha256(folder / "beretning.html")}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert cache.is_current(folder, "k")
    assert not cache.is_current(folder, "other")
    (folder / "beretning.html").write_text("<p>ændret</p>", encoding="utf-8")
    assert not cache.is_current(folder, "k")
    (folder / "beretning.html").unlink()
    assert not cache.is_current(folder, "k")
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    assert not cache.is_current(folder, "k")


@pytest.mark.parametrize(("text", "month"), [
    ("periode_start_maaned: 11", 11),
    ("periode_start_maaned: 011  # YAML 1.1 reads this as octal, as the full reading does", 9),
    ("kommune: X\nomraader:\n  periode_start_maaned: 3\nperiode_start_maaned: 1", 1),
])
def test_start_month_reads_the_one_key_as_kommune_yml_is_read(tmp_path, text, month):
    (tmp_path / "kommune.yml").write_text(text, encoding="utf-8")
    assert cache.start_month(tmp_path) == month


@pytest.mark.parametrize("text", [
    'periode_start_maaned: "11"', "periode_start_maaned: true", "periode_start_maaned: 13",
    "periode_start_maaned: [11]", "periode_start_maaned: 11\nperiode_start_maaned: 12", "kommune: X",
    "- periode_start_maaned: 11", "periode_start_maaned: 11\n  bad: [", "periode_start_maaned: !!int x",
])
def test_start_month_leaves_anything_else_to_the_full_reading(tmp_path, text):
    (tmp_path / "kommune.yml").write_text(text, encoding="utf-8")
    assert cache.start_month(tmp_path) is None
    assert cache.start_month(tmp_path / "missing") is None
