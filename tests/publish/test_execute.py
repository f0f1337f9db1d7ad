"""The report notebook as a kernel will run it: what check_notebook accepts, declares and refuses.

The runs themselves (a failing cell, a timeout, a dead kernel) are in test_run.py, end to end.
"""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from reportlib.exceptions import NarrativeError, NotebookInvalid
from reportlib.paths import REPORT_NOTEBOOK
from reportlib.publish.execute import FIGURES_PARAMETER, check_notebook


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
