"""The report's typeface: DejaVu Sans, as matplotlib ships it, the same on every machine.

The PDF is laid out by WeasyPrint, which finds fonts through the system's fontconfig: left to
itself it would set the report in whatever the machine has (Segoe UI, Helvetica, Liberation Sans
...), with other line and page breaks on each, and crash on a machine with no fonts at all. So
the PDF is laid out under a fontconfig of the project's own, which knows only the fonts in
matplotlib's package (:func:`isolated`): DejaVu Sans and its bold and oblique faces for the text,
with DejaVu's and STIX's other faces for any character they lack. The charts are drawn by
matplotlib with the same DejaVu Sans, so their text is measured with the font it is set in. The
fonts are embedded in the PDF, which is byte-identical wherever it is made.

Why DejaVu Sans: it is made for reading on screen and paper at small sizes, with a large x-height,
open letter shapes, and I, l and 1 that cannot be mistaken for one another; it covers Danish and far
beyond; it comes with a dependency the project has anyway (no font file in the repository, none
to install); and its licence allows embedding.

The fonts are embedded as subsets of the glyphs the report uses. WeasyPrint cuts them with the
system's HarfBuzz where the machine has libharfbuzz-subset, else with fontTools: two different files
for the same glyphs, and fontTools stamps each with the time it was made. So every PDF is made with
fontTools, which is in the lock (:func:`subsets_alike`), and fontTools takes its time from the
typeface's own date, never from the clock.

The HTML keeps the reader's own system fonts (the report's stylesheet lists them), so it stays one
small file, byte-identical whatever the machine that makes it.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from reportlib import environment

FAMILY = "DejaVu Sans"
# Added to the report's own stylesheet for the PDF only: every text in the one family.
PDF_STYLESHEET = f'html, body, table, caption, figcaption {{ font-family: "{FAMILY}"; }}'
# The fontconfig variables that could point it elsewhere; they are set or cleared while the PDF is made.
_VARIABLES = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")


def font_folder() -> Path:
    """The folder of the fonts matplotlib ships (found without importing matplotlib, which is slow)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - matplotlib is a dependency
        raise ModuleNotFoundError("matplotlib")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


@functools.cache
def fontconfig_file() -> Path:
    """A fontconfig configuration that lists the fonts of :func:`font_folder` and nothing else.

    Written once per process into a private temporary folder (removed at exit), with its cache there.
    """
    folder = Path(tempfile.mkdtemp(prefix="reportlib-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                      f"<fontconfig>\n  <dir>{escape(str(font_folder()))}</dir>\n"
                      f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return config


def isolated() -> contextlib.AbstractContextManager[None]:
    """Let fontconfig see only the report's fonts inside the block; the environment is put back after.

    fontconfig reads ``FONTCONFIG_FILE`` each time a configuration is loaded, which WeasyPrint does
    on import and for each font configuration it makes: do both inside the block.
    """
    return environment.scoped({**dict.fromkeys(_VARIABLES), "FONTCONFIG_FILE": str(fontconfig_file())})


@functools.cache
def typeface_date() -> int:
    """When the report's typeface was last modified, by its own ``head`` table: seconds since 1970 (UTC)."""
    from fontTools.misc.timeTools import epoch_diff  # the head table counts from 1904
    from fontTools.ttLib import TTFont

    with TTFont(font_folder() / "DejaVuSans.ttf", lazy=True) as font:
        return font["head"].modified + epoch_diff


@contextlib.contextmanager
def subsets_alike() -> Iterator[None]:
    """Inside the block, WeasyPrint embeds the same font subsets on every machine, dated by the typeface.

    WeasyPrint takes the system's HarfBuzz subsetter where it can load it (a module global that is
    None where the library is missing): the block makes every machine one without it, so fontTools,
    at the lock's version, cuts every subset. fontTools dates each font it writes (``head.modified``)
    by ``SOURCE_DATE_EPOCH`` when that is set, else by the clock: it is set to :func:`typeface_date`.
    Call it after WeasyPrint is imported (inside :func:`isolated`).
    """
    from weasyprint.pdf import fonts

    machines_subsetter = fonts.harfbuzz_subset
    fonts.harfbuzz_subset = None
    try:
        with environment.scoped({"SOURCE_DATE_EPOCH": str(typeface_date())}):
            yield
    finally:
        fonts.harfbuzz_subset = machines_subsetter
