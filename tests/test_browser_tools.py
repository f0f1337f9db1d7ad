"""The browser checks (tests/browser.py) catch what they are for, on small hand-made pages."""

from __future__ import annotations

import base64
import struct
import urllib.parse

import pytest

import browser
from browser import BrowserCheckError, audit, page_last_lines, page_lines, print_pdf, require_browser, screenshot

pytestmark = pytest.mark.browser

def _page(body: str, lang: str | None = "da", head: str = "") -> str:
    lang_attribute = f' lang="{lang}"' if lang else ""
    return (f'<!doctype html>\n<html{lang_attribute}>\n<head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Prøveside</title>{head}</head>\n<body><main>\n{body}\n</main></body>\n</html>\n")


def _write(tmp_path, body: str, **kwargs):
    path = tmp_path / "page.html"
    path.write_text(_page(body, **kwargs), encoding="utf-8")
    return path


def _svg_data_uri(svg: str, base64_encoded: bool = True) -> str:
    if base64_encoded:
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return "data:image/svg+xml;charset=utf-8," + urllib.parse.quote(svg)


SMALL_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
             '<rect width="40" height="20" fill="#333"/></svg>')
WIDE_TABLE = ('<table style="width: 600px"><tr><th scope="col">Område</th><th scope="col">Sager</th></tr>'
              '<tr><td>Jobcenter</td><td>12</td></tr></table>')


def _width(result: dict, width: int) -> dict:
    return next(entry for entry in result["widths"] if entry["width"] == width)


def test_an_image_without_alt_text_is_an_axe_violation(tmp_path):
    require_browser()
    html = _write(tmp_path, f'<h1>Beretning</h1><img src="{_svg_data_uri(SMALL_SVG)}">')
    result = audit(html, widths=(1280,))
    violations = {v["id"]: v for v in _width(result, 1280)["violations"]}
    assert "image-alt" in violations
    assert violations["image-alt"]["nodes"] == ["img"]
    assert violations["image-alt"]["impact"] == "critical"


def test_a_page_without_lang_is_an_axe_violation(tmp_path):
    require_browser()
    result = audit(_write(tmp_path, "<h1>Beretning</h1><p>Tekst.</p>", lang=None), widths=(1280,))
    assert "html-has-lang" in {v["id"] for v in _width(result, 1280)["violations"]}


def test_a_page_with_lang_and_alt_text_has_no_violations_at_either_width(tmp_path):
    require_browser()
    html = _write(tmp_path, '<h1>Beretning</h1><p>Årets sager.</p>'
                            f'<img alt="Søjlediagram: sager pr. område" src="{_svg_data_uri(SMALL_SVG)}">')
    result = audit(html)
    assert [entry["width"] for entry in result["widths"]] == [1280, 320]
    for entry in result["widths"]:
        assert entry["violations"] == [], entry["width"]
        assert entry["overflow"]["offenders"] == []
        assert entry["overflow"]["scrollWidth"] <= entry["width"]
    assert result["blockedRequests"] == []


def test_a_wide_table_overflows_at_phone_width(tmp_path):
    require_browser()
    result = audit(_write(tmp_path, f"<h1>Sager</h1>{WIDE_TABLE}"), widths=(1280, 320))
    assert _width(result, 1280)["overflow"]["offenders"] == []
    phone = _width(result, 320)["overflow"]
    assert phone["viewport"] == 320
    assert phone["scrollWidth"] > 320
    # Only the outermost element beyond the edge is reported, not its rows and cells.
    assert [o["selector"] for o in phone["offenders"]] == ["body > main > table"]
    assert phone["offenders"][0]["width"] == 600


def test_the_same_table_in_a_scrolling_region_does_not_overflow(tmp_path):
    require_browser()
    region = ('<div role="region" aria-label="Sager pr. område" tabindex="0" style="overflow-x: auto">'
              f'{WIDE_TABLE}</div>')
    result = audit(_write(tmp_path, f"<h1>Sager</h1>{region}"), widths=(320,))
    phone = _width(result, 320)
    assert phone["overflow"]["offenders"] == []
    assert phone["overflow"]["scrollWidth"] == 320
    assert phone["violations"] == []  # the region is focusable and named, so keyboard users can scroll it


@pytest.mark.parametrize("base64_encoded", [True, False], ids=["base64", "percent-encoded"])
def test_chart_text_size_is_measured_as_rendered(tmp_path, base64_encoded):
    require_browser()
    # No viewBox: the user unit is 1 CSS px, so the text is 10 px at the intrinsic width 400pt = 400 * 4/3
    # = 533.33 px; shown 200 px wide it is 10 * 200 / 533.33 = 3.75 px.
    no_viewbox = ('<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="300pt">'
                  '<text x="10" y="50" style="font: 10px sans-serif">Antal sager</text></svg>')
    # As matplotlib writes it: the viewBox makes the user unit 1 pt, so "10px" is 10 pt; the 400 user units
    # wide drawing shown 200 px wide gives 10 * 200 / 400 = 5 px. The 6px text inside a scale(2) group is
    # 12 user units, so it is not the smallest.
    with_viewbox = ('<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="300pt" viewBox="0 0 400 300">'
                    '<g style="font-size: 14px"><text x="10" y="50">Titel</text></g>'
                    '<text x="10" y="80" style="font-size: 10px; font-family: sans-serif">Akse</text>'
                    '<g transform="scale(2)"><text x="10" y="60" style="font: 6px sans-serif">Stor</text></g></svg>')
    html = _write(tmp_path, "<h1>Figurer</h1>"
                  '<img alt="Figur uden viewBox" style="width: 200px" '
                  f'src="{_svg_data_uri(no_viewbox, base64_encoded)}">'
                  '<img alt="Figur som fra matplotlib" style="width: 200px" '
                  f'src="{_svg_data_uri(with_viewbox, base64_encoded)}">'
                  f'<img alt="Ikke en SVG" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">')
    charts = _width(audit(html, widths=(1280,)), 1280)["charts"]
    assert [chart["alt"] for chart in charts] == ["Figur uden viewBox", "Figur som fra matplotlib"]
    assert [chart["renderedWidth"] for chart in charts] == [200, 200]
    assert charts[0]["intrinsicWidth"] == pytest.approx(400 * 4 / 3, abs=0.01)
    assert charts[0]["fontSizes"] == [10]
    assert charts[0]["minFontPx"] == pytest.approx(3.75, abs=0.01)
    assert charts[1]["fontSizes"] == [6, 10, 14]
    assert charts[1]["minFontPx"] == pytest.approx(5.0, abs=0.01)


