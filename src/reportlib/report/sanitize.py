"""Everything the report publishes from a notebook or a narrative passes one allow-list sanitizer.

The report goes on a municipal website, so it must be inert: nothing in it may run or load
anything. Every HTML fragment that reaches it (a cell's HTML or Markdown output, a Markdown cell,
the advisor's narrative) is cleaned by nh3, the Python binding of the Rust sanitizer ammonia,
which parses it as a browser does (html5ever) and keeps only the elements and attributes listed
here: no script, frame, form, embedded object or stylesheet link, no event handler, and links only
to ``http``, ``https``, ``mailto``, ``tel`` or within the page. Two things nh3 leaves to its caller
are checked here with maintained parsers too:

- **styles**: a ``style`` attribute, and the ``<style>`` of an SVG chart, are read by tinycss2
  (WeasyPrint's CSS parser, which undoes escapes such as ``u\\72l(``) and kept only when nothing in
  them loads: no ``url()`` but to the chart's own ``#ids``, no at-rule, no ``expression()``;
- **images**: an ``<img>`` shows only a ``data:`` URI of a PNG or a JPEG (by its bytes, at most
  5 MB), or of an SVG (the charts), which is itself cleaned by nh3 with an SVG allow-list.

What was removed is returned as short descriptions, for the run's warnings.
"""

from __future__ import annotations

import base64
import binascii
import collections
import re
import warnings
from dataclasses import dataclass, field
from xml.etree import ElementTree

import nh3
import tinycss2
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from reportlib.inputs import IMAGE
from reportlib.language import _

MAX_IMAGE_BYTES = IMAGE.bytes
# The image types the report shows, by the bytes a file of the type starts with.
RASTER_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
SVG_TYPE = "image/svg+xml"

HTML_TAGS = frozenset({
    "a", "abbr", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
})
HTML_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "style", "role", "aria-label"},
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "th": {"scope", "colspan", "rowspan", "headers", "abbr"},
    "td": {"colspan", "rowspan", "headers"}, "col": {"span"}, "colgroup": {"span"}, "ol": {"start", "reversed", "type"},
    "li": {"value"}, "time": {"datetime"}, "details": {"open"}, "blockquote": {"cite"}, "q": {"cite"},
    "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# What matplotlib writes into an SVG chart, and nothing that can hold script or load anything
# (no <script>, <foreignObject>, <image>, <a>, animation or event handler).
SVG_TAGS = frozenset({"svg", "g", "defs", "path", "clipPath", "use", "text", "tspan", "rect", "circle", "ellipse",
                      "line", "polyline", "polygon", "linearGradient", "radialGradient", "stop", "pattern", "mask",
                      "marker", "symbol", "style", "title", "desc"})
SVG_ATTRIBUTES = {"*": {
    "id", "class", "style", "transform", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width",
    "height", "points", "viewBox", "version", "preserveAspectRatio", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-miterlimit",
    "opacity", "clip-path", "clip-rule", "clipPathUnits", "mask", "font-family", "font-size", "font-weight",
    "font-style", "text-anchor", "dominant-baseline", "href", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "patternUnits", "patternTransform", "markerWidth", "markerHeight", "refX",
    "refY", "orient", "type", "dx", "dy", "lengthAdjust", "textLength", "xml:space"}}
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")  # on nh3's output, which html5ever wrote
_SVG_NAMESPACES = ' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
_DATA_URI = re.compile(r"^\s*data:([a-z0-9.+/-]+)((?:;[a-z0-9=.+-]+)*?)(;base64)?,(.*)$", re.IGNORECASE | re.DOTALL)
# CSS that would do something other than paint: load a resource, run an expression, bind behaviour.
_ACTIVE_CSS_FUNCTIONS = frozenset({"url", "image", "image-set", "cross-fade", "element", "expression", "src",
                                   "paint", "env"})
_ACTIVE_CSS_PROPERTIES = frozenset({"behavior", "-moz-binding", "binding"})


@dataclass
class Cleaned:
    """A fragment as the report may publish it, and what was removed from it (short descriptions)."""

    html: str
    removed: list[str] = field(default_factory=list)


