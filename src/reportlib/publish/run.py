"""Produce one period's report: validate, execute the notebook, export, and publish atomically.

Inputs are checked first: an invalid or unreadable input stops the run before anything is written.
Everything is then written into a staging folder and swapped into place only when complete
(:mod:`reportlib.publish.folder`), so the published folder ``OUT/START_END`` always holds one whole
report. A failed notebook is kept as ``OUT/START_END.failed.ipynb``; a fault at the output (a
read-only folder, a full disk) is a message; in every failure the published report is left as it
was. The kernel's own log goes to a file, so a good run prints nothing but its progress.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
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

from reportlib import __version__
from reportlib.exceptions import InputUnreadable, NarrativeError, NotebookInvalid, RunFailed
from reportlib.figures.document import figures, to_json
from reportlib.paths import CLONE, DEFAULT_TIMEOUT, FORMATS, MANIFEST, REPORT_NOTEBOOK
from reportlib.periods import Period
from reportlib.publish.export import to_html, to_pdf
from reportlib.publish.folder import (
    check_apart,
    check_own,
    check_replaceable,
    failed_path,
    heal,
    locked,
    publish,
    recover,
    staging_path,
)
from reportlib.publish.freshness import Plan, plan, sha256
from reportlib.register.validate import load_register
from reportlib.report.narrative import narrative_path, published_text_problems, read_narrative

NOTEBOOK_FILE = "beretning.ipynb"
KERNEL_LOG = "kernel.log"
FIGURES_PARAMETER = "figurer"  # the report notebook's parameter for figures computed already


@dataclass(frozen=True)
class RunResult:
    """Where a period's report was published and what it contains."""

    period: Period
    folder: Path
    outputs: tuple[str, ...]
    skipped: bool = False  # the published report was current: nothing was run
    warnings: tuple[str, ...] = ()  # what the report lacks (missing chapters, charts without alt text)


