"""reportlib: the citizen advisor's case register turned into the annual report, reproducibly."""

from .config import Kommune, load_kommune
from .exceptions import Problem, RegisterInvalid, ReportlibError
from .validate import Register, load_register

__version__ = "0.1.0"

__all__ = [
    "Kommune",
    "Problem",
    "Register",
    "RegisterInvalid",
    "ReportlibError",
    "__version__",
    "load_kommune",
    "load_register",
]