def clean_html(fragment: str) -> Cleaned:
    """Keep of an HTML fragment only what loads and runs nothing (see the module's description).

    Returns
    -------
    Cleaned
        The cleaned fragment; ``removed`` names each element, attribute, link, style or image
        left out, e.g. ``<script>``, ``onerror= on <img>``.
    """
    removed: list[str] = []
    dropped: collections.Counter = collections.Counter()  # (element, attribute) the filter below removed

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "style" and not inert_css(value, declarations=True):
            return _drop(removed, dropped, element, attribute, _style_on(value, element))
        if element == "img" and attribute == "src":
            source = image_source(value, removed)
            return source if source is not None else _drop(removed, dropped, element, attribute,
                                                           f"<img> {_shorten(value)}")
        if attribute in ("href", "cite") and value.strip().lower().startswith("data:"):
            return _drop(removed, dropped, element, attribute, _attribute_on(attribute, value, element))
        return value

    html = nh3.clean(fragment, tags=set(HTML_TAGS), attributes={k: set(v) for k, v in HTML_ATTRIBUTES.items()},
                     clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "svg", "math"},
                     url_schemes=set(LINK_SCHEMES | {"data"}), link_rel=None, strip_comments=True,
                     attribute_filter=keep)
    # An image whose source was refused shows nothing but a broken-image sign: it goes whole.
    html = _IMAGE_WITHOUT_SOURCE.sub("", html)
    return Cleaned(html, _differences(fragment, html, dropped) + removed)


def clean_svg(svg: str) -> Cleaned | None:
    """An SVG image as the report may embed it: its drawing elements only, every style inert.

    None when no drawing is left, when the result is not a well-formed SVG file, or when its
    ``<style>`` would load something.
    """
    removed: list[str] = []
    dropped: collections.Counter = collections.Counter()

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "style" and not inert_css(value, declarations=True):
            return _drop(removed, dropped, element, attribute, _style_on(value, element))
        if attribute == "href" and not value.strip().startswith("#"):
            return _drop(removed, dropped, element, attribute, _attribute_on("href", value, element))
        if "url(" in value.lower() and not re.fullmatch(r"\s*url\(\s*#[\w.:-]+\s*\)\s*", value):
            return _drop(removed, dropped, element, attribute, _attribute_on(attribute, value, element))
        return value

    cleaned = nh3.clean(svg, tags=set(SVG_TAGS), attributes={k: set(v) for k, v in SVG_ATTRIBUTES.items()},
                        clean_content_tags={"script", "foreignObject", "metadata"}, url_schemes=set(),
                        link_rel=None, strip_comments=True, attribute_filter=keep).strip()
    if not cleaned.startswith("<svg"):
        return None
    # html5ever reads the namespace declarations as such and nh3 does not write them back; an SVG file needs them.
    # It writes a no-break space as HTML's &nbsp;, which XML does not know.
    cleaned = cleaned.replace("<svg", "<svg" + _SVG_NAMESPACES, 1).replace("&nbsp;", "&#160;")
    try:  # what is published must be a well-formed SVG file, and its style sheets are checked as published
        root = ElementTree.fromstring(cleaned)
    except ElementTree.ParseError:
        return None
    if not len(root):
        return None  # nothing left to draw
    for sheet in root.iter("{http://www.w3.org/2000/svg}style"):
        if len(sheet) or not inert_css(sheet.text or "", declarations=False):
            return None
    return Cleaned(cleaned, _differences(svg, cleaned, dropped) + removed)


