"""The manifest every published folder carries: what was made, from what, with what, and when.

A run's own part (its period or network, parameters, cache key, inputs' digests, warnings) is the
caller's; :func:`write_manifest` adds what every manifest records the same way: reportlib's
version, the code that made the report (:func:`code_identity`), the environment, the git state, the
times and the SHA-256 of every output file.

A published folder is public, so nothing in it names the machine it was made on: no absolute path,
home folder or login name. A path is recorded as a reader can know it (:func:`known_as`: relative
to the clone, or by its name), and a path in a message or a notebook's output is rewritten within
the folder it lies in (:func:`unmachined`: ``site-packages/...``, ``~/...``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import subprocess
import sysconfig
import tempfile
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from reportlib import __version__
from reportlib.files import sha256
from reportlib.paths import CLONE, MANIFEST, PACKAGE
from reportlib.publish.freshness import code_digest


def write_manifest(folder: Path, fields: dict[str, Any], *, outputs: Iterable[str], started: dt.datetime,
                   warnings: Iterable[str] = ()) -> None:
    """Write ``folder/manifest.json``: reportlib's version, then ``fields``, the code, environment, times and outputs.

    ``outputs`` names the files in ``folder`` to record with their SHA-256; write the manifest last.
    """
    finished = dt.datetime.now(dt.UTC)
    manifest = {
        "reportlib": __version__,
        **fields,
        "code": code_identity(),
        "environment": environment(),
        "git": git_state(),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 2),
        "outputs": {name: sha256(folder / name) for name in outputs},
        "warnings": list(warnings),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def environment() -> dict:
    """Python, the platform, and every installed distribution's version, as package metadata says.

    All of them, not only reportlib's dependencies: what is importable can change a report (pandas
    uses numexpr and bottleneck when they are there). Set up from requirements.lock, that is the
    lock's packages for this platform, plus pip and reportlib itself.
    """
    versions: dict[str, str] = {}
    for dist in metadata.distributions():  # in sys.path order: the first of a name is the one imported
        if name := dist.metadata["Name"]:
            versions.setdefault(re.sub(r"[-_.]+", "-", name).lower(), dist.version)  # PEP 503, as the lock has them
    return {"python": platform.python_version(), "platform": platform.platform(),
            "packages": dict(sorted(versions.items()))}


def code_identity() -> dict[str, str]:
    """Return the code a report is made with: digests of reportlib's source and of the installed packages.

    ``reportlib`` is the cache key's code part (:func:`~reportlib.publish.freshness.code_digest`);
    ``packages`` hashes the names and versions :func:`environment` records. The installed packages,
    not requirements.lock: a wheel comes without the lock, and a worker whose packages were never
    updated has the lock's new text but runs the old versions. A batch run's worker compares this
    with the submitting process's before it runs a period (:func:`reportlib.publish.batch.run_one`).

    Returns
    -------
    dict
        ``{"reportlib": hex SHA-256, "packages": hex SHA-256}``.
    """
    packages = json.dumps(environment()["packages"], sort_keys=True).encode()
    return {"reportlib": code_digest(), "packages": hashlib.sha256(packages).hexdigest()}


def git_state() -> dict | None:
    """The project's commit and whether the work tree differs from it; None outside a git clone."""
    if CLONE is None:  # installed from a wheel
        return None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=CLONE, capture_output=True, text=True,
                                check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=CLONE,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}


def known_as(path: str | Path) -> str:
    """Name ``path`` as a reader of a published folder can know it, with nothing of the machine in it.

    Within the clone reportlib runs from (installed from a wheel: the folder holding the package),
    the path relative to it: ``notebooks/beretning.ipynb``, ``data/raw``,
    ``reportlib/notebooks/beretning.ipynb``; the home folder itself as ``~``; anywhere else its name
    alone: ``register``, ``network.json``. A relative path is left as it is.
    """
    path = Path(path)
    base = CLONE or PACKAGE.parent
    if not path.is_absolute():
        return path.as_posix()
    if path == _home():  # a folder named after the login
        return "~"
    if path != base and path.is_relative_to(base):
        return path.relative_to(base).as_posix()
    return path.name or path.as_posix()


def known_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Name each value of ``parameters`` that is an absolute path of this machine as :func:`known_as` does.

    Only paths that exist are renamed, so a text that merely starts with a slash is left as given.
    """
    return {name: known_as(value) if isinstance(value, str) and Path(value).is_absolute() and os.path.lexists(value)
            else value for name, value in parameters.items()}


def machine_folders(named: Mapping[str | Path, str] | None = None) -> dict[str, str]:
    """Return this machine's folders that a path in a message may start with, and what a published file calls each.

    Python's site-packages as ``site-packages``, its standard library by its name (``python3.11``),
    the clone as nothing (a path within it is relative to it, as the inputs are named), the
    temporary folder as ``tmp`` and the home folder as ``~``; ``named`` adds a run's own (the
    register folder, say), or renames one of these. For :func:`unmachined`.
    """
    paths, home = sysconfig.get_paths(), _home()
    folders = {**({home: "~"} if home else {}), Path(tempfile.gettempdir()): "tmp",
               Path(paths["stdlib"]): Path(paths["stdlib"]).name, Path(paths["purelib"]): "site-packages",
               Path(paths["platlib"]): "site-packages", **({CLONE: ""} if CLONE else {}),
               **{Path(folder): name for folder, name in (named or {}).items()}}
    return {str(folder): name for folder, name in folders.items() if len(folder.parts) > 1}  # never the root alone


def unmachined(text: str, folders: Mapping[str, str]) -> str:
    """Return ``text`` with every path within one of ``folders`` written within that folder's name instead.

    ``/home/karin/.venv/lib/python3.11/site-packages/pandas/core/frame.py`` becomes
    ``site-packages/pandas/core/frame.py``; a folder named ``""`` makes the paths in it relative to
    it. The deepest folder a path lies in is the one taken.

    Parameters
    ----------
    text : str
    folders : Mapping[str, str]
        Absolute folder -> its name in a published file (:func:`machine_folders`).
    """
    if not folders or not text:
        return text
    deepest_first = sorted(folders, key=len, reverse=True)
    # A folder's path ends at a separator, or where no name goes on (a full stop ends a sentence, not a name).
    pattern = re.compile("(" + "|".join(map(re.escape, deepest_first)) + r")(?:([/\\])|(?![\w-])(?!\.[\w-]))")

    def named(match: re.Match) -> str:
        name, separator = folders[match.group(1)], match.group(2)
        if separator:
            return name + separator if name else ""
        return name or "."

    return pattern.sub(named, text)


def _home() -> Path | None:
    try:
        return Path.home()
    except RuntimeError:  # no HOME and no account to look it up in (a bare container): no home to leave out
        return None
