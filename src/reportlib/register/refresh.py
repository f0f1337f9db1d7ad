"""``reportlib template``: the workbook as it is given the template anew, proving that nothing is lost.

When kommune.yml changes, :func:`refresh_workbook` writes the lists anew in the workbook as it is:
no row, column, sheet, comment or cell of the user's is moved or lost, and it proves that before it
replaces the file (keeping the old one as a dated copy). The template itself is
:mod:`reportlib.register.workbook`'s.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import io
import os
import re
import stat
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl import Workbook, load_workbook

from reportlib.exceptions import InputError, RunFailed, WorkbookRefused
from reportlib.files import reason, remove_stale, replace, temporary_beside, write_new
from reportlib.inputs import REGISTER_FILE, read_bytes
from reportlib.labels import label_key
from reportlib.language import N_, _, ngettext
from reportlib.paths import XLSX_FILE, present
from reportlib.register import schema
from reportlib.register.kommune import Kommune
from reportlib.register.raw import RawTable
from reportlib.register.schema import SCHEMA
from reportlib.register.sheets import read_sheets, workbook_tables
from reportlib.register.validate import table_request
from reportlib.register.workbook import (
    GUIDE_HEADER,
    GUIDE_SHEET,
    LISTS_SHEET,
    YES_NO,
    all_parts,
    apply_template,
    configured_parts,
    sheet_title,
    table_sheets,
    template_tables,
)
from reportlib.register.xlsx import open_in


@dataclass(frozen=True)
class Refreshed:
    """What ``reportlib template`` did: the workbook rewritten, the rows it holds, the copy of the old one."""

    path: Path
    rows: int
    backup: Path


def refresh_workbook(folder: Path, kommune: Kommune, *, now: dt.datetime | None = None,
                     progress: Callable[[str], None] = lambda step: None) -> Refreshed:
    """Rewrite register.xlsx's lists, drop-downs and formats from kommune.yml, proving that nothing is lost.

    The workbook is changed in place, as a copy beside it: the lists and guide sheets are written
    anew, each table sheet gets its missing columns (after its own), its header formats and its
    drop-downs; no other cell, comment, sheet or row is touched. The copy replaces the workbook
    only when, read back, every table reads exactly as before with the validator's own reader
    (same rows, values and order), every cell and comment of the old workbook is in it, nothing
    the file held is left out (pictures, charts, pivot tables ...), and the workbook has not
    changed meanwhile. The old workbook is kept beside it as ``register-kopi-YYYYMMDD-HHMMSS.xlsx``;
    a symbolic link is written through, and the file's permissions are kept.

    Returns
    -------
    Refreshed

    Raises
    ------
    WorkbookRefused
        When the workbook is open in Excel or LibreOffice, read-only, unreadable, holds something
        the template would lose (a formula in a table sheet, text of the user's own in the guide
        or lists sheet, a part openpyxl cannot keep), or changed while it was being rewritten.
        The workbook is left byte for byte as it was, with no temporary file beside it.
    RunFailed
        When the folder cannot be written (read-only, full disk); the workbook is as it was.
    """
    path = folder / XLSX_FILE
    if not present(path):
        raise InputError(_("{path}: not found; `reportlib init` makes a new register with its workbook").format(
            path=path))
    real = Path(os.path.realpath(path))  # a symbolic link is written through, so the real workbook is updated
    _refuse_busy(path, real)
    remove_stale(real)
    progress(_("reading the workbook"))
    try:
        original = read_bytes(real, REGISTER_FILE)
    except OSError as exc:
        raise WorkbookRefused(_("{path}: cannot be read ({reason}); check the file's permissions").format(
            path=path, reason=reason(exc))) from None
    request = table_request(kommune)
    sheets_read, problems = read_sheets(io.BytesIO(original), path)
    if problems:
        raise WorkbookRefused("\n".join(map(str, problems)) + "\n"
                              + _("{path}: left as it was; fix the workbook first").format(path=path))
    before, _found = workbook_tables(sheets_read, path, **request)
    reference, book = _open(original, path), _open(original, path)
    _refuse_what_would_be_lost(path, reference, kommune)
    parts = configured_parts(kommune) | _parts_present(before)
    widths = {table: max(map(len, sheets_read[key][1]), default=0) for table in template_tables(all_parts())
              if (key := label_key(sheet_title(table, kommune))) in sheets_read}
    apply_template(book, kommune, parts, widths)
    written = temporary_beside(real)
    try:
        progress(_("writing the new workbook beside the old one"))
        failure = _save(book, written)
        if failure is not None:
            raise RunFailed(_("{path}: cannot write the new workbook beside it ({reason}); the workbook was left "
                              "as it was. Check that the folder is writable, the disk has room and no file-size "
                              "limit (ulimit -f) is set").format(path=path, reason=failure))
        progress(_("checking that the new workbook holds everything the old one did"))
        _prove_nothing_lost(path, original, reference, written, before, request)
        _refuse_busy(path, real)
        if real.read_bytes() != original:
            raise WorkbookRefused(_("{path}: was changed while the template was being written, so it was left as "
                                    "it is now; run `reportlib template` again").format(path=path))
        backup = _backup(folder, original, now or dt.datetime.now())
        try:
            replace(real, written)
        except OSError as exc:
            backup.unlink(missing_ok=True)
            raise RunFailed(_("{path}: cannot be replaced ({reason}); the workbook was left as it was").format(
                path=path, reason=reason(exc))) from None
    finally:
        written.unlink(missing_ok=True)
    # Rows by sheet: a sheet holding two tables (the cases and their problems) is counted once.
    return Refreshed(path, sum({table.shown: len(table.frame) for table in before.values()}.values()), backup)


def _save(book: Workbook, written: Path) -> str | None:
    """Write ``book`` to ``written``; what kept it from being written, in a few words, or None when it was.

    openpyxl writes each sheet through lxml into a temporary file: when a write fails (a full disk, a
    file-size limit), lxml raises its own error, and the writers it leaves open fail once more as they
    are let go, each printing a traceback. Those second failures say nothing new, so they are not shown.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        try:
            buffer = io.BytesIO()
            book.save(buffer)
            with open(written, "wb") as stream:
                stream.write(buffer.getbuffer())
            return None
        except OSError as exc:
            failure = reason(exc)
        except etree.SerialisationError as exc:  # "IO_EFBIG": the errno's name, after lxml's prefix
            code = getattr(errno, str(exc).removeprefix("IO_"), None)
            failure = os.strerror(code) if isinstance(code, int) else str(exc)
        gc.collect()  # the writers left open are let go here, while their failures are not shown
        return failure
    finally:
        sys.unraisablehook = hook


