"""Publishing a report folder atomically, and healing what killed or failed runs left behind."""

import os
import shutil

import pytest
from filelock import FileLock

from conftest import published_report
from reportlib.exceptions import OutputRefused, RunBusy, RunFailed
from reportlib.publish.folder import (
    check_apart,
    check_own,
    check_replaceable,
    failed_path,
    heal,
    is_own_report,
    locked,
    publish,
    publish_staged,
    recover,
    settled,
    staging_path,
)

DEAD_PID = 2**22 + 1  # above Linux's pid_max: no such process


@pytest.fixture
def target(tmp_path):
    return published_report(tmp_path / "outputs" / "2018-11-01_2019-10-31", {"beretning.html": "gammel"})


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


def test_settled_tells_a_folder_a_run_holds_from_one_none_does_holding_the_lock_while_it_is_read(target):
    lock = target.with_name(f".{target.name}.lock")
    with settled(target) as idle:  # no run has locked it: nothing is taken, nothing made
        assert idle and not lock.exists()
    lock.touch()
    os.replace(target, target.with_name(f".{target.name}.retired"))  # a run killed between the two moves
    with FileLock(lock):
        with settled(target) as idle:
            assert not idle  # a run holds the period: what it left is its own
        assert not target.exists()
    with settled(target) as idle:
        assert idle and (target / "beretning.html").read_text(encoding="utf-8") == "gammel"  # put back first
        with pytest.raises(RunBusy), locked(target):  # no run publishes while the folder is read
            pass
    assert sorted(p.name for p in target.parent.iterdir()) == [lock.name, target.name]


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


@pytest.mark.parametrize("out,data", [
    ("W", "W/2018-11-01_2019-10-31"),  # the report folder would be the register folder
    ("W", "W/2018-11-01_2019-10-31/register"),  # ... or hold it
    ("W/register", "W/register"),  # the outputs folder is the register folder
    ("W/register/outputs", "W/register"),  # ... or inside it
])
def test_a_report_folder_over_into_or_around_the_register_is_refused(tmp_path, out, data):
    register = tmp_path / data
    register.mkdir(parents=True)
    with pytest.raises(OutputRefused, match="register folder"):
        check_apart(tmp_path / out / "2018-11-01_2019-10-31", register=register)


def test_the_notebook_may_not_be_inside_the_report_folder_nor_named_like_what_a_run_writes(tmp_path):
    register, target = tmp_path / "data", tmp_path / "outputs" / "2018-11-01_2019-10-31"
    register.mkdir()
    for notebook in (target / "min.ipynb", tmp_path / "outputs" / "2018-11-01_2019-10-31.failed.ipynb"):
        with pytest.raises(OutputRefused):
            check_apart(target, register=register, inputs=[notebook])
    check_apart(target, register=register, inputs=[tmp_path / "notebooks" / "beretning.ipynb"])  # apart: fine


def test_a_symbolic_link_does_not_hide_the_register(tmp_path):
    register = tmp_path / "data" / "2018-11-01_2019-10-31"
    register.mkdir(parents=True)
    (tmp_path / "out").symlink_to(tmp_path / "data")
    with pytest.raises(OutputRefused):
        check_apart(tmp_path / "out" / "2018-11-01_2019-10-31", register=register)


def test_only_a_report_reportlib_published_is_ever_replaced(target, tmp_path):
    assert is_own_report(target)
    check_own(target)
    (target / "noter.txt").write_text("mine noter", encoding="utf-8")  # the user's own file in the folder
    assert not is_own_report(target)
    with pytest.raises(OutputRefused, match="is not a report reportlib published"):
        check_own(target)
    staging = staging_path(target)
    staging.mkdir()
    with pytest.raises(OutputRefused):
        publish(staging, target)
    assert (target / "noter.txt").read_text(encoding="utf-8") == "mine noter"
    folder = tmp_path / "en-mappe"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"cache_key": 1, "outputs": {}}', encoding="utf-8")  # not a run's
    assert not is_own_report(folder)


def test_recover_never_removes_a_retired_folder_that_is_not_a_report(target):
    retired = target.with_name(f".{target.name}.retired")
    retired.mkdir()
    (retired / "vigtigt.txt").write_text("x", encoding="utf-8")
    recover(target)
    assert (retired / "vigtigt.txt").exists()


def _write_report(staging):
    (staging / "beretning.html").write_text("ny", encoding="utf-8")
    published_report(staging, {"beretning.html": "ny"})
    return ("a warning",)


