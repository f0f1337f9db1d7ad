"""Publishing a report folder atomically, and healing what killed or failed runs left behind."""

import os
import shutil

import pytest
from filelock import FileLock

from reportlib.exceptions import RunBusy, RunFailed
from reportlib.publish import check_replaceable, heal, locked, publish, recover, staging_path

DEAD_PID = 2**22 + 1  # above Linux's pid_max: no such process


@pytest.fixture
def target(tmp_path):
    folder = tmp_path / "outputs" / "2018-11-01_2019-10-31"
    folder.mkdir(parents=True)
    (folder / "beretning.html").write_text("gammel", encoding="utf-8")
    return folder


def test_publish_swaps_the_new_report_in_and_leaves_nothing_else(target):
    staging = staging_path(target)
    staging.mkdir()
    (staging / "beretning.html").write_text("ny", encoding="utf-8")
    publish(staging, target)
    assert (target / "beretning.html").read_text(encoding="utf-8") == "ny"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_recover_puts_back_a_report_retired_by_a_crash_between_the_two_moves(target):
    os.replace(target, target.with_name(f".{target.name}.retired"))
    recover(target)
    assert (target / "beretning.html").read_text(encoding="utf-8") == "gammel"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_recover_removes_staging_folders_of_dead_processes_only(target):
    dead = target.with_name(f".{target.name}.partial-{DEAD_PID}")
    mine = staging_path(target)  # this process is alive: its staging folder is in use
    dead.mkdir()
    mine.mkdir()
    recover(target)
    assert not dead.exists() and mine.exists()


def test_heal_runs_even_when_nothing_else_does_and_skips_a_folder_in_use(target):
    dead = target.with_name(f".{target.name}.partial-{DEAD_PID}")
    dead.mkdir()
    with FileLock(target.with_name(f".{target.name}.lock")):
        heal(target)  # another run holds the period: its leftovers are its own business
    assert dead.exists()
    heal(target)
    assert not dead.exists()


def test_a_read_only_published_report_is_reported_before_anything_moves(target, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # root may write anywhere: pretend
    staging = staging_path(target)
    staging.mkdir()
    with pytest.raises(RunFailed, match=r"the published report is read-only \(.*\), so it cannot be replaced; "
                                        r"make it writable \(chmod -R u\+w .*\) or move it away"):
        check_replaceable(target)
    with pytest.raises(RunFailed, match="is read-only"):
        publish(staging, target)
    assert (target / "beretning.html").read_text(encoding="utf-8") == "gammel"
    assert not target.with_name(f".{target.name}.retired").exists()


def test_a_leftover_that_cannot_be_removed_is_a_message(target, monkeypatch):
    target.with_name(f".{target.name}.partial-{DEAD_PID}").mkdir()

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", refuse)
    with pytest.raises(RunFailed, match=r"partial-\d+: cannot remove a half-written report of a run that was "
                                        r"stopped \(Permission denied\); make it writable or remove it by hand"):
        recover(target)


def test_the_lock_refuses_a_second_run_and_an_unwritable_outputs_folder(target, tmp_path):
    with (
        locked(target),
        pytest.raises(RunBusy, match="another run of this period is in progress"),
        locked(target),
    ):
        pass
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with (
        pytest.raises(RunFailed, match=r"a-file: cannot write the report there \(.*\); give a writable folder"),
        locked(blocker / "2018-11-01_2019-10-31"),
    ):
        pass
