"""Run the report notebook in a kernel of its own: check it, hand it its parameters, keep what a failure left.

The kernel talks over a private folder's sockets and logs there, so a good run prints nothing but
its progress and a failed one says which cell stopped and keeps the notebook as far as it ran.

A single run starts a kernel for its period and shuts it down after. A batch's worker process
(``keep_kernel``) keeps one started for its next period instead, which saves the kernel's start and
its imports, a few seconds a period. The kernel is started with the worker's first period, through
papermill's own nbclient engine, registered here under another name and given the kept kernel's
manager; before each period's first cell the host makes it what a new kernel would be for that
period (:mod:`reportlib.report.session`: the namespace, ``In [1]``, the figures, matplotlib's
settings, the environment the kernel is handed, the caches), in code the kernel runs hidden, which
the executed notebook does not show. The report notebook's executed notebook, and so its report,
are those a new kernel gives, byte for byte. A period whose notebook fails, times out or kills its
kernel fails with the message a new kernel's would give, and its kernel is shut down: the next
period starts a new one. A kernel kept is shut down, and its private folder removed, when its
process ends; another notebook gets a kernel of its own (the kept one is shut down), and a kernel
other than Python's is never kept.

The kernel is handed absolute paths (the register folder, the figures, the network's); the
executed notebook, published or kept, names them as a reader can know them, and the paths in what
its cells printed, warned or raised within their folders (:func:`_published`).
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import functools
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
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.log import logger as papermill_logger
from papermill.translators import translate_parameters
from papermill.utils import nb_language, remove_args
from traitlets import Unicode
from traitlets.config import Config

from reportlib import environment, inputs
from reportlib.exceptions import InputUnreadable, KernelNotFresh, NarrativeError, NotebookInvalid, RunFailed
from reportlib.figures.document import to_json
from reportlib.language import _
from reportlib.publish.folder import failed_path, kept_message
from reportlib.publish.freshness import code_digest
from reportlib.publish.manifest import known_as, known_parameters, machine_folders, unmachined
from reportlib.report.narrative import published_text_problems
from reportlib.report.outputs import WARNING_MIMETYPE

KERNEL_LOG = "kernel.log"
FIGURES_PARAMETER = "figurer"  # the report notebook's parameter for figures computed already
KEPT_ENGINE = "reportlib-kept-kernel"  # papermill's engine name for a notebook run in the kept kernel
SESSION = "reportlib.report.session"  # what the kept kernel runs hidden, before each period


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
            timeout: int, read: Iterable[tuple[Path, inputs.Limit]] = (), *,
            keep_kernel: bool = False) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters``, saving it to ``executed`` as it runs, and return it as it is published.

    ``document`` is the period's figures, handed to a notebook that declares ``figurer``; ``read`` are
    the files the report reads, handed to the kernel as this process read them (:mod:`reportlib.inputs`).
    ``target`` is the report folder, beside which a failed notebook is kept. The notebook saved and
    returned, and the one kept, hold no path of this machine (:func:`_published`). With
    ``keep_kernel`` (a batch's worker) the notebook runs in the kernel this process keeps between
    periods, made fresh for it; otherwise in a new kernel, shut down after.

    Raises
    ------
    RunFailed
        When a cell raises, a cell runs longer than ``timeout`` seconds, or the kernel dies; the
        message names the cell and where the notebook was kept.
    """
    with _kept_kernel(notebook) if keep_kernel and _in_python(notebook.kernel) else _new_kernel() as kernel:
        handed = _hand_over(notebook, parameters, document, kernel.folder)
        try:
            # Saved as it runs (0.05 s in all), so that a stopped run keeps the notebook as far as it got; the
            # kernel reads the inputs the run has read from what it is handed.
            with environment.scoped({inputs.HANDED_VARIABLE: str(inputs.hand_over(read, kernel.folder))}):
                ran = papermill.execute_notebook(notebook.path, executed, parameters=handed,
                                                 cwd=notebook.path.parent, kernel_name=notebook.kernel,
                                                 progress_bar=False, log_output=False,
                                                 execution_timeout=timeout, **kernel.engine)
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
                error=exc, log=_log_tail(kernel.log), kept=kept, published=kept_message(target))) from None
        except KernelNotFresh as exc:
            raise RunFailed(_("the kernel this worker kept from its period before could not be made fresh for this "
                              "one ({error}: {message}); its next period starts a new kernel, so run this period "
                              "again\n{published}").format(error=exc.ename, message=exc.evalue,
                                                           published=kept_message(target))) from None
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


