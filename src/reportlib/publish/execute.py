"""Run the report notebook in a kernel of its own: check it, hand it its parameters, keep what a failure left.

The kernel talks over a private folder's sockets and logs there, so a good run prints nothing but
its progress and a failed one says which cell stopped and keeps the notebook as far as it ran.
"""

from __future__ import annotations

import ast
import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlib import _fast_imports  # noqa: F401  (before nbformat: see there)

# isort: split
import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError
from traitlets import Unicode
from traitlets.config import Config

from reportlib.exceptions import InputUnreadable, NarrativeError, NotebookInvalid, RunFailed
from reportlib.figures.document import to_json
from reportlib.language import _
from reportlib.publish.folder import failed_path, kept_message
from reportlib.report.narrative import published_text_problems

KERNEL_LOG = "kernel.log"
FIGURES_PARAMETER = "figurer"  # the report notebook's parameter for figures computed already


@dataclass(frozen=True)
class ReportNotebook:
    """A report notebook that can be run: where it is, the kernel it runs in, the parameters it declares."""

    path: Path
    kernel: str
    parameters: frozenset[str]


def check_notebook(notebook: Path) -> ReportNotebook:
    """Check that ``notebook`` is a notebook reportlib can run and publish.

    A notebook without a kernel named in its metadata runs in ``python3``, this Python's own
    kernel. Its Markdown cells are published text: an unclosed comment or a CPR-like number in one
    is refused.

    Raises
    ------
    NotebookInvalid
        When the file is not a Jupyter notebook, or names a kernel that is not installed.
    InputUnreadable
        When it cannot be read.
    NarrativeError
        Naming the cell and line of each Markdown problem.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        node = nbformat.read(notebook, as_version=4)
        nbformat.validate(node)
    except OSError as exc:
        raise InputUnreadable(_("{file}: cannot be read ({reason}); check the file's permissions").format(
            file=notebook, reason=exc.strerror)) from None
    except Exception as exc:  # nbformat meets a broken file in many ways (JSON, schema, types); all mean the same
        reason = str(exc).splitlines()[0][:200]
        raise NotebookInvalid(_("{file}: not a Jupyter notebook ({error}: {reason}); give the path of a report "
                                "notebook (.ipynb) with --notebook, or leave the option out").format(
            file=notebook, error=type(exc).__name__, reason=reason)) from None
    kernel = (node.metadata.get("kernelspec") or {}).get("name") or "python3"
    if kernel != "python3" and kernel not in KernelSpecManager().find_kernel_specs():
        raise NotebookInvalid(_("{file}: runs in the kernel '{kernel}', which is not installed here; choose the "
                                "Python 3 kernel in JupyterLab (Kernel > Change Kernel) and save the notebook").format(
            file=notebook, kernel=kernel))
    problems = [problem for number, cell in enumerate(node.cells, start=1)
                if cell.cell_type == "markdown" and "remove-cell" not in cell.metadata.get("tags", [])
                for problem in published_text_problems(
                    cell.source, lambda line, n=number: _("{file}: cell {cell}, line {line}").format(
                        file=notebook, cell=n, line=line))]
    if problems:
        raise NarrativeError("\n".join(problems))
    return ReportNotebook(notebook, kernel, _declared(node))


def _declared(node: nbformat.NotebookNode) -> frozenset[str]:
    """The names the notebook's ``parameters`` cell assigns (papermill injects values for them after it)."""
    cell = next((c for c in node.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])), None)
    try:
        tree = ast.parse(cell.source) if cell is not None else None
    except SyntaxError:
        return frozenset()  # the cell fails when it runs, and the run says where
    names = [target.id for statement in (tree.body if tree else []) if isinstance(statement, ast.Assign | ast.AnnAssign)
             for target in (statement.targets if isinstance(statement, ast.Assign) else [statement.target])
             if isinstance(target, ast.Name)]
    return frozenset(names)


