"""The manifest every published folder carries: what was made, from what, with what, and when.

A run's own part (its period or network, parameters, cache key, inputs' digests, warnings) is the
caller's; :func:`write_manifest` adds what every manifest records the same way: reportlib's
version, the code that made the report (:func:`code_identity`), the environment, the git state, the
times and the SHA-256 of every output file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import re
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from reportlib import __version__
from reportlib.paths import CLONE, MANIFEST
from reportlib.publish.freshness import code_digest, sha256


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
