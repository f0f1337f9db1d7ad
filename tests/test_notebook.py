"""The notebooks: their parameters, the committed form, no logic in cells, and nbval on a real run.

The checks of form and the nbval runs apply to every notebook (the report and the analyst's
exploration notebook); the figures each one shows are checked per notebook.
"""

import ast
import json
import re
import subprocess
import sys

import nbformat
import papermill
import pytest

from reportlib.paths import DATA_RAW, NOTEBOOKS, REPORT_NOTEBOOK
from reportlib.narrative import CHAPTERS
from reportlib.report import SECTIONS

PATHS = {"beretning": REPORT_NOTEBOOK, "explore": NOTEBOOKS / "explore.ipynb"}
KEY_FIGURE_CELLS = {"beretning": {"summary", "assistance", "handling"}, "explore": {"overview", "centres"}}
# A key figure in a strictly compared cell: (cell id, as shown, a wrong value) for the tampering test.
KEY_FIGURE = {"beretning": ("summary", ">114<", ">115<"), "explore": ("overview", "<td>114</td>", "<td>115</td>")}
# The form papermill --help-notebook reads: `name: type = value  # help`, with no "=" in the help.
PARAMETER_LINE = re.compile(r"^[a-z_]+: (str|int) = [^#]+  # [^=]+$")
# Expressions that would be logic rather than a call into reportlib.
LOGIC = (ast.Lambda, ast.BinOp, ast.BoolOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.comprehension, ast.Subscript)

each_notebook = pytest.mark.parametrize("name", list(PATHS))


def code_cells(name):
    return [cell for cell in nbformat.read(PATHS[name], as_version=4).cells if cell.cell_type == "code"]


@each_notebook
def test_the_first_code_cell_holds_typed_documented_parameters(name):
    first = code_cells(name)[0]
    assert first.metadata.tags == ["parameters"]
    lines = [line for line in first.source.splitlines() if line and not line.startswith("#")]
    assert all(PARAMETER_LINE.match(line) for line in lines), first.source
    parameters = papermill.inspect_notebook(str(PATHS[name]))
    assert len(parameters) == len(lines)
    assert all(p["inferred_type_name"] in ("str", "int") and p["help"] for p in parameters.values())


def test_the_report_parameters():
    parameters = papermill.inspect_notebook(str(PATHS["beretning"]))
    assert {name: p["inferred_type_name"] for name, p in parameters.items()} == {
        "periode_start": "str", "periode_slut": "str", "data_dir": "str", "min_celle": "int", "narrativ": "str"}
    assert (parameters["periode_start"]["default"], parameters["periode_slut"]["default"]) == (
        '"2018-11-01"', '"2019-10-31"')  # opened in JupyterLab, it shows 2018/19


def test_the_exploration_parameters():
    parameters = papermill.inspect_notebook(str(PATHS["explore"]))
    assert {name: p["default"] for name, p in parameters.items()} == {
        "data_dir": '"../data/raw"', "periode": '"2018/19"', "omraade": '"Arbejdsmarked/Social & Sundhed"',
        "center": '"Jobcenter"', "henvendelsestype": '""'}


@each_notebook
def test_the_notebook_is_committed_without_outputs(name):
    cells = code_cells(name)
    assert [(cell.outputs, cell.execution_count) for cell in cells] == [([], None)] * len(cells)


@each_notebook
def test_cells_only_import_and_call_reportlib(name):
    for cell in code_cells(name)[1:]:
        tree = ast.parse(cell.source)
        for statement in tree.body:
            value = getattr(statement, "value", None)
            assert isinstance(statement, ast.ImportFrom) and statement.module.startswith("reportlib") or (
                isinstance(statement, (ast.Assign, ast.Expr)) and isinstance(value, ast.Call)), cell.source
            assert all(isinstance(target, ast.Name) for target in getattr(statement, "targets", [])), cell.source
        assert not [node for node in ast.walk(tree) if isinstance(node, LOGIC)], cell.source


def test_the_report_places_sections_and_chapters_in_the_default_order():
    shown = []
    for cell in code_cells("beretning")[1:]:  # after the parameters
        call = ast.parse(cell.source).body[-1].value
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("section", "chapter", "other_chapters"):
            shown.append(ast.literal_eval(call.args[0]) if call.args else "(other chapters)")
    # title, Forord, Resumé, Anbefalinger (a board reads the first pages), Indledning, the advisor's own
    # chapters, the figures, Sagseksempler, Hvad efterspørger borgerne, Hvad sker der herefter, Om tallene, Kontakt.
    assert shown == ["title", "Forord", "summary", "Anbefalinger", "Indledning", "(other chapters)",
                     *SECTIONS[2:-1], "Sagseksempler", "Hvad efterspørger borgerne", "Hvad sker der herefter",
                     "method", "Kontakt"]
    assert set(shown) >= set(CHAPTERS) | set(SECTIONS)


