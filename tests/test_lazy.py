"""reportlib._lazy: a package's public names imported when first used, and only then."""

import subprocess
import sys

import pytest

from reportlib._lazy import lazy_names


def test_a_public_name_is_imported_from_its_module_when_first_used():
    getattr_, dir_ = lazy_names("reportlib", {"parse_period": "periods"}, moved={"old": "periods"})
    from reportlib.periods import parse_period

    assert getattr_("parse_period") is parse_period
    assert "parse_period" in dir_()
    with pytest.raises(AttributeError, match="module 'reportlib' has no attribute 'nothing'"):
        getattr_("nothing")
    with pytest.warns(DeprecationWarning, match="reportlib.old is now reportlib.periods"):
        assert getattr_("old").parse_period is parse_period


def test_the_package_offers_the_verbs_of_the_flow_without_importing_them():
    code = ("import sys, reportlib; heavy = {'pandas', 'reportlib.publish.run', 'reportlib.report.beretning'};"
            "print(sorted(heavy & set(sys.modules))); print(reportlib.run_period.__module__,"
            " reportlib.load_beretning.__module__, reportlib.load_register.__module__)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.splitlines() == ["[]", "reportlib.publish.run reportlib.report.beretning reportlib.register.validate"]
