"""The advisor's narrative in Word: ``beretning_START_END.docx`` read as Markdown, and its scaffold written as Word.

Reading keeps what the text says and drops how Word dressed it. python-docx opens the document so
that what must never be published is settled first, in the body and in the footnotes and endnotes,
each named by its paragraph (its position in the document and the heading it stands under, or the
note and where it is marked):

- text Word hides is taken out, decided as Word shows it (:meth:`_Styles.hidden`): hidden by the
  run's own formatting, its character style, its paragraph's style, its table's style or the
  document's defaults, through each style's ``basedOn`` chain;
- tracked changes not yet accepted or rejected are refused anywhere in the file, headers, footers
  and text boxes too (deleted text is still in the file), and the paragraphs in the scaffold's
  guidance style (:data:`GUIDANCE_STYLE`) are taken out;
- what Pandoc would drop is rewritten as Word also writes it: a simple field (``w:fldSimple``) as a
  field of runs, a picture of Word before 2007 (VML) as DrawingML with its alt text; content pasted
  in whole (``w:altChunk``), which Pandoc cannot read, is warned of, naming the paragraph before it;
- a CPR-like number is refused wherever Pandoc would publish it: the text (split over runs or not,
  equations' included), a link's address, a field's code (a ``HYPERLINK`` field is a link), an
  image's alt text, a table's title and description.

Pandoc (``pypandoc_binary`` carries it) then converts a copy saved with all of that done to
Markdown: Heading 1 becomes ``#`` (a chapter), Heading 2 and 3 ``##`` and ``###``; paragraphs,
bold, italic, lists, links, tables, images and notes are kept, and comments, styles, fonts,
colours, headers, footers and document properties are not. Every line of that Markdown is read
for a CPR-like number once more, so that a place the checks above do not know publishes none
either. The Markdown goes through the same rules as a narrative written in Markdown
(:mod:`reportlib.report.narrative`).

The scaffold is the Markdown scaffold converted by Pandoc the other way: each HTML comment of it
becomes a paragraph in the guidance style, which the reader leaves out.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from reportlib import inputs, language, pandoc
from reportlib.exceptions import NarrativeError
from reportlib.identifiers import CPR_REASON, cpr_like
from reportlib.language import _
from reportlib.paths import TEMPLATES
from reportlib.report.sanitize import MAX_IMAGE_BYTES, image_type

# About 300 pages of text: a narrative longer than that is some other document, and Pandoc's time grows with it.
MAX_PARAGRAPHS = 10_000
# Word's XML has no document type; one is not loaded, nor its entities expanded, nor anything fetched.
_SAFE_XML = {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False}
_PARAGRAPH = qn("w:p")
# The paragraph style of the scaffold's guidance and key figures: never published.
GUIDANCE_STYLE = "Vejledning"
GUIDANCE_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_KEY_FIGURE_LINE = re.compile(r"^  (?=\S)", re.MULTILINE)
# Pandoc's Markdown without raw HTML: what it cannot write as Markdown it leaves out, never as markup.
_MARKDOWN = "gfm-raw_html"
_LIST_FILTER = TEMPLATES / "word_lists.lua"
# Compiled with the namespaces, so that they read any element (python-docx's own know them, a note's do not).
# Pictures and text boxes as Word before 2007 wrote them (VML), and the copy of a newer one kept for older readers.
_NAMESPACES = {**nsmap, "v": "urn:schemas-microsoft-com:vml",
               "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
_TRACKED = etree.XPath(".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo", namespaces=nsmap)
_TRACKED_BYTES = re.compile(rb"<w:(?:ins|del|moveFrom|moveTo)[\s>/]")
_PICTURES = etree.XPath(".//wp:inline | .//wp:anchor", namespaces=nsmap)
_VML_PICTURES = etree.XPath(".//w:pict[.//v:imagedata][not(ancestor::mc:Fallback)]", namespaces=_NAMESPACES)
_VML_SIZE = re.compile(r"(width|height)\s*:\s*([\d.]+)pt")
_ALT_CHUNKS = etree.XPath(".//w:altChunk", namespaces=nsmap)
_TABLE_TITLES = etree.XPath(".//w:tblPr[w:tblCaption or w:tblDescription]", namespaces=nsmap)
_HEADING_STYLE = re.compile(r"^heading ([1-9])$", re.IGNORECASE)
# The parts of notes Pandoc publishes, by the name of their note element (w:footnote, w:endnote).
_NOTES = {"footnote": RT.FOOTNOTES, "endnote": RT.ENDNOTES}
_OFF = frozenset({"0", "false", "off"})
_W = f'xmlns:w="{nsmap["w"]}"'


@dataclass(frozen=True)
class WordText:
    """A Word narrative as Markdown, the folder its images were extracted to, and what the run should warn about."""

    markdown: str
    media: Path
    warnings: tuple[str, ...]


class _Styles:
    """The document's styles: their names by their ids, and whether Word hides a run's text."""

    def __init__(self, document):
        self.names = {style.style_id: style.name for style in document.styles if style.name}
        root = document.styles.element
        self.styles = {style.get(qn("w:styleId")): style for style in root.iterfind(qn("w:style"))}
        # The style of each type that applies where none is named (Normal, Default Paragraph Font, ...).
        self.defaults = {style.get(qn("w:type")): style.get(qn("w:styleId")) for style in self.styles.values()
                         if (style.get(qn("w:default")) or "0").lower() not in _OFF}
        self.by_default = _vanish(root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))

    def of(self, paragraph) -> str:
        """A paragraph's style name as Word stores it (``heading 1``, ``Vejledning``)."""
        return self.names.get(paragraph.style, "") if paragraph.style else "Normal"

    def hidden(self, run) -> bool:
        """Tell whether Word hides a run's text (``w:vanish``), as Word and LibreOffice show it.

        The run's own formatting decides when it says either way (``<w:vanish w:val="0"/>`` shows
        the text). Otherwise each level of styles has its say, the first ``w:vanish`` along its
        ``basedOn`` chain (the type's default style where none is named): the run's character
        style, its paragraph's style (or, saying nothing, the document's defaults) and the style of
        each table around it. Where any of them hides the text it is left out: Word combines the
        levels (ECMA-376 17.7.3), and however it does, what it hides is among what this leaves out.
        """
        direct = _vanish(run.find(qn("w:rPr")))
        if direct is not None:
            return direct
        paragraph = next(run.iterancestors(qn("w:p")), None)
        character = self._first(_style_id(run, "w:rPr", "w:rStyle"), "character")
        own = self._first(_style_id(paragraph, "w:pPr", "w:pStyle"), "paragraph")
        tables = [self._table(_style_id(table, "w:tblPr", "w:tblStyle")) for table in run.iterancestors(qn("w:tbl"))]
        return bool(character) or bool(self.by_default if own is None else own) or any(tables)

    def _chain(self, style_id: str | None, kind: str) -> Iterator:
        """A style and those it is based on, nearest first; the type's default style if ``style_id`` names none."""
        if style_id not in self.styles:
            style_id = self.defaults.get(kind)
        seen = set()
        while style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def _first(self, style_id: str | None, kind: str) -> bool | None:
        """The first ``w:vanish`` along a style's chain, in its run properties (``w:rPr``)."""
        return next((value for style in self._chain(style_id, kind)
                     if (value := _vanish(style.find(qn("w:rPr")))) is not None), None)

    def _table(self, style_id: str | None) -> bool:
        """Whether a table style hides text: in the whole table, or in any of its parts (first row, ...)."""
        return bool(self._first(style_id, "table")) or any(
            _vanish(properties) for style in self._chain(style_id, "table")
            for properties in style.iterfind(f"{qn('w:tblStylePr')}/{qn('w:rPr')}"))