@dataclass(frozen=True)
class _Kernel:
    """The kernel one period's notebook runs in, as :func:`execute` needs it."""

    folder: Path  # a private folder for what the period hands the kernel (its figures, its inputs)
    log: Path  # the kernel process's own output
    engine: dict  # papermill's arguments that choose the kernel


@contextlib.contextmanager
def _new_kernel() -> Iterator[_Kernel]:
    """A kernel of the period's own: papermill starts it in a private folder, and shuts it down after."""
    with _kernel_config() as (config, private):
        yield _Kernel(private, private / KERNEL_LOG, {"config": config})


@functools.cache
def _in_python(kernel: str) -> bool:
    """Tell whether the kernel named ``kernel`` runs Python, which :mod:`reportlib.report.session` is written in."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().get_kernel_spec(kernel).language.lower() == "python"
    except NoSuchKernel:
        return False


class _KeptKernel:
    """A kernel kept started for a process's periods, in a private folder of its own (:func:`_kernel_config`)."""

    def __init__(self, notebook: ReportNotebook) -> None:
        self.key = _key(notebook)
        self._private = contextlib.ExitStack()
        self.config, self.private = self._private.enter_context(_kernel_config())
        self.manager = QuietKernelManager(kernel_name=notebook.kernel, config=self.config)
        self.started_in: dict[str, str] | None = None  # the environment it was started in, once it has been
        # Whether it can be made fresh for another period: a kernel that imported reportlib.report.session.
        self.reusable = False

    def changes(self) -> dict[str, str | None]:
        """The environment variables a kernel started now would have otherwise than this one was started with."""
        now, then = os.environ, self.started_in or {}
        return {name: now.get(name) for name in sorted(now.keys() | then.keys()) if now.get(name) != then.get(name)}

    def alive(self) -> bool:
        """Tell whether the kernel is still running, or has not started yet."""
        return not self.manager.has_kernel or run_sync(self.manager.is_alive)()

    def stop(self, *, now: bool) -> None:
        """Shut the kernel down (at once with ``now``, else as nbclient does), then remove its private folder."""
        try:
            with contextlib.suppress(Exception):  # a kernel that died is gone already
                if self.manager.has_kernel:
                    run_sync(self.manager.shutdown_kernel)(now=now)
        finally:
            self._private.close()


_kept: _KeptKernel | None = None


@dataclass(frozen=True)
class _Key:
    """What a kept kernel is kept for: one notebook, in one kernel, with reportlib's code as it was."""

    notebook: Path
    kernel: str
    code: str  # reportlib's source changed since (a worker's checkout updated): a new kernel imports it


def _key(notebook: ReportNotebook) -> _Key:
    return _Key(notebook.path, notebook.kernel, code_digest())


def stop_kept_kernel(*, now: bool = False) -> None:
    """Shut down the kernel this process keeps between periods, if it keeps one, and remove its private folder.

    Run when the process ends; a later period that keeps its kernel starts a new one.
    """
    global _kept
    kept, _kept = _kept, None
    if kept is not None:
        kept.stop(now=now)


atexit.register(stop_kept_kernel)


