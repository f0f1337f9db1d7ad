"""The manifest every published folder carries (reportlib.publish.manifest)."""

import datetime as dt
import json

from reportlib import __version__
from reportlib.publish import freshness
from reportlib.publish import manifest as manifest_module
from reportlib.publish.manifest import code_identity, environment, git_state, write_manifest

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
