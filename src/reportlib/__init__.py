"""reportlib: the citizen advisor's case register turned into the annual report, reproducibly.

The public names, the verbs of the flow among them (``load_register``, ``load_beretning``,
``run_period``), are imported when first used (:mod:`reportlib._lazy`), so ``import reportlib``
costs nothing: a scheduled run of an up-to-date period never loads pandas. A period's figures
are ``reportlib.figures.document.figures``: the name ``figures`` is the package's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlib._lazy import lazy_names

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
    "load_beretning": "report.beretning",
    "run_period": "publish.run",
    "show": "report.display",
    "bars": "report.charts",
}

__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:  # for type checkers only, as re-exports ("X as X"); at run time __getattr__ imports them
    from reportlib.exceptions import Problem as Problem
    from reportlib.exceptions import RegisterInvalid as RegisterInvalid
    from reportlib.exceptions import ReportlibError as ReportlibError
    from reportlib.publish.run import run_period as run_period
    from reportlib.register.kommune import Kommune as Kommune
    from reportlib.register.kommune import load_kommune as load_kommune
    from reportlib.register.model import Register as Register
    from reportlib.register.validate import load_register as load_register
    from reportlib.report.beretning import load_beretning as load_beretning
    from reportlib.report.charts import bars as bars
    from reportlib.report.display import show as show

# Modules that moved when the package was laid out in layers (issue 20), which the notebooks'
# instructions once named: kept importable, with a warning saying where to.
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, moved={"explore": "workbench.tables"})
