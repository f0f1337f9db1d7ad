"""The analyst's workbench: the exploration notebook's tables, drop-downs and charts.

Owns the exploration tables (tidy DataFrames for the advisor's own office) and the widgets that
update them in place. Imports report (charts, display), figures, register and the base modules;
never publishing. The exploration notebook takes :class:`Workbench` from here.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:  # the widgets load ipywidgets and itables: only when the notebook asks
    if name != "Workbench":
        raise AttributeError(f"module 'reportlib.workbench' has no attribute {name!r}")
    return importlib.import_module(".widgets", __name__).Workbench
