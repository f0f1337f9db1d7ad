"""The one allow-list sanitizer: nothing the report publishes from a notebook or narrative runs or loads anything."""

import base64
import io

import matplotlib.pyplot as plt
import pytest

from reportlib.report.display import SVG_METADATA, SVG_SETTINGS
from reportlib.report.sanitize import clean_html, clean_svg, image_source, inert_css

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 8
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def uri(mimetype, content):
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


@pytest.mark.parametrize("fragment,kept,removed", [
    ('<img src=x onerror="fetch(\'/x\')">', "", ["<img> 'x'"]),  # the image goes whole, its handler with it
    ('<p><img src="data:image/png;base64,iVBORw0KGgoAAAAAAAAAAA==" onerror="alert(1)" alt="a"></p>',
     '<p><img src="data:image/png;base64,iVBORw0KGgoAAAAAAAAAAA==" alt="a"></p>', ["onerror= on <img>"]),
    ('<details ontoggle="alert(1)" open><summary>Vis</summary></details>',
     '<details open=""><summary>Vis</summary></details>', ["ontoggle= on <details>"]),
    ('<a href="javascript:alert(1)">her</a>', "<a>her</a>", ["href= on <a>"]),
    ('<a href="jav&#x61;script:alert(1)">her</a>', "<a>her</a>", ["href= on <a>"]),
    ('<a href="data:text/html,<script>alert(1)</script>">her</a>', "<a>her</a>",
     ["href= 'data:text/html,<script>alert(1)</script>' on <a>"]),
    ('<p style="background: u\\72l(http://x/y)">a</p>', "<p>a</p>", ["style 'background: u\\72l(http://x/y)' on <p>"]),
    ('<p style="background: url(http://x/y)">a</p>', "<p>a</p>", ["style 'background: url(http://x/y)' on <p>"]),
    ('<style>@import "https://x/y.css";</style><p>a</p>', "<p>a</p>", ["<style>"]),
    ('<link rel="stylesheet" href="https://x/y.css"><p>a</p>', "<p>a</p>", ["<link>"]),
    ('<iframe src="https://x"></iframe><p>a</p>', "<p>a</p>", ["<iframe>"]),
    ('<svg><image href="https://x/y.png"/></svg><p>a</p>', "<p>a</p>", ["<svg>", "<image>"]),
    ('<form action="https://x"><input name="q"></form>', "", ["<form>", "<input>"]),
    ('<object data="x.swf"></object><embed src="x">', "", ["<object>", "<embed>"]),
])
def test_what_would_run_or_load_is_removed_and_named(fragment, kept, removed):
    cleaned = clean_html(fragment)
    assert (cleaned.html, cleaned.removed) == (kept, removed)


@pytest.mark.parametrize("fragment", [
    '<p>Se <a href="https://kommune.dk/borgerraadgiver">her</a> eller <a href="mailto:br@kommune.dk">skriv</a>.</p>',
    '<a href="#forord">Forord</a>',
    '<p style="color: #333; font-weight: bold">a</p>',
    '<table><caption>Sager</caption><thead><tr><th scope="col" class="num">Antal</th></tr></thead>'
    '<tbody><tr><td class="num">114</td></tr></tbody></table>',
    '<details class="folded" open=""><summary>Vis</summary><p>x</p></details>',
    '<p>x<sup class="footnote-ref"><a href="#fn-1-1" id="fnref-1-1" role="doc-noteref">1</a></sup></p>'
    '<section class="footnotes" role="doc-endnotes" aria-label="Noter"><ol><li id="fn-1-1"><p>Note. '
    '<a href="#fnref-1-1" class="footnote-back" role="doc-backlink" aria-label="Tilbage">↩</a></p></li></ol></section>',
    f'<figure class="chart"><img src="{uri("image/png", PNG)}" alt="Diagram"><figcaption>Sager</figcaption></figure>',
])
def test_what_only_shows_is_kept_as_it_is(fragment):
    cleaned = clean_html(fragment)
    assert (cleaned.html, cleaned.removed) == (fragment, [])


@pytest.mark.parametrize("source", [
    uri("image/gif", GIF), uri("image/webp", b"RIFF\x1a\x00\x00\x00WEBPVP8 "), uri("image/png", GIF),
    uri("image/png", PNG + b"\x00" * (5 * 1024 * 1024)), "data:image/png;base64,not base64!", "https://x/y.png",
    uri("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://x";</style></svg>'),
    uri("image/svg+xml", b"<svg><rect"), uri("image/svg+xml", b"<p>no svg</p>"),
])
def test_an_image_is_a_png_jpeg_or_clean_svg_of_at_most_5_mb(source):
    assert image_source(source) is None


def test_png_and_jpeg_are_recognised_by_their_bytes():
    assert image_source(uri("image/jpeg", PNG)) == uri("image/png", PNG)
    assert image_source(uri("image/png", JPEG)) == uri("image/jpeg", JPEG)
    assert image_source(uri("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), svg=False) is None


def test_an_svg_image_loses_its_script_handlers_and_outside_references():
    hostile = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">'
               b'<script>alert(2)</script><foreignObject><img src="x" onerror="alert(3)"/></foreignObject>'
               b'<a xlink:href="javascript:alert(4)"><rect width="1" height="1"/></a>'
               b'<use xlink:href="https://x/y.svg#a"/><image href="https://x/y.png"/>'
               b'<rect width="2" height="2" style="fill: url(https://x/p)"/><g clip-path="url(#c)"/></svg>')
    removed = []
    source = image_source(uri("image/svg+xml", hostile), removed)
    svg = base64.b64decode(source.split(",", 1)[1]).decode()
    for gone in ("alert", "script", "foreignObject", "https://", "javascript", "onload", "<image", "<a"):
        assert gone not in svg
    assert '<g clip-path="url(#c)"></g>' in svg and '<rect width="1" height="1"></rect>' in svg
    assert "onload= on <svg> in an SVG image" in removed and "<script> in an SVG image" in removed


def test_a_matplotlib_chart_passes_whole_and_the_same_every_time():
    def chart():
        figure, ax = plt.subplots(figsize=(3, 2))
        ax.bar(["Telefon", "Skriftlig"], [3, 5])
        ax.set_title("Sager & kanaler <b>")
        buffer = io.BytesIO()
        with plt.rc_context(SVG_SETTINGS):
            figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
        return buffer.getvalue().decode()

    first, second = clean_svg(chart()), clean_svg(chart())
    assert first.removed == [] and first.html == second.html
    assert first.html.count("<text") == chart().count("<text") and "Sager &amp; kanaler &lt;b&gt;" in first.html
    assert first.html.startswith('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"')


@pytest.mark.parametrize("css,inert", [
    ("color: red; font-size: 12px", True), ("clip-path: url(#p1)", True), ("fill: url('#grad')", True),
    ("background: url(http://x)", False), ("background: u\\72l(http://x)", False), ("background:URL(//x)", False),
    ("behavior: url(x.htc)", False), ("width: expression(alert(1))", False),
    ("background: image-set('x.png' 1x)", False),
])
def test_a_style_attribute_is_kept_only_when_nothing_in_it_loads(css, inert):
    assert inert_css(css, declarations=True) is inert


@pytest.mark.parametrize("sheet,inert", [
    ("*{stroke-linejoin: round; stroke-linecap: butt}", True), ('@import "https://x/y.css";', False),
    ("@font-face { src: url(https://x/f.woff) }", False), ("p { background: url(https://x) }", False),
])
def test_a_style_sheet_is_kept_only_when_nothing_in_it_loads(sheet, inert):
    assert inert_css(sheet, declarations=False) is inert