def test_requests_beyond_the_file_are_blocked_and_reported(tmp_path):
    require_browser()
    html = _write(tmp_path, '<h1>Beretning</h1><img alt="Logo" src="https://example.org/logo.png">'
                            '<img alt="Kort" src="kort.png">')
    result = audit(html, widths=(1280,))
    assert sorted(result["blockedRequests"]) == [(tmp_path / "kort.png").as_uri(), "https://example.org/logo.png"]


def test_print_pdf_gives_a4_pages_with_the_text(tmp_path):
    require_browser()
    paragraph = " ".join(f"Sætning nummer {i} i en lang redegørelse for årets sager." for i in range(600))
    html = _write(tmp_path, f"<h2>Klager over sagsbehandlingstid</h2>\n<p>{paragraph}</p>\n<p>Sidste afsnit.</p>")
    pdf = print_pdf(html, tmp_path / "page.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    lines = page_lines(pdf)
    assert len(lines) >= 2
    assert lines[0][0] == "Klager over sagsbehandlingstid"
    last_lines = page_last_lines(pdf)
    assert len(last_lines) == len(lines)
    assert last_lines[-1] == "Sidste afsnit."  # no browser footer after the text

    from pypdf import PdfReader
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshot_is_a_png_of_the_requested_width(tmp_path, width):
    require_browser()
    body = "<h1>Beretning</h1>" + "<p>Afsnit.</p>" * 200
    png = screenshot(_write(tmp_path, body), tmp_path / "shot.png", width=width)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = struct.unpack(">II", header[16:24])
    assert png_width == width
    assert png_height > 900  # the whole page, not just the viewport

    screenshot(_write(tmp_path, body), tmp_path / "viewport.png", width=width, full_page=False)
    assert struct.unpack(">II", (tmp_path / "viewport.png").read_bytes()[16:24]) == (width, 800 if width < 768 else 900)


def test_a_screenshot_of_a_page_that_overflows_is_still_the_requested_width(tmp_path):
    require_browser()
    page = _write(tmp_path, f"<h1>Sager</h1>{WIDE_TABLE.replace('600px', '2000px')}")
    png = screenshot(page, tmp_path / "shot.png", width=320)
    assert struct.unpack(">I", png.read_bytes()[16:20]) == (320,)


def test_a_missing_file_is_an_error_that_says_so(tmp_path):
    require_browser()
    with pytest.raises(BrowserCheckError, match="no such file"):
        audit(tmp_path / "absent.html")


def test_a_missing_browser_skips_with_the_reason_and_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("REPORTLIB_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(browser, "NODE_MODULES", tmp_path / "node_modules")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_browser()
    message = str(skipped.value)
    assert "Chromium is not installed" in message and "apt-get install chromium" in message
    assert "axe-core, puppeteer-core" in message and "npm ci --prefix tests/browser" in message

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium is not installed"):
        require_browser()


HOSTILE = ('<img src="x" onerror="window.__ran = \'onerror\'; fetch(\'http://127.0.0.1:9/onerror\')">'
           '<details ontoggle="alert(\'toggle\')"><summary>Vis</summary></details>'
           '<a href="javascript:void(document.title=\'PWNED\')">klik</a>'
           '<div style="background: url(http://127.0.0.1:9/css.png)">x</div>'
           '<b onmouseover="alert(\'hover\')">h</b><span tabindex="0" onfocus="alert(\'focus\')">f</span>')


def test_the_inert_check_sees_script_run_and_requests_made(tmp_path):
    require_browser()
    found = browser.inert(_write(tmp_path, HOSTILE))
    assert found["marked"] == "onerror" and found["titleAfter"] == "PWNED"
    assert sorted(found["dialogs"]) == ["focus", "hover", "toggle"]
    assert "http://127.0.0.1:9/css.png" in found["requests"] and "http://127.0.0.1:9/onerror" in found["requests"]


def test_the_inert_check_finds_nothing_on_an_inert_page(tmp_path):
    require_browser()
    found = browser.inert(_write(tmp_path, '<p>Tekst <a href="#x">her</a></p>'
                                           '<details><summary>Vis</summary></details>'))
    assert (found["requests"], found["dialogs"], found["errors"], found["scripts"], found["marked"]) == (
        [], [], [], 0, None)
    assert found["titleBefore"] == found["titleAfter"] == "Prøveside"