def _prove_nothing_lost(path: Path, original: bytes, reference: Workbook, written: Path,
                        before: dict[str, RawTable], request: dict) -> None:
    """Refuse the new workbook unless it holds everything of the old one (see :func:`refresh_workbook`)."""
    sheets_read, problems = read_sheets(written, path)
    after, found = workbook_tables(sheets_read, path, **request)
    lost = [_("the new workbook cannot be read back ({reason})").format(reason=problem.reason) for problem in problems]
    lost += [_("the table '{table}' exactly as it reads now ({shown})").format(table=table, shown=raw.shown)
             for table, raw in before.items() if not _reads_the_same(raw, after.get(table))]
    new = load_workbook(written, rich_text=True)
    for sheet in reference.worksheets:
        if label_key(sheet.title) in (label_key(LISTS_SHEET), label_key(GUIDE_SHEET)):
            continue  # the template's own, written anew
        if sheet.title not in new.sheetnames:
            lost.append(_("the sheet '{sheet}'").format(sheet=sheet.title))
            continue
        lost += [f"{sheet.title}!{cell.coordinate}" for cell in _cells(sheet) if not _same_cell(cell, new[sheet.title])]
        lost += [_("the merged cells {sheet}!{area}").format(sheet=sheet.title, area=area)
                 for area in sheet.merged_cells.ranges if area not in new[sheet.title].merged_cells.ranges]
    lost += _parts_left_out(original, written)
    if lost:
        shown = "; ".join(lost[:5])
        if len(lost) > 5:
            shown = _("{listing}; and {more} more").format(listing=shown, more=len(lost) - 5)
        raise WorkbookRefused(_("{path}: the rewritten workbook would lose {shown}; the workbook was left as it was. "
                                "Please report this, with a copy of the workbook without personal data").format(
            path=path, shown=shown))


