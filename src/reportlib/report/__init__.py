"""The report: what the board reads, built from the figures document and the advisor's narrative.

Owns the beretning's sections and chapters, its charts, how the kernel displays them, the
narrative and its scaffold, the sanitizer of everything published, and the output types a report
notebook hands to the export. Imports figures, register and the base modules; never publishing or
the workbench. The report notebook takes :func:`load_beretning` from here.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {"load_beretning": "beretning", "Beretning": "beretning", "SECTIONS": "sections"}


def __getattr__(name: str) -> Any:  # imported when first used: the export reads this package without its charts
    if name not in _PUBLIC:
        raise AttributeError(f"module 'reportlib.report' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
