"""The register as an Excel workbook that prevents errors at the source.

``register.xlsx`` has one sheet per table of the contract (named as kommune.yml's ``ark`` maps
them), the contract's columns as headers (or the register's own, from ``kolonner``; the optional
parts where kommune.yml configures them: ``metode`` with ``metoder``, ``resultat`` with
``resultater``, the activities' ``omraade`` with ``egen_drift``, the sheet ``anbefalinger`` with
``anbefaling_status``), a
frozen header row, date cells formatted as dates, and Excel's data validation: drop-down lists
from kommune.yml for every label column, ``ja``/``nej`` for yes/no columns, whole numbers of 0 or
more for counts, and dates from 1990. A "Vejledning" sheet explains each column in Danish; the
lists themselves sit in a hidden "Lister" sheet (a list with commas in its labels cannot be written
inline). When kommune.yml changes, :func:`refresh_template` writes the lists anew and keeps every
row already entered.
"""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .config import Kommune
from .exceptions import InputError
from .labels import label_key
from .paths import OPTIONAL_TABLES, TABLES, XLSX_FILE
from .validate import EARLIEST_DATE, OPTIONAL_COLUMNS, SCHEMA, Column

GUIDE_SHEET, LISTS_SHEET = "Vejledning", "Lister"
ROWS = 5000  # rows that get the drop-downs; Excel extends them as rows are inserted within
DATE_FORMAT = "DD-MM-YYYY"
YES_NO = ("ja", "nej")
# The contract's free-text columns: in the template for the advisor's own notes, never read.
FREE_TEXT = {"sager": ("note",), "aktiviteter": ("beskrivelse",)}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a sheet: the contract column, its header, and what the template does with it."""

    table: str
    name: str
    header: str  # the register's own header where kommune.yml's `kolonner` maps one, else the contract's name
    column: Column | None  # None for a free-text column


# Every optional part of the contract (validate.Register.parts) that has a place in the template.
ALL_PARTS = frozenset({f"{table}.{column}" for table, column in OPTIONAL_COLUMNS} | set(OPTIONAL_TABLES))


def configured_parts(kommune: Kommune) -> frozenset[str]:
    """The optional parts the template has for ``kommune``: those whose kommune.yml key is set."""
    switches = {"sager.metode": kommune.metoder, "sager.resultat": kommune.resultater,
                "aktiviteter.omraade": kommune.egen_drift, "anbefalinger": kommune.anbefaling_status}
    return frozenset(part for part, key in switches.items() if key)


def template_tables(parts: frozenset[str] = frozenset()) -> list[str]:
    """The table sheets of the template: the three tables, then the optional tables among ``parts``."""
    return [*TABLES, *(table for table in OPTIONAL_TABLES if table in parts)]


def template_columns(table: str, kommune: Kommune, parts: frozenset[str] = frozenset()) -> list[TemplateColumn]:
    """The columns of a table's sheet, in the contract's order, with the municipality's own headers.

    An optional column is there only if ``parts`` has it.
    """
    names = ([(c.name, c) for c in SCHEMA[table] if (table, c.name) not in OPTIONAL_COLUMNS
              or f"{table}.{c.name}" in parts]
             + [(name, None) for name in FREE_TEXT.get(table, ())])
    return [TemplateColumn(table, name, kommune.header_of(table, name) or name, column) for name, column in names]


def sheet_title(table: str, kommune: Kommune) -> str:
    """The sheet of a table: the workbook's own name where kommune.yml's `ark` maps one."""
    return kommune.sheet_of(table) or table


def lists(kommune: Kommune) -> dict[str, list[str]]:
    """Every drop-down list of the template, by the kommune.yml key it comes from (optional lists when set)."""
    centres = list(dict.fromkeys(c for members in kommune.omraader.values() for c in members))
    optional = {"metoder": kommune.metoder, "result_labels": kommune.result_labels,
                "status_labels": kommune.status_labels}
    return {"henvendelsestyper": kommune.henvendelsestyper, "kanaler": kommune.kanaler, "udfald": kommune.udfald,
            "aktiviteter": kommune.aktiviteter, "areas": kommune.areas, "centres": centres, "topics": kommune.topics,
            "yes_no": list(YES_NO), **{key: labels for key, labels in optional.items() if labels}}


def template_workbook(kommune: Kommune, parts: frozenset[str] | None = None) -> Workbook:
    """Build an empty register.xlsx for ``kommune``: the tables, the guide and the lists.

    ``parts`` are the optional parts to give a place (default: those kommune.yml configures).
    """
    parts = configured_parts(kommune) if parts is None else parts
    book = Workbook()
    book.remove(book.active)
    sources = _lists_sheet(book, lists(kommune))
    for table in template_tables(parts):
        sheet = book.create_sheet(sheet_title(table, kommune))
        columns = template_columns(table, kommune, parts)
        for number, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=number, value=column.header)
            cell.font, cell.fill = Font(bold=True), _HEADER_FILL
            letter = get_column_letter(number)
            sheet.column_dimensions[letter].width = _width(column, kommune)
            _validate(sheet, letter, column.column, sources)
        sheet.freeze_panes = "A2"
    _guide_sheet(book, kommune, parts)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))  # last, and hidden
    return book


def write_template(folder: Path, kommune: Kommune) -> Path:
    """Write a new, empty register.xlsx into ``folder``; never replaces one."""
    path = folder / XLSX_FILE
    if path.exists():
        raise InputError(f"{path}: exists already and was left untouched; `reportlib template` refreshes its lists")
    _save(template_workbook(kommune), path)
    return path


def refresh_template(folder: Path, kommune: Kommune) -> tuple[Path, int]:
    """Rewrite register.xlsx's lists and formats from kommune.yml, keeping every row already entered.

    Returns
    -------
    path : Path
    rows : int
        The rows kept, over all sheets.

    Raises
    ------
    InputError
        When the workbook is missing, cannot be read, or holds something the template has no
        place for (a column or sheet of its own); nothing is written then.
    """
    path = folder / XLSX_FILE
    if not path.is_file():
        raise InputError(f"{path}: not found; `reportlib init` makes a new register with its workbook")
    try:
        old = load_workbook(path)
    except Exception as exc:  # openpyxl meets a damaged file in many ways; all mean the same
        raise InputError(f"{path}: cannot be read as an Excel workbook ({type(exc).__name__}); open it in Excel "
                         "and save it again as .xlsx") from None
    entered, present = _entered_rows(path, old, kommune)
    parts = configured_parts(kommune) | present  # an optional column or sheet the workbook has stays
    book = template_workbook(kommune, parts)
    kept = 0
    for table, rows in entered.items():
        sheet = book[sheet_title(table, kommune)]
        names = [c.name for c in template_columns(table, kommune, parts)]
        for number, row in enumerate(rows, start=2):
            for column, name in enumerate(names, start=1):
                sheet.cell(row=number, column=column, value=row.get(name))
            kept += 1
    _save(book, path)
    return path, kept


def _entered_rows(path: Path, book: Workbook, kommune: Kommune) -> tuple[dict[str, list[dict]], frozenset[str]]:
    """The data rows of each table sheet, by contract column, and the optional parts the workbook has.

    Refuses what the template cannot keep.
    """
    found: dict[str, list[dict]] = {}
    present: set[str] = set()
    for sheet in book.worksheets:
        key = label_key(sheet.title)
        if key in (label_key(GUIDE_SHEET), label_key(LISTS_SHEET)):
            continue
        table = next((t for t in template_tables(ALL_PARTS) if label_key(sheet_title(t, kommune)) == key), None)
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        if table is None:
            if any(v not in (None, "") for row in values for v in row):
                raise InputError(f"{path}[{sheet.title}]: a sheet the template has no place for; move its content "
                                 "to a workbook of its own, then run `reportlib template` again")
            continue
        header = [label_key(str(v)) if v is not None else "" for v in (values[0] if values else [])]
        by_header = {label_key(c.header): c.name for c in template_columns(table, kommune, ALL_PARTS)}
        present |= {table} | {f"{table}.{by_header[name]}" for name in header if name in by_header} & ALL_PARTS
        for position, name in enumerate(header):
            has_data = any(position < len(row) and row[position] not in (None, "") for row in values[1:])
            if name not in by_header and (name or has_data):
                shown = values[0][position] if values[0][position] is not None else get_column_letter(position + 1)
                raise InputError(f"{path}[{sheet.title}]: column '{shown}' is not a column of the register, so the "
                                 "new template would lose it; move it to a workbook of its own, then run "
                                 "`reportlib template` again")
        where = {by_header[name]: position for position, name in enumerate(header) if name in by_header}
        found[table] = [{n: row[where[n]] if n in where and where[n] < len(row) else None for n in by_header.values()}
                        for row in values[1:] if any(v not in (None, "") for v in row)]
    return found, frozenset(present & ALL_PARTS)


def _lists_sheet(book: Workbook, named: dict[str, list[str]]) -> dict[str, str]:
    """Write the lists into the hidden sheet; return each list's range as a validation formula."""
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges = {}
    for number, (key, labels) in enumerate(named.items(), start=1):
        letter = get_column_letter(number)
        sheet.cell(row=1, column=number, value=key)
        for row, label in enumerate(labels, start=2):
            sheet.cell(row=row, column=number, value=label)
        ranges[key] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(labels) + 1}"
    return ranges


