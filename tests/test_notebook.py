"""The report notebook: its parameters, the committed form, no logic in cells, and nbval on a real run."""

import ast
import json
import subprocess
import sys

import nbformat
import papermill
import pytest

from reportlib.paths import DATA_RAW, REPORT_NOTEBOOK
from reportlib.report import SECTIONS

NOTEBOOK = nbformat.read(REPORT_NOTEBOOK, as_version=4)
CODE = [cell for cell in NOTEBOOK.cells if cell.cell_type == "code"]
KEY_FIGURE_CELLS = {"summary", "assistance", "handling"}


def test_the_first_code_cell_holds_typed_documented_parameters():
    assert CODE[0].metadata.tags == ["parameters"]
    parameters = papermill.inspect_notebook(str(REPORT_NOTEBOOK))
    assert {name: p["inferred_type_name"] for name, p in parameters.items()} == {
        "periode_start": "str", "periode_slut": "str", "data_dir": "str", "min_celle": "int", "narrativ": "str"}
    assert all(p["help"] for p in parameters.values())
    assert (parameters["periode_start"]["default"], parameters["periode_slut"]["default"]) == (
        '"2018-11-01"', '"2019-10-31"')  # opened in JupyterLab, it shows 2018/19


def test_the_notebook_is_committed_without_outputs():
    assert [(cell.outputs, cell.execution_count) for cell in CODE] == [([], None)] * len(CODE)


def test_cells_only_import_and_call_reportlib():
    for cell in CODE[1:]:
        for statement in ast.parse(cell.source).body:
            value = getattr(statement, "value", None)
            assert isinstance(statement, ast.ImportFrom) and statement.module.startswith("reportlib") or (
                isinstance(statement, (ast.Assign, ast.Expr)) and isinstance(value, ast.Call)), cell.source
    shown = [ast.literal_eval(ast.parse(c.source).body[0].value.args[0]) for c in CODE if "section(" in c.source]
    assert shown == list(SECTIONS)


def test_key_figure_cells_are_marked_for_strict_comparison():
    marked = {c.id for c in CODE if "nbval-check-output" in c.metadata.get("tags", [])}
    assert marked == KEY_FIGURE_CELLS


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run with its defaults, as JupyterLab would, in a folder laid out like the project."""
    root = tmp_path_factory.mktemp("project")
    (root / "data").mkdir()
    (root / "data" / "raw").symlink_to(DATA_RAW)  # the default data_dir, ../data/raw, finds the example
    (root / "notebooks").mkdir()
    path = root / "notebooks" / "beretning.ipynb"
    papermill.execute_notebook(REPORT_NOTEBOOK, path, cwd=path.parent, progress_bar=False)
    return path


def nbval(path):
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", str(path)],
                          cwd=path.parent, capture_output=True, text=True)


def test_the_executed_notebook_shows_the_key_figures(executed):
    cells = {cell.id: cell for cell in nbformat.read(executed, as_version=4).cells}
    summary = cells["summary"].outputs[0].data["text/html"]
    assert '<th scope="row">Sager i alt</th><td class="num">114</td>' in summary
    assert "text/plain" in cells["summary"].outputs[0].data and "image/png" not in json.dumps(cells["areas"].outputs)


def test_nbval_reruns_the_notebook_and_compares_the_key_figure_cells(executed):
    result = nbval(executed)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CODE)} passed" in result.stdout  # every code cell


def test_nbval_fails_when_a_key_figure_differs(executed):
    tampered = nbformat.read(executed, as_version=4)
    summary = next(cell for cell in tampered.cells if cell.get("id") == "summary")
    summary.outputs[0].data["text/html"] = summary.outputs[0].data["text/html"].replace(">114<", ">115<")
    nbformat.write(tampered, executed.with_name("tampered.ipynb"))
    result = nbval(executed.with_name("tampered.ipynb"))
    assert result.returncode == 1
    assert "1 failed" in result.stdout
