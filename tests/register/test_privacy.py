"""Keeping a real register out of git: warnings for a folder git would pick up, and for tracked personal data."""

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from reportlib.cli import main
from reportlib.paths import DATA_RAW
from reportlib.register.privacy import INVENTED_MARKER, exposed_folder, tracked_personal_data

NOTE = "S1,2019-01-10,2019-01-20,Klage,Telefon,Vejledt,ja,,Ringede; cpr {cpr}\n"


def git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "test@example.org")
    git(tmp_path, "config", "user.name", "Test")
    (tmp_path / ".gitignore").write_text("data/private/\n", encoding="utf-8")
    return tmp_path


def register_in(folder, make_register, cpr="010190-1234"):
    source = make_register()
    folder.mkdir(parents=True)
    for path in source.iterdir():
        shutil.copy(path, folder / path.name)
    sager = (folder / "sager.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    sager[1] = NOTE.format(cpr=cpr)
    (folder / "sager.csv").write_text("".join(sager), encoding="utf-8")
    return folder


def test_a_tracked_register_with_a_cpr_like_note_warns_without_saying_the_number(repository, make_register):
    folder = register_in(repository / "data" / "raw", make_register)
    git(repository, "add", "data/raw")
    [warning] = tracked_personal_data(folder)
    assert warning == (f"{folder / 'sager.csv'} is tracked by git and a free-text column holds a CPR-like number "
                       "(line 2); take it out of git (git rm --cached sager.csv) and keep the register in "
                       "data/private/")
    result = CliRunner().invoke(main, ["validate", "--data", str(folder)])
    assert result.exit_code == 0 and f"warning: {warning}" in result.stderr and "010190" not in result.output


def test_an_ignored_or_untracked_register_does_not_warn(repository, make_register):
    ignored = register_in(repository / "data" / "private" / "fjordby", make_register)
    untracked = register_in(repository / "data" / "raw", make_register)
    assert tracked_personal_data(ignored) == [] and tracked_personal_data(untracked) == []


@pytest.mark.parametrize("number", ["321390-1234", "011390-1234", "01019012345"])  # day 32; month 13; 11 digits
def test_only_cpr_like_numbers_warn(repository, make_register, number):
    folder = register_in(repository / "data" / "raw", make_register, cpr=number)
    git(repository, "add", "data/raw")
    assert tracked_personal_data(folder) == []


def test_the_example_registers_invented_notes_are_vouched_for_by_their_digest(repository, make_register, tmp_path):
    folder = repository / "data" / "raw"
    shutil.copytree(DATA_RAW, folder)
    git(repository, "add", "data/raw")
    assert (folder / INVENTED_MARKER).is_file() and tracked_personal_data(folder) == []
    with (folder / "sager.csv").open("a", encoding="utf-8") as stream:  # no longer the invented file
        stream.write("BR-9999,2021-10-01,,Klage,,,,,010190-1234\n")
    assert len(tracked_personal_data(folder)) == 1


def test_a_folder_git_would_pick_up_is_named_with_a_safe_place(repository):
    warning = exposed_folder(repository / "data" / "raw" / "fjordby")
    assert warning.startswith(f"{repository / 'data' / 'raw' / 'fjordby'} is inside the git work tree ")
    assert "put the register in data/private/ (ignored by this project)" in warning
    assert exposed_folder(repository / "data" / "private" / "fjordby") is None


def test_no_warning_outside_git(tmp_path):
    assert exposed_folder(tmp_path / "register") is None and tracked_personal_data(tmp_path) == []