def _style_id(element, properties: str, name: str) -> str | None:
    """The style an element names in its properties (a run's ``w:rPr/w:rStyle``), or None."""
    style = element.find(f"{qn(properties)}/{qn(name)}") if element is not None else None
    return style.get(qn("w:val")) if style is not None else None


def _vanish(properties) -> bool | None:
    """What run properties say of hidden text: True, False (``w:val="0"``, ``"false"``, ``"off"``), or None."""
    vanish = properties.find(qn("w:vanish")) if properties is not None else None
    return None if vanish is None else (vanish.get(qn("w:val")) or "true").lower() not in _OFF


class _Positions:
    """Where a paragraph is, as the advisor finds it in Word: its number and the heading above it, or its note's."""

    def __init__(self, body, styles: _Styles):
        self.index: dict[object, tuple[int, str]] = {}
        heading = ""
        for number, paragraph in enumerate(body.iter(qn("w:p")), start=1):
            if _HEADING_STYLE.match(styles.of(paragraph)):
                text = _text(paragraph).strip()
                heading = text if text and not cpr_like(text) else heading  # a message never repeats a CPR number
            self.index[paragraph] = (number, heading)
        # Each note by its kind and id: its number as Word shows it, and its mark in the text.
        self.notes = {(kind, reference.get(qn("w:id"))): (number, reference) for kind in _NOTES
                      for number, reference in enumerate(body.iter(qn(f"w:{kind}Reference")), start=1)}

    def marked(self, note) -> bool:
        """Whether a note (``w:footnote``, ``w:endnote``) is marked in the text, and so published."""
        return (etree.QName(note).localname, note.get(qn("w:id"))) in self.notes

    def of(self, element) -> str:
        """Where an element is: ``paragraph 3 (under the heading 'Forord')``, ``footnote 1, marked in ...``."""
        note = next((e for e in (element, *element.iterancestors()) if etree.QName(e).localname in _NOTES), None)
        if note is not None:
            kind = etree.QName(note).localname
            number, reference = self.notes[(kind, note.get(qn("w:id")))]
            where = _("footnote {number}, marked in {place}") if kind == "footnote" else _(
                "endnote {number}, marked in {place}")
            return where.format(number=number, place=self.of(reference))
        paragraph = next((e for e in (element, *element.iterancestors()) if e.tag == qn("w:p")), None)
        number, heading = self.index.get(paragraph, (0, ""))
        if heading:
            return _("paragraph {number} (under the heading '{heading}')").format(number=number, heading=heading)
        return _("paragraph {number}").format(number=number)