def run_period(period: Period, *, data: Path, out: Path, formats: tuple[str, ...] = FORMATS,
               min_celle: int | None = None, notebook: Path = REPORT_NOTEBOOK, force: bool = False,
               timeout: int = DEFAULT_TIMEOUT, progress: Callable[[str], None] = lambda step: None) -> RunResult:
    """Produce and publish the report of one period.

    Parameters
    ----------
    period : Period
    data : Path
        The register folder (read only).
    out : Path
        The outputs folder; the report goes into ``out / period.slug``.
    formats : tuple of {"html", "pdf"}
        Which documents to write; the executed notebook, figures.json and manifest.json always are.
    min_celle : int, optional
        Small-cell threshold; None takes ``min_celle`` from kommune.yml.
    notebook : Path
        The report notebook to execute (the project's ``notebooks/beretning.ipynb`` or an analyst's variant).
    force : bool
        Run even when the published report is current (same cache key, files unchanged).
    timeout : int
        Seconds a notebook cell may run before the run is stopped (a hung kernel).
    progress : callable
        Called with a short description of each step as it starts.

    Returns
    -------
    RunResult

    Raises
    ------
    InputError
        Before anything is written, when an input is invalid or unreadable, or the report folder
        would overlap an input or replace a folder reportlib did not publish.
    RunBusy
        When another run of this period is in progress.
    RunFailed
        When the notebook or an export fails or times out, or the report cannot be written; the
        message says what was kept and that the published report is as it was.
    """
    started = dt.datetime.now(dt.UTC)
    data, notebook = data.resolve(), notebook.resolve()
    run_plan = plan(period, data=data, out=out, formats=formats, min_celle=min_celle, notebook=notebook)
    target = run_plan.target
    check_apart(target, register=data, inputs=[notebook])
    heal(target)
    check_own(target)
    if not force and run_plan.is_current():
        return RunResult(period, target, _files_in(target), skipped=True)
    runnable = check_notebook(notebook)
    progress("validating the register")
    # The register is read here only: the kernel gets these figures, and the tables are freed before it starts.
    document = figures(load_register(data), period, min_celle=min_celle)
    read_narrative(narrative_path(data, period))  # an unreadable narrative fails here, before any write

    with locked(target):
        recover(target)
        check_own(target)
        check_replaceable(target)
        staging = staging_path(target)
        try:
            staging.mkdir()
            warnings = _write_report(staging, period, data=data, formats=formats, min_celle=min_celle,
                                     notebook=runnable, document=document, run_plan=run_plan,
                                     started=started, timeout=timeout, progress=progress)
            progress(f"publishing {target}")
            publish(staging, target)
            failed_path(target).unlink(missing_ok=True)  # superseded by this good run
        except OSError as exc:  # the output folder: read-only, gone, or the disk is full
            raise RunFailed(f"{target}: cannot write the report ({exc.strerror or exc}: {exc.filename or ''}); "
                            "check that the folder is writable and the disk has room\n"
                            f"{_kept_message(target)}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RunResult(period, target, _files_in(target), warnings=warnings)


def _write_report(staging: Path, period: Period, *, data: Path, formats: tuple[str, ...], min_celle: int | None,
                  notebook: ReportNotebook, document: dict, run_plan: Plan, started: dt.datetime, timeout: int,
                  progress: Callable[[str], None]) -> tuple[str, ...]:
    """Execute the notebook and write every output file into ``staging``, the manifest last.

    Returns the export's warnings, which the manifest also records.
    """
    parameters = {"periode_start": period.start.isoformat(), "periode_slut": period.end.isoformat(),
                  "data_dir": str(data), "min_celle": -1 if min_celle is None else min_celle, "narrativ": ""}
    progress("running the report notebook")
    executed = _execute(notebook, staging / NOTEBOOK_FILE, parameters, document, run_plan.target, timeout)
    written, warnings = _export(executed, staging, formats, progress)
    (staging / "figures.json").write_text(to_json(document), encoding="utf-8")
    finished = dt.datetime.now(dt.UTC)
    manifest = {
        "reportlib": __version__,
        "period": period.as_dict(),
        "parameters": {**parameters, "formats": list(formats), "notebook": str(notebook.path)},
        "cache_key": run_plan.key,
        "inputs": run_plan.inputs,
        "environment": _environment(),
        "git": _git_state(),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 2),
        "outputs": {name: sha256(staging / name) for name in (*written, NOTEBOOK_FILE, "figures.json")},
        "warnings": list(warnings),
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return warnings


def _files_in(target: Path) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in target.iterdir()))


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

    fix = "give the path of a report notebook (.ipynb) with --notebook, or leave the option out"
    try:
        node = nbformat.read(notebook, as_version=4)
        nbformat.validate(node)
    except OSError as exc:
        raise InputUnreadable(f"{notebook}: cannot be read ({exc.strerror}); check the file's permissions") from None
    except Exception as exc:  # nbformat meets a broken file in many ways (JSON, schema, types); all mean the same
        reason = str(exc).splitlines()[0][:200]
        raise NotebookInvalid(f"{notebook}: not a Jupyter notebook ({type(exc).__name__}: {reason}); {fix}") from None
    kernel = (node.metadata.get("kernelspec") or {}).get("name") or "python3"
    if kernel != "python3" and kernel not in KernelSpecManager().find_kernel_specs():
        raise NotebookInvalid(f"{notebook}: runs in the kernel '{kernel}', which is not installed here; choose the "
                              "Python 3 kernel in JupyterLab (Kernel > Change Kernel) and save the notebook")
    problems = [problem for number, cell in enumerate(node.cells, start=1)
                if cell.cell_type == "markdown" and "remove-cell" not in cell.metadata.get("tags", [])
                for problem in published_text_problems(cell.source, lambda line, n=number: f"{notebook}: cell {n}, "
                                                                                           f"line {line}")]
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