@contextlib.contextmanager
def _kept_kernel(notebook: ReportNotebook) -> Iterator[_Kernel]:
    """The kernel this process keeps, started by papermill for its first period and kept for the next.

    Another notebook, or one of another kernel, or reportlib's code changed since the kept kernel
    started, shuts it down and starts a kernel of its own, as does a period after the kept kernel
    died. A period that fails in the kernel (a cell that raises, a timeout, a kernel that dies) shuts
    it down.
    """
    global _kept
    if _kept is not None and _kept.key != _key(notebook):
        stop_kept_kernel()
    if _kept is not None and not _kept.alive():  # it died between two periods (killed, out of memory)
        stop_kept_kernel(now=True)
    if _kept is None:
        _kept = _KeptKernel(notebook)
    kept, keep = _kept, False
    with contextlib.suppress(OSError):  # the kernel appends: its log holds this period's lines alone
        os.truncate(kept.private / KERNEL_LOG, 0)
    try:
        with tempfile.TemporaryDirectory(prefix="period-", dir=kept.private) as folder:
            yield _Kernel(Path(folder), kept.private / KERNEL_LOG,
                          {"engine_name": KEPT_ENGINE, "kept": kept, "config": kept.config})
        keep = kept.reusable
    finally:
        if not keep and _kept is kept:
            stop_kept_kernel(now=True)


class _KeptClient(PapermillNotebookClient):
    """papermill's notebook client in the kept kernel: made fresh before the first cell, its channels closed after.

    nbclient starts the kernel if it has not started (as it starts one of its own), and leaves a
    kernel it was given running.
    """

    def __init__(self, nb_man, kept: _KeptKernel, **kw) -> None:
        super().__init__(nb_man, km=kept.manager, **kw)
        self.kept = kept
        self.on_notebook_start = self._make_fresh

    def execute(self, **kwargs) -> nbformat.NotebookNode:
        try:
            return super().execute(**kwargs)
        except BaseException:
            # Shut down as nbclient shuts its own kernel down, before papermill saves the notebook a last time:
            # interrupted, a cell that timed out shows where it stopped, as in a new kernel.
            self.kept.reusable = False
            with contextlib.suppress(Exception):  # what is left of it is shut down after the period
                self._cleanup_kernel()
            raise
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None

    async def _make_fresh(self, notebook: nbformat.NotebookNode, **_hook) -> None:
        kept = self.kept
        if kept.started_in is None:  # just started, in this process's environment as it is now
            kept.started_in = dict(os.environ)
            warmed = await self._hidden(f"__import__({SESSION!r}, fromlist=['_']).warm_up({_imports(notebook)!r})")
            kept.reusable = warmed["status"] == "ok"  # else it runs this period as a new kernel and is not kept
        if kept.reusable:
            made = await self._hidden(f"__import__({SESSION!r}, fromlist=['_']).fresh("
                                      f"{kept.changes()!r}, {str(kept.key.notebook.parent)!r})")
            if made["status"] != "ok":
                kept.reusable = False
                raise KernelNotFresh(made.get("ename", ""), made.get("evalue", ""))

    async def _hidden(self, code: str) -> dict:
        """Run ``code`` in the kernel as no cell: silent, out of the history, within the kernel's start-up timeout."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        timeout, self.timeout = self.timeout, self.startup_timeout
        try:
            reply = await self.async_wait_for_reply(msg_id)
        finally:
            self.timeout = timeout
        return reply["content"] if reply is not None else {"status": "error"}


def _imports(node: nbformat.NotebookNode) -> list[str]:
    """The import statements of the notebook's code cells, each once: the kept kernel runs them as it warms up."""
    statements: dict[str, None] = {}
    for cell in (c for c in node.cells if c.cell_type == "code"):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython's own syntax (a magic), or a cell that fails when it runs
            continue
        statements.update(dict.fromkeys(ast.unparse(statement) for statement in tree.body
                                        if isinstance(statement, ast.Import | ast.ImportFrom)))
    return list(statements)


class _KeptKernelEngine(NBClientEngine):
    """papermill's nbclient engine with the kept kernel (``kept``) in place of a kernel of its own."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, *, kept: _KeptKernel, log_output=False,
                                 stdout_file=None, stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs) -> nbformat.NotebookNode:
        # The client as NBClientEngine makes it.
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        return _KeptClient(nb_man, kept, timeout=execution_timeout, startup_timeout=start_timeout,
                           kernel_name=kernel_name, log=papermill_logger, log_output=log_output,
                           stdout_file=stdout_file, stderr_file=stderr_file, **kwargs).execute()


papermill_engines.register(KEPT_ENGINE, _KeptKernelEngine)
