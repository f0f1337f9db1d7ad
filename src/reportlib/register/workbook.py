"""The register as an Excel workbook that prevents errors at the source.

``register.xlsx`` has one sheet per table of the contract (named as kommune.yml's ``ark`` maps
them), the contract's columns as headers (or the register's own, from ``kolonner``; the optional
parts where kommune.yml configures them: ``metode`` with ``metoder``, ``resultat`` with
``resultater``, the activities' ``omraade`` with ``egen_drift``, the sheet ``anbefalinger`` with
``anbefaling_status``), a frozen header row, date cells formatted as dates, and Excel's data
validation: drop-down lists from kommune.yml for every label column, ``ja``/``nej`` for yes/no
columns, whole numbers of 0 or more for counts, and dates from 1990. A "Vejledning" sheet explains
each column in Danish; the lists themselves sit in a hidden "Lister" sheet (a list with commas in
its labels cannot be written inline). Every text the template writes is stored as text, never as a
formula, whatever its first character (:func:`reportlib.register.xlsx.set_text`). When kommune.yml
changes, :mod:`reportlib.register.refresh` gives the workbook as it is the template anew.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reportlib.exceptions import InputError
from reportlib.files import write_new
from reportlib.labels import label_key
from reportlib.language import _
from reportlib.paths import XLSX_FILE
from reportlib.periods import EARLIEST_DATE
from reportlib.register import schema
from reportlib.register.kommune import Kommune
from reportlib.register.schema import SCHEMA, Column
from reportlib.register.xlsx import set_text

GUIDE_SHEET, LISTS_SHEET = "Vejledning", "Lister"
GUIDE_SHEET, LISTS_SHEET = "Vejledning", "Lister"
GUIDE_HEADER = ["Ark", "Kolonne", "Skal udfyldes", "Forklaring"]
ROWS = 5000  # rows that get the drop-downs; Excel extends them as rows are inserted within
DATE_FORMAT = "DD-MM-YYYY"
YES_NO = ("ja", "nej")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a sheet: the contract column, its header, and what the template does with it."""

    table: str
    name: str
    header: str  # the register's own header where kommune.yml's `kolonner` maps one, else the contract's name
    column: Column


def all_parts() -> frozenset[str]:
    """Every optional part of the contract (``Register.parts``) that has a place in the template."""
    return frozenset({f"{table}.{column}" for table, column in schema.parts()} | set(schema.tables(optional=True)))


def configured_parts(kommune: Kommune) -> frozenset[str]:
    """The optional parts the template has for ``kommune``: those whose kommune.yml key is set."""
    switches = {**{f"{table.name}.{c.name}": c.part for table in SCHEMA.values() for c in table.columns if c.part},
                **{table.name: table.part for table in SCHEMA.values() if table.part}}
    return frozenset(part for part, key in switches.items() if getattr(kommune, key))


def template_tables(parts: frozenset[str] = frozenset()) -> list[str]:
    """The table sheets of the template: the required tables, then the optional tables among ``parts``."""
    return [*schema.tables(optional=False), *(table for table in schema.tables(optional=True) if table in parts)]


def template_columns(table: str, kommune: Kommune, parts: frozenset[str] = frozenset()) -> list[TemplateColumn]:
    """The columns of a table's sheet, in the contract's order, with the municipality's own headers.

    An optional column is there only if ``parts`` has it.
    """
    return [TemplateColumn(table, c.name, kommune.header_of(table, c.name) or c.name, c) for c in SCHEMA[table].columns
            if not c.part or f"{table}.{c.name}" in parts]


def sheet_title(table: str, kommune: Kommune) -> str:
    """The sheet of a table: the workbook's own name where kommune.yml's `ark` maps one."""
    return kommune.sheet_of(table) or table


def lists(kommune: Kommune) -> dict[str, list[str]]:
    """Every drop-down list of the template (:data:`reportlib.register.schema.LISTS`), those kommune.yml sets."""
    special = {"centres": list(dict.fromkeys(c for members in kommune.omraader.values() for c in members)),
               "yes_no": list(YES_NO)}
    return {key: labels for key in schema.LISTS
            if (labels := special[key] if key in special else getattr(kommune, key))}


def new_workbook(kommune: Kommune, parts: frozenset[str] | None = None) -> Workbook:
    """Build an empty register.xlsx for ``kommune``: the tables, the guide and the lists.

    ``parts`` are the optional parts to give a place (default: those kommune.yml configures).
    """
    book = Workbook()
    book.remove(book.active)
    apply_template(book, kommune, configured_parts(kommune) if parts is None else parts, {})
    return book


def write_new_workbook(folder: Path, kommune: Kommune) -> Path:
    """Write a new, empty register.xlsx into ``folder``; never replaces one.

    Raises
    ------
    InputError
        When the folder has a register.xlsx already.
    RunFailed
        When the folder cannot be written.
    """
    path = folder / XLSX_FILE
    try:
        return write_new(path, _bytes(new_workbook(kommune)))
    except FileExistsError:
        raise InputError(_("{path}: exists already and was left untouched; `reportlib template` refreshes its "
                           "lists").format(path=path)) from None