def execute(notebook: ReportNotebook, executed: Path, parameters: dict, document: dict, target: Path,
            timeout: int) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters``, saving it to ``executed`` as it runs, and return it.

    ``document`` is the period's figures, handed to a notebook that declares ``figurer``.
    ``target`` is the report folder, beside which a failed notebook is kept.

    Raises
    ------
    RunFailed
        When a cell raises, a cell runs longer than ``timeout`` seconds, or the kernel dies; the
        message names the cell and where the notebook was kept.
    """
    with _kernel_config() as (config, private):
        handed = _hand_over(notebook, parameters, document, private)
        try:
            # Saved as it runs (0.05 s in all), so that a stopped run keeps the notebook as far as it got.
            return papermill.execute_notebook(notebook.path, executed, parameters=handed, cwd=notebook.path.parent,
                                              kernel_name=notebook.kernel, progress_bar=False, log_output=False,
                                              config=config, execution_timeout=timeout)
        except PapermillExecutionError as exc:
            os.replace(executed, failed_path(target))
            raise RunFailed(_("the report notebook failed at In [{count}]: {error}: {message}\n"
                              "the executed notebook, with the error, is kept at {kept}\n"
                              "{published}").format(count=exc.exec_count, error=exc.ename, message=exc.evalue,
                                                    kept=failed_path(target), published=kept_message(target))) from None
        except CellTimeoutError:
            cell = _stopped_cell(executed)
            kept = _keep_failed(executed, target)
            raise RunFailed(_("the report notebook was stopped at {cell}: a cell ran longer than {timeout} seconds "
                              "(--timeout); check the register's size or the cell for a loop\n{kept}"
                              "{published}").format(cell=cell, timeout=timeout, kept=kept,
                                                    published=kept_message(target))) from None
        except DeadKernelError as exc:
            kept = _keep_failed(executed, target)
            raise RunFailed(_("the report notebook's kernel died: {error}\n{log}{kept}{published}").format(
                error=exc, log=_log_tail(private / KERNEL_LOG), kept=kept, published=kept_message(target))) from None


def _hand_over(notebook: ReportNotebook, parameters: dict, document: dict, private: Path) -> dict:
    """The notebook's parameters, with the figures already computed when it takes them (``figurer``).

    The kernel then loads a small JSON document instead of reading and validating the register a
    second time. An analyst's copy of the notebook from before this parameter reads the register
    itself, as it always did.
    """
    if FIGURES_PARAMETER not in notebook.parameters:
        return parameters
    handed = private / "figures.json"
    handed.write_text(to_json(document), encoding="utf-8")
    return {**parameters, FIGURES_PARAMETER: str(handed)}


def _stopped_cell(executed: Path) -> str:
    """The prompt of the cell a timeout interrupted, as ``In [N]``, read from the notebook papermill saved."""
    try:
        notebook = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return _("a cell")
    stopped = [c for c in notebook.cells if c.cell_type == "code" and any(o.get("output_type") == "error"
                                                                          for o in c.get("outputs", []))]
    return f"In [{stopped[-1].execution_count}]" if stopped else _("a cell")


def _keep_failed(executed: Path, target: Path) -> str:
    if not executed.exists():
        return ""
    os.replace(executed, failed_path(target))
    return _("the notebook as far as it ran is kept at {kept}").format(kept=failed_path(target)) + "\n"


def _log_tail(kernel_log: Path, lines: int = 5) -> str:
    try:
        tail = kernel_log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "".join(_("  kernel: {line}").format(line=line) + "\n" for line in tail)


class QuietKernelManager(AsyncKernelManager):
    """A kernel manager that sends the kernel process's own output to a log file.

    jupyter_client interrupts a kernel as it shuts it down, and ipykernel may log that as an ERROR
    on its stderr; on the run's terminal (or in cron's mail) that would look like a failure.
    """

    log_file = Unicode("", help="File for the kernel process's stdout and stderr.").tag(config=True)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if not self.log_file:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        with open(self.log_file, "ab") as log:  # the kernel has its own copy once launched
            return await super()._async_launch_kernel(kernel_cmd, **{"stdout": log, "stderr": log, **kw})


@contextlib.contextmanager
def _kernel_config() -> Iterator[tuple[Config, Path]]:
    """A private temporary folder for the kernel's sockets, log and figures, and the configuration that uses it.

    The kernel talks over Unix sockets there, where the system has them: localhost TCP, the
    default, can be listened to by other users of the machine. Each run gets its own folder, so
    kernels of periods running in parallel never pick the same socket names.
    """
    with tempfile.TemporaryDirectory(prefix="reportlib-") as private:  # readable by this user only
        kernel_log = Path(private) / KERNEL_LOG
        config = Config({"NotebookClient": {"kernel_manager_class": QuietKernelManager},
                         "QuietKernelManager": {"log_file": str(kernel_log)}})
        if os.name == "posix":
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(private, "kernel")
        yield config, Path(private)