def _execute(notebook: ReportNotebook, executed: Path, parameters: dict, document: dict, target: Path,
             timeout: int) -> nbformat.NotebookNode:
    with _kernel_config() as (config, private):
        handed = _hand_over(notebook, parameters, document, private)
        try:
            # Saved as it runs (0.05 s in all), so that a stopped run keeps the notebook as far as it got.
            return papermill.execute_notebook(notebook.path, executed, parameters=handed, cwd=notebook.path.parent,
                                              kernel_name=notebook.kernel, progress_bar=False, log_output=False,
                                              config=config, execution_timeout=timeout)
        except PapermillExecutionError as exc:
            os.replace(executed, failed_path(target))
            raise RunFailed(f"the report notebook failed at In [{exc.exec_count}]: {exc.ename}: {exc.evalue}\n"
                            f"the executed notebook, with the error, is kept at {failed_path(target)}\n"
                            f"{_kept_message(target)}") from None
        except CellTimeoutError:
            cell = _stopped_cell(executed)
            kept = _keep_failed(executed, target)
            raise RunFailed(f"the report notebook was stopped at {cell}: a cell ran longer than {timeout} seconds "
                            f"(--timeout); check the register's size or the cell for a loop\n{kept}"
                            f"{_kept_message(target)}") from None
        except DeadKernelError as exc:
            kept = _keep_failed(executed, target)
            raise RunFailed(f"the report notebook's kernel died: {exc}\n{_log_tail(private / KERNEL_LOG)}{kept}"
                            f"{_kept_message(target)}") from None


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
        return "a cell"
    stopped = [c for c in notebook.cells if c.cell_type == "code" and any(o.get("output_type") == "error"
                                                                          for o in c.get("outputs", []))]
    return f"In [{stopped[-1].execution_count}]" if stopped else "a cell"


def _keep_failed(executed: Path, target: Path) -> str:
    if not executed.exists():
        return ""
    os.replace(executed, failed_path(target))
    return f"the notebook as far as it ran is kept at {failed_path(target)}\n"


def _log_tail(kernel_log: Path, lines: int = 5) -> str:
    try:
        tail = kernel_log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "".join(f"  kernel: {line}\n" for line in tail)


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


def _export(executed: nbformat.NotebookNode, staging: Path, formats: tuple[str, ...],
            progress: Callable[[str], None]) -> tuple[list[str], tuple[str, ...]]:
    written = []
    progress("exporting HTML")
    export = to_html(executed)
    if "html" in formats:
        (staging / "beretning.html").write_text(export.html, encoding="utf-8")
        written.append("beretning.html")
    if "pdf" in formats:
        progress("laying out the PDF")
        (staging / "beretning.pdf").write_bytes(to_pdf(export.html))
        written.append("beretning.pdf")
    return written, export.warnings


def _kept_message(target: Path) -> str:
    if target.exists():
        return f"the published report in {target} was left as it was"
    return f"no report was published in {target}"


def _environment() -> dict:
    """Python, the platform, and every installed distribution's version, as package metadata says.

    All of them, not only reportlib's dependencies: what is importable can change a report (pandas
    uses numexpr and bottleneck when they are there). Set up from requirements.lock, that is the
    lock's packages for this platform, plus pip and reportlib itself.
    """
    versions: dict[str, str] = {}
    for dist in metadata.distributions():  # in sys.path order: the first of a name is the one imported
        if name := dist.metadata["Name"]:
            versions.setdefault(re.sub(r"[-_.]+", "-", name).lower(), dist.version)  # PEP 503, as the lock has them
    return {"python": platform.python_version(), "platform": platform.platform(),
            "packages": dict(sorted(versions.items()))}


def _git_state() -> dict | None:
    """The project's commit and whether the work tree differs from it; None outside a git clone."""
    if CLONE is None:  # installed from a wheel
        return None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=CLONE, capture_output=True, text=True,
                                check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=CLONE,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}
