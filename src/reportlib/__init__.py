"""reportlib: the citizen advisor's case register turned into the annual report, reproducibly.

The public names are imported when first used (PEP 562), so ``import reportlib`` costs nothing:
a scheduled run of an up-to-date period never loads pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_PUBLIC = {
    "Kommune": "config",
    "load_kommune": "config",
    "Problem": "exceptions",
    "RegisterInvalid": "exceptions",
    "ReportlibError": "exceptions",
    "Register": "validate",
    "load_register": "validate",
    "show": "display",
}

__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:  # for type checkers only, as re-exports ("X as X"); at run time __getattr__ imports them
    from .config import Kommune as Kommune
    from .config import load_kommune as load_kommune
    from .display import show as show
    from .exceptions import Problem as Problem
    from .exceptions import RegisterInvalid as RegisterInvalid
    from .exceptions import ReportlibError as ReportlibError
    from .validate import Register as Register
    from .validate import load_register as load_register


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'reportlib' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
