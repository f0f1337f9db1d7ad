"""The project's promises about itself: one dependency list, locked; a wheel that runs anywhere; CI runs the README."""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import LOCK, ROOT, locked_versions

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _requirement(spec: str) -> tuple[str, str]:
    name, _, minimum = spec.partition(">=")
    return name.strip().lower(), minimum.strip()


def declared() -> list[str]:
    project = PYPROJECT["project"]
    return project["dependencies"] + [d for deps in project["optional-dependencies"].values() for d in deps]


def test_environment_yml_declares_the_same_packages_as_pyproject():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = [d for d in environment if isinstance(d, str) and _requirement(d)[0] not in ("python", "pip")]
    from_pip = [d for entry in environment if isinstance(entry, dict) for d in entry["pip"] if d != "-e ."]
    assert sorted(map(_requirement, conda + from_pip)) == sorted(map(_requirement, declared()))
    assert all(">=" in d for d in declared()), "pin a minimum version for every dependency"


def test_the_lock_pins_every_declared_package_at_a_version_it_allows_with_hashes():
    """Run `make lock` after changing a dependency in pyproject.toml; this fails until then."""
    locked = locked_versions()
    for spec in declared() + PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {LOCK.name}: run make lock"
        assert requirement.specifier.contains(locked[name]), f"{name}=={locked[name]} is not {spec}: run make lock"
    entries = re.sub(r"\\\n", " ", LOCK.read_text(encoding="utf-8")).splitlines()
    unhashed = [line for line in entries if line[:1].isalnum() and ("==" not in line or "--hash=sha256:" not in line)]
    assert unhashed == []


@pytest.mark.kernel
@pytest.mark.slow
def test_a_wheel_installed_elsewhere_publishes_the_report_from_any_folder(tmp_path):
    """Build the wheel, install it into a fresh venv, and run it from a folder that has nothing to do with the clone.

    The venv gets the wheel alone (no pip, no dependencies): a .pth file lets it see the project
    venv's installed packages, so the test needs no network and no second install of them, while
    reportlib itself can only come from the wheel (the editable install puts the clone's src/ on
    the project venv's path with a .pth file of its own, and Python reads .pth files only in a site
    directory, not in a folder that a .pth line adds). JUPYTER_PATH points to the project venv's
    share/jupyter, where the dependencies keep their data files (nbconvert's base templates, the
    kernel spec), as a normal install would have them beside the wheel.
    """
    source = tmp_path / "source"  # what a wheel is built from, so that the build writes nothing into the clone
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "src", source / "src", symlinks=True,  # the packaged notebook is a link into notebooks/
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "notebooks", source / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", tmp_path / "dist",
                    source], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("reportlib-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], check=True,
                   capture_output=True)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], check=True,
                          capture_output=True, text=True).stdout.strip()
    Path(site, "project-venv.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix, "share", "jupyter"))}
    env.pop("PYTHONPATH", None)

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "data").mkdir(parents=True)
    (elsewhere / "data" / "raw").symlink_to(ROOT / "data" / "raw")
    where = subprocess.run([python, "-c", "from reportlib import paths; print(paths.PACKAGE, paths.CLONE)"], env=env,
                           cwd=elsewhere, check=True, capture_output=True, text=True).stdout.split()
    assert where == [str(Path(site, "reportlib")), "None"]

    reportlib = str(venv / "bin" / "reportlib")
    out = tmp_path / "reports"
    done = subprocess.run([reportlib, "run", "--period", "2018/19", "--format", "html", "--data", ROOT / "data" / "raw",
                           "--out", out], env=env, cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = out / "2018-11-01_2019-10-31"
    assert "Sager i alt" in (report / "beretning.html").read_text(encoding="utf-8")
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    packaged = Path(site, "reportlib", "notebooks", "beretning.ipynb")
    assert manifest["parameters"]["notebook"] == str(packaged)  # the wheel's own copy ...
    assert packaged.read_bytes() == (ROOT / "notebooks" / "beretning.ipynb").read_bytes()  # ... of notebooks/
    assert manifest["git"] is None

    # Outside a clone, the defaults are data/raw and outputs in the current folder.
    shown = " ".join(subprocess.run([reportlib, "run", "--help"], env=env, cwd=elsewhere, check=True,
                                    capture_output=True, text=True).stdout.split())
    assert "data/raw in the current folder" in shown and "outputs in the current folder" in shown
    validated = subprocess.run([reportlib, "validate"], env=env, cwd=elsewhere, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    assert "Ballerup Kommune" in validated.stdout


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"<!-- test-command -->\s*```(?:sh|bash)?\n(.+?)\n```", readme, re.S).group(1).strip()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.strip().startswith("#")]
    # The last command is exactly the README's; everything before it only installs what the tests
    # need (Chromium, the npm packages of the browser checks) or sets up the shell and environment.
    assert ci_lines and ci_lines[-1] == command
    preparation = ("apt-get", "npm ", "export ", "command -v ")
    for line in ci_lines[:-1]:
        assert line.startswith(("set ", "cd ")) or any(word in line for word in preparation), line


def test_ci_installs_only_what_the_browser_and_word_checks_need():
    installed = [word for line in (ROOT / ".ci" / "run").read_text().splitlines()
                 if "apt-get install" in line and not line.strip().startswith("#")
                 for word in line.split("apt-get install", 1)[1].split() if not word.startswith("-")]
    # No fonts: the report brings its own. LibreOffice only opens the Word report, in its test.
    assert sorted(installed) == ["chromium", "libreoffice-writer-nogui", "nodejs", "npm"]