def image_source(url: str, removed: list[str] | None = None, *, svg: bool = True) -> str | None:
    """The ``src`` the report may show for an image: a PNG, JPEG or (cleaned) SVG ``data:`` URI; None otherwise.

    A PNG or JPEG is recognised by its bytes, whatever the URI says, and may be at most 5 MB; an
    SVG only with ``svg`` (the charts; the narrative's images are PNG or JPEG). ``removed``
    collects what cleaning an SVG left out.
    """
    match = _DATA_URI.match(url)
    if match is None:
        return None
    declared, _parameters, is_base64, payload = match.groups()
    try:
        content = base64.b64decode(payload, validate=True) if is_base64 else _percent_decoded(payload)
    except (binascii.Error, ValueError):
        return None
    if len(content) > MAX_IMAGE_BYTES:
        return None
    for mimetype, magic in RASTER_TYPES.items():
        if content.startswith(magic):
            return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"
    if svg and declared.lower() == SVG_TYPE:
        try:
            svg = clean_svg(content.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        if svg is None:
            return None
        if removed is not None:
            removed += [_("{part} in an SVG image").format(part=part) for part in svg.removed]
        return f"data:{SVG_TYPE};base64,{base64.b64encode(svg.html.encode('utf-8')).decode('ascii')}"
    return None


def image_type(content: bytes) -> str | None:
    """The type of a PNG or JPEG file by its first bytes; None for anything else."""
    return next((mimetype for mimetype, magic in RASTER_TYPES.items() if content.startswith(magic)), None)


def inert_css(text: str, *, declarations: bool) -> bool:
    """Whether CSS paints only: nothing in it loads, runs or binds anything.

    ``declarations``: the text is the content of a ``style`` attribute (else a style sheet).
    """
    if declarations:
        nodes = tinycss2.parse_blocks_contents(text, skip_whitespace=True, skip_comments=True)
    else:
        nodes = tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True)
    return all(_inert(node) for node in nodes)


def _inert(node) -> bool:
    kind = node.type
    if kind in ("at-rule", "error", "url"):
        return kind == "url" and node.value.strip().startswith("#")
    if kind == "function":
        if node.lower_name in _ACTIVE_CSS_FUNCTIONS:
            return node.lower_name == "url" and tinycss2.serialize(node.arguments).strip().strip("'\"").startswith("#")
        return all(_inert(child) for child in node.arguments)
    if kind == "declaration":
        return node.lower_name not in _ACTIVE_CSS_PROPERTIES and all(_inert(child) for child in node.value)
    if kind == "qualified-rule":
        declarations = tinycss2.parse_blocks_contents(node.content, skip_whitespace=True, skip_comments=True)
        return all(_inert(child) for child in (*node.prelude, *declarations))
    if kind in ("() block", "[] block", "{} block"):
        return all(_inert(child) for child in node.content)
    return True


def _differences(before: str, after: str, dropped: collections.Counter) -> list[str]:
    """The elements and attributes the cleaning removed, by counting them on both sides.

    Attributes the attribute filter ``dropped`` (and described) are not named again; an SVG's
    metadata (its creator, say) is left out without a word.
    """
    def census(markup: str) -> tuple[collections.Counter, collections.Counter]:
        tags, attributes = collections.Counter(), collections.Counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # an SVG is counted as HTML is
            elements = BeautifulSoup(markup, features="html.parser").find_all(True)
        for element in elements:
            if element.name == "metadata" or element.find_parent("metadata"):
                continue
            tags[element.name] += 1
            attributes.update((element.name, name) for name in element.attrs
                              if not name.startswith("xmlns"))  # namespace declarations are put back as such
        return tags, attributes

    (tags, attributes), (kept_tags, kept_attributes) = census(before), census(after)
    # An image whose source the filter refused (and described) is left out whole: not named twice.
    gone = [f"<{tag}>" for tag in tags if kept_tags[tag] + (dropped[("img", "src")] if tag == "img" else 0) < tags[tag]]
    gone += [_("{attribute}= on <{element}>").format(attribute=name, element=tag)
             for (tag, name), count in attributes.items()
             if kept_tags[tag] and kept_attributes[(tag, name)] + dropped[(tag, name.lower())] < count]
    return gone


def _drop(removed: list[str], dropped: collections.Counter, element: str, attribute: str, what: str) -> None:
    removed.append(what)
    dropped[(element, attribute)] += 1
    return None


def _style_on(value: str, element: str) -> str:
    return _("style {value} on <{element}>").format(value=_shorten(value), element=element)


def _attribute_on(attribute: str, value: str, element: str) -> str:
    return _("{attribute}= {value} on <{element}>").format(attribute=attribute, value=_shorten(value), element=element)


def _shorten(value: str) -> str:
    value = " ".join(value.split())
    return f"'{value[:77]}...'" if len(value) > 80 else f"'{value}'"


def _percent_decoded(payload: str) -> bytes:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(payload)

