"""The Word backend (``beretning.docx``): the report's HTML for print converted by Pandoc, finished with python-docx.

The charts go into Word as PNGs: this format is registered with ``print_images`` (:mod:`reportlib.publish.formats`):
the document is made from the HTML of the same report with each chart's print PNG in place of its
SVG (:func:`reportlib.publish.export.to_html` with ``print_images``), so it has the same content in
the same order as the HTML report. What is for the screen only is taken out first: the tables
of contents, the link to the PDF, anything ``hidden``; and what folds on a screen is unfolded (a
``<details>`` keeps its content, not its "Se tallene i en tabel"), since nothing unfolds on paper.
Pandoc (``pypandoc_binary`` carries it) converts the rest (the narrative's notes, marked with their
DPUB-ARIA roles, become Word's own footnotes, without their links back); python-docx then settles what a reader
with a screen reader needs, and checks it: Word's own heading styles without a skipped level, the
document's title and its language (da-DK), every chart a picture with the HTML's alt text, every
table a caption and a header row that repeats on each page.

The same HTML gives the same bytes: Pandoc takes its time from ``SOURCE_DATE_EPOCH`` (the period's
end), the document's dates are that day, and the file is written again with fixed zip dates in a
fixed order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import tempfile
import zipfile
from pathlib import Path

import docx
from bs4 import BeautifulSoup
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph

from reportlib import environment, pandoc
from reportlib.exceptions import RunFailed
from reportlib.language import _

LANGUAGE = "da-DK"
# Screen only: the tables of contents (Word has its navigation pane), the link to the PDF, skip links.
_SCREEN_ONLY = "head, nav, .pdf-link, .skip-link, [hidden], script, template"
_HEADING = re.compile(r"^h([1-6])$")
_HEADING_STYLE = re.compile(r"^Heading[1-9]$")  # Word's own heading styles, by their ids
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say
_ZIP_LEVEL = 6  # zlib's default, named: the same level every time
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")  # where readers look first
_LOGO_HEIGHT_PX = 56  # as the HTML shows it (3.5rem)
# A table's columns, as shares of the text's width (17 cm): a column of figures as wide as its widest
# cell (figures never wrap) or the longest word of its heading, a character of the tables' 11 pt
# about 1.75 % (bold, in a wide font) with the cell's margins 3 %; the labels 45 % when every other
# column holds figures, so a table of a few figures is about as wide as its chart.
_TABLE_TEXT = Pt(11)
_CHARACTER_SHARE = 0.0175
_MARGIN_SHARE = 0.03
_FIGURES_MIN_SHARE = 0.11
_LABEL_SHARE = 0.45
_TEXT_MIN_SHARE = 0.15
_KEPT_ROWS = 30  # a table of up to this many rows stays on one page
_PAGE = {"page_width": Mm(210), "page_height": Mm(297), "left_margin": Mm(20), "right_margin": Mm(20),
         "top_margin": Mm(18), "bottom_margin": Mm(20)}  # A4, as the PDF


def write(path: Path, html: str, *, title: str, date: dt.date) -> None:
    """Write the Word document of the report's HTML for print (:func:`to_docx`)."""
    path.write_bytes(to_docx(html, title=title, date=date))


def to_docx(html: str, *, title: str, date: dt.date) -> bytes:
    """Convert the report's HTML for print to an accessible Word document.

    Parameters
    ----------
    html : str
        The whole HTML document, as :func:`reportlib.publish.export.to_html` gives it with
        ``print_images=True`` (charts as PNG).
    title : str
        The report's title: the document's title in Word (File > Info), which a screen reader reads first.
    date : datetime.date
        The document's date (the period's end): its created and modified dates, and Pandoc's clock.

    Returns
    -------
    bytes
        The ``.docx`` file; the same arguments give the same bytes.

    Raises
    ------
    RunFailed
        When Pandoc fails, or the document it wrote does not hold every image of the HTML.
    """
    prepared, alts = prepare(html)
    with tempfile.TemporaryDirectory(prefix="reportlib-docx-") as folder:
        written = Path(folder) / "beretning.docx"
        try:
            with _source_date(date):
                pandoc.convert_text(prepared, "docx", format="html", outputfile=str(written), sandbox=True,
                                    extra_args=[f"--metadata=lang:{LANGUAGE}"], cworkdir=folder)
        except (RuntimeError, OSError) as exc:
            reason = " ".join(str(exc).split())[:300]
            raise RunFailed(_("the Word document cannot be made: Pandoc failed ({reason}); reinstall reportlib's "
                              "dependencies (pypandoc-binary brings Pandoc), or leave the Word document out with "
                              "--format html,pdf").format(reason=reason)) from None
        document = docx.Document(str(written))
    _describe_pictures(document, alts)
    _finish_tables(document)
    _finish_layout(document)
    _set_properties(document, title=title, date=date)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def prepare(html: str) -> tuple[str, list[str]]:
    """The HTML as Pandoc should read it for Word, and the alt texts of its images in document order.

    Leaves out what is for the screen only, unfolds ``<details>``, drops empty headings and lifts a
    heading that would skip a level, turns a table used for layout (no header cell, no caption)
    into plain blocks, and gives the tables' columns their widths and alignment.
    """
    soup = BeautifulSoup(html, features="html.parser")
    for element in soup.select(_SCREEN_ONLY):
        element.decompose()
    for details in soup.find_all("details"):
        for summary in details.find_all("summary", recursive=False):
            summary.decompose()
        details.unwrap()
    for breaking in soup.find_all("wbr"):  # a place to break a long label on a screen; Word breaks it itself
        breaking.decompose()
    _level_headings(soup)
    for table in soup.find_all("table"):
        if table.find("th") is None and table.find("caption") is None:
            _unlayout(soup, table)
    for table in soup.find_all("table"):
        _size_columns(soup, table)
    for cell in soup.select("thead th, tfoot th, tfoot td"):  # bold, as the HTML shows the head and the total
        bold = soup.new_tag("strong")
        bold.extend(list(cell.contents))
        cell.append(bold)
    for value in soup.select(".glance-value"):  # the year at a glance: the figure stands out from its words
        value.wrap(soup.new_tag("strong"))
    for logo in soup.select("img.logo"):
        logo["height"] = str(_LOGO_HEIGHT_PX)
    alts = [image.get("alt", "") for image in soup.find_all("img")]
    return str(soup), alts


