"""Scheduled and batch runs for real: --all with a failing period, the cache, kills and concurrent runs,
several municipalities in one batch, and the periods on a Dask cluster of two workers on the loopback address.

The register holds two cases, both in the first half of 2018/19, so `--all` finds exactly two
periods (2018/19 and 2018/19-H1; its second half has no data). HTML only, to keep the runs short.
"""

import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time

import nbformat
import pytest
from click.testing import CliRunner
from filelock import FileLock
from nbformat.v4 import new_code_cell

from conftest import published_report
from reportlib.cli import main
from reportlib.exceptions import RunFailed
from reportlib.paths import PACKAGE, REPORT_NOTEBOOK
from reportlib.periods import Period
from reportlib.publish import batch, freshness
from reportlib.publish import run as run_module
from reportlib.publish.folder import recover
from reportlib.publish.manifest import code_identity

SAGER = """\
sag_id,modtaget,afsluttet,henvendelsestype
B,2018-11-01,2018-11-11,Klage
C,2019-03-15,,Anden henvendelse
"""
PROBLEMSTILLINGER = """\
sag_id,omraade,center,emne,primaer
B,Social,Jobcenter,Partshøring,
C,Teknik,Vej/park,Andet,
"""
YEAR, FIRST_HALF = "2018-11-01_2019-10-31", "2018-11-01_2019-04-30"
THE_YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))
THE_FIRST_HALF = Period(dt.date(2018, 11, 1), dt.date(2019, 4, 30))


@pytest.fixture
def register(make_register):
    return make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter="dato,aktivitet\n")


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def command(register, out, *args):
    return [sys.executable, "-m", "reportlib", "run", "--data", str(register), "--out", str(out),
            "--format", "html", *args]


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def assert_complete(folder):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"] == {name: digest for name, digest in snapshot(folder).items() if name != "manifest.json"}


def cases_total(folder):
    return json.loads((folder / "figures.json").read_text(encoding="utf-8"))["cases"]["total"]


def html_text(folder):
    """The report's HTML with every run of white space (the no-break space after a number too) as one space."""
    return " ".join((folder / "beretning.html").read_text(encoding="utf-8").split())


