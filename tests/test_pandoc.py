"""Pandoc is always the copy in pypandoc-binary's wheel, whether or not the machine has a newer one installed.

pypandoc on its own takes the newest Pandoc it finds: a machine with one on PATH is the state tested
here beside this machine's, with a stand-in that claims a far newer version and records each run.
pypandoc remembers the Pandoc it chose for the life of a process, so each case runs in a fresh one.
"""

import os
import subprocess
import sys

import pytest

from reportlib import pandoc

CONVERT = ("import sys\nfrom {module} import convert_text\n"
           "sys.stdout.write(convert_text('# Beretning\\n\\nÆ *ø* å.', 'html', format='markdown'))")


@pytest.fixture
def newer_pandoc_on_path(tmp_path):
    """An environment whose PATH starts with a 'pandoc' 99.0 that writes a mark when it runs; and the mark."""
    folder = tmp_path / "bin"
    folder.mkdir()
    mark = tmp_path / "ran"
    program = folder / "pandoc"
    program.write_text(f"#!/bin/sh\necho ran >> {mark}\necho 'pandoc 99.0'\n", encoding="utf-8")
    program.chmod(0o755)
    environment = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path)}
    environment.pop("PYPANDOC_PANDOC", None)
    return environment, mark


def converted(module, environment):
    done = subprocess.run([sys.executable, "-c", CONVERT.format(module=module)], env=environment,
                          capture_output=True, text=True, timeout=120)
    return done


def test_the_bundled_pandoc_is_there():
    assert pandoc.bundled() is not None and os.access(pandoc.bundled(), os.X_OK)


def test_a_newer_pandoc_on_the_machine_is_never_run(newer_pandoc_on_path):
    environment, mark = newer_pandoc_on_path
    plain = {**os.environ}
    plain.pop("PYPANDOC_PANDOC", None)
    usual = converted("reportlib.pandoc", plain)
    with_newer = converted("reportlib.pandoc", environment)
    assert usual.returncode == 0 and with_newer.returncode == 0, with_newer.stderr
    assert with_newer.stdout == usual.stdout and "<h1" in usual.stdout
    assert not mark.exists()
    assert "PYPANDOC_PANDOC" not in os.environ  # scoped to the conversion


def test_pypandoc_on_its_own_would_take_the_newer_one(newer_pandoc_on_path):
    """The state the test above is in is real: left to itself pypandoc runs the stand-in."""
    environment, mark = newer_pandoc_on_path
    converted("pypandoc", environment)
    assert mark.exists()
