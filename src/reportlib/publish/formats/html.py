"""The HTML backend (``beretning.html``): the board's page, one self-contained file, written as it was rendered.

The page is rendered and finished before any format is written (:mod:`reportlib.publish.export`,
:mod:`reportlib.publish.finish`), since the PDF is laid out from the same page; this only writes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def write(path: Path, html: str, *, title: str, date: dt.date) -> None:
    """Write the board's HTML (UTF-8); its title is in it already, and a page keeps no date."""
    path.write_text(html, encoding="utf-8")