def wait_for(condition, process, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"the run ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.02)


def gated_notebook(path, gate):
    """Write the report notebook with one more cell, after the parameters, that waits until ``gate`` exists.

    A run of it holds its period's lock, its staging folder in place, until the test opens the gate
    (or a minute has passed, so that a failing test cannot hang).
    """
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    wait = new_code_cell(f"import pathlib, time\n\ndeadline = time.monotonic() + 60\n"
                         f"while not pathlib.Path({str(gate)!r}).exists() and time.monotonic() < deadline:\n"
                         f"    time.sleep(0.05)")
    wait.metadata["tags"] = ["remove-cell"]
    after = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
    notebook.cells.insert(after + 1, wait)
    nbformat.write(notebook, path)
    return path


@pytest.mark.kernel
def test_all_runs_every_period_survives_a_failing_one_and_then_skips_what_is_current(register, tmp_path):
    out = tmp_path / "outputs"
    broken = register / f"beretning_{FIRST_HALF}.md"
    broken.write_bytes("# Forord\nÅrets beretning".encode("cp1252"))  # not UTF-8: that period fails

    first = invoke("run", "--all", "--jobs", "2", "--data", str(register), "--out", str(out), "--format", "html")
    assert first.exit_code == 1
    assert first.stdout.splitlines() == [
        f"made    {out / YEAR}",
        f"        7 warnings, listed in {out / YEAR / 'manifest.json'}",  # the year has no narrative
        f"failed  {out / FIRST_HALF}",
        f"        {broken}: byte 9: not UTF-8 text; save the file as UTF-8",
        "2 periods: 1 made, 1 failed",
    ]
    assert_complete(out / YEAR)
    assert not (out / FIRST_HALF).exists()

    broken.write_text("# Forord\nÅrets beretning\n", encoding="utf-8")
    second = invoke("run", "--all", "--jobs", "1", "--data", str(register), "--out", str(out), "--format", "html")
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == [f"up to date  {out / YEAR}", f"made        {out / FIRST_HALF}",
                                          f"            6 warnings, listed in {out / FIRST_HALF / 'manifest.json'}",
                                          "2 periods: 1 up to date, 1 made"]


def test_a_current_period_is_skipped_until_forced_or_changed(register, tmp_path, no_kernel):
    out = tmp_path / "outputs"
    first = invoke("run", "--period", "2018/19", "--data", str(register), "--out", str(out), "--format", "html")
    assert first.exit_code == 0
    manifest = (out / YEAR / "manifest.json").read_text(encoding="utf-8")

    again = invoke("run", "--period", "2018/19", "--data", str(register), "--out", str(out), "--format", "html")
    assert again.exit_code == 0
    assert again.stdout == (f"{out / YEAR}: up to date (register, narrative, notebook, code and parameters "
                            "unchanged since its last run); nothing to do, --force reruns it\n")
    assert (out / YEAR / "manifest.json").read_text(encoding="utf-8") == manifest

    forced = invoke("run", "--period", "2018/19", "--data", str(register), "--out", str(out), "--format", "html",
                    "--force")
    assert forced.exit_code == 0 and "up to date" not in forced.stdout
    rerun = json.loads((out / YEAR / "manifest.json").read_text(encoding="utf-8"))
    assert rerun["cache_key"] == json.loads(manifest)["cache_key"]  # same inputs, same key
    assert rerun["started"] >= json.loads(manifest)["started"]
    assert (out / YEAR / "manifest.json").read_text() != manifest

    with (register / "sager.csv").open("a", encoding="utf-8") as stream:  # a late registration
        stream.write("D,2019-04-02,,Klage\n")
    with (register / "problemstillinger.csv").open("a", encoding="utf-8") as stream:
        stream.write("D,Social,Ydelser,Andet,\n")
    changed = invoke("run", "--period", "2018/19", "--data", str(register), "--out", str(out), "--format", "html")
    assert changed.exit_code == 0 and "up to date" not in changed.stdout
    assert json.loads((out / YEAR / "figures.json").read_text(encoding="utf-8"))["cases"]["total"] == 3


@pytest.mark.kernel
def test_a_run_killed_mid_way_leaves_the_previous_report_and_the_next_run_cleans_up(register, tmp_path, no_kernel):
    """The killed run is a real one, in a process of its own; the next one, here, needs no kernel to clean up."""
    out = tmp_path / "outputs"
    previous = published_report(out / YEAR, {"beretning.html": "<p>sidste års gode beretning</p>"})
    before = snapshot(previous)

    process = subprocess.Popen(command(register, out, "--period", "2018/19"), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(out.glob(f".{YEAR}.partial-*")):  # staging exists: the notebook is running
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its kernel, as a power cut would
    process.wait()

    assert snapshot(previous) == before
    assert list(out.glob(f".{YEAR}.partial-*"))  # the killed run's staging folder is left behind...
    result = invoke("run", "--period", "2018/19", "--data", str(register), "--out", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    assert not list(out.glob(f".{YEAR}.partial-*"))  # ...and the next run removes it
    assert_complete(previous)


def test_a_crash_between_the_two_renames_is_undone_by_the_next_run(tmp_path):
    target = tmp_path / YEAR
    retired = tmp_path / f".{YEAR}.retired"

    def report(folder, total):
        published_report(folder, {"figures.json": json.dumps({"cases": {"total": total}})})

    report(retired, 2)  # killed after the old report (2 cases) was moved aside, before the new one came
    recover(target)
    assert cases_total(target) == 2 and not retired.exists()  # the old report is back in place

    target.rename(tmp_path / "gone")
    report(target, 3)  # the new report (3 cases) is published...
    report(retired, 2)  # ...but the run was killed before it removed the old one
    recover(target)
    assert cases_total(target) == 3 and not retired.exists()  # the new one is kept, the old one removed


def test_a_run_is_refused_while_another_process_holds_the_periods_lock(register, tmp_path):
    out = tmp_path / "outputs"
    out.mkdir()
    with FileLock(out / f".{YEAR}.lock"):  # the lock file a run of 2018/19 takes, held by this process
        result = subprocess.run(command(register, out, "--period", "2018/19"), capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 1, result.stderr
    assert f"{out / YEAR}: another run of this period is in progress" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f".{YEAR}.lock"]  # no report, no staging folder


@pytest.mark.kernel
def test_a_second_run_started_while_the_first_holds_the_lock_is_refused_and_the_first_publishes(register, tmp_path,
                                                                                                   no_kernel):
    out = tmp_path / "outputs"
    # The report already published: made here with a stand-in for the notebook (the two runs below are real).
    assert invoke("run", "--period", "2018/19", "--data", str(register), "--out", str(out),
                  "--format", "html").exit_code == 0
    assert cases_total(out / YEAR) == 2
    previous = snapshot(out / YEAR)
    with (register / "sager.csv").open("a", encoding="utf-8") as stream:  # a late registration: 3 cases now
        stream.write("D,2019-04-02,,Klage\n")
    with (register / "problemstillinger.csv").open("a", encoding="utf-8") as stream:
        stream.write("D,Social,Ydelser,Andet,\n")

    gate = tmp_path / "gate"
    first = subprocess.Popen(command(register, out, "--period", "2018/19", "--notebook",
                                     str(gated_notebook(tmp_path / "beretning.ipynb", gate))),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        staging = out / f".{YEAR}.partial-{first.pid}"
        wait_for(staging.exists, first, "staging folder of the first run")  # it holds the lock now
        # Not up to date (the register changed), so the second run goes for the lock, and is refused.
        second = subprocess.run(command(register, out, "--period", "2018/19"), capture_output=True, text=True,
                                timeout=120)
        assert second.returncode == 1, second.stderr
        assert "another run of this period is in progress" in second.stderr
        assert snapshot(out / YEAR) == previous and staging.exists()  # the second one touched nothing
        gate.touch()
        stderr = first.communicate(timeout=120)[1]
        assert first.returncode == 0, stderr
    finally:
        gate.touch()
        if first.poll() is None:
            first.kill()
            first.wait()

    assert sorted(p.name for p in out.iterdir()) == [f".{YEAR}.lock", YEAR]
    assert_complete(out / YEAR)
    assert cases_total(out / YEAR) == 3  # the first run's report, with the late case, replaced the old one
    assert "modtog tre sager i perioden" in html_text(out / YEAR) and "modtog to sager" not in html_text(out / YEAR)


@pytest.mark.parametrize("skipped,status", [(False, batch.MADE), (True, batch.CURRENT)])
def test_run_one_reports_a_made_or_current_period_with_its_folder_and_warnings(monkeypatch, tmp_path, skipped,
                                                                                status):
    folder = tmp_path / "outputs" / YEAR
    calls = []

    def run_period(period, **options):
        calls.append((period, options))
        return run_module.RunResult(period, folder, ("beretning.html",), skipped=skipped, warnings=("no Forord",))

    monkeypatch.setattr(batch, "run_period", run_period)
    outcome = batch.run_one(THE_YEAR, code=code_identity(), data=tmp_path, out=tmp_path / "outputs", force=True)
    assert outcome == batch.Outcome(THE_YEAR, status, folder, warnings=("no Forord",))
    assert calls == [(THE_YEAR, {"data": tmp_path, "out": tmp_path / "outputs", "force": True, "keep_kernel": True})]


@pytest.mark.parametrize("error,message", [
    (RunFailed("the report notebook failed at In [4]: ValueError: no data"),
     "the report notebook failed at In [4]: ValueError: no data"),  # a ReportlibError: its message as it is
    (KeyError("kanal"), "KeyError: 'kanal'"),  # a bug: named, so that it can be reported
])
def test_run_one_turns_a_failure_into_a_failed_outcome(monkeypatch, tmp_path, error, message):
    def run_period(period, **options):
        raise error

    monkeypatch.setattr(batch, "run_period", run_period)
    outcome = batch.run_one(THE_YEAR, code=code_identity(), data=tmp_path, out=tmp_path / "outputs",
                            formats=("html",))
    assert outcome == batch.Outcome(THE_YEAR, batch.FAILED, tmp_path / "outputs" / YEAR, message)


def other_code(worker, submitted):
    """What a period fails with on a worker whose code (``worker``) is not the code it was submitted with."""
    return (f"{platform.node()}: the worker running this period has other code (reportlib {worker['reportlib'][:12]}, "
            f"packages {worker['packages'][:12]}) than the run was started with (reportlib "
            f"{submitted['reportlib'][:12]}, packages {submitted['packages'][:12]}), and ran nothing; install the "
            "same reportlib version and requirements.lock on every worker, e.g. the same checkout at the same path, "
            "and restart the workers")


@pytest.mark.parametrize("part", ["reportlib", "packages"])
def test_run_one_with_other_code_than_submitted_fails_naming_both_and_writes_nothing(monkeypatch, tmp_path, part):
    def run_period(period, *, out, **options):
        (out / period.slug).mkdir(parents=True)  # what a run would write
        return run_module.RunResult(period, out / period.slug, ())

    monkeypatch.setattr(batch, "run_period", run_period)
    own = code_identity()
    submitted = {**own, part: "0123456789abcdef" * 4}  # another checkout, or the same one with other packages
    out = tmp_path / "outputs"
    outcome = batch.run_one(THE_YEAR, code=submitted, data=tmp_path, out=out, formats=("html",))
    assert outcome == batch.Outcome(THE_YEAR, batch.FAILED, out / YEAR, other_code(own, submitted))
    assert not out.exists()


def test_run_periods_goes_on_past_a_failing_period_and_keeps_the_order_given(register, tmp_path):
    # No kernel runs: the first half fails on its narrative before any notebook, and the year is
    # up to date (a published report with the year's cache key), so its worker only checks that.
    out = tmp_path / "outputs"
    broken = register / f"beretning_{FIRST_HALF}.md"
    broken.write_bytes("# Forord\nÅrets beretning".encode("cp1252"))
    year_plan = freshness.plan(THE_YEAR, data=register.resolve(), out=out, formats=("html",), min_celle=None,
                           notebook=REPORT_NOTEBOOK.resolve())
    year_plan.target.mkdir(parents=True)
    (year_plan.target / "beretning.html").write_text("<p>beretning</p>", encoding="utf-8")
    manifest = {"cache_key": year_plan.key,
                "outputs": {"beretning.html": freshness.sha256(year_plan.target / "beretning.html")}}
    (year_plan.target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    outcomes = batch.run_periods([THE_FIRST_HALF, THE_YEAR], jobs=2, data=register, out=out, formats=("html",))
    assert outcomes == [
        batch.Outcome(THE_FIRST_HALF, batch.FAILED, out / FIRST_HALF,
                      f"{broken}: byte 9: not UTF-8 text; save the file as UTF-8"),
        batch.Outcome(THE_YEAR, batch.CURRENT, out / YEAR),
    ]


# Several municipalities in one batch, and the periods on a Dask cluster.

def two_registers(register, second_kommune):
    """The register, and a copy of it whose kommune.yml names ``second_kommune``."""
    other = register.with_name("anden-kommune")
    shutil.copytree(register, other)
    kommune = other / "kommune.yml"
    kommune.write_text(kommune.read_text(encoding="utf-8").replace("Testby Kommune", second_kommune), encoding="utf-8")
    return register, other


@pytest.mark.parametrize("kommune,folder", [
    ("Ballerup Kommune", "ballerup-kommune"),
    ("Høje-Taastrup Kommune", "hoeje-taastrup-kommune"),  # the Danish letters spelled out
    ("Ærø  Kommune", "aeroe-kommune"),  # capitals too; a run of spaces is one hyphen
    ("ÅRHUS KOMMUNE", "aarhus-kommune"),
    ("Lyngby-Taarbæk Kommune", "lyngby-taarbaek-kommune"),
    ("Kommune Søndré", "kommune-soendre"),  # other accents dropped
    ("../../etc/Brøndby", "etc-broendby"),  # never a path of its own
    ("???", ""),
])
def test_a_municipalitys_folder_is_named_from_its_kommune(kommune, folder):
    assert batch.municipality_folder(kommune) == folder


def test_two_registers_that_would_share_a_folder_are_refused_naming_both_before_anything_runs(register, tmp_path):
    first, second = two_registers(register, "TESTBY kommune")  # testby-kommune, as the first
    out = tmp_path / "outputs"
    result = invoke("run", "--period", "2018/19", "--data", str(first), "--data", str(second), "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {first.resolve()} and {second.resolve()}: both registers would publish into the "
                             "folder testby-kommune (kommune 'TESTBY kommune'); give each municipality's register "
                             "once, or tell them apart by kommune in their kommune.yml\n")
    twice = invoke("run", "--all", "--data", str(first), "--data", str(first), "--out", str(out))
    assert twice.exit_code == 2
    assert twice.stderr.startswith(f"error: {first.resolve()} and {first.resolve()}: both registers would publish ")
    assert not out.exists()


@pytest.mark.kernel
def test_all_with_several_registers_publishes_each_municipality_in_a_folder_of_its_own(register, tmp_path):
    testby, fjordby = two_registers(register, "Fjordby Kommune")
    for half in (FIRST_HALF, YEAR):  # Fjordby's narratives are not UTF-8: its periods fail before any kernel starts
        (fjordby / f"beretning_{half}.md").write_bytes("# Forord\nÅrets beretning".encode("cp1252"))
    out = tmp_path / "outputs"

    result = invoke("run", "--all", "--jobs", "2", "--data", str(testby), "--data", str(fjordby), "--out", str(out),
                    "--format", "html")
    assert result.exit_code == 1
    assert result.stderr.startswith("4 periods of 2 municipalities, 2 at a time\n")
    mine, theirs = out / "testby-kommune", out / "fjordby-kommune"
    assert result.stdout.splitlines() == [
        f"made    Testby Kommune   {mine / YEAR}",
        f"        7 warnings, listed in {mine / YEAR / 'manifest.json'}",
        f"made    Testby Kommune   {mine / FIRST_HALF}",
        f"        7 warnings, listed in {mine / FIRST_HALF / 'manifest.json'}",
        f"failed  Fjordby Kommune  {theirs / YEAR}",
        f"        {fjordby.resolve() / f'beretning_{YEAR}.md'}: byte 9: not UTF-8 text; save the file as UTF-8",
        f"failed  Fjordby Kommune  {theirs / FIRST_HALF}",
        f"        {fjordby.resolve() / f'beretning_{FIRST_HALF}.md'}: byte 9: not UTF-8 text; save the file as UTF-8",
        "4 periods of 2 municipalities: 2 made, 2 failed",
    ]
    assert_complete(mine / YEAR)
    assert_complete(mine / FIRST_HALF)
    assert json.loads((mine / YEAR / "figures.json").read_text(encoding="utf-8"))["kommune"] == "Testby Kommune"
    assert sorted(p.name for p in out.iterdir()) == ["testby-kommune"]  # nothing of Fjordby's was written


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_exit_1_with_a_message_not_a_traceback(register, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "CONNECT_TIMEOUT", 1)
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    result = invoke("run", "--all", "--data", str(register), "--out", str(tmp_path / "outputs"), "--scheduler", address)
    assert time.monotonic() - started < 10
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == (f"error: {address}: cannot reach the Dask scheduler (Timed out trying to connect to "
                             f"{address} after 1 s); check the address and that `dask scheduler` is running there "
                             "and reachable from here\n")
    assert not (tmp_path / "outputs").exists()

    wrong = invoke("run", "--all", "--data", str(register), "--scheduler", "127.0.0.1:8786")
    assert wrong.exit_code == 2
    assert ("'127.0.0.1:8786': give the Dask scheduler's address, e.g. tcp://HOST:8786 (Invalid url scheme."
            in " ".join(wrong.stderr.split()))


@pytest.mark.parametrize("workers,threads,message", [
    (0, 1, "{address}: the Dask scheduler has no worker; start one or more with `dask worker {address} --nthreads 1`"),
    (1, 2, "{worker}: a Dask worker of {address} runs more than one thread, and a report is made one per process; "
           "start the workers with `dask worker {address} --nthreads 1` (--nworkers N for N at once)"),
])
def test_a_cluster_without_a_worker_or_with_a_threaded_one_is_refused_before_any_period_runs(
        register, tmp_path, monkeypatch, workers, threads, message):
    from distributed import LocalCluster

    monkeypatch.setattr(batch, "CONNECT_TIMEOUT", 1)
    with LocalCluster(n_workers=workers, threads_per_worker=threads, processes=False, protocol="tcp://",
                      host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster:  # every port on loopback
        address = cluster.scheduler_address
        worker = next(iter(cluster.scheduler_info["workers"]), "")
        result = invoke("run", "--all", "--data", str(register), "--out", str(tmp_path / "outputs"),
                        "--scheduler", address)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: " + message.format(address=address, worker=worker)
    assert not (tmp_path / "outputs").exists()


def test_a_period_whose_worker_is_lost_is_reported_failed_and_the_others_go_on(monkeypatch, tmp_path):
    class Lost(concurrent.futures.Executor):
        """Runs the year here; the first half's worker dies (distributed raises KilledWorker after its retries)."""

        def submit(self, fn, period, **options):
            future = concurrent.futures.Future()
            if period == THE_FIRST_HALF:
                future.set_exception(RuntimeError("all 4 workers died while running it"))
            else:
                future.set_result(batch.Outcome(period, batch.MADE, options["out"] / period.slug))
            return future

    monkeypatch.setattr(batch, "_executor", lambda scheduler, jobs, count: contextlib.nullcontext((Lost(), 2)))
    out = tmp_path / "outputs"
    outcomes = batch.run_periods([THE_YEAR, THE_FIRST_HALF], jobs=2, data=tmp_path, out=out)
    assert outcomes == [
        batch.Outcome(THE_YEAR, batch.MADE, out / YEAR),
        batch.Outcome(THE_FIRST_HALF, batch.FAILED, out / FIRST_HALF,
                      "the worker running this period stopped (RuntimeError: all 4 workers died while running it), "
                      "and no run was writing its report folder, which is as it was; run the period again"),
    ]


SCHEDULER_LOST = ("{address}: lost contact with the Dask scheduler; the summary tells each period not done by what "
                  "its report folder holds")


class SchedulerLost(concurrent.futures.Executor):
    """Runs the periods ``ran`` here, as their workers would, but no answer comes back: the scheduler went away.

    distributed's executor cancels every future of a client that lost its scheduler, whatever its
    worker went on to do.
    """

    def __init__(self, ran):
        self.ran = ran

    def submit(self, fn, period, **options):
        if period in self.ran:
            fn(period, **options)
        future = concurrent.futures.Future()
        future.cancel()
        future.set_running_or_notify_cancel()
        return future


def lose_the_scheduler(monkeypatch, ran, at_once):
    """Make the batch's executor a :class:`SchedulerLost` of ``at_once`` workers that run the periods ``ran``."""
    monkeypatch.setattr(batch, "_executor",
                        lambda scheduler, jobs, count: contextlib.nullcontext((SchedulerLost(ran), at_once)))


def lines(width, *periods):
    """The summary's lines of each (status, folder, its message's lines), the status padded to ``width``."""
    return [f"{status:<{width}}  {folder}" if i == 0 else f"{'':<{width}}  {line}"
            for status, folder, *message in periods for i, line in enumerate([status, *message])]


@pytest.mark.parametrize("first_half,status,message,exit_code", [
    ("published", "made", ["lost contact with the Dask scheduler, but its worker published the report"], 0),
    ("being written", "still running",
     ["lost contact with the Dask scheduler, and a run is still writing this report folder (it holds {lock}); once it "
      "has stopped, run the period again: a report it published is then up to date and left as it is"], 1),
    ("not run", "failed", ["lost contact with the Dask scheduler; when the batch ended no run held its report folder, "
                           "which was as it was, but a worker that had only just begun the period may still publish "
                           "it: once the workers have stopped, run the period again (a report one published is then "
                           "up to date and left as it is)"], 1),
])
def test_a_period_whose_scheduler_is_lost_is_told_by_what_its_report_folder_holds(
        register, tmp_path, monkeypatch, no_kernel, first_half, status, message, exit_code):
    """The year is published by its worker after the scheduler went away: made, whatever answer was lost on the way."""
    out, address = tmp_path / "outputs", "tcp://127.0.0.1:8786"
    (register / f"beretning_{YEAR}.md").write_text("# Forord\n\n# Årets sager\nTekst\n", encoding="utf-8")  # a warning
    lose_the_scheduler(monkeypatch, [THE_YEAR, *([THE_FIRST_HALF] if first_half == "published" else [])], 2)
    with contextlib.ExitStack() as held:
        if first_half == "being written":  # a worker without a scheduler holds the period's lock, writing its report
            out.mkdir()
            held.enter_context(FileLock(out / f".{FIRST_HALF}.lock"))
        result = invoke("run", "--all", "--data", str(register), "--out", str(out), "--format", "html", "--udkast",
                        "--scheduler", address)

    assert result.exit_code == exit_code, result.output  # 1 unless every period is known to be published
    assert result.stderr.splitlines() == [f"2 periods on {address}, 2 at a time",
                                          "warning: " + SCHEDULER_LOST.format(address=address)]  # once, not per period
    width = len(status)
    assert result.stdout.splitlines() == [
        *lines(width, ("made", out / YEAR, "lost contact with the Dask scheduler, but its worker published the report",
                       f"1 warning, listed in {out / YEAR / 'manifest.json'}"),  # as its manifest records them
               (status, out / FIRST_HALF, *[line.format(lock=out / f".{FIRST_HALF}.lock") for line in message])),
        "2 periods: 2 made" if status == "made" else f"2 periods: 1 made, 1 {status}"]
    assert_complete(out / YEAR)
    assert (out / FIRST_HALF).exists() == (first_half == "published")


def test_a_lost_period_whose_report_was_current_and_is_unchanged_is_up_to_date_unless_forced(register, tmp_path,
                                                                                              monkeypatch, no_kernel):
    out = tmp_path / "outputs"
    run_module.run_period(THE_YEAR, data=register, out=out, formats=("html",))
    published = snapshot(out / YEAR)
    lose_the_scheduler(monkeypatch, (), 1)
    [current] = batch.run_periods([THE_YEAR], jobs=1, data=register, out=out, formats=("html",))
    assert current == batch.Outcome(THE_YEAR, batch.CURRENT, out / YEAR, "lost contact with the Dask scheduler, but "
                                    "its report was up to date and is as it was")
    [forced] = batch.run_periods([THE_YEAR], jobs=1, data=register, out=out, formats=("html",), force=True)
    assert forced.status == batch.FAILED and forced.message.startswith(
        "lost contact with the Dask scheduler; when the batch ended no run held its report folder, which was as it was")
    assert snapshot(out / YEAR) == published


def test_distributeds_loggers_are_silent_during_a_batch_on_a_cluster_and_as_they_were_after_it():
    import distributed  # noqa: F401 - importing it gives its loggers their levels and a handler of their own

    names = ["distributed", "distributed.client", "distributed.comm.tcp", "tornado", "tornado.application", "asyncio"]
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    assert logging.getLogger("distributed.client").level == logging.WARNING  # its own, not its parent's
    seen = []
    handler = logging.Handler()
    handler.emit = seen.append
    tops = [logging.getLogger(name) for name in batch.DASK_LOGGERS]  # every record of the loggers under them comes by
    for logger in tops:
        logger.addHandler(handler)
    try:
        with batch._silenced(batch.DASK_LOGGERS):
            for logger in [*loggers, logging.getLogger("distributed.made.during.the.batch")]:
                logger.critical("Failed to reconnect to scheduler after 5.00 seconds, closing client")
        assert seen == []
        assert [logger.level for logger in loggers] == levels
        logging.getLogger("distributed.client").warning("after the batch")
        assert [record.getMessage() for record in seen] == ["after the batch"]
    finally:
        for logger in tops:
            logger.removeHandler(handler)


# Loaded by each Dask worker of the test below (`dask worker --preload`): no kernel, and the periods held at the gate.
HELD_AT_THE_GATE = """
import pathlib
import time

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from reportlib.publish import batch, execute
from reportlib.publish.run import run_period

GATE = pathlib.Path({gate!r})


def wait():
    deadline = time.monotonic() + 60
    while not GATE.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def stand_in(notebook, executed, parameters, document, target, timeout, read=(), keep_kernel=False):
    if target.name == {held!r}:
        wait()  # holding the period's lock, its staging folder in place
    stand_in = new_notebook(cells=[new_markdown_cell("## Beretning")])
    nbformat.write(stand_in, executed)
    return stand_in


def answer_late(period, **options):
    result = run_period(period, **options)
    wait()  # published; the answer waits
    return result


execute.execute, batch.run_period = stand_in, answer_late  # a worker may load this more than once
"""


@pytest.mark.slow
def test_a_scheduler_killed_mid_batch_is_one_line_and_each_period_is_what_its_folder_holds(register, tmp_path):
    """The scheduler is killed with the year published but not answered, and the first half being written."""
    from distributed import Client

    out, gate, preload = tmp_path / "outputs", tmp_path / "gate", tmp_path / "held_at_the_gate.py"
    preload.write_text(HELD_AT_THE_GATE.format(gate=str(gate), held=FIRST_HALF), encoding="utf-8")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    # One period per worker at most, so that the two workers run one each at once.
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"], start_new_session=True,
                                 env={**os.environ, "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "2",
                                "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard", "--preload", str(preload)],
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run = None
    try:
        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        run = subprocess.Popen(command(register, out, "--all", "--scheduler", address), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        wait_for(lambda: (out / YEAR / "manifest.json").exists() and list(out.glob(f".{FIRST_HALF}.partial-*")), run,
                 "the year published and the first half being written")
        os.killpg(scheduler.pid, signal.SIGKILL)
        stdout, stderr = run.communicate(timeout=60)

        assert run.returncode == 1  # the first half is not known to be published
        # No line of distributed's: one of reportlib's for the scheduler lost, however many periods it had.
        assert stderr.splitlines() == [f"2 periods on {address}, 2 at a time",
                                       "warning: " + SCHEDULER_LOST.format(address=address)]
        assert stdout.splitlines() == [
            *lines(len("still running"),
                   ("made", out / YEAR, "lost contact with the Dask scheduler, but its worker published the report"),
                   ("still running", out / FIRST_HALF, "lost contact with the Dask scheduler, and a run is still "
                    f"writing this report folder (it holds {out / f'.{FIRST_HALF}.lock'}); once it has stopped, run "
                    "the period again: a report it published is then up to date and left as it is")),
            "2 periods: 1 made, 1 still running"]
        assert not (out / FIRST_HALF).exists()
        gate.touch()  # the worker without a scheduler goes on, as the summary said it might
        wait_for(lambda: (out / FIRST_HALF / "manifest.json").exists(), workers, "the first half published")
        for period in (YEAR, FIRST_HALF):
            assert_complete(out / period)
    finally:
        gate.touch()
        if run is not None and run.poll() is None:
            run.kill()
            run.wait()
        for process in (workers, scheduler):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def cluster():
    """A Dask cluster of two worker processes of one thread each, on the loopback address, as the README starts one."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster, set_as_default=False) as client:
        yield cluster.scheduler_address, client


def documents(folder):
    """What a run must give byte for byte wherever it ran: the report and its figures (the manifest has times)."""
    return {name: (folder / name).read_bytes() for name in ("beretning.html", "figures.json")}


def executed(folder):
    """The executed notebook as a run saved it, but for its times and the id papermill gives the cell it injects."""
    node = nbformat.read(folder / "beretning.ipynb", as_version=4)
    for times in (node.metadata.papermill, *(cell.metadata.get("papermill", {}) for cell in node.cells)):
        for key in ("start_time", "end_time", "duration"):
            times.pop(key, None)
    for cell in node.cells:
        cell.metadata.pop("execution", None)  # when the kernel said it began and ended
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected"
    return node


@pytest.mark.kernel
def test_a_period_made_in_a_workers_kept_kernel_after_another_is_the_one_a_new_kernel_makes(register, tmp_path):
    new, kept = tmp_path / "new", tmp_path / "kept"
    for period in (THE_YEAR, THE_FIRST_HALF):  # each in a kernel of its own, in the order the batch makes them
        run_module.run_period(period, data=register, out=new, formats=("html",))
    # One worker process: the half-year runs in the kernel the year ran in.
    made = batch.run_jobs([batch.Job(THE_YEAR, register, kept), batch.Job(THE_FIRST_HALF, register, kept)], jobs=1,
                          formats=("html",))
    assert [outcome.status for outcome in made] == [batch.MADE, batch.MADE]
    for period in (YEAR, FIRST_HALF):
        assert documents(kept / period) == documents(new / period)
        assert executed(kept / period) == executed(new / period)  # the execution counts and every output


@pytest.mark.kernel
def test_periods_run_on_a_dask_cluster_give_the_bytes_of_a_local_run(register, tmp_path, cluster):
    address, _client = cluster
    # The same register run here, at the same time (the two runs share nothing but the register they read).
    local = subprocess.Popen(command(register, tmp_path / "local", "--all", "--jobs", "2"), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    # OUT relative to the folder the command runs in: the workers, which have no such folder, get it whole.
    on_cluster = subprocess.run(command(register, "shared", "--all", "--scheduler", address), cwd=tmp_path,
                                capture_output=True, text=True, timeout=300)
    assert local.wait(timeout=300) == 0, local.stderr.read()
    assert on_cluster.returncode == 0, on_cluster.stderr
    assert on_cluster.stderr.startswith(f"2 periods on {address}, 2 at a time\n")
    shared = tmp_path / "shared"
    assert on_cluster.stdout.splitlines()[0::2] == [f"made  {shared / YEAR}", f"made  {shared / FIRST_HALF}",
                                                    "2 periods: 2 made"]
    for period in (YEAR, FIRST_HALF):
        assert_complete(shared / period)
        assert documents(shared / period) == documents(tmp_path / "local" / period)


@pytest.mark.kernel
def test_a_worker_killed_mid_run_leaves_no_half_report_and_its_period_is_run_again(register, tmp_path, cluster):
    address, client = cluster
    workers = set(client.run(os.getpid).values())  # the two worker processes this test started
    out = tmp_path / "outputs"
    run = subprocess.Popen(command(register, out, "--all", "--scheduler", address), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        # A staging folder is named for the process that writes it: here, the worker running that period.
        wait_for(lambda: list(out.glob(".*.partial-*")), run, "staging folder on a worker")
        staging = sorted(out.glob(".*.partial-*"))[0]
        pid = int(staging.name.rpartition("-")[2])
        assert pid in workers
        os.kill(pid, signal.SIGKILL)  # the worker, mid-run, as a machine that goes down
        stdout, stderr = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()

    # distributed runs the lost period again on a worker that is alive (its allowed-failures): both are made.
    assert run.returncode == 0, stderr
    assert stdout.splitlines()[0::2] == [f"made  {out / YEAR}", f"made  {out / FIRST_HALF}", "2 periods: 2 made"]
    for period in (YEAR, FIRST_HALF):
        assert_complete(out / period)
    assert not list(out.glob(".*.partial-*"))  # the killed run's staging folder was removed by the run after it


def another_checkout(folder):
    """Copy reportlib's package into ``folder`` with one constant changed: what a worker of another checkout imports."""
    package = folder / "reportlib"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    module = package / "publish" / "batch.py"
    text = module.read_text(encoding="utf-8")
    assert "\nCONNECT_TIMEOUT = 5\n" in text
    module.write_text(text.replace("\nCONNECT_TIMEOUT = 5\n", "\nCONNECT_TIMEOUT = 6\n"), encoding="utf-8")
    return folder


@pytest.mark.kernel
def test_a_worker_of_another_checkout_publishes_nothing_and_a_worker_of_this_one_publishes(register, tmp_path):
    from distributed import Client, LocalCluster

    out, ours = tmp_path / "outputs", code_identity()
    work = [batch.Job(THE_YEAR, register, out), batch.Job(THE_FIRST_HALF, register, out)]
    with LocalCluster(n_workers=0, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster, set_as_default=False) as client:
        address = cluster.scheduler_address
        # `dask worker` in a process that imports the other checkout (PYTHONPATH comes before the editable install).
        other = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                                  "--no-nanny", "--host", "127.0.0.1", "--no-dashboard"],
                                 env={**os.environ, "PYTHONPATH": str(another_checkout(tmp_path / "checkout"))},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            client.wait_for_workers(1, timeout=60)
            [theirs] = client.run(code_identity).values()  # computed in the worker, by the checkout it imports
            assert theirs["reportlib"] != ours["reportlib"] and theirs["packages"] == ours["packages"]
            refused = batch.run_jobs(work, scheduler=address, formats=("html",))
        finally:
            other.terminate()
            other.wait(timeout=60)
        message = other_code(theirs, ours)
        assert refused == [batch.Outcome(THE_YEAR, batch.FAILED, out / YEAR, message),
                           batch.Outcome(THE_FIRST_HALF, batch.FAILED, out / FIRST_HALF, message)]
        assert not out.exists()

        deadline = time.monotonic() + 60
        while client.scheduler_info()["workers"]:  # until the scheduler has seen the stopped worker go
            assert time.monotonic() < deadline, "the other checkout's worker did not leave within 60 s"
            time.sleep(0.05)
        cluster.scale(1)  # a worker of this checkout
        client.wait_for_workers(1, timeout=60)
        assert list(client.run(code_identity).values()) == [ours]
        [made] = batch.run_jobs(work[1:], scheduler=address, formats=("html",))
    assert (made.status, made.folder, made.message) == (batch.MADE, out / FIRST_HALF, "")
    assert_complete(out / FIRST_HALF)
    assert json.loads((out / FIRST_HALF / "manifest.json").read_text(encoding="utf-8"))["code"] == ours