def _reads_the_same(before: RawTable, after: RawTable | None) -> bool:
    """Whether a table reads back with the same header, rows, values and order; added columns are empty."""
    if after is None or after.header[:len(before.header)] != before.header:
        return False
    added = [name for name in after.frame.columns if name not in before.frame.columns]
    kept = after.frame[list(before.frame.columns)]
    return (kept.index.equals(before.frame.index) and kept.astype(object).equals(before.frame.astype(object))
            and all((after.frame[name] == "").all() for name in added))


def _same_cell(cell: Any, sheet: Any) -> bool:
    """Whether ``sheet`` has ``cell`` as it is: value, type (text or formula), comment and link."""
    if cell.value is None and cell.comment is None and cell.hyperlink is None:
        return True
    other = sheet._cells.get((cell.row, cell.column))
    if other is None:
        return False
    comments = [(c.comment.text, c.comment.author) if c.comment else None for c in (cell, other)]
    links = [c.hyperlink.target if c.hyperlink else None for c in (cell, other)]
    return (cell.value == other.value and type(cell.value) is type(other.value) and cell.data_type == other.data_type
            and comments[0] == comments[1] and links[0] == links[1])


# Parts of a workbook file that openpyxl writes anew from what it read (the cells, styles, comments and
# their legacy drawings, names, document properties), or that Excel recomputes (the calculation
# chain) or keeps for a printer: their number may change. Any other kind must all be there still.
_REWRITTEN_PARTS = re.compile(r"^(\[Content_Types\]\.xml|_rels/.*|docProps/(app|core)\.xml|xl/(workbook\.xml|"
                              r"styles\.xml|sharedStrings\.xml|calcChain\.xml|theme/.*|worksheets/.*|comments.*|"
                              r"printerSettings/.*|drawings/.*\.vml))$|.*/_rels/.*")
_PART_NAMES = {"xl/drawings": N_("pictures, shapes or charts"), "xl/charts": N_("charts"), "xl/media": N_("pictures"),
               "xl/pivotTables": N_("pivot tables"), "xl/pivotCache": N_("pivot tables"), "xl/tables": N_("tables"),
               "xl/threadedComments": N_("threaded comments (Excel's new comments; convert them to notes)"),
               "xl/externalLinks": N_("links to other workbooks"), "customXml": N_("document management data")}


def _parts_left_out(original: bytes, written: Path) -> list[str]:
    """What kinds of content the old file has more of than the new one (by the parts of the zip file)."""
    def kinds(names: list[str]) -> Counter:
        return Counter(name.rsplit("/", 1)[0] if "/" in name else name for name in names
                       if not _REWRITTEN_PARTS.match(name))

    with zipfile.ZipFile(io.BytesIO(original)) as old, zipfile.ZipFile(written) as new:
        had, has = kinds(old.namelist()), kinds(new.namelist())
    return [f"{_(_PART_NAMES[kind]) if kind in _PART_NAMES else kind} ({kind})" for kind, count in sorted(had.items())
            if has[kind] < count]


def _refuse_busy(path: Path, real: Path) -> None:
    """Refuse a workbook that is open in a spreadsheet program, or that may not be written."""
    for candidate in dict.fromkeys((path, real)):
        program = open_in(candidate)
        if program:
            raise WorkbookRefused(_("{path}: the workbook is open in {program}; close it there and run "
                                    "`reportlib template` again").format(path=path, program=program))
    if not os.access(real, os.W_OK) or not real.stat().st_mode & stat.S_IWUSR:
        raise WorkbookRefused(_("{path}: the workbook is read-only, so the template leaves it as it is; make it "
                                "writable (in its properties, or chmod u+w) if it may be rewritten").format(path=path))


def _open(original: bytes, path: Path) -> Workbook:
    try:
        return load_workbook(io.BytesIO(original), rich_text=True)
    except Exception as exc:  # openpyxl meets a damaged file in many ways; all mean the same
        raise WorkbookRefused(_("{path}: cannot be read as an Excel workbook ({error}); open it in Excel and save "
                                "it again as .xlsx").format(path=path, error=type(exc).__name__)) from None


