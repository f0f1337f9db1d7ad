"""The cache key of a run and whether a published report is current."""

import datetime as dt
import json
import re

import pytest

from reportlib.exceptions import InputUnreadable
from reportlib.periods import Period
from reportlib.publish import freshness
from reportlib.report.edition import Edition

YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))


@pytest.fixture
def setup(make_register, tmp_path):
    notebook = tmp_path / "beretning.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    return make_register(), notebook


def plan_of(folder, report_notebook, tmp_path, **changes):
    options = {"data": folder, "out": tmp_path / "outputs", "formats": ("html", "pdf"), "min_celle": None,
               "notebook": report_notebook, **changes}
    return freshness.plan(YEAR, **options)


def test_the_plan_names_the_target_and_hashes_every_input(setup, tmp_path):
    folder, notebook = setup
    run_plan = plan_of(folder, notebook, tmp_path)
    assert run_plan.period == YEAR
    assert run_plan.target == tmp_path / "outputs" / "2018-11-01_2019-10-31"
    assert sorted(run_plan.inputs) == sorted(["kommune.yml", "aktiviteter.csv", "problemstillinger.csv", "sager.csv",
                                              str(notebook)])
    assert run_plan.inputs["sager.csv"] == freshness.sha256(folder / "sager.csv")


