"""Environment variables set for the length of a block and put back after it.

Some libraries are steered only through the environment: fontconfig (which fonts exist), Pandoc
and fontTools (their clock, ``SOURCE_DATE_EPOCH``), a kernel started in the block (which inherits
``os.environ``). Each setting is scoped to the work that needs it, so nothing leaks into the rest
of the process.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping


@contextlib.contextmanager
def scoped(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set each variable to its string, or clear it where None, inside the block; afterwards each is as it was.

    Parameters
    ----------
    values : Mapping[str, str | None]
        Variable name -> its value inside the block (None: not set there).
    """
    before = {name: os.environ.get(name) for name in values}
    try:
        _set(values)
        yield
    finally:
        _set(before)


def _set(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
