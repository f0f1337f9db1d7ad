"""Whether a period's published report is current, decided from everything a run reads.

The cache key is a SHA-256 over the register's files, ``kommune.yml``, the period's narrative, the
report notebook, reportlib's own code and the run's parameters. A run records it in
``manifest.json``; a later run with the same key, whose published files still match the manifest,
has nothing to do. This module imports nothing heavy (PyYAML at most), so the command line can skip
an up-to-date period before loading pandas, pydantic, papermill or WeasyPrint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reportlib import __version__, inputs
from reportlib.exceptions import InputRefused, InputUnreadable
from reportlib.files import sha256
from reportlib.inputs import Limit, read_bytes, read_text
from reportlib.language import LANGUAGES, _
from reportlib.paths import CLONE, KOMMUNE_FILE, MANIFEST, PACKAGE, narrative_path, present, source_files
from reportlib.periods import Period
from reportlib.register import kommune_yaml
from reportlib.report.edition import Edition

_CODE_SUFFIXES = (".py", ".j2", ".css", ".json")


@dataclass(frozen=True)
class Plan:
    """Where a period's report goes, what its run reads, and the resulting cache key.

    ``read`` are the files the report itself reads (:func:`report_inputs`), each with its limit, found
    before anything else is read: the kernel is handed them as the run read them.
    """

    period: Period
    target: Path
    inputs: dict[str, str]
    key: str
    read: tuple[tuple[Path, Limit], ...] = ()

    def is_current(self) -> bool:
        """Tell whether the published report was made with this key and is unchanged since."""
        return is_current(self.target, self.key)


def plan(period: Period, *, data: Path, out: Path, formats: tuple[str, ...], min_celle: int | None,
         notebook: Path, udkast: bool = False, edition: Edition | None = None, network: Path | None = None,
         interim: bool = False) -> Plan:
    """Work out a run's target folder, input digests and cache key (``data`` as an absolute path).

    A draft and the final report of the same inputs have different keys: the one never stands for the other;
    nor do an interim report and a complete one, or two editions (:class:`~reportlib.report.edition.Edition`:
    the date and meeting on the title). A network's figures (``network``, for the section comparing the
    municipality) are an input too.
    """
    read = tuple(report_inputs(data, period, network).items())
    inputs = input_digests(data, period, notebook, network)
    parameters = {"period": period.slug, "min_celle": min_celle, "formats": sorted(formats),
                  "notebook": str(notebook), "udkast": udkast, **(edition or Edition()).parameters(),
                  **({"network": str(network)} if network is not None else {}),
                  **({"interim": True} if interim else {})}
    return Plan(period, out / period.slug, inputs, cache_key(inputs, parameters), read)


def top_level_text(data: Path, key: str) -> str | None:
    """A top-level text value of kommune.yml, read without checking the rest; None if there is no plain one."""
    node = _top_level_node(data, key)
    return node.value if node is not None and node.tag == "tag:yaml.org,2002:str" else None


def configured_language(data: Path) -> str | None:
    """kommune.yml's ``sprog`` (``da`` or ``en``), read without checking the rest; None when it names neither."""
    value = (top_level_text(data, "sprog") or "").strip().lower()
    return value if value in LANGUAGES else None


def _top_level_node(data: Path, key: str) -> yaml.ScalarNode | None:
    try:
        root = kommune_yaml.compose(read_text(data / KOMMUNE_FILE, inputs.KOMMUNE_FILE))
    except (OSError, InputRefused, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None
    values = [value for name, value in root.value if isinstance(name, yaml.ScalarNode)
              and name.value == key] if isinstance(root, yaml.MappingNode) else []
    return values[0] if len(values) == 1 and isinstance(values[0], yaml.ScalarNode) else None


def start_month(data: Path) -> int | None:
    """Read ``periode_start_maaned`` from kommune.yml without checking the rest, or None.

    Enough to name a period and find its published report: a report is only current when
    kommune.yml has the bytes it had when the run that made the report checked it in full. Only
    the one key's value is built (the tree is composed, not loaded, so aliases are never expanded).
    None for anything but one plain month (a missing or unreadable file, invalid YAML, a duplicate
    key, another value): the caller then reads kommune.yml with every check, which says what is wrong.
    """
    node = _top_level_node(data, "periode_start_maaned")
    if node is None or node.tag != "tag:yaml.org,2002:int":
        return None
    try:
        month = kommune_yaml.construct(node)  # built as the full reading builds it (YAML 1.1: 011 is octal)
    except (yaml.YAMLError, ValueError):  # !!int x
        return None
    return month if type(month) is int and 1 <= month <= 12 else None


def _input_sha256(path: Path, limit: Limit) -> str:
    """The SHA-256 of an input, of the bytes the run reads (:func:`reportlib.inputs.read_bytes`)."""
    return hashlib.sha256(read_bytes(path, limit)).hexdigest()


def report_inputs(data: Path, period: Period, network: Path | None = None) -> dict[Path, Limit]:
    """The files the report itself reads (and the kernel is handed), each with its limit: kommune.yml, and those
    it names or finds.

    The narrative only when present, so that adding one later makes the report out of date; the
    logo kommune.yml names; the network's figures of a comparison.
    """
    narrative = narrative_path(data, period)
    logo = top_level_text(data, "logo")
    return {data / KOMMUNE_FILE: inputs.KOMMUNE_FILE, **({narrative: inputs.NARRATIVE} if present(narrative) else {}),
            **({data / logo: inputs.IMAGE} if logo and "/" not in logo and "\\" not in logo else {}),
            **({network: inputs.NETWORK} if network is not None else {})}


def input_digests(data: Path, period: Period, notebook: Path, network: Path | None = None) -> dict[str, str]:
    """Hash the files a run of ``period`` reads, named relative to the register folder or the project.

    Each is hashed from the bytes the run then reads (:mod:`reportlib.inputs`); the notebook, which
    papermill reads again, is read through it too, so that it is checked as every input is.
    """
    (kommune, kommune_limit), *named = report_inputs(data, period, network).items()
    files = [(kommune, kommune_limit), *((path, inputs.REGISTER_FILE) for path in source_files(data)), *named,
             (notebook, inputs.NOTEBOOK)]
    digests = {}
    for path, limit in files:
        try:
            digests[_shown(path, data)] = _input_sha256(path, limit)
        except FileNotFoundError:
            pass  # the validator names what is missing
        except OSError as exc:
            raise InputUnreadable(_("{file}: cannot be read ({reason}); check the file's permissions").format(
                file=path, reason=exc.strerror)) from None
    return digests


def code_digest() -> str:
    """Hash reportlib's own source and templates, so a code change without a version bump still counts."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file()):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(inputs: dict[str, str], parameters: dict[str, Any]) -> str:
    """Combine input digests, parameters and the code into one key."""
    payload = {"reportlib": __version__, "code": code_digest(), "inputs": inputs, "parameters": parameters}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def is_current(folder: Path, key: str) -> bool:
    """Tell whether ``folder`` holds a complete report made with ``key``, its files unchanged since.

    Anything but a manifest as a run writes it (an object with the key and the outputs' digests)
    means "not current": the run then makes the report anew.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or manifest.get("cache_key") != key:
        return False
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    return all(isinstance(digest, str) and (folder / name).is_file() and sha256(folder / name) == digest
               for name, digest in outputs.items())


def _shown(path: Path, data: Path) -> str:
    for base in (data, CLONE or PACKAGE.parent):  # notebooks/beretning.ipynb, or reportlib/notebooks/... from a wheel
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return str(path)