def _validate(sheet, letter: str, column: Column | None, sources: dict[str, str]) -> None:
    """Give a column its drop-down, number rule or date format, for the template's rows."""
    if column is None or column.kind in ("id", "text", "period"):
        return
    area = f"{letter}2:{letter}{ROWS + 1}"
    if column.kind == "date":
        sheet.column_dimensions[letter].number_format = DATE_FORMAT  # the column's style: every new cell has it
        rule = DataValidation(type="date", operator="greaterThanOrEqual", formula1=f"DATE({EARLIEST_DATE.year},1,1)",
                              error=f"Skriv en dato fra {EARLIEST_DATE.year} og frem, fx 01-11-2024.")
    elif column.kind == "count":
        rule = DataValidation(type="whole", operator="between", formula1="0", formula2="100000",
                              error="Skriv et helt tal, 0 eller mere.")
    else:
        source = {"label": column.labels, "centre": "centres", "bool": "yes_no"}[column.kind]
        if source not in sources:
            return  # kommune.yml lists no labels for it yet: no drop-down
        rule = DataValidation(type="list", formula1=sources[source],
                              error="Vælg en værdi fra listen. Listerne kommer fra kommune.yml; "
                                    "kør `reportlib template`, når kommune.yml er ændret.")
    rule.errorTitle, rule.showErrorMessage, rule.allow_blank = "Ugyldig værdi", True, True
    sheet.add_data_validation(rule)
    rule.add(area)


