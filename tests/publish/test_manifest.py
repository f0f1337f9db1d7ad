"""The manifest every published folder carries (reportlib.publish.manifest)."""

import datetime as dt
import json
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT
from reportlib import __version__
from reportlib.publish import freshness
from reportlib.publish import manifest as manifest_module
from reportlib.publish.manifest import (
    code_identity,
    environment,
    git_state,
    known_as,
    known_parameters,
    machine_folders,
    unmachined,
    write_manifest,
)

# SHA-256 of the three bytes "abc" (FIPS 180-2, appendix B.1).
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_manifest_records_the_fields_given_the_outputs_digests_and_the_times(tmp_path):
    (tmp_path / "beretning.html").write_bytes(b"abc")
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=3)
    write_manifest(tmp_path, {"period": {"start": "2025-01-01", "end": "2025-12-31"}, "cache_key": "k"},
                   outputs=["beretning.html"], started=started, warnings=("no Forord",))
    written = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert list(written)[:3] == ["reportlib", "period", "cache_key"]
    assert written["reportlib"] == __version__ and written["period"]["end"] == "2025-12-31"
    assert written["outputs"] == {"beretning.html": ABC}
    assert written["warnings"] == ["no Forord"]
    assert written["started"] == started.isoformat(timespec="seconds") and 3 <= written["duration_s"] < 60
    assert written["code"] == code_identity()


def test_the_code_is_reportlibs_source_and_the_installed_packages_versions(monkeypatch):
    assert code_identity()["reportlib"] == freshness.code_digest()  # the cache key's code part
    # The packages as JSON, names sorted; the digests by `printf '%s' '{"pandas": "2.2.3", ...}' | sha256sum`.
    for pandas, digest in [("2.2.3", "3dd57a705bb503594bd3801682d769a35c7d45ba9c8b955c6396d4559ef9da71"),
                           ("2.2.2", "e760e1590dd1f732620e5803ababb6874aa280f0a707bfbf54ed4f994a099e52")]:
        packages = {"reportlib": "0.1.0", "pandas": pandas}
        monkeypatch.setattr(manifest_module, "environment", lambda packages=packages: {"packages": packages})
        assert code_identity()["packages"] == digest


def test_the_environment_names_every_package_as_the_lock_does():
    packages = environment()["packages"]
    assert packages["python-docx"] and packages["pypandoc-binary"]  # PEP 503 names: lower case, hyphens
    assert all(name == name.lower() and "_" not in name and "." not in name for name in packages)


def test_outside_a_git_clone_there_is_no_git_state(monkeypatch):
    monkeypatch.setattr(manifest_module, "CLONE", None)
    assert git_state() is None


def test_the_environment_and_the_git_state_name_no_folder_of_the_machine():
    recorded = json.dumps([environment(), git_state()])
    # The platform string ("Linux-6.1-x86_64-with-glibc2.36") says which system, never where Python is.
    assert "/" not in recorded and "\\" not in recorded
    assert sys.executable not in recorded and str(Path.home()) not in recorded


# -- Paths as a reader of a public folder can know them ----------------------------------------------------

@pytest.mark.parametrize(("path", "known"), [
    (ROOT / "notebooks" / "beretning.ipynb", "notebooks/beretning.ipynb"),  # in the clone: relative to it
    (ROOT / "data" / "raw", "data/raw"),
    (Path("/home/karin/kommune/register"), "register"),  # anywhere else: its name alone
    (Path("/home/karin/net/network.json"), "network.json"),
    (Path("data/raw"), "data/raw"),  # relative already
])
def test_a_path_is_known_by_its_place_in_the_clone_or_by_its_name(path, known):
    assert known_as(path) == known and known_as(str(path)) == known


def test_the_home_folder_itself_is_never_known_by_its_name(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "karin"))
    assert known_as(tmp_path / "karin") == "~"  # its name is the login
    assert known_as(tmp_path / "karin" / "register") == "register"


def test_only_the_parameters_naming_a_file_or_folder_here_are_renamed(tmp_path):
    (tmp_path / "register").mkdir()
    given = {"data_dir": str(tmp_path / "register"), "netvaerk": "", "min_celle": -1,
             "moede": "/ Byrådets møde", "periode_start": "2018-11-01"}
    assert known_parameters(given) == {**given, "data_dir": "register"}


def test_a_path_in_a_message_is_written_within_its_deepest_folder():
    folders = {"/home/karin": "~", "/home/karin/.venv/lib/python3.11/site-packages": "site-packages",
               "/home/karin/kommune/register": ""}
    assert unmachined("File /home/karin/.venv/lib/python3.11/site-packages/pandas/core/frame.py:12, in f",
                      folders) == "File site-packages/pandas/core/frame.py:12, in f"
    # A folder named "" makes the paths in it relative to it, as the manifest's inputs are named.
    assert unmachined("/home/karin/kommune/register/beretning_2019.md:4: chapter", folders) == (
        "beretning_2019.md:4: chapter")
    assert unmachined("saved in /home/karin/kladde.txt and /home/karin.", folders) == "saved in ~/kladde.txt and ~."
    # A longer name that only starts like a folder is another folder.
    assert unmachined("/home/karine/x /home/karin-2/y /home/karin.old", folders) == (
        "/home/karine/x /home/karin-2/y /home/karin.old")
    assert unmachined("C:\\Users\\karin\\x.py", {"C:\\Users\\karin": "~"}) == "~\\x.py"


def test_the_machines_folders_are_pythons_the_clones_the_temporary_and_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "karin"))
    folders = machine_folders({tmp_path / "karin" / "register": "register"})
    assert folders[str(tmp_path / "karin")] == "~" and folders[str(tmp_path / "karin" / "register")] == "register"
    assert folders[sysconfig.get_paths()["purelib"]] == "site-packages" and folders[str(ROOT)] == ""
    assert folders[tempfile.gettempdir()] == "tmp"
    assert unmachined(f"{ROOT / 'src' / 'reportlib' / 'cli.py'} read {tmp_path / 'karin' / 'register' / 'sager.csv'}",
                      folders) == "src/reportlib/cli.py read register/sager.csv"
