"""The notebooks: their parameters, the committed form, no logic in cells, and nbval on a real run.

The checks of form and the nbval runs apply to every notebook (the report and the analyst's
exploration notebook); the figures each one shows are checked per notebook.
"""

import ast
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from conftest import FIXTURES, ROOT
from reportlib.paths import DATA_RAW, REPORT_NOTEBOOK
from reportlib.report.narrative import CHAPTERS
from reportlib.report.sections import SECTIONS

PATHS = {"beretning": REPORT_NOTEBOOK, "explore": ROOT / "notebooks" / "explore.ipynb"}
# The exploration notebook's other outputs are widgets (with a static fallback) and are only run, not compared.
KEY_FIGURE_CELLS = {"beretning": {"glance", "summary", "assistance", "handling"}, "explore": {"overview"}}
# A key figure in a strictly compared cell: (cell id, as shown, a wrong value) for the tampering test.
KEY_FIGURE = {"beretning": ("glance", ">114<", ">115<"),
              "explore": ("overview", '<td class="num">114</td>', '<td class="num">115</td>')}
# The exploration notebook run headless on a half-year, with every area: the second form nbval checks.
HALF_YEAR = {"periode": "2018/19-H1", "omraade": "", "center": ""}
# The exploration as an analyst set it to the seed report's year, area and centre, and with its own defaults.
JOBCENTER_2018 = {"periode": "2018/19", "omraade": "Arbejdsmarked/Social & Sundhed", "center": "Jobcenter"}
RUNS = {"beretning": ("beretning", {}), "explore": ("explore", JOBCENTER_2018), "explore-defaults": ("explore", {}),
        "explore-half-year": ("explore", HALF_YEAR),
        # Another municipality's register (calendar years, areas of its own), with nothing but data_dir set.
        "explore-fjordby": ("explore", {"data_dir": str(FIXTURES / "fjordby")})}
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
        "periode_start": "str", "periode_slut": "str", "data_dir": "str", "min_celle": "int", "narrativ": "str",
        "figurer": "str", "dato": "str", "moede": "str", "netvaerk": "str"}
    assert (parameters["periode_start"]["default"], parameters["periode_slut"]["default"]) == (
        '"2018-11-01"', '"2019-10-31"')  # opened in JupyterLab, it shows 2018/19
    assert parameters["figurer"]["default"] == '""'  # ... computing the figures from data_dir itself
    assert (parameters["dato"]["default"], parameters["moede"]["default"]) == ('""', '""')  # no date, no meeting
    assert parameters["netvaerk"]["default"] == '""'  # no network: no section comparing the municipality


def test_the_exploration_parameters():
    parameters = papermill.inspect_notebook(str(PATHS["explore"]))
    assert {name: p["default"] for name, p in parameters.items()} == {
        "data_dir": '"../data/raw"', "periode": '""', "omraade": '""', "center": '""', "henvendelsestype": '""'}
    # Empty: the register's latest year, every area, every type, so any municipality's register runs it as it is.
    # The analyst reads the help in Danish, the register folder in the same words as the report's.
    assert parameters["omraade"]["help"] == "første område, som i kommune.yml; tom: alle"
    assert parameters["data_dir"]["help"] == papermill.inspect_notebook(str(PATHS["beretning"]))["data_dir"]["help"]


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
    # title, Forord, Resumé, Anbefalinger (a board reads the first pages) with the follow-up of earlier ones,
    # Indledning, the advisor's own chapters, the figures, Sagseksempler, Hvad efterspørger borgerne, Hvad sker der
    # herefter, Om tallene, Kontakt.
    assert shown == ["title", "glance", "Forord", "summary", "Anbefalinger", "followup", "Indledning",
                     "(other chapters)",
                     *SECTIONS[4:-1], "Sagseksempler", "Hvad efterspørger borgerne", "Hvad sker der herefter",
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
    """Run a notebook, as JupyterLab would, in a folder laid out like the project.

    Returns a function of a run's name in RUNS (a notebook with its defaults, or with parameters);
    each run happens once per module.
    """
    done = {}

    def run(run_name):
        if run_name not in done:
            name, parameters = RUNS[run_name]
            root = tmp_path_factory.mktemp(run_name)
            (root / "data").mkdir()
            (root / "data" / "raw").symlink_to(DATA_RAW)  # the default data_dir, ../data/raw, finds the example
            (root / "notebooks").mkdir()
            path = root / "notebooks" / PATHS[name].name
            papermill.execute_notebook(PATHS[name], path, cwd=path.parent, parameters=parameters, progress_bar=False)
            done[run_name] = path
        return done[run_name]

    return run


def nbval(*paths):
    """Rerun executed notebooks under ``pytest --nbval-lax``, in one pytest run from the folder that holds them."""
    where = Path(os.path.commonpath(paths))
    done = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", "-rA",
                           *(str(path.relative_to(where)) for path in paths)], cwd=where, capture_output=True,
                          text=True)
    done.folder = where  # the -rA summary names each notebook relative to it
    return done


