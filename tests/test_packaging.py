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

from conftest import INSTALLER_LOCK, LOCK, ROOT
from locks import locked_versions

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
    locked = locked_versions(LOCK)
    for spec in declared() + PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {LOCK.name}: run make lock"
        assert requirement.specifier.contains(locked[name]), f"{name}=={locked[name]} is not {spec}: run make lock"
    entries = re.sub(r"\\\n", " ", LOCK.read_text(encoding="utf-8")).splitlines()
    unhashed = [line for line in entries if line[:1].isalnum() and ("==" not in line or "--hash=sha256:" not in line)]
    assert unhashed == []



def test_the_installer_is_locked_with_hashes_and_installed_first():
    """pip itself at a locked version: the pip a Python's venv bundles may be too old for the lock."""
    entries = re.sub(r"\\\n", " ", INSTALLER_LOCK.read_text(encoding="utf-8")).splitlines()
    pinned = [line for line in entries if line[:1].isalnum()]
    assert len(pinned) == 1 and pinned[0].startswith("pip==") and "--hash=sha256:" in pinned[0]
    recipe = re.search(r"define install_environment\n(.+?)\nendef", (ROOT / "Makefile").read_text(), re.S).group(1)
    installs = [line.strip() for line in recipe.splitlines() if "pip install" in line]
    assert "--require-hashes -r $(INSTALLER_LOCK)" in installs[0] and "--require-hashes -r $(LOCK)" in installs[1]


def test_a_package_asked_for_with_an_extra_is_locked_with_it():
    """pip before 23.3 looks an extra up on the index unless the lock names it (fonttools[woff]==...), finds a
    newer release than the lock's and refuses it in --require-hashes mode: the lock names every extra asked for."""
    from importlib import metadata

    lock = LOCK.read_text(encoding="utf-8")
    locked_extras = {(canonicalize_name(m.group(1)), extra.strip())
                     for m in re.finditer(r"(?m)^([A-Za-z0-9_.-]+)\[([^\]]+)\]==", lock)
                     for extra in m.group(2).split(",")}
    asked = set()
    for dist in metadata.distributions():
        for spec in dist.requires or []:
            requirement = Requirement(spec)
            if requirement.extras and (requirement.marker is None or requirement.marker.evaluate({"extra": ""})):
                asked |= {(canonicalize_name(requirement.name), extra) for extra in requirement.extras}
    assert asked and asked <= locked_extras


# A new venv as a newcomer's machine makes it: the Makefile's recipe with each Python's own bundled pip
# (3.11 and 3.12 bundle 23.2.1, 3.13 bundles 24.2), and the README's plain pip install by hand.
FRESH = [*(("make", python) for python in ("python3", "python3.12", "python3.13")), ("pip alone", "python3")]


def interpreter(name: str) -> str | None:
    """The Python that ``name`` on PATH runs, or None; a pyenv shim (python3.12) is told the version it names."""
    found = shutil.which(name)
    if found is None:
        return None
    version = name.removeprefix("python")
    environment = {**os.environ, "PYENV_VERSION": version} if "." in version else os.environ
    probe = subprocess.run([found, "-c", "import sys; print(sys.executable)"], env=environment, capture_output=True,
                           text=True, timeout=60)
    return probe.stdout.strip() if probe.returncode == 0 else None


@pytest.mark.slow
@pytest.mark.xdist_group("new-venv")  # the Makefile's editable install writes the clone's egg-info: one at a time
@pytest.mark.parametrize("how, python", FRESH, ids=[f"{how}-{python}" for how, python in FRESH])
def test_a_new_venv_with_the_pip_its_python_bundles_installs_exactly_the_lock(tmp_path, how, python):
    found = interpreter(python)
    if found is None:
        message = f"no {python} on PATH that runs: the lock is not tried with its bundled pip"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    venv = tmp_path / "venv"
    if how == "make":  # exactly the Makefile's recipe, into another folder (with its own python3 where that is asked)
        chosen = [] if python == "python3" else [f"PYTHON={found}"]
        done = subprocess.run(["make", *chosen, f"VENV={venv}", f"{venv}/bin/.installed"], cwd=ROOT,
                              capture_output=True, text=True, timeout=1200)
    else:  # the README's by hand, with the pip the venv brings
        subprocess.run([found, "-m", "venv", venv], check=True, timeout=300)
        done = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--require-hashes", "-r",
                               LOCK], capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    read = subprocess.run([venv / "bin" / "python", ROOT / "tests" / "locks.py", *([INSTALLER_LOCK] * (how == "make")),
                           LOCK], capture_output=True, text=True, check=True, timeout=120)
    versions = json.loads(read.stdout)
    expected = versions["locked"] | ({"reportlib": "0.1.0"} if how == "make" else {})
    installed = versions["installed"]
    if how == "pip alone":
        expected["pip"] = installed.get("pip")  # the venv's own
    assert installed == expected

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
    assert manifest["parameters"]["notebook"] == "reportlib/notebooks/beretning.ipynb"  # the wheel's own copy ...
    assert packaged.read_bytes() == (ROOT / "notebooks" / "beretning.ipynb").read_bytes()  # ... of notebooks/
    assert manifest["git"] is None

    # Outside a clone, the defaults are data/raw and outputs in the current folder.
    shown = " ".join(subprocess.run([reportlib, "run", "--help"], env=env, cwd=elsewhere, check=True,
                                    capture_output=True, text=True).stdout.split())
    assert "data/raw in the current folder" in shown and "outputs in the current folder" in shown
    validated = subprocess.run([reportlib, "validate"], env=env, cwd=elsewhere, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    assert "Ballerup Kommune" in validated.stdout


def readme_command(marker: str) -> str:
    """The command the README shows after ``<!-- marker -->``."""
    readme = (ROOT / "README.md").read_text()
    return re.search(rf"<!-- {marker} -->\s*```(?:sh|bash)?\n(.+?)\n```", readme, re.S).group(1).strip()


def test_ci_runs_the_readmes_two_commands_the_report_first_before_anything_is_installed():
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.strip().startswith("#")]
    report, test = readme_command("report-command"), readme_command("test-command")
    # The report as a newcomer makes it: after setting up the shell, before anything is installed.
    setup = ci_lines[: ci_lines.index(report)]
    assert setup and all(line.startswith(("set ", "cd ", "export ")) for line in setup), setup
    # The last command is exactly the README's; between the two, only what the tests need is installed.
    assert ci_lines[-1] == test
    preparation = ("apt-get", "npm ", "export ", "command -v ")
    for line in ci_lines[ci_lines.index(report) + 1:-1]:
        assert any(word in line for word in preparation), line


def test_ci_installs_only_what_the_browser_and_word_checks_need():
    installed = [word for line in (ROOT / ".ci" / "run").read_text().splitlines()
                 if "apt-get install" in line and not line.strip().startswith("#")
                 for word in line.split("apt-get install", 1)[1].split() if not word.startswith("-")]
    # No fonts: the report brings its own. LibreOffice only opens the Word report, in its test.
    assert sorted(installed) == ["chromium", "libreoffice-writer-nogui", "nodejs", "npm"]