@contextlib.contextmanager
def word_markdown(path: Path) -> Iterator[WordText]:
    """Read a Word narrative as Markdown; its images lie in ``media`` while the ``with`` block lasts.

    Raises
    ------
    NarrativeError
        When the file is no Word document, holds tracked changes, a CPR-like number, or an image the
        report may not show; every problem is named with its paragraph, or its note.
    """
    try:
        content = inputs.read_bytes(path, inputs.NARRATIVE)
        _check_package(inputs.unpacked(content, path, inputs.NARRATIVE), path)
        document = docx.Document(io.BytesIO(content))
        notes = _notes(document)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise NarrativeError(_("{file}: not a Word document (.docx) that can be read ({error}); save it from Word "
                               "as a Word document (.docx), without a password").format(file=path, error=exc)) from None
    except OSError as exc:
        raise NarrativeError(_("{file}: cannot be read ({reason}); check the file's permissions")
                             .format(file=path, reason=exc.strerror)) from None
    body = document.element.body
    styles = _Styles(document)
    for root in (body, *(root for _part, root in notes.values())):  # what Word hides is never published
        for run in list(root.iter(qn("w:r"), qn("m:r"))):
            if styles.hidden(run):
                run.getparent().remove(run)
    positions = _Positions(body, styles)
    # What Pandoc publishes, each with the part its relationships (links, images) belong to: the body, the notes.
    published = [(document.part, body), *((part, note) for kind, (part, root) in notes.items()
                                           for note in root.iterfind(qn(f"w:{kind}")) if positions.marked(note))]
    where = sorted({positions.of(change) for _part, scope in published for change in _TRACKED(scope)}, key=_natural)
    where += _tracked_elsewhere(document, published)
    if where:
        raise NarrativeError(_("{file}: {places}: tracked changes not yet accepted or rejected; accept or reject the "
                               "tracked changes in Word first (Gennemse > Accepter/Afvis), since deleted text is "
                               "still in the file").format(file=path, places=", ".join(where)))
    for paragraph in [p for _part, scope in published for p in scope.iter(qn("w:p"))]:  # nor is the guidance
        if styles.of(paragraph) == GUIDANCE_STYLE:
            paragraph.getparent().remove(paragraph)
    for _part, scope in published:
        _unfold_simple_fields(scope)
        _redraw_vml_pictures(scope)
    problems, warnings = _checked_content(published, path, positions)
    if problems:
        raise NarrativeError("\n".join(problems))
    for part, root in notes.values():
        if not isinstance(part, XmlPart):
            part._blob = serialize_part_xml(root)  # python-docx keeps a part it does not know as bytes, and saves those
    with tempfile.TemporaryDirectory(prefix="reportlib-word-") as folder:
        cleaned = Path(folder) / "narrative.docx"
        document.save(str(cleaned))
        media = Path(folder) / "media"
        try:
            markdown = pandoc.convert_file(str(cleaned), _MARKDOWN, format="docx", filters=[str(_LIST_FILTER)],
                                           extra_args=["--wrap=none", f"--extract-media={media}"], cworkdir=folder)
        except RuntimeError as exc:  # what pypandoc raises for every failure of Pandoc's
            raise NarrativeError(_("{file}: Pandoc cannot read it as a Word document ({reason}); open it in Word and "
                                   "save it again as a Word document (.docx)").format(
                file=path, reason=" ".join(str(exc).split())[:200])) from None
        # What the checks above do not know of (something Word or Pandoc added since) is not published either.
        found = [number for number, line in enumerate(markdown.splitlines(), start=1) if cpr_like(unquote(line))]
        if found:
            raise NarrativeError("\n".join(_("{file}: line {line} of the text converted from Word {reason}").format(
                file=path, line=number, reason=_(CPR_REASON)) for number in found))
        yield WordText(markdown.replace(f"{media}/", ""), media, tuple(warnings))


