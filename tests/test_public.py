"""What `from reportlib import ...` offers: the same names before and after the package was laid out in layers."""

import pytest

import reportlib
from reportlib.workbench import tables

# The public names of reportlib 0.1.0 as the notebooks and the README use them (before issue 20), and since.
PUBLIC = {"__version__", "Kommune", "load_kommune", "Problem", "RegisterInvalid", "ReportlibError", "Register",
          "load_register", "show", "bars",  # bars: issue 21, the analyst's chart in the report's style
          "load_beretning", "run_period"}  # the verbs of the flow beside load_register: issue 32


def test_the_public_names_are_kept():
    assert set(reportlib.__all__) == PUBLIC
    assert all(callable(getattr(reportlib, name)) for name in PUBLIC - {"__version__"})


def test_the_moved_exploration_module_still_imports_and_says_where_it_went():
    with pytest.warns(DeprecationWarning, match=r"reportlib.explore is now reportlib.workbench.tables: write "
                                                r"`from reportlib.workbench import tables`"):
        from reportlib import explore
    assert explore is tables


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'reportlib' has no attribute 'stats'"):
        reportlib.stats  # noqa: B018