def test_publish_staged_swaps_in_what_write_made_returns_its_result_and_supersedes_a_failed_notebook(target):
    failed_path(target).write_text("{}", encoding="utf-8")
    steps = []
    assert publish_staged(target, _write_report, progress=steps.append) == ("a warning",)
    assert (target / "beretning.html").read_text(encoding="utf-8") == "ny"
    assert steps == [f"publishing {target}"]
    assert sorted(p.name for p in target.parent.iterdir() if not p.name.endswith(".lock")) == [target.name]


def test_publish_staged_leaves_the_published_report_as_it_was_when_writing_fails(target):
    def full_disk(staging):
        (staging / "beretning.html").write_text("halv", encoding="utf-8")
        raise OSError(28, "No space left on device", str(staging / "beretning.pdf"))

    with pytest.raises(RunFailed, match=r"cannot write the report \(No space left on device: .*beretning.pdf\)"):
        publish_staged(target, full_disk)
    assert (target / "beretning.html").read_text(encoding="utf-8") == "gammel"
    assert sorted(p.name for p in target.parent.iterdir() if not p.name.endswith(".lock")) == [target.name]


def test_publish_staged_refuses_a_folder_that_is_not_a_report_before_writing(tmp_path):
    users = tmp_path / "outputs" / "network_2024-01-01_2024-12-31"
    users.mkdir(parents=True)
    (users / "noter.txt").write_text("mine", encoding="utf-8")
    written = []
    with pytest.raises(OutputRefused, match="is not a report reportlib published"):
        publish_staged(users, written.append)
    assert written == [] and (users / "noter.txt").read_text(encoding="utf-8") == "mine"


def test_without_a_register_only_the_inputs_are_kept_apart(tmp_path):
    target = tmp_path / "outputs" / "network_2024-01-01_2024-12-31"
    with pytest.raises(OutputRefused, match=r"would hold .*nabo.json, which the run reads"):
        check_apart(target, inputs=[target / "nabo.json"])
    with pytest.raises(OutputRefused, match=r"would be .*network_2024-01-01_2024-12-31, which the run reads"):
        check_apart(target, inputs=[target])
    check_apart(target, inputs=[tmp_path / "medlemmer" / "nabo.json", tmp_path / "outputs" / "nabo.json"])


def test_a_published_file_edited_by_hand_is_kept_beside_the_new_report_and_said(target):
    (target / "beretning.html").write_text("gammel, rettet af kommunikation", encoding="utf-8")
    warnings = publish_staged(target, _write_report)
    kept = target.with_name(f"{target.name}.rettet")
    assert (kept / "beretning.html").read_text(encoding="utf-8") == "gammel, rettet af kommunikation"
    assert sorted(p.name for p in kept.iterdir()) == ["beretning.html"]  # only what was edited
    assert (target / "beretning.html").read_text(encoding="utf-8") == "ny"
    assert warnings == ("a warning", f"{target / 'beretning.html'}: changed by hand since the report was published; "
                        f"the new report replaces it, so the edited copy is kept in {kept}: bring the edit into the "
                        "register or the narrative if it still holds")
    assert publish_staged(target, _write_report) == ("a warning",)  # the new report is as published: nothing to keep


def test_an_edit_is_kept_once_and_another_edit_never_written_over(target):
    (target / "beretning.html").write_text("første rettelse", encoding="utf-8")
    failing = []

    def full_disk(staging):
        failing.append(staging)
        raise OSError(28, "No space left on device", str(staging / "beretning.pdf"))

    with pytest.raises(RunFailed):
        publish_staged(target, full_disk)
    assert (target / "beretning.html").read_text(encoding="utf-8") == "første rettelse"  # the edit, in place
    publish_staged(target, _write_report)  # the same edit: kept once
    assert sorted(p.name for p in target.parent.iterdir() if not p.name.startswith(".")) == [target.name,
                                                                                            f"{target.name}.rettet"]
    published_report(target, {"beretning.html": "gammel"})
    (target / "beretning.html").write_text("anden rettelse", encoding="utf-8")
    publish_staged(target, _write_report)
    assert (target.with_name(f"{target.name}.rettet") / "beretning.html").read_text(encoding="utf-8") == \
        "første rettelse"
    assert (target.with_name(f"{target.name}.rettet-2") / "beretning.html").read_text(encoding="utf-8") == \
        "anden rettelse"