def _guide_sheet(book: Workbook, kommune: Kommune, parts: frozenset[str]) -> None:
    sheet = book.create_sheet(GUIDE_SHEET)
    sheet.append(["Ark", "Kolonne", "Skal udfyldes", "Forklaring"])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for table in template_tables(parts):
        for column in template_columns(table, kommune, parts):
            required = "ja" if column.column is not None and column.column.required else "nej"
            sheet.append([sheet_title(table, kommune), column.header, required, _guide()[table][column.name]])
    for letter, width in zip("ABCD", (18, 18, 14, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


@functools.cache
def _guide() -> dict[str, dict[str, str]]:
    text = resources.files("reportlib").joinpath("templates", "register_guide.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _width(column: TemplateColumn, kommune: Kommune) -> float:
    """A column wide enough for its header and its labels, within reason."""
    spec = column.column
    if spec is None:
        return 50
    if spec.kind == "date":
        return max(13, len(column.header) + 3)
    if spec.kind == "text":
        return 50
    longest = {"label": lambda: getattr(kommune, spec.labels), "centre": lambda: lists(kommune)["centres"]}
    labels = longest[spec.kind]() if spec.kind in longest else []
    return min(max([len(column.header), *map(len, labels)]) + 3, 45)


def _save(book: Workbook, path: Path) -> None:
    """Save next to ``path`` and move into place, so a failure never leaves half a workbook."""
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
