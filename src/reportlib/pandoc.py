"""Pandoc, always the copy that pypandoc-binary carries, whatever other Pandoc the machine has installed.

Left to itself, pypandoc runs every Pandoc it can find (on PATH, in ``~/bin``, in the environment's
``bin``) and takes the newest: on a machine with a newer Pandoc installed, the advisor's Word file
would be read and the Word report written by that one, with other Markdown and other bytes. pypandoc
runs only the program that ``PYPANDOC_PANDOC`` names, if it is set: every conversion here sets it to
the copy in the wheel, which the lock pins. Where that copy is missing (pypandoc installed without
its binary), pypandoc looks for one as it would.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import pypandoc

from reportlib import environment


@functools.cache
def bundled() -> Path | None:
    """The Pandoc program inside pypandoc-binary's wheel, or None where the package has none."""
    program = Path(pypandoc.__file__).parent / "files" / ("pandoc.exe" if sys.platform == "win32" else "pandoc")
    return program if program.is_file() else None


def _only_bundled():
    program = bundled()
    return environment.scoped({} if program is None else {"PYPANDOC_PANDOC": str(program)})


def convert_text(source: str, to: str, **options: Any) -> str:
    """``pypandoc.convert_text`` with the bundled Pandoc."""
    with _only_bundled():
        return pypandoc.convert_text(source, to, **options)


def convert_file(source: str, to: str, **options: Any) -> str:
    """``pypandoc.convert_file`` with the bundled Pandoc."""
    with _only_bundled():
        return pypandoc.convert_file(source, to, **options)