def _refuse_what_would_be_lost(path: Path, book: Workbook, kommune: Kommune) -> None:
    """Refuse a table sheet's formulas (their values would be lost) and the user's own text in the template's sheets."""
    formulas = [f"{sheet.title}!{cell.coordinate}" for sheet in table_sheets(book, kommune).values()
                for cell in _cells(sheet) if cell.data_type == "f"]
    if formulas:
        shown = ", ".join(formulas[:5])
        if len(formulas) > 5:
            shown = _("{lines} and {more} more").format(lines=shown, more=len(formulas) - 5)
        raise WorkbookRefused(ngettext(
            "{path}: {count} cell holds a formula ({shown}); a rewritten workbook keeps a formula but not the value "
            "Excel computed, and the register is read from the values. Replace the formulas by their values (copy "
            "the cells, then Paste Special > Values) and run `reportlib template` again",
            "{path}: {count} cells hold formulas ({shown}); a rewritten workbook keeps a formula but not the value "
            "Excel computed, and the register is read from the values. Replace the formulas by their values (copy "
            "the cells, then Paste Special > Values) and run `reportlib template` again",
            len(formulas)).format(path=path, count=len(formulas), shown=shown))
    for sheet in book.worksheets:
        foreign = _foreign_cell(sheet)
        if foreign is not None:
            raise WorkbookRefused(_("{path}: {sheet}!{cell} holds text of your own, but the sheet '{sheet}' is the "
                                    "template's and is written anew; move the text to a sheet of your own, then run "
                                    "`reportlib template` again").format(path=path, sheet=sheet.title,
                                                                         cell=foreign.coordinate))


def _foreign_cell(sheet: Any) -> Any | None:
    """In the template's own lists or guide sheet, the first cell the template did not write; None elsewhere."""
    if label_key(sheet.title) == label_key(LISTS_SHEET):
        keys = {number: cell.value for number, cell in enumerate(sheet[1], start=1)} if sheet.max_row else {}
        return next((cell for cell in _cells(sheet) if cell.value is not None
                     and (keys.get(cell.column) not in schema.LISTS or not isinstance(cell.value, str))), None)
    if label_key(sheet.title) == label_key(GUIDE_SHEET):
        texts = {c.guide for table in SCHEMA.values() for c in table.columns}
        expected = {1: lambda row, value: value == GUIDE_HEADER[0] if row == 1 else isinstance(value, str),
                    2: lambda row, value: value == GUIDE_HEADER[1] if row == 1 else isinstance(value, str),
                    3: lambda row, value: value == GUIDE_HEADER[2] if row == 1 else value in YES_NO,
                    4: lambda row, value: value == GUIDE_HEADER[3] if row == 1 else value in texts}
        return next((cell for cell in _cells(sheet) if cell.value is not None
                     and not (cell.column in expected and expected[cell.column](cell.row, cell.value))), None)
    return None


def _cells(sheet: Any) -> list:
    """The cells a sheet stores, in row order, without visiting the empty range between them.

    openpyxl keeps them in ``_cells``; its public iterators fill the whole used range, which one far
    cell makes enormous.
    """
    return [sheet._cells[key] for key in sorted(sheet._cells)]


def _parts_present(tables: dict[str, RawTable]) -> frozenset[str]:
    """The optional parts the workbook's tables have: an optional table, or an optional column in its header."""
    present = set(tables) | {f"{table}.{column}" for table, raw in tables.items() for column in raw.position}
    return frozenset(present & all_parts())


def _backup(folder: Path, original: bytes, now: dt.datetime) -> Path:
    """Keep the old workbook in the register folder, named by the time: a way back from any refresh."""
    for number in range(1, 100):
        suffix = "" if number == 1 else f"-{number}"
        try:
            return write_new(folder / f"register-kopi-{now:%Y%m%d-%H%M%S}{suffix}.xlsx", original)
        except FileExistsError:
            continue
    raise RunFailed(_("{folder}: too many copies of register.xlsx from {time}; move some away").format(
        folder=folder, time=f"{now:%Y-%m-%d %H:%M:%S}"))
