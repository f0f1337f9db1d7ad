"""The analyst's workbench: the exploration notebook's tables, drop-downs and charts.

Owns the exploration tables (tidy DataFrames for the advisor's own office) and the widgets that
update them in place. Imports report (charts, display), figures, register and the base modules;
never publishing. The exploration notebook takes :class:`Workbench` from here.
"""

from __future__ import annotations

from reportlib._lazy import lazy_names

_PUBLIC = {"Workbench": "widgets"}

# The widgets load ipywidgets and itables: only when the notebook asks.
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
