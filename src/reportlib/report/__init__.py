"""The report: what the board reads, built from the figures document and the advisor's narrative.

Owns the beretning's sections and chapters, its charts, how the kernel displays them, the
narrative and its scaffold, the sanitizer of everything published, and the output types a report
notebook hands to the export. Imports figures, register and the base modules; never publishing or
the workbench. The report notebook takes :func:`load_beretning` from here.
"""

from __future__ import annotations

from reportlib._lazy import lazy_names

_PUBLIC = {"load_beretning": "beretning", "Beretning": "beretning", "SECTIONS": "sections"}

# Imported when first used: the export reads this package without its charts.
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