def cell_results(done, path):
    """How nbval judged each cell of ``path`` ("PASSED" or "FAILED"), from the -rA summary of ``nbval``'s run."""
    return [line.split()[0] for line in done.stdout.splitlines() if line.startswith(("PASSED ", "FAILED "))
            and done.folder / line.split()[1].split("::")[0] == path]


def executed_cells(path):
    return {cell.id: cell for cell in nbformat.read(path, as_version=4).cells}


def html_rows(html):
    """The rows of a DataFrame's HTML table, header first, as lists of cell texts (non-breaking spaces as spaces)."""
    html = html.replace("\u00a0", " ")
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)]


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")  # one worker runs each notebook once
def test_the_executed_report_shows_the_key_figures(executed):
    cells = executed_cells(executed("beretning"))
    glance = cells["glance"].outputs[0].data["text/html"]
    assert '<span class="glance-value">114</span> <span class="glance-words">sager</span>' in glance
    assert '<th scope="row">Sager i alt</th><td class="num">114</td>' in glance  # the full table, folded
    assert "text/plain" in cells["glance"].outputs[0].data and "image/png" not in json.dumps(cells["areas"].outputs)
    assert "Borgerrådgiveren modtog 114\u00a0sager i perioden" in cells["summary"].outputs[0].data["text/html"]


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")  # one worker runs each notebook once
def test_the_executed_exploration_shows_the_example_years(executed):
    cells = executed_cells(executed("explore"))
    header, *figures = html_rows(cells["overview"].outputs[0].data["text/html"])
    assert header == ["Nøgletal", "2018/19", "2019/20", "2020/21"]  # the example register's three years, side by side
    overview = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in figures}
    # Ballerup's published 2018/19 figures, which the example register reproduces (conftest.SEED_ROWS):
    # 114 cases, 50 complaints, 16 meetings, 5 complaint letters, 9 drop-in sessions; named as the report
    # names them (report.vocabulary, with the example kommune.yml's drop-in activity).
    names = {"Sager i alt": "114", "Heraf klager": "50",
             "Møder med forvaltningen, hvor borgerrådgiveren deltog": "16",
             "Hjælp til at klage til en klageinstans": "5", "Åben rådgivning, antal gange": "9"}
    assert {key: overview[key]["2018/19"] for key in names} == names
    # The trend chart is an SVG with Danish alt text, not "<Axes: ...>" printed above it.
    trend = cells["trend"].outputs[0].data
    assert 'alt="Linjediagram over sager pr. måned fra november 2018 til oktober 2021' in (
        trend["text/html"].replace("\u00a0", " "))
    assert "Axes" not in trend["text/plain"]


