"""Produce one period's report: validate, execute the notebook, export, and publish atomically.

Everything is written into a staging folder beside the target (``OUT/.START_END.partial-PID``) and
moved into place only when every file is complete, so the published folder ``OUT/START_END`` always
holds one whole report. A failed notebook is kept as ``OUT/START_END.failed.ipynb``; the published
report is left exactly as it was. Runs of the same period are serialised by a lock file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import filelock

from . import _fast_imports  # noqa: F401  (before nbformat: see there)

import nbformat
import papermill
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError
from traitlets.config import Config

from . import __version__
from .cache import MANIFEST, Plan, plan, sha256
from .exceptions import ReportlibError
from .figures import figures, to_json
from .narrative import narrative_path, read_narrative
from .paths import FORMATS, PROJECT_ROOT, REPORT_NOTEBOOK
from .periods import Period
from .render import to_html, to_pdf
from .validate import load_register

NOTEBOOK_FILE = "beretning.ipynb"
PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbformat", "ipykernel",
            "jinja2", "mistune", "weasyprint", "pydantic", "pyyaml")


class RunFailed(ReportlibError):
    """Raised when the notebook or an export fails; the published report is left as it was."""


class RunBusy(ReportlibError):
    """Raised when another run of the same period holds its lock."""


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
               progress: Callable[[str], None] = lambda step: None) -> RunResult:
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
    progress : callable
        Called with a short description of each step as it starts.

    Returns
    -------
    RunResult

    Raises
    ------
    RegisterInvalid, NarrativeError
        Before anything is written, when the inputs are invalid.
    RunBusy
        When another run of this period is in progress.
    RunFailed
        When the notebook or an export fails; the failed notebook's path is in the message.
    """
    started = dt.datetime.now(dt.timezone.utc)
    data, notebook = data.resolve(), notebook.resolve()
    run_plan = plan(period, data=data, out=out, formats=formats, min_celle=min_celle, notebook=notebook)
    target = run_plan.target
    if not force and run_plan.is_current():
        return RunResult(period, target, _published(target), skipped=True)
    progress("validating the register")
    register = load_register(data)
    read_narrative(narrative_path(data, period))  # an unreadable narrative fails here, before any write
    document = figures(register, period, min_celle=min_celle)

    out.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(out / f".{period.slug}.lock")
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise RunBusy(f"{target}: another run of this period is in progress; wait for it to finish "
                      f"(if none is, another machine may hold {lock.lock_file})") from None
    try:
        _recover(target)
        staging = target.with_name(f".{target.name}.partial-{os.getpid()}")
        staging.mkdir()
        try:
            warnings = _write_report(staging, period, data=data, formats=formats, min_celle=min_celle,
                                     notebook=notebook, document=document, run_plan=run_plan, started=started,
                                     progress=progress)
            progress(f"publishing {target}")
            _publish(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _failed_path(target).unlink(missing_ok=True)  # superseded by this good run
    finally:
        lock.release()
    return RunResult(period, target, _published(target), warnings=warnings)


def _write_report(staging: Path, period: Period, *, data: Path, formats: tuple[str, ...], min_celle: int | None,
                  notebook: Path, document: dict, run_plan: Plan, started: dt.datetime,
                  progress: Callable[[str], None]) -> tuple[str, ...]:
    """Execute the notebook and write every output file into ``staging``, the manifest last.

    Returns the export's warnings, which the manifest also records.
    """
    parameters = {"periode_start": period.start.isoformat(), "periode_slut": period.end.isoformat(),
                  "data_dir": str(data), "min_celle": -1 if min_celle is None else min_celle, "narrativ": ""}
    progress("running the report notebook")
    executed = _execute(notebook, staging / NOTEBOOK_FILE, parameters, run_plan.target)
    written, warnings = _export(executed, staging, formats, progress)
    (staging / "figures.json").write_text(to_json(document), encoding="utf-8")
    finished = dt.datetime.now(dt.timezone.utc)
    manifest = {
        "reportlib": __version__,
        "period": period.as_dict(),
        "parameters": {**parameters, "formats": list(formats), "notebook": str(notebook)},
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


def _published(target: Path) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in target.iterdir()))


def _execute(notebook: Path, executed: Path, parameters: dict, target: Path) -> nbformat.NotebookNode:
    try:
        with _kernel_config() as config:
            # No save after every cell: the notebook is written once at the end, and with the error
            # banner when a cell fails, which is all a report run needs.
            return papermill.execute_notebook(notebook, executed, parameters=parameters, cwd=notebook.parent,
                                              progress_bar=False, log_output=False, config=config,
                                              request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        failed = _failed_path(target)
        os.replace(executed, failed)
        raise RunFailed(f"the report notebook failed at In [{exc.exec_count}]: {exc.ename}: {exc.evalue}\n"
                        f"the executed notebook, with the error, is kept at {failed}\n"
                        f"{_kept_message(target)}") from None
    except (DeadKernelError, CellTimeoutError) as exc:
        kept = ""
        if executed.exists():
            os.replace(executed, _failed_path(target))
            kept = f"the notebook as far as it ran is kept at {_failed_path(target)}\n"
        raise RunFailed(f"the report notebook could not finish: {exc}\n{kept}{_kept_message(target)}") from None


@contextlib.contextmanager
def _kernel_config() -> Iterator[Config]:
    """Talk to the kernel over Unix sockets in a private temporary folder, where the system has them.

    Localhost TCP, the default, can be listened to by other users of the machine. Each run gets its
    own folder, so kernels of periods running in parallel never pick the same socket names.
    """
    if os.name != "posix":
        yield Config()
        return
    with tempfile.TemporaryDirectory(prefix="reportlib-") as sockets:  # created readable by this user only
        yield Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets, "kernel")}})


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


def _publish(staging: Path, target: Path) -> None:
    """Swap the staged folder into place; a crash between the renames is undone by :func:`_recover`."""
    retired = target.with_name(f".{target.name}.retired")
    if target.exists():
        os.replace(target, retired)  # no retired folder is left: _recover ran under the same lock
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def _recover(target: Path) -> None:
    """Undo what a run killed mid-way left: restore a retired report, drop stale staging folders.

    Called under the period's lock, so no other run is using them.
    """
    retired = target.with_name(f".{target.name}.retired")
    if retired.exists():
        if target.exists():
            shutil.rmtree(retired)
        else:
            os.replace(retired, target)
    for stale in target.parent.glob(f".{target.name}.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _failed_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.failed.ipynb")


def _kept_message(target: Path) -> str:
    if target.exists():
        return f"the published report in {target} was left as it was"
    return f"no report was published in {target}"


def _environment() -> dict:
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"python": platform.python_version(), "platform": platform.platform(), "packages": versions}


def _git_state() -> dict | None:
    """The project's commit and whether the work tree differs from it; None outside a git clone."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}
