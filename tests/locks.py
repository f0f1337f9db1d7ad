"""The lock files read as pip installs them, and what an environment has installed; nothing heavy imported.

Run with an environment's own Python, it prints both as JSON, so that a test can compare an
environment it has just made with the locks: ``python tests/locks.py LOCK [LOCK ...]``.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def locked_versions(*locks: Path) -> dict[str, str]:
    """The packages the locks install on this platform and Python: normalised name -> version."""
    versions = {}
    for lock in locks:
        for line in re.sub(r"\\\n", " ", lock.read_text(encoding="utf-8")).splitlines():
            if line[:1].isalnum():  # an entry: name[extras]==version ; marker --hash=... (comments are indented or #)
                requirement = Requirement(line.split(" --hash=")[0])
                if requirement.marker is None or requirement.marker.evaluate():
                    versions[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
    return versions


def installed_versions() -> dict[str, str]:
    """Every distribution installed in this Python's environment: normalised name -> version."""
    return {canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}


if __name__ == "__main__":
    print(json.dumps({"locked": locked_versions(*map(Path, sys.argv[1:])), "installed": installed_versions()}))
