"""Run the report notebook in a kernel of its own: check it, hand it its parameters, keep what a failure left.

The kernel talks over a private folder's sockets and logs there, so a good run prints nothing but
its progress and a failed one says which cell stopped and keeps the notebook as far as it ran.

The kernel is handed absolute paths (the register folder, the figures, the network's); the
executed notebook, published or kept, names them as a reader can know them, and the paths in what
its cells printed, warned or raised within their folders (:func:`_published`).
"""

from __future__ import annotations

import ast
import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlib import _fast_imports  # noqa: F401  (before nbformat: see there)

# isort: split
import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError
from papermill.translators import translate_parameters
from papermill.utils import nb_language
from traitlets import Unicode
from traitlets.config import Config

from reportlib import environment, inputs
from reportlib.exceptions import InputUnreadable, NarrativeError, NotebookInvalid, RunFailed
from reportlib.figures.document import to_json
from reportlib.language import _
from reportlib.publish.folder import failed_path, kept_message
from reportlib.publish.manifest import known_as, known_parameters, machine_folders, unmachined
from reportlib.report.narrative import published_text_problems
from reportlib.report.outputs import WARNING_MIMETYPE

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
            timeout: int, read: Iterable[tuple[Path, inputs.Limit]] = ()) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters``, saving it to ``executed`` as it runs, and return it as it is published.

    ``document`` is the period's figures, handed to a notebook that declares ``figurer``; ``read`` are
    the files the report reads, handed to the kernel as this process read them (:mod:`reportlib.inputs`).
    ``target`` is the report folder, beside which a failed notebook is kept. The notebook saved and
    returned, and the one kept, hold no path of this machine (:func:`_published`).

    Raises
    ------
    RunFailed
        When a cell raises, a cell runs longer than ``timeout`` seconds, or the kernel dies; the
        message names the cell and where the notebook was kept.
    """
    with _kernel_config() as (config, private):
        handed = _hand_over(notebook, parameters, document, private)
        try:
            # Saved as it runs (0.05 s in all), so that a stopped run keeps the notebook as far as it got; the
            # kernel reads the inputs the run has read from what it is handed.
            with environment.scoped({inputs.HANDED_VARIABLE: str(inputs.hand_over(read, private))}):
                ran = papermill.execute_notebook(notebook.path, executed, parameters=handed,
                                                 cwd=notebook.path.parent, kernel_name=notebook.kernel,
                                                 progress_bar=False, log_output=False, config=config,
                                                 execution_timeout=timeout)
        except PapermillExecutionError as exc:
            _keep(executed, target, notebook, handed)
            raise RunFailed(_("the report notebook failed at In [{count}]: {error}: {message}\n"
                              "the executed notebook, with the error, is kept at {kept}\n"
                              "{published}").format(count=exc.exec_count, error=exc.ename, message=exc.evalue,
                                                    kept=failed_path(target), published=kept_message(target))) from None
        except CellTimeoutError:
            cell = _stopped_cell(executed)
            kept = _keep_failed(executed, target, notebook, handed)
            raise RunFailed(_("the report notebook was stopped at {cell}: a cell ran longer than {timeout} seconds "
                              "(--timeout); check the register's size or the cell for a loop\n{kept}"
                              "{published}").format(cell=cell, timeout=timeout, kept=kept,
                                                    published=kept_message(target))) from None
        except DeadKernelError as exc:
            kept = _keep_failed(executed, target, notebook, handed)
            raise RunFailed(_("the report notebook's kernel died: {error}\n{log}{kept}{published}").format(
                error=exc, log=_log_tail(private / KERNEL_LOG), kept=kept, published=kept_message(target))) from None
        published = _published(ran, notebook, handed, executed.name)  # while the figures handed over still exist
    nbformat.write(published, executed)
    return published


def _published(node: nbformat.NotebookNode, notebook: ReportNotebook, handed: dict,
               name: str) -> nbformat.NotebookNode:
    """Rewrite the executed ``node`` as it is written to ``name``: with nothing of the machine in it.

    The published folder is public. The parameters handed to the kernel are named as a reader can
    know them (:func:`~reportlib.publish.manifest.known_parameters`: ``data/raw`` or the register
    folder's name, ``figures.json``, the network's file name) in papermill's injected cell and in
    its record of the run, which also names the notebook run (``input_path``, as the manifest does)
    and the file itself (``output_path``). A path in what a cell printed, warned, raised or showed
    as text or as a warning for the run is written within its folder
    (:func:`~reportlib.publish.manifest.unmachined`: ``site-packages/...``, ``~/...``). Code and rich
    outputs (HTML, images) are left as they ran.
    """
    shown = known_parameters(handed)
    injected = next((c for c in node.cells if "injected-parameters" in c.metadata.get("tags", [])), None)
    if injected is not None:  # papermill's own words, as it wrote the cell
        injected.source = translate_parameters(notebook.kernel, nb_language(node), shown, "Parameters")
    if "papermill" in node.metadata:
        node.metadata.papermill.update(parameters=shown, input_path=known_as(notebook.path), output_path=name)
    folders = machine_folders({notebook.path.parent: known_as(notebook.path.parent),
                               **{handed[key]: shown[key] for key in handed if shown[key] != handed[key]}})
    for output in (output for cell in node.cells for output in cell.get("outputs", [])):
        if output.get("output_type") == "stream":
            output.text = unmachined(output.text, folders)
        elif output.get("output_type") == "error":
            output.evalue = unmachined(output.evalue, folders)
            output.traceback = [unmachined(line, folders) for line in output.traceback]
        data = output.get("data", {})
        if isinstance(data.get("text/plain"), str):
            data["text/plain"] = unmachined(data["text/plain"], folders)
        if isinstance(data.get(WARNING_MIMETYPE, {}).get("message"), str):  # what the manifest's warnings are
            data[WARNING_MIMETYPE]["message"] = unmachined(data[WARNING_MIMETYPE]["message"], folders)
    return node


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


def _keep_failed(executed: Path, target: Path, notebook: ReportNotebook, handed: dict) -> str:
    if not executed.exists():
        return ""
    _keep(executed, target, notebook, handed)
    return _("the notebook as far as it ran is kept at {kept}").format(kept=failed_path(target)) + "\n"


def _keep(executed: Path, target: Path, notebook: ReportNotebook, handed: dict) -> None:
    """Keep a failed run's notebook beside the report folder, with nothing of the machine in it.

    It is kept in the outputs folder, which is often shared or copied whole to where the reports
    are read; its tracebacks name their files within site-packages, the clone or ``~``, which
    says where to look as well as the full path would.
    """
    kept = failed_path(target)
    try:
        node = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):  # not a notebook papermill finished writing: kept as it is, to read
        os.replace(executed, kept)
        return
    nbformat.write(_published(node, notebook, handed, kept.name), executed)
    os.replace(executed, kept)


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
