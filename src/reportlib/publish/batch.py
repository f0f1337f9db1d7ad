"""Run many periods at once: worker processes or a Dask cluster, a progress bar, and one outcome per period.

A period that fails is reported and the others carry on. Locally each worker is a fresh
interpreter (``spawn``), the same on Linux, macOS and Windows; it imports reportlib once and then
runs its share of the periods, all in one notebook kernel that it keeps started, made fresh for
each period (:mod:`reportlib.publish.execute`; a Dask worker keeps one too). Given a scheduler's
address, the periods go to an existing Dask cluster instead, through ``distributed``'s executor and
the same futures: its workers read the register folders and write the outputs folder, which they
see at the same paths as this process, and a period whose worker dies is run again on another. A
period whose worker the batch loses for good (a scheduler gone, a process pool broken) is told by
what its report folder holds: published meanwhile, still being written, or as it was. Every period
carries the code it was submitted with (:func:`reportlib.publish.manifest.code_identity`): a worker
that runs other code (another checkout, other packages) runs nothing and the period fails. A batch
may span several registers, one per municipality, each published in a folder of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import multiprocessing
import os
import platform
import re
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from reportlib import language
from reportlib.exceptions import BatchRefused, ClusterUnusable, ReportlibError
from reportlib.language import N_, _
from reportlib.paths import MANIFEST
from reportlib.periods import Period
from reportlib.publish.folder import lock_path, settled
from reportlib.publish.freshness import Plan, is_current, sha256
from reportlib.publish.manifest import code_identity
from reportlib.publish.run import plan_for, reserve_figures, run_period

if TYPE_CHECKING:
    from reportlib.register.model import Register

# Marked for translation: the command line shows a period's status translated, with _(outcome.status).
MADE, CURRENT, FAILED = N_("made"), N_("up to date"), N_("failed")
# A period the batch lost contact with while a run was writing its report folder: its outcome is not known yet.
RUNNING = N_("still running")

# distributed's loggers and those of the libraries it runs on, silent while a batch uses a cluster: a lost
# scheduler is told in one line of reportlib's and each period by its folder, not in their tracebacks.
DASK_LOGGERS = ("distributed", "tornado", "asyncio")

# Seconds to wait for the scheduler to answer, and for its first worker: a wrong address is told at once.
CONNECT_TIMEOUT = 5


@dataclass(frozen=True)
class Job:
    """One period of one register, and the outputs folder its report goes into (``out / period.slug``)."""

    period: Period
    data: Path
    out: Path
    kommune: str = ""  # the municipality, named in the progress and the summary of a batch of several


@dataclass(frozen=True)
class Outcome:
    """What happened to one period: made, up to date (skipped) or failed, with the error message."""

    period: Period
    status: str
    folder: Path
    message: str = ""
    warnings: tuple[str, ...] = ()
    kommune: str = ""


def municipality_folder(kommune: str) -> str:
    """Name a municipality's folder in a batch of several: ``Ballerup Kommune`` -> ``ballerup-kommune``.

    Lower-case ASCII letters, digits and hyphens only, the Danish letters spelled out (æ ae, ø oe,
    å aa) and other accents dropped: the same name on every file system, and never a path of its own
    (no separator, no ``..``). Empty when the name has no letter or digit.
    """
    text = kommune.casefold()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def municipality_folders(registers: list[tuple[Path, str]]) -> list[str]:
    """Name the outputs folder of each register of a batch, given as (register folder, its ``kommune``).

    Raises
    ------
    BatchRefused
        Before anything runs, when a name gives no folder name or two registers give the same one
        (the same register given twice among them).
    """
    taken: dict[str, Path] = {}
    for data, kommune in registers:
        name = municipality_folder(kommune)
        if not name:
            raise BatchRefused(_("{data}: kommune '{kommune}' in kommune.yml gives no folder name; write the "
                                 "municipality's name with letters, e.g. 'Ballerup Kommune'")
                               .format(data=data, kommune=kommune))
        if name in taken:
            raise BatchRefused(_("{first} and {second}: both registers would publish into the folder {name} "
                                 "(kommune '{kommune}'); give each municipality's register once, or tell them apart "
                                 "by kommune in their kommune.yml").format(first=taken[name], second=data, name=name,
                                                                            kommune=kommune))
        taken[name] = data
    return list(taken)


def plan_batch(registers: list[Path], out: Path, period_text: str | None, *, load: Callable[[Path], Register],
               warn: Callable[[str], None], notebook: Path, today: dt.date, scheduler: str | None = None,
               **_options) -> list[Job]:
    """The jobs of a batch: the period named (or every one covered) of each register, each into its folder.

    The registers are loaded one at a time by ``load`` (the caller's: it reports an invalid one); what
    the user should know of one (tracked personal data, no period to report among several) goes to
    ``warn``. Several registers publish into ``OUT/<municipality>/``; with a ``scheduler`` ``out`` is
    absolute, since a worker elsewhere has no current folder of ours.

    Raises
    ------
    PeriodError
        When the period named cannot be reported for a register.
    BatchRefused
        When no register has a period to report, or two registers would share a folder.
    OutputRefused
        When a report folder would overlap a register or the notebook, or replace a folder not published.
    """
    from reportlib.figures import coverage
    from reportlib.publish.folder import check_apart, check_own
    from reportlib.register.privacy import tracked_personal_data

    several = len(registers) > 1
    out = Path(os.path.abspath(out)) if scheduler is not None else out
    found: list[tuple[Path, str, list[Period]]] = []  # a list: a folder given twice is refused, not merged
    for data in registers:
        register = load(data)
        for warning in tracked_personal_data(data):
            warn(warning)
        periods = ([coverage.check_period(register, coverage.named_period(period_text, register, today), today)]
                   if period_text is not None else coverage.covered_periods(register, today=today))
        found.append((data, register.kommune.kommune, periods))
        del register  # one register in memory at a time
        if not periods:
            message = _("{data}: no reporting year or half-year has ended with data in the register, within the "
                        "days it is complete for").format(data=data)
            if not several:
                raise BatchRefused(message)
            warn(message)  # a municipality new this year holds up no one else's reports
    folders = municipality_folders([(data, kommune) for data, kommune, _periods in found]) if several else [""]
    work = [Job(period, data, out / folder, kommune if several else "")
            for (data, kommune, periods), folder in zip(found, folders, strict=True) for period in periods]
    if not work:
        raise BatchRefused(_("no reporting year or half-year has ended with data in any of the registers, within the "
                             "days they are complete for"))
    for target in (job.out / job.period.slug for job in work):
        for data in registers:  # no report of one municipality may land in another's register
            check_apart(target, register=data, inputs=[notebook])
        check_own(target)  # once a folder, not once for every register
    return work


def check_scheduler(address: str) -> str:
    """Return a Dask scheduler's address as given, or raise ValueError saying what is wrong with its form."""
    from distributed.comm.addressing import get_address_host_port, parse_address
    from distributed.comm.registry import get_backend

    get_backend(parse_address(address, strict=True)[0])
    get_address_host_port(address)
    return address


def run_periods(periods: list[Period], *, jobs: int, data: Path, out: Path, scheduler: str | None = None,
                **options) -> list[Outcome]:
    """Produce the report of every period of one register, ``jobs`` at a time, with a progress bar on stderr.

    Parameters
    ----------
    periods : list of Period
    jobs : int
        How many periods run at once (locally).
    data, out : Path
        The register folder and the outputs folder.
    scheduler : str, optional
        A Dask scheduler's address: the periods run on its workers instead (see :func:`run_jobs`).
    **options
        Passed to :func:`reportlib.publish.run.run_period` (``formats``, ``notebook``, ...).

    Returns
    -------
    list of Outcome
        In the order of ``periods``.
    """
    return run_jobs([Job(period, data, out) for period in periods], jobs=jobs, scheduler=scheduler, **options)


def run_jobs(work: list[Job], *, jobs: int = 1, scheduler: str | None = None,
             started: Callable[[int], None] = lambda at_once: None,
             warn: Callable[[str], None] = lambda message: None, **options) -> list[Outcome]:
    """Produce the report of every job, of one register or several, with a progress bar on stderr.

    Parameters
    ----------
    work : list of Job
    jobs : int
        How many periods run at once in local worker processes.
    scheduler : str, optional
        A Dask scheduler's address (``tcp://HOST:8786``): the periods run on its workers, as many at
        once as they have threads, and ``jobs`` is not used. Its workers must see the register
        folders, the notebook and the outputs folder at the paths given here (absolute ones), and
        run the same reportlib and packages as this process: a period given to one that does not fails.
    started : callable
        Called with the number of periods that run at once, when the workers are ready.
    warn : callable
        Called with one line when the batch loses contact with the Dask scheduler.
    **options
        Passed to :func:`reportlib.publish.run.run_period` (``formats``, ``notebook``, ``force``, ...).

    Returns
    -------
    list of Outcome
        In the order of ``work``. A period whose worker was lost is told by its report folder
        (:func:`_after_loss`): ``made`` if the report of this batch was published there meanwhile,
        ``still running`` while a run holds the period's lock, else ``failed`` (or ``up to date``).

    Raises
    ------
    ClusterUnusable
        Before any period runs, when the scheduler cannot be reached, has no worker, or has a worker
        that runs more than one thread.
    """
    outcomes: dict[Job, Outcome] = {}
    lost: dict[Job, Exception] = {}
    # Carried with every period: a Dask worker does not inherit this process's environment.
    sprog, code = language.current(), code_identity()
    with contextlib.ExitStack() as reservations, _executor(scheduler, jobs, len(work)) as (executor, at_once):
        plans = {job: _plan(job, options) for job in work}
        figures = _figures_in_order(work, plans, reservations, options)
        started(at_once)
        # What each report folder held when its period was handed out: a lost period is told by what changed since.
        before = {job: _published(job.out / job.period.slug) for job in work}
        # The bar hides itself when stderr is not a terminal (cron); the summary is printed either way.
        with tqdm(total=len(work), unit=_("period"), disable=None) as bar:
            futures = {executor.submit(run_one, job.period, code=code, data=job.data, out=job.out,
                                       kommune=job.kommune, sprog=sprog, figures=figures.get(job), **options): job
                       for job in work}
            bar.set_postfix_str(_counts(len(work), 0, at_once))
            for future in as_completed(futures):
                job = futures[future]
                try:
                    outcomes[job] = future.result()
                except Exception as exc:  # the worker itself was lost: a process pool broken, a Dask worker died
                    if _scheduler_lost(exc) and not any(map(_scheduler_lost, lost.values())):
                        with tqdm.external_write_mode():  # one line, however many periods it had
                            warn(_("{address}: lost contact with the Dask scheduler; the summary tells each period "
                                   "not done by what its report folder holds").format(address=scheduler))
                    lost[job] = exc
                failed = len(lost) + sum(o.status == FAILED for o in outcomes.values())
                bar.update()
                if job.kommune:  # a batch of several municipalities: the bar names the one last done
                    bar.set_description_str(job.kommune)
                bar.set_postfix_str(_counts(len(work) - len(outcomes) - len(lost), failed, at_once))
    # Read once the executor has closed: a local worker process has stopped by now, a Dask worker may not have.
    for job, exc in lost.items():
        outcomes[job] = _after_loss(job, exc, before[job], plans[job], force=options.get("force", False))
    return [outcomes[job] for job in work]


def _plan(job: Job, options: dict) -> Plan | None:
    """The job's report folder and cache key, or None when they cannot be worked out (its run says why)."""
    try:
        return plan_for(job.period, data=job.data, out=job.out, **options)
    except Exception:  # noqa: BLE001 - the period's own run meets it again and reports it with the period
        return None


def _figures_in_order(work: list[Job], plans: dict[Job, Plan | None], reservations: contextlib.ExitStack,
                      options: dict) -> dict[Job, dict]:
    """Make the figures of every period to be made here, one after another, each against the ledger and the ones before.

    Periods run at once would otherwise each be protected only against what was published before
    the batch, and in whatever order they happened to start: here each register's longest periods
    come first, by their months (the years before their halves, whose reports then withhold what
    the year's need), then by their first day, so the same batch gives the same figures. Each stays reserved in the
    ledger until the batch ends. A period that cannot be made is left to its own run, which says why.
    """
    registers: dict[Path, object] = {}
    figures: dict[Job, dict] = {}
    for job in sorted(work, key=lambda job: (str(job.out), -_months(job.period), job.period.start)):
        run_plan = plans[job]
        if run_plan is None or not options.get("force") and run_plan.is_current():
            continue
        try:
            if job.data not in registers:
                from reportlib.register.validate import load_register

                registers[job.data] = load_register(job.data)
            figures[job] = reservations.enter_context(
                reserve_figures(job.period, registers[job.data], out=job.out, **options))
        except Exception:  # noqa: BLE001 - the period's own run meets it again and reports it with the period
            continue
    return figures


def _months(period: Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def run_one(period: Period, *, code: dict[str, str], kommune: str = "", sprog: str | None = None,
            **options) -> Outcome:
    """Run one period and turn any failure into an outcome, so that it cannot stop the others.

    The notebook runs in the kernel this worker process keeps for its periods, made fresh for this one.

    ``code`` is the submitting process's :func:`~reportlib.publish.manifest.code_identity`: where
    this worker's differs, the period fails before anything runs or is written.
    """
    if sprog is not None:
        language.choose(sprog)  # for this worker's messages and the kernel it starts
    folder = Path(options["out"]) / period.slug
    if (own := code_identity()) != code:
        return Outcome(period, FAILED, folder, _other_code(own, code), kommune=kommune)
    try:
        result = run_period(period, keep_kernel=True, **options)
    except ReportlibError as exc:
        return Outcome(period, FAILED, folder, str(exc), kommune=kommune)
    except Exception as exc:  # a bug hit by one period is reported with it; the batch goes on
        return Outcome(period, FAILED, folder, f"{type(exc).__name__}: {exc}", kommune=kommune)
    return Outcome(period, CURRENT if result.skipped else MADE, result.folder, warnings=result.warnings,
                   kommune=kommune)


@contextlib.contextmanager
def _executor(scheduler: str | None, jobs: int, count: int) -> Iterator[tuple[Executor, int]]:
    """The executor the periods are submitted to, and how many of them run at once."""
    if scheduler is None:
        workers = max(1, min(jobs, count))
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool, workers
        return
    # Imported here: only a run given --scheduler pays for distributed (and needs it installed). Before the
    # silencing: importing it sets its loggers' levels.
    from distributed import Client

    with (_silenced(DASK_LOGGERS), _client(Client, scheduler) as client,
          client.get_executor(pure=False) as executor):
        yield executor, _threads(client, scheduler)


@contextlib.contextmanager
def _silenced(names: tuple[str, ...]) -> Iterator[None]:
    """Silence the loggers ``names`` and every logger under them while the block runs, then give back their levels."""
    under = tuple(f"{name}." for name in names)
    loggers = [logging.getLogger(name) for name in names] + [
        logger for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and name.startswith(under)]  # a level of their own, set by distributed
    levels = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in levels:
            logger.setLevel(level)


@contextlib.contextmanager
def _client(client_class: type, scheduler: str) -> Iterator:
    try:
        client = client_class(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnusable(_("{address}: cannot reach the Dask scheduler ({reason}); check the address and that "
                                "`dask scheduler` is running there and reachable from here")
                              .format(address=scheduler, reason=exc)) from None
    with client:
        yield client


def _threads(client, scheduler: str) -> int:
    """How many periods the cluster runs at once: one per worker, each of which must run one thread."""
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except TimeoutError:
        raise ClusterUnusable(_("{address}: the Dask scheduler has no worker; start one or more with "
                                "`dask worker {address} --nthreads 1`").format(address=scheduler)) from None
    workers = client.scheduler_info(n_workers=-1)["workers"]
    # A run sets process-wide variables for its kernel and its exports: two at once in one process would mix them.
    threaded = sorted(address for address, worker in workers.items() if worker["nthreads"] > 1)
    if threaded:
        raise ClusterUnusable(_("{workers}: a Dask worker of {address} runs more than one thread, and a report is "
                                "made one per process; start the workers with `dask worker {address} --nthreads 1` "
                                "(--nworkers N for N at once)").format(workers=", ".join(threaded), address=scheduler))
    return len(workers)


def _published(folder: Path) -> str | None:
    """The SHA-256 of the folder's manifest, which every run that publishes there writes anew; None without one."""
    try:
        return sha256(folder / MANIFEST)
    except OSError:
        return None


def _scheduler_lost(exc: Exception) -> bool:
    # distributed cancels every future of a client that lost its scheduler; a batch cancels none itself,
    # and a local process pool that breaks fails its futures instead.
    return isinstance(exc, CancelledError)


def _after_loss(job: Job, exc: Exception, before: str | None, run_plan: Plan | None, *, force: bool) -> Outcome:
    """Tell a period whose worker was lost by what its report folder holds, against what it held before (``before``).

    A worker that lost its scheduler may go on and publish, so nothing is assumed: a run holding the
    period's lock is still writing it; a manifest written since, of this batch's cache key, is a
    report published; otherwise the folder is as it was.
    """
    folder = job.out / job.period.slug
    cause = (_("lost contact with the Dask scheduler") if _scheduler_lost(exc) else
             _("the worker running this period stopped ({error})").format(error=f"{type(exc).__name__}: {exc}"))
    with settled(folder) as idle:
        changed = idle and _published(folder) != before
        current = idle and run_plan is not None and is_current(folder, run_plan.key)
        warnings = _recorded_warnings(folder) if changed and current else ()
    if not idle:
        status, message = RUNNING, _("{cause}, and a run is still writing this report folder (it holds {lock}); "
                                     "once it has stopped, run the period again: a report it published is then "
                                     "up to date and left as it is")
    elif changed and current:
        status, message = MADE, _("{cause}, but its worker published the report")
    elif current and not force:
        status, message = CURRENT, _("{cause}, but its report was up to date and is as it was")
    elif changed:
        status, message = FAILED, _("{cause}, and its report folder was changed meanwhile, but not to this batch's "
                                    "report; run the period again")
    elif _scheduler_lost(exc):  # its worker lives on: one that had only begun the period holds no lock yet
        status, message = FAILED, _("{cause}; when the batch ended no run held its report folder, which was as it "
                                    "was, but a worker that had only just begun the period may still publish it: "
                                    "once the workers have stopped, run the period again (a report one published "
                                    "is then up to date and left as it is)")
    else:
        status, message = FAILED, _("{cause}, and no run was writing its report folder, which is as it was; "
                                    "run the period again")
    return Outcome(job.period, status, folder, message.format(cause=cause, lock=lock_path(folder)),
                   warnings=warnings, kommune=job.kommune)


def _recorded_warnings(folder: Path) -> tuple[str, ...]:
    """The warnings the report's manifest records (its worker's own list was lost with it)."""
    try:
        return tuple(map(str, json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("warnings") or ()))
    except (OSError, ValueError, AttributeError):
        return ()


def _other_code(own: dict[str, str], code: dict[str, str]) -> str:
    return _("{host}: the worker running this period has other code (reportlib {worker_code}, packages "
             "{worker_packages}) than the run was started with (reportlib {code}, packages {packages}), and ran "
             "nothing; install the same reportlib version and requirements.lock on every worker, e.g. the same "
             "checkout at the same path, and restart the workers").format(
        host=platform.node(), worker_code=own["reportlib"][:12], worker_packages=own["packages"][:12],
        code=code["reportlib"][:12], packages=code["packages"][:12])


def _counts(remaining: int, failed: int, workers: int) -> str:
    return _("running {running}, failed {failed}").format(running=min(remaining, workers), failed=failed)
