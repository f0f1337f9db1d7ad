"""Scheduled and batch runs for real: --all with a failing period, the cache, kills and concurrent runs.

The register holds two cases, both in the first half of 2018/19, so `--all` finds exactly two
periods (2018/19 and 2018/19-H1; its second half has no data). HTML only, to keep the runs short.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from reportlib.cli import main
from reportlib.publish import recover

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
    second = invoke("run", "--all", "--data", str(register), "--out", str(out), "--format", "html")
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == [f"up to date  {out / YEAR}", f"made        {out / FIRST_HALF}",
                                          f"            6 warnings, listed in {out / FIRST_HALF / 'manifest.json'}",
                                          "2 periods: 1 up to date, 1 made"]


def test_a_current_period_is_skipped_until_forced_or_changed(register, tmp_path):
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


def test_a_run_killed_mid_way_leaves_the_previous_report_and_the_next_run_cleans_up(register, tmp_path):
    out = tmp_path / "outputs"
    previous = out / YEAR
    previous.mkdir(parents=True)
    (previous / "beretning.html").write_text("<p>sidste års gode beretning</p>", encoding="utf-8")
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
    result = subprocess.run(command(register, out, "--period", "2018/19"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list(out.glob(f".{YEAR}.partial-*"))  # ...and the next run removes it
    assert_complete(previous)


def test_a_crash_between_the_two_renames_is_undone_by_the_next_run(tmp_path):
    target = tmp_path / YEAR
    retired = tmp_path / f".{YEAR}.retired"
    retired.mkdir()
    (retired / "beretning.html").write_text("forrige", encoding="utf-8")
    recover(target)  # the previous report is back in place
    assert (target / "beretning.html").read_text(encoding="utf-8") == "forrige" and not retired.exists()

    retired.mkdir()  # published, but killed before the old one was removed: keep the new one
    recover(target)
    assert (target / "beretning.html").read_text(encoding="utf-8") == "forrige" and not retired.exists()


def test_two_runs_of_one_period_at_once_leave_one_whole_report(register, tmp_path):
    out = tmp_path / "outputs"
    runs = [subprocess.Popen(command(register, out, "--period", "2018/19", "--force"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(), p.stderr.read()) for p in runs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 1])  # both ran in turn, or the second was refused while the first ran
    for code, stderr in results:
        if code == 1:
            assert "another run of this period is in progress" in stderr
    assert_complete(out / YEAR)
    assert sorted(p.name for p in out.iterdir()) == [f".{YEAR}.lock", YEAR]
