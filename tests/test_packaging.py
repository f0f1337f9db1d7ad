"""The project's promises about itself: one dependency list in two files, CI running the README's command."""

import re
import tomllib

import yaml

from reportlib.paths import PROJECT_ROOT


def _requirement(spec: str) -> tuple[str, str]:
    name, _, minimum = spec.partition(">=")
    return name.strip().lower(), minimum.strip()


def test_environment_yml_declares_the_same_packages_as_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for deps in project["optional-dependencies"].values() for d in deps]
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())["dependencies"]
    conda = [d for d in environment if isinstance(d, str) and not d.startswith(("python", "pip"))]
    from_pip = [d for entry in environment if isinstance(entry, dict) for d in entry["pip"] if d != "-e ."]
    assert sorted(map(_requirement, conda + from_pip)) == sorted(map(_requirement, declared))
    assert all(">=" in d for d in declared), "pin a minimum version for every dependency"


def test_ci_runs_the_readme_test_command():
    readme = (PROJECT_ROOT / "README.md").read_text()
    command = re.search(r"<!-- test-command -->\s*```(?:sh|bash)?\n(.+?)\n```", readme, re.S).group(1).strip()
    ci_lines = [line.strip() for line in (PROJECT_ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.strip().startswith("#")]
    # The last command is exactly the README's; everything before it only installs what the tests
    # need (Chromium, the npm packages of the browser checks) or sets up the shell and environment.
    assert ci_lines and ci_lines[-1] == command
    preparation = ("apt-get", "npm ", "export ", "command -v ")
    for line in ci_lines[:-1]:
        assert line.startswith(("set ", "cd ")) or any(word in line for word in preparation), line