def table_sheets(book: Workbook, kommune: Kommune) -> dict[str, Any]:
    """The sheets of ``book`` that hold a table, by table."""
    titles = {label_key(sheet.title): sheet for sheet in book.worksheets}
    return {table: titles[key] for table in template_tables(all_parts())
            if (key := label_key(sheet_title(table, kommune))) in titles}


def apply_template(book: Workbook, kommune: Kommune, parts: frozenset[str], widths: dict[str, int]) -> None:
    """Give ``book`` the template: lists and guide sheets anew; each table's sheet, missing columns and drop-downs.

    ``widths`` is, per table already in the book, how many columns its sheet uses: a missing column
    goes after them. No cell is written but the headers of missing columns.
    """
    for name in (LISTS_SHEET, GUIDE_SHEET):
        for sheet in [s for s in book.worksheets if label_key(s.title) == label_key(name)]:
            book.remove(sheet)
    sources = _lists_sheet(book, lists(kommune))
    existing = table_sheets(book, kommune)
    for table in template_tables(parts):
        sheet = existing.get(table)
        if sheet is None:
            sheet = book.create_sheet(sheet_title(table, kommune), index=_after_tables(book, existing))
            existing[table] = sheet
        columns = template_columns(table, kommune, parts)
        positions = _positions(sheet, columns, widths.get(table, 0))
        _drop_template_rules(sheet, set(positions.values()))
        for column in columns:
            number = positions[column.name]
            cell = sheet.cell(row=1, column=number)
            if cell.value is None:
                set_text(cell, column.header)
            cell.font, cell.fill = Font(bold=True), _HEADER_FILL
            letter = get_column_letter(number)
            sheet.column_dimensions[letter].width = _width(column, kommune)
            _validate(sheet, letter, column.column, sources)
        sheet.freeze_panes = "A2"
    _guide_sheet(book, kommune, parts)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))  # last, and hidden


def _after_tables(book: Workbook, existing: dict[str, Any]) -> int:
    """Where a new table sheet goes: after the table sheets the book has (at the start of an empty book)."""
    return max((book.worksheets.index(sheet) + 1 for sheet in existing.values()), default=0)


def _positions(sheet: Any, columns: list[TemplateColumn], width: int) -> dict[str, int]:
    """Each template column's position (1 = A) in the sheet: where its header is, else after the sheet's own."""
    header = [label_key(str(sheet.cell(row=1, column=n).value or "")) for n in range(1, width + 1)]
    positions, next_free = {}, width + 1
    for column in columns:
        key = label_key(column.header)
        if key in header:
            positions[column.name] = header.index(key) + 1
        else:
            positions[column.name], next_free = next_free, next_free + 1
    return positions


def _drop_template_rules(sheet: Any, numbers: set[int]) -> None:
    """Remove the drop-downs and number rules on the template's columns (they are written anew); keep any other."""
    def ours(rule) -> bool:
        return all(numbers >= set(range(area.min_col, area.max_col + 1)) for area in rule.sqref.ranges)

    sheet.data_validations.dataValidation = [rule for rule in sheet.data_validations.dataValidation if not ours(rule)]


def _lists_sheet(book: Workbook, named: dict[str, list[str]]) -> dict[str, str]:
    """Write the lists into the hidden sheet; return each list's range as a validation formula."""
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges = {}
    for number, (key, labels) in enumerate(named.items(), start=1):
        letter = get_column_letter(number)
        set_text(sheet.cell(row=1, column=number), key)
        for row, label in enumerate(labels, start=2):
            set_text(sheet.cell(row=row, column=number), label)  # a label "=..." is text, never a formula
        ranges[key] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(labels) + 1}"
    return ranges


def _validate(sheet, letter: str, column: Column, sources: dict[str, str]) -> None:
    """Give a column its drop-down, number rule or date format, for the template's rows."""
    if column.kind in ("id", "text", "period", "free"):
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
        source = column.drop_down
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
    rows = [GUIDE_HEADER] + [[sheet_title(table, kommune), column.header,
                              "ja" if column.column.required else "nej",
                              column.column.guide]
                             for table in template_tables(parts) for column in template_columns(table, kommune, parts)]
    for number, row in enumerate(rows, start=1):
        for position, value in enumerate(row, start=1):
            set_text(sheet.cell(row=number, column=position), value)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for letter, width in zip("ABCD", (18, 18, 14, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _width(column: TemplateColumn, kommune: Kommune) -> float:
    """A column wide enough for its header and its labels, within reason."""
    spec = column.column
    if spec.kind == "date":
        return max(13, len(column.header) + 3)
    if spec.kind in ("text", "free"):
        return 50
    longest = {"label": lambda: getattr(kommune, spec.labels), "centre": lambda: lists(kommune)["centres"]}
    labels = longest[spec.kind]() if spec.kind in longest else []
    return min(max([len(column.header), *map(len, labels)]) + 3, 45)


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
