"""Produce one period's report: validate, execute the notebook, export, and publish atomically.

Everything is written into a staging folder beside the target (``OUT/.START_END.partial-PID``) and
moved into place only when every file is complete, so the published folder ``OUT/START_END`` always
holds one whole report. A failed notebook is kept as ``OUT/START_END.failed.ipynb``; the published
report is left exactly as it was. Runs of the same period are serialised by a lock file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import filelock
import nbformat
import papermill
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError
from traitlets.config import Config

from . import __version__
from .exceptions import ReportlibError
from .figures import figures, to_json
from .io import source_files
from .narrative import narrative_path, read_narrative
from .paths import PROJECT_ROOT, REPORT_NOTEBOOK
from .periods import Period
from .render import to_html, to_pdf
from .report import title
from .validate import load_register

FORMATS = ("html", "pdf")
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


def run_period(period: Period, *, data: Path, out: Path, formats: tuple[str, ...] = FORMATS,
               min_celle: int | None = None, notebook: Path = REPORT_NOTEBOOK,
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
        The report notebook to execute.
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
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    progress("validating the register")
    data = data.resolve()
    register = load_register(data)
    narrative = narrative_path(data, period)
    read_narrative(narrative)  # a narrative that cannot be read fails here, before anything is written
    document = figures(register, period, min_celle=min_celle)

    out.mkdir(parents=True, exist_ok=True)
    target = out / period.slug
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
            parameters = {"periode_start": period.start.isoformat(), "periode_slut": period.end.isoformat(),
                          "data_dir": str(data), "min_celle": -1 if min_celle is None else min_celle,
                          "narrativ": ""}
            progress("running the report notebook")
            executed = _execute(notebook, staging / NOTEBOOK_FILE, parameters, target)
            document_title = title(register.kommune, period)
            written = _export(executed, document_title, staging, formats, progress)
            (staging / "figures.json").write_text(to_json(document), encoding="utf-8")
            inputs = [*source_files(data), data / "kommune.yml", notebook] + ([narrative] if narrative.is_file() else [])
            manifest = {
                "reportlib": __version__,
                "period": period.as_dict(),
                "parameters": {**parameters, "formats": list(formats)},
                "inputs": {_shown(path, data): _sha256(path) for path in inputs},
                "environment": _environment(),
                "git": _git_state(),
                "started": started.isoformat(timespec="seconds"),
                "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "duration_s": round(time.perf_counter() - clock, 2),
                "outputs": {name: _sha256(staging / name) for name in (*written, NOTEBOOK_FILE, "figures.json")},
            }
            (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
            progress(f"publishing {target}")
            _publish(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _failed_path(target).unlink(missing_ok=True)  # superseded by this good run
    finally:
        lock.release()
    return RunResult(period, target, tuple(sorted(p.name for p in target.iterdir())))


def _execute(notebook: Path, executed: Path, parameters: dict, target: Path) -> nbformat.NotebookNode:
    # Where available, talk to the kernel over Unix sockets readable by this user only, not over
    # localhost TCP, which other users of the machine could listen to.
    config = Config({"KernelManager": {"transport": "ipc"}}) if os.name == "posix" else Config()
    try:
        return papermill.execute_notebook(notebook, executed, parameters=parameters, cwd=notebook.parent,
                                          progress_bar=False, log_output=False, config=config)
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


def _export(executed: nbformat.NotebookNode, document_title: str, staging: Path, formats: tuple[str, ...],
            progress: Callable[[str], None]) -> list[str]:
    written = []
    progress("exporting HTML")
    html = to_html(executed, document_title)
    if "html" in formats:
        (staging / "beretning.html").write_text(html, encoding="utf-8")
        written.append("beretning.html")
    if "pdf" in formats:
        progress("laying out the PDF")
        (staging / "beretning.pdf").write_bytes(to_pdf(html))
        written.append("beretning.pdf")
    return written


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _shown(path: Path, data: Path) -> str:
    """Name an input relative to the register folder, or to the project for the notebook."""
    for base in (data, PROJECT_ROOT):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return str(path)


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