def _level_headings(soup: BeautifulSoup) -> None:
    """Drop headings without text, and lift any that would skip a level (an h4 under an h2 becomes an h3)."""
    previous = 1
    for heading in soup.find_all(_HEADING):
        if not heading.get_text(strip=True):
            heading.decompose()
            continue
        level = min(int(heading.name[1]), previous + 1)
        heading.name = f"h{level}"
        previous = level


def _unlayout(soup: BeautifulSoup, table) -> None:
    """Replace a layout table by its cells' contents, one block each, in reading order."""
    blocks = soup.new_tag("div")
    for cell in table.find_all(["td", "th"]):
        block = soup.new_tag("div")
        block.extend(list(cell.contents))
        blocks.append(block)
    table.replace_with(blocks)


def _size_columns(soup: BeautifulSoup, table) -> None:
    """Give a table relative column widths from what its columns hold, and right-align its figures.

    Figures are the cells of class ``num``, as the HTML aligns them. Pandoc keeps a ``<colgroup>``'s
    widths, so a table never runs off the page, and reads a cell's alignment from its style.
    """
    rows = [row.find_all(["th", "td"], recursive=False) for row in table.find_all("tr")]
    if not rows or table.find("colgroup") is not None or any(cell.get("colspan") for row in rows for cell in row):
        return  # a table with merged cells keeps Pandoc's own widths
    head = rows[0]  # its cells say which columns hold figures
    figures = [column < len(head) and "num" in (head[column].get("class") or [])
               for column in range(max(len(row) for row in rows))]
    widths = []
    for column, figure in enumerate(figures):
        cells = [row[column] for row in rows if column < len(row)]
        heading = max((len(word) for word in cells[0].get_text(" ").split()), default=0)
        if figure:
            longest = max([heading, *(len(cell.get_text(" ", strip=True)) for cell in cells[1:])])
            widths.append(max(_FIGURES_MIN_SHARE, _MARGIN_SHARE + _CHARACTER_SHARE * longest))
        else:
            widths.append(None)  # a share of what the figures leave
    texts = [column for column, width in enumerate(widths) if width is None]
    left = 1 - sum(width for width in widths if width is not None)
    if len(texts) == 1:
        widths[texts[0]] = max(_TEXT_MIN_SHARE, min(_LABEL_SHARE, left))
    else:  # several columns of text: in proportion to how much they hold
        weights = {column: max(8, sum(len(row[column].get_text(" ", strip=True)) for row in rows[1:]
                                      if column < len(row)) / max(1, len(rows) - 1)) for column in texts}
        for column in texts:
            widths[column] = max(_TEXT_MIN_SHARE, left * weights[column] / sum(weights.values()))
    if sum(widths) > 1:  # more than the page holds: every column narrower, in the same proportions
        widths = [width / sum(widths) for width in widths]
    group = soup.new_tag("colgroup")
    for width in widths:
        group.append(soup.new_tag("col", attrs={"style": f"width: {width * 100:.1f}%"}))
    caption = table.find("caption", recursive=False)
    if caption is not None:
        caption.insert_after(group)
    else:
        table.insert(0, group)
    for cell in table.select("th.num, td.num"):
        cell["style"] = "text-align: right"
        if cell.parent.parent.name != "thead":  # a figure is not broken across lines ("100 %"), as in the HTML
            for text in cell.find_all(string=True):
                text.replace_with(text.replace(" ", "\u00a0"))


def _source_date(date: dt.date) -> contextlib.AbstractContextManager[None]:
    """Pandoc's clock for the block (``SOURCE_DATE_EPOCH``): midnight UTC of ``date``; pypandoc passes os.environ on."""
    return environment.scoped({"SOURCE_DATE_EPOCH": str(int(dt.datetime.combine(date, dt.time(), dt.UTC).timestamp()))})


