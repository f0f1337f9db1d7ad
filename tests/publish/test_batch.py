"""Scheduled and batch runs for real: --all with a failing period, the cache, kills and concurrent runs.

The register holds two cases, both in the first half of 2018/19, so `--all` finds exactly two
periods (2018/19 and 2018/19-H1; its second half has no data). HTML only, to keep the runs short.
"""

import datetime as dt
import hashlib
import json
import os
import signal
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
from reportlib.paths import REPORT_NOTEBOOK
from reportlib.periods import Period
from reportlib.publish import batch, freshness
from reportlib.publish import run as run_module
from reportlib.publish.folder import recover

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
    outcome = batch.run_one(THE_YEAR, data=tmp_path, out=tmp_path / "outputs", force=True)
    assert outcome == batch.Outcome(THE_YEAR, status, folder, warnings=("no Forord",))
    assert calls == [(THE_YEAR, {"data": tmp_path, "out": tmp_path / "outputs", "force": True})]


@pytest.mark.parametrize("error,message", [
    (run_module.RunFailed("the report notebook failed at In [4]: ValueError: no data"),
     "the report notebook failed at In [4]: ValueError: no data"),  # a ReportlibError: its message as it is
    (KeyError("kanal"), "KeyError: 'kanal'"),  # a bug: named, so that it can be reported
])
def test_run_one_turns_a_failure_into_a_failed_outcome(monkeypatch, tmp_path, error, message):
    def run_period(period, **options):
        raise error

    monkeypatch.setattr(batch, "run_period", run_period)
    outcome = batch.run_one(THE_YEAR, data=tmp_path, out=tmp_path / "outputs", formats=("html",))
    assert outcome == batch.Outcome(THE_YEAR, batch.FAILED, tmp_path / "outputs" / YEAR, message)


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