def _check_package(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse, before python-docx or Pandoc read it, a Word file no Word writes: every XML part must parse on its own.

    Its XML is parsed without a document type (an entity can expand to gigabytes, or read another file), and
    its paragraphs are counted, since Pandoc's memory and time grow with them (200,000 took 37 s and 640 MB).
    """
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels")):
            continue
        where = f"{path}: {member.filename}"
        paragraphs = 0
        try:  # streamed, each element let go once read: a long part is counted in little memory
            for event, element in etree.iterparse(archive.open(member), events=("start", "end"), **_SAFE_XML):
                if event == "end":
                    element.clear()
                    continue
                if element.getroottree().docinfo.doctype:
                    raise NarrativeError(_("{where}: holds a document type declaration (DOCTYPE), which Word never "
                                           "writes; open the file in Word and save it again as a Word document "
                                           "(.docx)").format(where=where))
                paragraphs += element.tag == _PARAGRAPH
                if paragraphs > MAX_PARAGRAPHS:
                    raise NarrativeError(_("{file}: more than the {limit} paragraphs a narrative may have; check "
                                           "that it is the narrative, or make it shorter").format(
                        file=path, limit=language.number(MAX_PARAGRAPHS)))
        except etree.XMLSyntaxError as exc:
            raise NarrativeError(_("{where}: not XML as Word writes it ({error}); open the file in Word and save it "
                                   "again as a Word document (.docx)").format(where=where, error=exc)) from None


def _tracked_elsewhere(document, published: list[tuple]) -> list[str]:
    """Name the parts of the file Pandoc does not publish that hold tracked changes: headers, footers, notes unmarked.

    These are refused too, as the guide says: the file is read as accepted only once every change is settled.
    """
    marked = {scope for _part, scope in published}
    roots = {part.partname: scope.getroottree().getroot() for part, scope in published}
    places = []
    for part in document.part.package.iter_parts():
        if part is document.part or "wordprocessingml" not in part.content_type:
            continue
        root = roots.get(part.partname)
        if root is None and isinstance(part, XmlPart):
            root = part.element
        elif root is None:
            with contextlib.suppress(etree.XMLSyntaxError):
                root = parse_xml(part.blob)
        if root is None:  # not XML that parses: its bytes say whether it holds changes
            tracked = bool(_TRACKED_BYTES.search(part.blob))
        else:  # what a note marked in the text holds is named by its place already
            tracked = any(not any(e in marked for e in change.iterancestors()) for change in _TRACKED(root))
        if tracked:
            kind = re.sub(r"\d*\.xml$", "", part.partname.rsplit("/", 1)[-1])
            name = {"header": _("a header"), "footer": _("a footer"), "footnotes": _("a footnote not marked in the "
                    "text"), "endnotes": _("an endnote not marked in the text"), "comments": _("a comment")}
            places.append(_("{what} ({part})").format(what=name.get(kind, _("a part of the file")),
                                                      part=part.partname.lstrip("/")))
    return places


def _redraw_vml_pictures(scope) -> None:
    """Write each picture of Word before 2007 (VML) as Word writes one now (DrawingML), its alt text and title kept.

    Pandoc reads a VML picture without its alt text; as DrawingML it is checked, warned of and published as any other.
    """
    for number, pict in enumerate(_VML_PICTURES(scope), start=1):
        shape, imagedata = (pict.find(f".//{{{_NAMESPACES['v']}}}{name}") for name in ("shape", "imagedata"))
        size = dict(_VML_SIZE.findall(shape.get("style", "") if shape is not None else ""))
        width, height = (Pt(float(size.get(side, 72))) for side in ("width", "height"))
        inline = CT_Inline.new_pic_inline(number, imagedata.get(qn("r:id")) or "", "image", width, height)
        for attribute, vml in (("descr", "alt"), ("title", "title")):
            text = shape.get(vml) if shape is not None else None
            if text:
                inline.docPr.set(attribute, text)
        drawing = OxmlElement("w:drawing")
        drawing.append(inline)
        pict.getparent().replace(pict, drawing)


def _unfold_simple_fields(scope) -> None:
    """Write each simple field (``w:fldSimple``) as the field of runs Word also writes, which Pandoc reads.

    Pandoc leaves a simple field out, text and all; a field of runs it shows as its text (a
    ``HYPERLINK`` field as a link).
    """
    for field in list(scope.iter(qn("w:fldSimple"))):
        code = field.get(qn("w:instr")) or ""
        marks = [parse_xml(f'<w:r {_W}><w:fldChar w:fldCharType="{kind}"/></w:r>') for kind in ("begin", "separate",
                                                                                               "end")]
        instruction = parse_xml(f'<w:r {_W}><w:instrText xml:space="preserve"/></w:r>')
        instruction[0].text = code
        parent, at = field.getparent(), field.getparent().index(field)
        for offset, element in enumerate([marks[0], instruction, marks[1], *field.iterchildren(), marks[2]]):
            parent.insert(at + offset, element)
        parent.remove(field)


def _notes(document) -> dict[str, tuple]:
    """The document's footnotes and endnotes parts, each with its XML, by the name of their note element."""
    found = {}
    for kind, relationship in _NOTES.items():
        try:
            part = document.part.part_related_by(relationship)
        except KeyError:
            continue
        found[kind] = (part, part.element if isinstance(part, XmlPart) else parse_xml(part.blob))
    return found


def _checked_content(published: list[tuple], path: Path, positions: _Positions) -> tuple[list[str], list[str]]:
    """Find CPR-like numbers and images the report cannot show (refused); images without alt text, and content
    pasted in whole (``w:altChunk``, which Pandoc leaves out), are warned of.

    Only in what Pandoc publishes: the body, and the notes marked in it (``published``, each with its part).
    """
    problems, warnings = [], []
    for part, scope in published:
        for paragraph in scope.iter(qn("w:p")):
            for what, texts in _readings(paragraph, part).items():
                if any(cpr_like(text) for text in texts):
                    problems.append(what.format(file=path, place=positions.of(paragraph), reason=_(CPR_REASON)))
        for properties in _TABLE_TITLES(scope):  # Pandoc publishes a table's title and description as its caption
            titles = properties.xpath("w:tblCaption/@w:val | w:tblDescription/@w:val")
            if any(cpr_like(text) for text in (*titles, "".join(titles))):
                place = positions.of(next(properties.getparent().iter(qn("w:p")), properties))
                problems.append(_("{file}: {place}: a table's title or description {reason}").format(
                    file=path, place=place, reason=_(CPR_REASON)))
    pictures = [(part, picture) for part, scope in published for picture in _PICTURES(scope)]
    for number, (part, picture) in enumerate(pictures, start=1):
        place = positions.of(picture)
        blips = picture.xpath(".//a:blip")
        images = [part.related_parts.get(blip.get(qn("r:embed"))) for blip in blips]
        linked = any(blip.get(qn("r:link")) for blip in blips)
        if not blips or linked or not all(images) or any(
                image_type(image.blob) is None or len(image.blob) > MAX_IMAGE_BYTES for image in images):
            problems.append(_("{file}: {place}: image {number}: only a PNG or JPEG image inserted into the document "
                              "(not linked) and of at most 5 MB can be shown; insert it as a picture from a PNG or "
                              "JPEG file").format(file=path, place=place, number=number))
            continue
        description = picture.find(qn("wp:docPr"))
        if description is None or not (description.get("descr") or "").strip():
            warnings.append(_("{file}: {place}: image {number} has no alt text; add it in Word (right-click the "
                              "picture > Rediger alternativ tekst) so that a reader who cannot see it is told what it "
                              "shows").format(file=path, place=place, number=number))
    for chunk in (chunk for _part, scope in published for chunk in _ALT_CHUNKS(scope)):
        before = next(chunk.itersiblings(qn("w:p"), preceding=True), None)
        place = positions.of(before) if before is not None else _("the beginning of the document")
        warnings.append(_("{file}: after {place}: content pasted in as a whole (an 'altChunk', e.g. from a web page "
                          "or another document) cannot be read and is left out; paste it again as text (Indsæt > "
                          "Behold kun tekst) and format it in Word").format(file=path, place=place))
    return problems, warnings


def _readings(paragraph, part) -> dict[str, list[str]]:
    """Give what of a paragraph Pandoc would publish, by the message that names it.

    Its text, read whole, so that a number split over runs, a link and an equation is one number;
    its links' addresses (as a browser shows them: ``%2D`` is ``-``) and fields' codes; its
    images' alt texts and titles.
    """
    relationships = [part.rels.get(rid) for rid in paragraph.xpath(".//@r:id")]
    addresses = [unquote(rel.target_ref) for rel in relationships
                 if rel is not None and rel.is_external and rel.reltype == RT.HYPERLINK]
    fields = [*paragraph.xpath(".//w:fldSimple/@w:instr"), "".join(paragraph.xpath(".//w:instrText/text()"))]
    return {
        _("{file}: {place}: the text {reason}"): [_text(paragraph)],
        _("{file}: {place}: a link's address or a field's code {reason}"): [
            *addresses, *paragraph.xpath(".//w:hyperlink/@w:anchor | .//w:hyperlink/@w:tooltip"),
            *map(unquote, fields)],
        _("{file}: {place}: an image's alt text {reason}"): paragraph.xpath(".//wp:docPr/@descr | .//wp:docPr/@title"),
    }


def scaffold_docx(markdown: str) -> bytes:
    """The Markdown scaffold as a Word document, each of its HTML comments a paragraph in the guidance style."""
    def guidance(comment: re.Match) -> str:
        # A line indented by two spaces is one of the key figures: a paragraph of its own, not a run-on line.
        text = _KEY_FIGURE_LINE.sub("\n", comment.group(1))
        return f'\n\n::: {{custom-style="{GUIDANCE_STYLE}"}}\n{textwrap.dedent(text).strip()}\n:::\n\n'

    with tempfile.TemporaryDirectory(prefix="reportlib-word-") as folder:
        written = Path(folder) / "scaffold.docx"
        pandoc.convert_text(_COMMENT.sub(guidance, markdown), "docx", format="markdown-raw_html",
                            outputfile=str(written), extra_args=["--metadata=lang:da-DK"], sandbox=True)
        document = docx.Document(str(written))
    style = document.styles[GUIDANCE_STYLE]  # set apart, so the advisor sees at once what is not published
    style.font.italic = True
    style.font.color.rgb = GUIDANCE_COLOUR
    style.paragraph_format.left_indent = Cm(0.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(paragraph) -> str:
    """What a paragraph reads: its text runs (w:t) and its equations' (m:t), not deleted text or field codes."""
    return "".join(paragraph.xpath(".//w:t/text() | .//m:t/text()"))


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
