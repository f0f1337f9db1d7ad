"""The report's own typeface: the PDF is laid out with the fonts matplotlib ships, whatever the machine has.

Each thing a machine may or may not have that could reach the PDF is tested in both states here,
whichever this machine is in: fonts (the machine's, none, others), and the HarfBuzz subsetter
(libharfbuzz-subset, which Debian's Chromium brings along: CI always has it, a new machine often not).
"""

import base64
import ctypes.util
import io
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from reportlib.publish import typeface
from reportlib.publish.formats.pdf import to_pdf

# A page of Danish text, a table and a chart, whose PDF is made in a fresh interpreter: fontconfig is
# read once per process.
_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="25" '
        'style="font-family: DejaVu Sans, Arial, sans-serif; font-size: 12px">Sager pr. måned</text></svg>')
PAGE = ('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Prøve</title>'
        '<style>html { font-family: "Segoe UI", Arial, "Liberation Sans", sans-serif }</style></head>'
        '<body><main><h1>Beretning fra Borgerrådgiveren</h1><p>Æblegrød, øl og år: 1.234 sager, 12,5 %.</p>'
        '<table><tr><th scope="col">Område</th><th scope="col">Sager</th></tr><tr><td>Jobcenter</td><td>26</td></tr>'
        f'</table><figure><img src="data:image/svg+xml;base64,{base64.b64encode(_SVG.encode()).decode()}" '
        'alt="Diagram"></figure></main></body></html>')
MAKE_PDF = ("import sys\nfrom reportlib.publish.formats.pdf import to_pdf\n"
            "sys.stdout.buffer.write(to_pdf(sys.stdin.read()))")


def pdf_made_with(environment):
    """The PDF of PAGE made under ``environment`` in a fresh interpreter, or, given None, in this one."""
    if environment is None:
        return to_pdf(PAGE)
    done = subprocess.run([sys.executable, "-c", MAKE_PDF], input=PAGE.encode(), capture_output=True,
                          env=environment, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout


@pytest.mark.slow
def test_the_pdf_is_the_same_bytes_with_the_usual_fonts_with_none_and_with_others(tmp_path):
    usual = pdf_made_with(None)  # this process's own fonts: the machine's
    empty = tmp_path / "none.conf"  # a machine with no fonts at all: a slim container
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    none = pdf_made_with({**os.environ, "FONTCONFIG_FILE": str(empty), "HOME": str(home), "XDG_DATA_HOME": str(home)})
    others = tmp_path / "others.conf"  # a machine whose fonts are others than these (here: only the STIX ones)
    others.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{typeface.font_folder()}</dir>'
                      "<selectfont><rejectfont><glob>*DejaVu*</glob></rejectfont></selectfont></fontconfig>\n",
                      encoding="utf-8")
    other = pdf_made_with({**os.environ, "FONTCONFIG_FILE": str(others)})
    assert usual.startswith(b"%PDF") and usual == none == other
    fonts = {str(font["/BaseFont"]).split("+")[-1] for page in PdfReader(io.BytesIO(usual)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}  # the heading is bold; nothing else is used


def test_the_fontconfig_lists_only_the_fonts_matplotlib_ships():
    root = ElementTree.parse(typeface.fontconfig_file()).getroot()
    assert [element.text for element in root.iter("dir")] == [str(typeface.font_folder())]
    assert (typeface.font_folder() / "DejaVuSans.ttf").is_file()
    assert (typeface.font_folder() / "DejaVuSans-Bold.ttf").is_file()


def test_the_environment_is_put_back_after_the_pdf(monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    monkeypatch.setenv("FONTCONFIG_PATH", "/etc/fonts")
    with typeface.isolated():
        assert os.environ["FONTCONFIG_FILE"] == str(typeface.fontconfig_file())
        assert "FONTCONFIG_PATH" not in os.environ
    assert (os.environ["FONTCONFIG_FILE"], os.environ["FONTCONFIG_PATH"]) == ("/etc/fonts/fonts.conf", "/etc/fonts")
    monkeypatch.delenv("FONTCONFIG_FILE")
    with pytest.raises(RuntimeError), typeface.isolated():
        raise RuntimeError
    assert "FONTCONFIG_FILE" not in os.environ


class _NoSubsetter:
    """Stands in for libharfbuzz-subset on a machine without it: WeasyPrint believes it is there; using it fails."""

    def __getattr__(self, name):
        raise AssertionError(f"WeasyPrint subset a font with the system's HarfBuzz ({name})")


@pytest.fixture(params=["without", "with"])
def harfbuzz_subset(request, monkeypatch):
    """WeasyPrint's subsetter as on a machine without libharfbuzz-subset, and as on one with it.

    With it: the real library where this machine has it, else a stand-in that fails the test if used.
    """
    to_pdf(PAGE)  # WeasyPrint imported under the report's fontconfig, as a run imports it
    from weasyprint.pdf import fonts
    from weasyprint.text import ffi

    if request.param == "without":
        monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    elif ffi.harfbuzz_subset is None:
        monkeypatch.setattr(fonts, "harfbuzz_subset", _NoSubsetter())
    else:
        monkeypatch.setattr(fonts, "harfbuzz_subset", ffi.harfbuzz_subset)
    return request.param


@pytest.fixture(scope="module")
def pdf_without_harfbuzz():
    """The PDF of PAGE as a machine without libharfbuzz-subset makes it."""
    from weasyprint.pdf import fonts

    to_pdf(PAGE)
    saved, fonts.harfbuzz_subset = fonts.harfbuzz_subset, None
    try:
        return to_pdf(PAGE)
    finally:
        fonts.harfbuzz_subset = saved


def test_the_pdf_is_the_same_bytes_a_second_later_with_harfbuzz_subsetting_and_without(harfbuzz_subset,
                                                                                        pdf_without_harfbuzz):
    first = to_pdf(PAGE)
    time.sleep(1.1)  # fontTools dates a font it writes to the second
    assert to_pdf(PAGE) == first == pdf_without_harfbuzz


def test_every_embedded_font_is_dated_by_the_typeface_not_by_the_clock(harfbuzz_subset):
    pdf = pikepdf.open(io.BytesIO(to_pdf(PAGE)))
    dates = set()
    for font in pdf.objects:
        if isinstance(font, pikepdf.Dictionary) and "/FontFile2" in font:
            with TTFont(io.BytesIO(font.FontFile2.read_bytes())) as subset:
                dates.add(subset["head"].modified)
    with TTFont(typeface.font_folder() / "DejaVuSans.ttf", lazy=True) as original:
        assert dates == {original["head"].modified}  # both faces embedded, and both carry the typeface's date
    assert "SOURCE_DATE_EPOCH" not in os.environ  # scoped to the PDF


def test_the_machines_subsetter_is_put_back_after_the_pdf(harfbuzz_subset):
    from weasyprint.pdf import fonts

    before = fonts.harfbuzz_subset
    with pytest.raises(RuntimeError), typeface.subsets_alike():
        assert fonts.harfbuzz_subset is None
        raise RuntimeError
    assert fonts.harfbuzz_subset is before


def test_this_machine_is_the_state_it_says_it_is():
    """The fixture's "with" is the real library where the system can load it: a check that it finds it."""
    from weasyprint.text import ffi

    assert (ffi.harfbuzz_subset is None) == (ctypes.util.find_library("harfbuzz-subset") is None)
