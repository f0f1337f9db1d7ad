"""The report notebook as a kernel will run it: what check_notebook accepts, declares and refuses.

The runs themselves (a failing cell, a timeout, a dead kernel) are in test_run.py, end to end; here
papermill's run is stood in for, to see what the executed notebook says of the machine. Last, the
kernel a batch's worker keeps between its periods: started once, each period as in a new kernel,
and a period that fails in it leaves the next a new one.
"""

import datetime as dt
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from papermill.exceptions import PapermillExecutionError
from papermill.execute import prepare_notebook_metadata
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from reportlib.exceptions import NarrativeError, NotebookInvalid, RunFailed
from reportlib.paths import REPORT_NOTEBOOK
from reportlib.periods import Period
from reportlib.publish import batch
from reportlib.publish import execute as execute_module
from reportlib.publish.execute import FIGURES_PARAMETER, check_notebook, execute
from reportlib.publish.manifest import code_identity


def write(tmp_path, *cells, kernelspec=None):
    notebook = new_notebook(cells=list(cells))
    if kernelspec:
        notebook.metadata["kernelspec"] = kernelspec
    path = tmp_path / "variant.ipynb"
    nbformat.write(notebook, path)
    return path


def parameters_cell(source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


def test_the_parameters_are_the_names_the_tagged_cell_assigns_typed_or_not(tmp_path):
    path = write(tmp_path, new_code_cell("ignored = 1"),
                 parameters_cell("periode_start: str = '2019-01-01'\nmin_celle = -1\nx.y = 2\nprint('hej')"))
    assert check_notebook(path).parameters == {"periode_start", "min_celle"}


def test_a_notebook_without_a_parameters_cell_or_with_a_broken_one_declares_nothing(tmp_path):
    assert check_notebook(write(tmp_path, new_code_cell("a = 1"))).parameters == set()
    assert check_notebook(write(tmp_path, parameters_cell("a = ("))).parameters == set()


def test_the_projects_notebook_takes_the_figures_computed_already():
    notebook = check_notebook(REPORT_NOTEBOOK)
    assert FIGURES_PARAMETER in notebook.parameters and notebook.kernel == "python3"


def test_a_notebook_that_names_no_kernel_runs_in_python3(tmp_path):
    assert check_notebook(write(tmp_path, new_markdown_cell("# Beretning"))).kernel == "python3"


def test_a_kernel_not_installed_is_refused_with_the_fix(tmp_path):
    path = write(tmp_path, kernelspec={"name": "ir", "display_name": "R", "language": "R"})
    with pytest.raises(NotebookInvalid, match=r"kernel 'ir', which is not installed here; choose the Python 3"):
        check_notebook(path)


def test_a_cpr_like_number_is_refused_in_published_markdown_only(tmp_path):
    hidden = new_markdown_cell("Noter: 010190-1234")
    hidden.metadata["tags"] = ["remove-cell"]  # never published
    assert check_notebook(write(tmp_path, hidden)).kernel == "python3"
    with pytest.raises(NarrativeError, match=r"variant.ipynb: cell 2, line 1: the line holds what looks like a CPR"):
        check_notebook(write(tmp_path, hidden, new_markdown_cell("Borgeren 010190-1234 ringede.")))


# -- What the executed notebook says of the machine (papermill stood in for: no kernel) --------------------

LOGIN = "kjqsen"  # made up, so that it is found wherever it is left


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder named after a login, with a register folder and a network's figures in it."""
    home = tmp_path / "hjem" / LOGIN
    (home / "kommune" / "register").mkdir(parents=True)
    (home / "net").mkdir()
    (home / "net" / "network.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    return home


def papermill_stand_in(outputs, error=None):
    """Do what papermill does around a kernel: parameterize, record the run, save; the last cell shows ``outputs``."""
    def execute_notebook(input_path, output_path, parameters, kernel_name, **kwargs):
        node = parameterize_notebook(load_notebook_node(str(input_path)), parameters, kernel_name=kernel_name)
        node = prepare_notebook_metadata(node, str(input_path), str(output_path))
        node.cells[-1].outputs = outputs
        nbformat.write(node, output_path)
        if error is not None:
            raise PapermillExecutionError(len(node.cells) - 1, 3, node.cells[-1].source, *error)
        return node

    return execute_notebook


def run_stood_in(home, monkeypatch, outputs, error=None):
    source = parameters_cell('data_dir: str = "../data/raw"\nnetvaerk: str = ""\nfigurer: str = ""')
    notebook = home / "kommune" / "variant.ipynb"
    nbformat.write(new_notebook(cells=[source, new_code_cell("print(data_dir)")],
                                metadata={"kernelspec": {"name": "python3", "language": "python",
                                                         "display_name": "Python 3"}}), notebook)
    monkeypatch.setattr(execute_module.papermill, "execute_notebook", papermill_stand_in(outputs, error))
    target = home / "kommune" / "ud" / "2018-11-01_2019-10-31"
    (target.parent / "staging").mkdir(parents=True)
    executed = target.parent / "staging" / "beretning.ipynb"
    handed = {"data_dir": str(home / "kommune" / "register"), "netvaerk": str(home / "net" / "network.json")}
    return execute(check_notebook(notebook), executed, handed, {"figures": 1}, target, 60), executed, target


def test_the_executed_notebook_names_what_the_kernel_was_handed_without_the_machine(home, monkeypatch):
    register = home / "kommune" / "register"
    outputs = [new_output("stream", name="stdout", text=f"{register}\n{register / 'sager.csv'}\n"),
               new_output("stream", name="stderr", text=f"{home}/.venv/lib/python3.11/site-packages/x.py:1: Warning"),
               new_output("execute_result", data={"text/plain": f"'{register}'"}, execution_count=3)]
    published, executed, _target = run_stood_in(home, monkeypatch, outputs)
    assert nbformat.read(executed, as_version=4) == published  # what is saved is what is exported
    injected = next(c for c in published.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert injected.source == ('# Parameters\ndata_dir = "register"\nnetvaerk = "network.json"\n'
                               'figurer = "figures.json"\n')  # the figures are published beside it
    assert published.metadata.papermill.parameters == {"data_dir": "register", "netvaerk": "network.json",
                                                       "figurer": "figures.json"}
    assert (published.metadata.papermill.input_path, published.metadata.papermill.output_path) == (
        "variant.ipynb", "beretning.ipynb")
    shown = published.cells[-1].outputs
    assert shown[0].text == "register\nregister/sager.csv\n"
    assert shown[1].text == "~/.venv/lib/python3.11/site-packages/x.py:1: Warning"  # the home's venv: not Python's
    assert shown[2].data["text/plain"] == "'register'"
    assert LOGIN not in executed.read_text(encoding="utf-8")


def test_a_failed_notebook_is_kept_beside_the_report_without_the_machine_in_its_traceback(home, monkeypatch):
    traceback = [f"File {home}/kommune/hjaelp.py:2, in fail", f"RuntimeError: planted in {home}/kommune/register"]
    error = ("RuntimeError", f"planted in {home}/kommune/register", traceback)
    with pytest.raises(RunFailed, match=f"kept at {home}/kommune/ud/2018-11-01_2019-10-31.failed.ipynb"):
        run_stood_in(home, monkeypatch, [new_output("error", ename=error[0], evalue=error[1], traceback=error[2])],
                     error)
    kept = home / "kommune" / "ud" / "2018-11-01_2019-10-31.failed.ipynb"
    failed = nbformat.read(kept, as_version=4)
    assert failed.cells[-1].outputs[0].traceback == ["File kommune/hjaelp.py:2, in fail",
                                                     "RuntimeError: planted in register"]
    assert failed.cells[-1].outputs[0].evalue == "planted in register"
    assert failed.metadata.papermill.output_path == kept.name
    assert LOGIN not in kept.read_text(encoding="utf-8")
    assert not (home / "kommune" / "ud" / "staging" / "beretning.ipynb").exists()


# -- The kernel a batch's worker keeps between its periods ------------------------------------------------

YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))
FIRST_HALF = Period(dt.date(2018, 11, 1), dt.date(2019, 4, 30))
SECOND_HALF = Period(dt.date(2019, 5, 1), dt.date(2019, 10, 31))
# What `reportlib run` hands every notebook; this one declares them all, and nothing else.
PARAMETERS = ('periode_start = ""\nperiode_slut = ""\ndata_dir = ""\nmin_celle = -1\nnarrativ = ""\ndato = ""\n'
              'moede = ""\nnetvaerk = ""')
# What a new kernel shows, as one line of JSON; and a warning, which a new kernel shows once.
STATE = """import json, os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import reportlib

print(json.dumps({"planted": "planted" in globals(), "linewidth": matplotlib.rcParams["lines.linewidth"],
                  "variable": os.environ.get("REPORTLIB_PLANTED"), "figures": plt.get_fignums(),
                  "folder": os.path.basename(os.getcwd()), "path": "planted" in sys.path,
                  "rows": pd.get_option("display.max_rows"), "reportlib": reportlib.__file__}))
warnings.warn("a new kernel shows this")"""
# Period 2018/19 leaves behind what a kernel could carry into the next.
PLANTED = """if periode_slut == "2019-10-31":
    planted = 1
    matplotlib.rcParams["lines.linewidth"] = 7
    os.environ["REPORTLIB_PLANTED"] = "planted"
    with plt.ioff():  # not shown at the cell's end, so left open
        left_open = plt.figure()
    os.chdir(os.path.dirname(os.getcwd()))
    sys.path.append("planted")
    pd.set_option("display.max_rows", 3)
    warnings.simplefilter("ignore")
print(plt.get_fignums())"""


def kept_notebook(tmp_path, *sources):
    path = tmp_path / "kept" / "variant.ipynb"
    path.parent.mkdir()
    nbformat.write(new_notebook(cells=[parameters_cell(PARAMETERS), *map(new_code_cell, sources)],
                                metadata={"kernelspec": {"name": "python3", "language": "python",
                                                         "display_name": "Python 3"}}), path)
    return path


@pytest.fixture
def kernel_starts(monkeypatch):
    """Every kernel started while the test runs (its provisioner); the kernel this process kept is shut down after."""
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    started, launch = [], LocalProvisioner.launch_kernel

    async def counted(self, *args, **kwargs):
        started.append(self)
        return await launch(self, *args, **kwargs)

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", counted)
    yield started
    execute_module.stop_kept_kernel()


def run_in_worker(period, register, out, notebook, **options):
    """Run ``period`` as a batch's worker runs it (here, in this process): in the kernel the process keeps."""
    return batch.run_one(period, code=code_identity(), data=register, out=out, notebook=notebook,
                         formats=("html",), force=True, **options)


def outputs(folder):
    """The executed notebook's code cells: their execution counts, and their outputs as text."""
    cells = [c for c in nbformat.read(folder / "beretning.ipynb", as_version=4).cells if c.cell_type == "code"]
    return [c.execution_count for c in cells], [[o.get("text", "") for o in c.outputs] for c in cells]


@pytest.mark.kernel
def test_a_kept_kernel_is_started_once_for_a_workers_periods(make_register, tmp_path, kernel_starts):
    register, notebook = make_register(), kept_notebook(tmp_path, "print(periode_slut)")
    for period in (YEAR, FIRST_HALF, SECOND_HALF):
        outcome = run_in_worker(period, register, tmp_path / "out", notebook)
        assert (outcome.status, outcome.message) == (batch.MADE, "")
        assert outputs(outcome.folder) == ([1, 2, 3], [[], [], [f"{period.end.isoformat()}\n"]])
    assert len(kernel_starts) == 1
    assert execute_module._kept is not None and execute_module._kept.private.is_dir()
    private = execute_module._kept.private
    execute_module.stop_kept_kernel()  # as the worker process ends
    assert not private.exists()


@pytest.mark.kernel
def test_a_kept_kernel_runs_each_period_as_a_new_kernel_would(make_register, tmp_path, kernel_starts):
    register, notebook = make_register(), kept_notebook(tmp_path, STATE, PLANTED)
    made = [run_in_worker(period, register, tmp_path / "out", notebook) for period in (YEAR, FIRST_HALF)]
    assert [outcome.status for outcome in made] == [batch.MADE, batch.MADE] and len(kernel_starts) == 1
    fresh = {"planted": False, "linewidth": 1.5, "variable": None, "figures": [], "folder": "kept", "path": False,
             "rows": 60, "reportlib": "src/reportlib/__init__.py"}  # this checkout's reportlib, named within it
    year, half = (outputs(outcome.folder) for outcome in made)
    for counts, (_parameters, _injected, (state, warned), _figures) in (year, half):
        assert counts == [1, 2, 3, 4]  # In [1] again in the kept kernel
        assert json.loads(state) == fresh
        assert "UserWarning: a new kernel shows this" in warned
    assert year[1][3] == ["[1]\n"] and half[1][3] == ["[]\n"]  # the figure the year left open is closed


@pytest.mark.kernel
@pytest.mark.parametrize("failing,message", [
    ('raise RuntimeError("planted")', "the report notebook failed at In [3]: RuntimeError: planted\n"),
    ("import time\n    time.sleep(600)", "the report notebook was stopped at In [3]: a cell ran longer than 3 seconds"),
    ("import os\n    os._exit(1)", "the report notebook's kernel died: Kernel died\n"),
])
def test_a_period_that_fails_in_the_kept_kernel_leaves_the_next_period_a_new_kernel(make_register, tmp_path,
                                                                                     kernel_starts, failing, message):
    register = make_register()
    notebook = kept_notebook(tmp_path, f'if (periode_start, periode_slut) == ("2018-11-01", "2019-10-31"):\n'
                                       f'    {failing}\nprint(periode_slut)')
    first, failed, after = (run_in_worker(period, register, tmp_path / "out", notebook, timeout=3)
                            for period in (FIRST_HALF, YEAR, SECOND_HALF))
    assert (first.status, failed.status, after.status) == (batch.MADE, batch.FAILED, batch.MADE)
    assert failed.message.startswith(message)  # as a new kernel's failure says it
    assert outputs(after.folder) == ([1, 2, 3], [[], [], ["2019-10-31\n"]])
    assert len(kernel_starts) == 2  # the failed period's kernel was shut down, and the next started its own