def static_tables(cell):
    """The static fallback of a workbench section: its tables, each as rows of cell texts, header first."""
    data = cell.outputs[0].data
    assert "application/vnd.jupyter.widget-view+json" in data  # JupyterLab draws the widgets
    return [html_rows(table) for table in re.findall(r"<table>.*?</table>", data["text/html"], re.S)]


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")  # one worker runs each notebook once
def test_the_executed_exploration_shows_the_default_selection(executed):
    cells = executed_cells(executed("explore"))
    assert "2018/19 · alle henvendelsestyper · Arbejdsmarked/Social &amp; Sundhed · Jobcenter" in (
        cells["controls"].outputs[0].data["text/html"])
    areas, centres, topics = static_tables(cells["distributions"])
    # The published area and centre tables: 63/26/11 %; Jobcenter 26 problems (26 %) first.
    assert [row[2] for row in areas[1:]] == ["63 %", "26 %", "11 %"]
    assert centres[:2] == [["Center", "Problemstillinger", "Andel"], ["Jobcenter", "26", "26 %"]]
    [cases] = static_tables(cells["cases"])
    # Area and centre are chosen, so their columns are left out on screen; never note or beskrivelse.
    assert cases[0] == ["Sag", "Modtaget", "Afsluttet", "Type", "Kanal", "Udfald", "Møde", "Klagebistand", "Emne"]
    assert cases[1][1].endswith("november 2018") and {row[6] for row in cases[1:]} <= {"ja", "nej"}
    # None of the names, CPR-like numbers or phone numbers planted in the register's notes.
    # Nothing printed on stderr (warnings), no error.
    assert not [o for c in cells.values() for o in c.get("outputs", []) if o.output_type in ("stream", "error")]
    text = executed("explore").read_text(encoding="utf-8")
    assert "150183-7487" not in text and "Louise Kristensen" not in text and "69 22 13 10" not in text


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")  # one worker runs each notebook once
def test_the_exploration_opens_on_the_registers_latest_year_with_everything_chosen(executed):
    cells = executed_cells(executed("explore-defaults"))
    # The example register runs to 31 October 2021: its latest reporting year is 2020/21.
    assert "2020/21 · alle henvendelsestyper · alle områder" in cells["controls"].outputs[0].data["text/html"]
    [cases] = static_tables(cells["cases"])
    with open(DATA_RAW / "sager.csv", encoding="utf-8") as file:
        received = [row["modtaget"] for row in csv.DictReader(file)]
    assert len(cases) - 1 == sum("2020-11-01" <= day <= "2021-10-31" for day in received)


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")  # one worker runs each notebook once
def test_the_exploration_runs_on_another_municipalitys_register_without_editing(executed):
    cells = executed_cells(executed("explore-fjordby"))
    assert "2022 · alle henvendelsestyper · alle områder" in cells["controls"].outputs[0].data["text/html"]
    assert not [o for c in cells.values() for o in c.get("outputs", []) if o.output_type in ("stream", "error")]


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")  # one worker runs each notebook once
def test_the_exploration_runs_headless_on_a_half_year(executed):
    cells = executed_cells(executed("explore-half-year"))
    controls = cells["controls"].outputs[0].data["text/html"]
    assert "2018/19, 1. halvår · alle henvendelsestyper · alle områder" in controls
    [cases] = static_tables(cells["cases"])
    # Every case received from 1 November 2018 to 30 April 2019, counted straight from the CSV file.
    with open(DATA_RAW / "sager.csv", encoding="utf-8") as file:
        received = [row["modtaget"] for row in csv.DictReader(file)]
    assert len(cases) - 1 == sum("2018-11-01" <= day <= "2019-04-30" for day in received)
    assert cases[0] == ["Sag", "Modtaget", "Afsluttet", "Type", "Kanal", "Udfald", "Møde", "Klagebistand", "Område",
                        "Center", "Emne"]  # every column with no area chosen; never note or beskrivelse
    # Compared with the same half of the year before (the months are seasonal), November 2017 to April 2018,
    # which the register does not hold (it is complete from 1 November 2018): no comparison, no column of 0.
    [change] = static_tables(cells["centre-change"])
    assert change[0] == ["Område", "Center", "2018/19, 1. halvår"]
    assert "Registret er ikke komplet for 2017/18, 1. halvår, så der er intet at sammenligne med." in (
        cells["centre-change"].outputs[0].data["text/html"])


@pytest.fixture(scope="module")
def rerun(executed):
    """Every executed notebook rerun by nbval, in one pytest run."""
    return nbval(*(executed(run_name) for run_name in RUNS))


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")  # one worker runs each notebook once
@pytest.mark.parametrize("run_name", list(RUNS))
def test_nbval_reruns_the_notebook_and_compares_the_key_figure_cells(executed, rerun, run_name):
    name, parameters = RUNS[run_name]
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    # Every code cell, and the cell papermill injects with parameters given.
    assert cell_results(rerun, executed(run_name)) == ["PASSED"] * (len(code_cells(name)) + bool(parameters))


@pytest.fixture(scope="module")
def tampered(executed):
    """Each notebook, executed, with one key figure changed in its output and the cells after it left out.

    Written beside the executed notebook (whose folder has the project's layout); nbval then reruns only
    what it takes to reach that cell. The result is the rerun of both, and the paths.
    """
    paths = {}
    for name, (cell_id, shown, wrong) in KEY_FIGURE.items():
        notebook = nbformat.read(executed(name), as_version=4)
        position = next(i for i, cell in enumerate(notebook.cells) if cell.get("id") == cell_id)
        cell = notebook.cells[position]
        assert shown in cell.outputs[0].data["text/html"]
        cell.outputs[0].data["text/html"] = cell.outputs[0].data["text/html"].replace(shown, wrong, 1)
        notebook.cells = notebook.cells[:position + 1]
        paths[name] = executed(name).with_name("tampered.ipynb")
        nbformat.write(notebook, paths[name])
    return nbval(*paths.values()), paths


@pytest.mark.kernel
@pytest.mark.xdist_group("executed-notebooks")
@each_notebook
def test_nbval_fails_when_a_key_figure_differs(tampered, name):
    done, paths = tampered
    assert done.returncode == 1
    results = cell_results(done, paths[name])
    assert results.count("FAILED") == 1 and results[-1] == "FAILED"  # the tampered cell, the last one kept
