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
    "Kommune": "register.kommune",
    "load_kommune": "register.kommune",
    "Problem": "exceptions",
    "RegisterInvalid": "exceptions",
    "ReportlibError": "exceptions",
    "Register": "register.model",
    "load_register": "register.validate",
    "show": "report.display",
    "bars": "report.charts",
}

__all__ = ["__version__", *_PUBLIC]

# Modules that moved when the package was laid out in layers (issue 20), which the notebooks'
# instructions once named: old name -> new module. Kept importable, with a warning saying where to.
_MOVED = {"explore": "workbench.tables"}

if TYPE_CHECKING:  # for type checkers only, as re-exports ("X as X"); at run time __getattr__ imports them
    from reportlib.exceptions import Problem as Problem
    from reportlib.exceptions import RegisterInvalid as RegisterInvalid
    from reportlib.exceptions import ReportlibError as ReportlibError
    from reportlib.register.kommune import Kommune as Kommune
    from reportlib.register.kommune import load_kommune as load_kommune
    from reportlib.register.model import Register as Register
    from reportlib.register.validate import load_register as load_register
    from reportlib.report.charts import bars as bars
    from reportlib.report.display import show as show


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import warnings

        new = _MOVED[name].rpartition(".")
        warnings.warn(f"reportlib.{name} is now reportlib.{_MOVED[name]}: write `from reportlib.{new[0]} import "
                      f"{new[2]}`", DeprecationWarning, stacklevel=2)
        return importlib.import_module(f".{_MOVED[name]}", __name__)
    if name not in _PUBLIC:
        raise AttributeError(f"module 'reportlib' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