@pytest.mark.parametrize("change", ["register", "kommune", "narrative", "notebook", "notebook_path", "min_celle",
                                    "formats", "udkast", "dato", "moede", "logo"])
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
    elif change in ("udkast", "dato", "moede"):  # a draft never stands for the final report, nor one date for another
        options = {"udkast": {"udkast": True}, "dato": {"edition": Edition(dt.date(2019, 12, 2))},
                   "moede": {"edition": Edition(moede="Byrådets møde")}}[change]
    elif change == "logo":
        (folder / "kommune.yml").write_text((folder / "kommune.yml").read_text(encoding="utf-8") + "logo: logo.png\n",
                                            encoding="utf-8")
        (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n1")
        before = plan_of(folder, notebook, tmp_path).key
        (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n2")  # a new logo, the same kommune.yml
    else:
        options = {"formats": ("html",)}
    assert plan_of(folder, notebook, tmp_path, **options).key != before


def test_the_same_notebook_in_another_folder_gives_another_key(setup, tmp_path, monkeypatch):
    # A notebook runs in its own folder, so the same file elsewhere may read other files. Here both
    # copies are shown by the same name, beretning.ipynb: one in the project, one in the register folder.
    folder, notebook = setup
    monkeypatch.setattr(freshness, "CLONE", tmp_path)
    copy = folder / "beretning.ipynb"
    copy.write_bytes(notebook.read_bytes())
    in_project, in_register = plan_of(folder, notebook, tmp_path), plan_of(folder, notebook, tmp_path, notebook=copy)
    assert in_project.inputs == in_register.inputs  # the same names and digests...
    assert in_project.key != in_register.key  # ...but not the same run


def test_the_key_changes_with_reportlibs_own_code_and_version(setup, tmp_path, monkeypatch):
    folder, notebook = setup
    package = tmp_path / "reportlib"  # stands in for the installed package the digest reads
    package.mkdir()
    (package / "stats.py").write_text("SHARE = 100\n", encoding="utf-8")
    monkeypatch.setattr(freshness, "PACKAGE", package)
    before = plan_of(folder, notebook, tmp_path).key
    (package / "stats.py").write_text("SHARE = 1000\n", encoding="utf-8")  # a fix without a version bump
    fixed = plan_of(folder, notebook, tmp_path).key
    assert fixed != before
    monkeypatch.setattr(freshness, "__version__", "99.0")  # a release with the same files
    assert plan_of(folder, notebook, tmp_path).key != fixed


def test_the_key_does_not_depend_on_the_order_inputs_and_parameters_are_listed_in():
    inputs, parameters = {"sager.csv": "a1", "kommune.yml": "b2"}, {"period": "p", "min_celle": 3}
    reordered = freshness.cache_key(dict(reversed(inputs.items())), dict(reversed(parameters.items())))
    assert reordered == freshness.cache_key(inputs, parameters)


def test_the_key_ignores_the_order_of_formats_and_the_folder_name(setup, tmp_path):
    folder, notebook = setup
    key = plan_of(folder, notebook, tmp_path).key
    assert plan_of(folder, notebook, tmp_path, formats=("pdf", "html")).key == key
    moved = folder.rename(tmp_path / "elsewhere")
    assert plan_of(moved, notebook, tmp_path).key == key


def test_the_code_digest_follows_the_package_sources(tmp_path, monkeypatch):
    (tmp_path / "module.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(freshness, "PACKAGE", tmp_path)
    before = freshness.code_digest()
    (tmp_path / "module.py").write_text("x = 2\n", encoding="utf-8")
    changed = freshness.code_digest()
    assert changed != before
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "beretning.css").write_text("h1 { color: black }\n", encoding="utf-8")
    with_template = freshness.code_digest()
    assert with_template != changed  # templates and styles are code too
    # What Python or an editor leaves beside the sources is not code: the key must not change with it.
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\x00compiled")
    (tmp_path / "notes.txt").write_text("husk\n", encoding="utf-8")
    (tmp_path / "old.py").mkdir()  # a folder whose name looks like a module
    assert freshness.code_digest() == with_template


def test_a_plan_is_current_when_its_target_holds_a_report_made_with_its_key(setup, tmp_path):
    folder, notebook = setup
    run_plan = plan_of(folder, notebook, tmp_path)
    assert not run_plan.is_current()  # nothing published yet
    run_plan.target.mkdir(parents=True)
    (run_plan.target / "beretning.html").write_text("<p>rapport</p>", encoding="utf-8")
    manifest = {"cache_key": run_plan.key,
                "outputs": {"beretning.html": freshness.sha256(run_plan.target / "beretning.html")}}
    (run_plan.target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert run_plan.is_current()
    assert not plan_of(folder, notebook, tmp_path, min_celle=5).is_current()  # same folder, other key


def test_a_report_is_current_only_with_the_same_key_and_unchanged_files(tmp_path):
    folder = tmp_path / "report"
    assert not freshness.is_current(folder, "k")  # nothing published yet
    folder.mkdir()
    (folder / "beretning.html").write_text("<p>rapport</p>", encoding="utf-8")
    manifest = {"cache_key": "k", "outputs": {"beretning.html": freshness.sha256(folder / "beretning.html")}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert freshness.is_current(folder, "k")
    assert not freshness.is_current(folder, "other")
    (folder / "beretning.html").write_text("<p>ændret</p>", encoding="utf-8")
    assert not freshness.is_current(folder, "k")
    (folder / "beretning.html").unlink()
    assert not freshness.is_current(folder, "k")
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    assert not freshness.is_current(folder, "k")


@pytest.mark.parametrize("manifest", [[], "k", {"cache_key": "k"}, {"cache_key": "k", "outputs": {}},
                                      {"cache_key": "k", "outputs": []}, {"cache_key": "k", "outputs": {"a.html": 1}}])
def test_a_manifest_not_as_a_run_writes_it_means_not_current(tmp_path, manifest):
    # Valid JSON of the wrong shape once ended the run in a traceback; a manifest without outputs
    # was "current" with no file checked.
    (tmp_path / "a.html").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert not freshness.is_current(tmp_path, "k")


@pytest.mark.parametrize(("text", "month"), [
    ("periode_start_maaned: 11", 11),
    ("periode_start_maaned: 12", 12),
    ("periode_start_maaned: 011  # YAML 1.1 reads this as octal, as the full reading does", 9),
    ("kommune: X\nomraader:\n  periode_start_maaned: 3\nperiode_start_maaned: 1", 1),
])
def test_start_month_reads_the_one_key_as_kommune_yml_is_read(tmp_path, text, month):
    (tmp_path / "kommune.yml").write_text(text, encoding="utf-8")
    assert freshness.start_month(tmp_path) == month


@pytest.mark.parametrize("text", [
    'periode_start_maaned: "11"', "periode_start_maaned: true", "periode_start_maaned: 13",
    "periode_start_maaned: [11]", "periode_start_maaned: 11\nperiode_start_maaned: 12", "kommune: X",
    "- periode_start_maaned: 11", "periode_start_maaned: 11\n  bad: [", "periode_start_maaned: !!int x",
])
def test_start_month_leaves_anything_else_to_the_full_reading(tmp_path, text):
    (tmp_path / "kommune.yml").write_text(text, encoding="utf-8")
    assert freshness.start_month(tmp_path) is None
    assert freshness.start_month(tmp_path / "missing") is None


def test_the_inputs_are_the_register_kommune_yml_the_narrative_if_any_and_the_notebook(tmp_path):
    for name in ("kommune.yml", "sager.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    notebook = tmp_path / "variant.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    assert sorted(freshness.input_digests(tmp_path, YEAR, notebook)) == ["kommune.yml", "sager.csv", "variant.ipynb"]
    (tmp_path / "beretning_2018-11-01_2019-10-31.md").write_text("# Forord", encoding="utf-8")
    assert "beretning_2018-11-01_2019-10-31.md" in freshness.input_digests(tmp_path, YEAR, notebook)


def test_an_input_that_cannot_be_read_is_named(tmp_path):
    (tmp_path / "kommune.yml").write_text("x", encoding="utf-8")
    notebook = tmp_path / "beretning.ipynb"
    notebook.mkdir()  # a folder where the notebook should be: reading it fails, as an unreadable file does
    with pytest.raises(InputUnreadable, match=rf"^{re.escape(str(notebook))}: cannot be read \(Is a directory\)"):
        freshness.input_digests(tmp_path, YEAR, notebook)
