"""Names a package offers, imported when first used (PEP 562): the one way reportlib defers an import.

A package declares ``_PUBLIC``, each public name and the submodule that defines it, and takes its
module-level ``__getattr__`` and ``__dir__`` from :func:`lazy_names`. ``import reportlib`` then
loads nothing heavy (a scheduled run of an up-to-date period never loads pandas), the report's
export reads ``reportlib.report`` without its charts, and the workbench's widgets load only when
the notebook asks for them. tests/test_layers.py reads ``_PUBLIC`` to follow these imports.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import Any


def lazy_names(package: str, public: dict[str, str], *,
               moved: dict[str, str] | None = None) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, importing ``public[name]`` when ``name`` is first used.

    ``moved`` names modules that once lived in the package under another name (old name -> new
    submodule): they stay importable, with a warning that says where to.
    """
    moved = moved or {}

    def __getattr__(name: str) -> Any:
        if name in moved:
            new = moved[name].rpartition(".")
            warnings.warn(f"{package}.{name} is now {package}.{moved[name]}: write `from {package}.{new[0]} import "
                          f"{new[2]}`", DeprecationWarning, stacklevel=2)
            return importlib.import_module(f".{moved[name]}", package)
        if name not in public:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f".{public[name]}", package), name)

    def __dir__() -> list[str]:
        return sorted(set(vars(importlib.import_module(package))) | set(public))

    return __getattr__, __dir__