def _describe_pictures(document, alts: list[str]) -> None:
    """Give each picture the alt text of its image in the HTML, in document order.

    Pandoc puts an image's source, here a whole data: URI, into the picture's own description
    (``pic:cNvPr``); that is the alt text too, so a reader never hears base64.
    """
    body = document.element.body
    pictures = body.xpath(".//w:drawing[.//wp:docPr]")
    if len(pictures) != len(alts):
        raise RunFailed(_("the Word document cannot be made: it holds {pictures} pictures where the report has "
                          "{images} images; please report this").format(pictures=len(pictures), images=len(alts)))
    for picture, alt in zip(pictures, alts, strict=True):
        for described in picture.xpath(".//wp:docPr | .//pic:cNvPr"):
            described.set("descr", alt)


def _finish_tables(document) -> None:
    """Make every table's first row a header row that repeats on each page, and keep it on one page if it fits.

    Pandoc marks the header row of a table with a ``<thead>``; any other table gets its first row
    marked here. No row is split across pages, and a table of up to :data:`_KEPT_ROWS` rows is
    kept whole (each row's paragraphs keep with the next row), as the PDF keeps its tables.
    """
    for table in document.element.body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        for number, row in enumerate(rows):
            properties = row.get_or_add_trPr()
            if properties.find(qn("w:cantSplit")) is None:
                properties.insert(0, OxmlElement("w:cantSplit"))
            if number == 0 and properties.find(qn("w:tblHeader")) is None:
                properties.append(OxmlElement("w:tblHeader"))
            if len(rows) <= _KEPT_ROWS and number < len(rows) - 1:
                for paragraph in row.iter(qn("w:p")):
                    Paragraph(paragraph, None).paragraph_format.keep_with_next = True


def _finish_layout(document) -> None:
    """A4 pages, as the PDF; a caption stays with its table, with room above it, and a chart with its caption.

    Pandoc gives a table's columns fixed widths for its own page (5.5 inches of text); they are
    scaled to the A4 page's, keeping the table's share of it.
    """
    for section in document.sections:
        for name, value in _PAGE.items():
            setattr(section, name, value)
    section = document.sections[-1]
    text_width = Length(section.page_width - section.left_margin - section.right_margin)
    for table in document.element.body.iter(qn("w:tbl")):
        width, grid = table.tblPr.find(qn("w:tblW")), table.find(qn("w:tblGrid"))
        columns = grid.findall(qn("w:gridCol")) if grid is not None else []
        if width is None or width.get(qn("w:type")) != "pct" or not columns:
            continue
        total = text_width.twips * int(width.get(qn("w:w"))) / 5000  # pct is in fiftieths of a percent
        given = sum(int(column.get(qn("w:w"))) for column in columns)
        for column in columns:
            column.set(qn("w:w"), str(round(int(column.get(qn("w:w"))) * total / given)))
    styles = {style.name: style for style in document.styles}
    for name in ("Table Caption", "Captioned Figure"):
        if name in styles:
            styles[name].paragraph_format.keep_with_next = True
    if "Table Caption" in styles:  # tables in a row (the topics) would otherwise touch the table before
        styles["Table Caption"].paragraph_format.space_before = Pt(12)
    if "Table" in styles:  # smaller than the text, as the HTML's and the PDF's tables
        styles["Table"].font.size = _TABLE_TEXT
    _keep_headings_with_charts(document)


def _keep_headings_with_charts(document) -> None:
    """Keep a heading's one paragraph with the chart after it, as the HTML does (finish's keep-with-chart).

    A heading keeps with what follows by its style; the sentence between it and the chart does not.
    """
    blocks = [element for element in document.element.body if element.tag in (qn("w:p"), qn("w:tbl"))]
    for number, block in enumerate(blocks[2:], start=2):
        if _style_of(block) != "CaptionedFigure":
            continue
        sentence, heading = blocks[number - 1], blocks[number - 2]
        if (sentence.tag == qn("w:p") and not _HEADING_STYLE.match(_style_of(sentence))
                and _HEADING_STYLE.match(_style_of(heading))):
            Paragraph(sentence, None).paragraph_format.keep_with_next = True


def _style_of(block) -> str:
    """The style id of a paragraph (``Heading2``, ``CaptionedFigure``), empty for a table or none."""
    found = block.xpath("./w:pPr/w:pStyle/@w:val")
    return str(found[0]) if found else ""


def _set_properties(document, *, title: str, date: dt.date) -> None:
    properties = document.core_properties
    stamp = dt.datetime.combine(date, dt.time())
    properties.title = title
    properties.language = LANGUAGE
    properties.created = properties.modified = stamp
    properties.revision = 1
    properties.last_modified_by = ""


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed dates, attributes, order and compression (python-docx stamps each entry with now)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = [*(n for n in _FIRST_ENTRIES if n in entries), *sorted(n for n in entries if n not in _FIRST_ENTRIES)]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # else the platform's own: Windows and Linux would differ
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=_ZIP_LEVEL)
    return output.getvalue()