def test_the_notes_to_the_analyst_are_never_published():
    notes = [c for c in nbformat.read(PATHS["beretning"], as_version=4).cells if c.cell_type == "markdown"]
    assert notes and all(c.metadata.get("tags") == ["remove-cell"] for c in notes)


@each_notebook
def test_key_figure_cells_are_marked_for_strict_comparison(name):
    marked = {c.id for c in code_cells(name) if "nbval-check-output" in c.metadata.get("tags", [])}
    assert marked == KEY_FIGURE_CELLS[name]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run a notebook with its defaults, as JupyterLab would, in a folder laid out like the project.

    Returns a function of the notebook's name; each notebook runs once per module.
    """
    done = {}

    def run(name):
        if name not in done:
            root = tmp_path_factory.mktemp(name)
            (root / "data").mkdir()
            (root / "data" / "raw").symlink_to(DATA_RAW)  # the default data_dir, ../data/raw, finds the example
            (root / "notebooks").mkdir()
            path = root / "notebooks" / PATHS[name].name
            papermill.execute_notebook(PATHS[name], path, cwd=path.parent, progress_bar=False)
            done[name] = path
        return done[name]

    return run


def nbval(path):
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", str(path)],
                          cwd=path.parent, capture_output=True, text=True)


def executed_cells(path):
    return {cell.id: cell for cell in nbformat.read(path, as_version=4).cells}


def html_rows(html):
    """The rows of a DataFrame's HTML table, header first, as lists of cell texts."""
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)]


def test_the_executed_report_shows_the_key_figures(executed):
    cells = executed_cells(executed("beretning"))
    summary = cells["summary"].outputs[0].data["text/html"]
    assert '<th scope="row">Sager i alt</th><td class="num">114</td>' in summary
    assert "text/plain" in cells["summary"].outputs[0].data and "image/png" not in json.dumps(cells["areas"].outputs)


def test_the_executed_exploration_shows_the_example_years(executed):
    cells = executed_cells(executed("explore"))
    header, *years = html_rows(cells["overview"].outputs[0].data["text/html"])
    overview = {row[1]: dict(zip(header[1:], row[1:])) for row in years}
    assert list(overview) == ["2018/19", "2019/20", "2020/21"]  # the example register's three years
    # Ballerup's published 2018/19 figures, which the example register reproduces (test_run.SEED_ROWS):
    # 114 cases, 50 complaints, 16 meetings, 5 complaint letters, 9 drop-in sessions.
    assert {key: overview["2018/19"][key] for key in ("cases_total", "complaints", "meetings_attended",
                                                       "complaint_letters", "drop_in_sessions")} == {
        "cases_total": "114", "complaints": "50", "meetings_attended": "16", "complaint_letters": "5",
        "drop_in_sessions": "9"}
    # The published centre table of Arbejdsmarked/Social & Sundhed: Jobcenter 26 (26 %) first.
    assert html_rows(cells["centres"].outputs[0].data["text/html"])[1] == ["0", "Jobcenter", "26", "26"]
    case_columns = html_rows(cells["cases"].outputs[0].data["text/html"])[0]
    assert "sag_id" in case_columns and not {"note", "beskrivelse"} & set(case_columns)  # no free text


@each_notebook
def test_nbval_reruns_the_notebook_and_compares_the_key_figure_cells(executed, name):
    result = nbval(executed(name))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(code_cells(name))} passed" in result.stdout  # every code cell


@each_notebook
def test_nbval_fails_when_a_key_figure_differs(executed, name):
    cell_id, shown, wrong = KEY_FIGURE[name]
    path = executed(name)
    tampered = nbformat.read(path, as_version=4)
    cell = next(cell for cell in tampered.cells if cell.get("id") == cell_id)
    assert shown in cell.outputs[0].data["text/html"]
    cell.outputs[0].data["text/html"] = cell.outputs[0].data["text/html"].replace(shown, wrong, 1)
    nbformat.write(tampered, path.with_name("tampered.ipynb"))
    result = nbval(path.with_name("tampered.ipynb"))
    assert result.returncode == 1
    assert "1 failed" in result.stdout
