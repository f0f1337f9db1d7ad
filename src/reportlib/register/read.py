"""Read the register's tables from its folder (CSV files or ``register.xlsx``), exactly as the user wrote them.

Reading does not interpret values: every cell comes back as stripped text, in a DataFrame whose
index is the line number a spreadsheet shows (header = line 1). Interpreting and checking the
values is :mod:`reportlib.register.validate`'s job. Only the columns asked for are read: free-text columns
never are, so no later step can publish them. The files themselves are read by
:mod:`reportlib.register.csvfile` and :mod:`reportlib.register.sheets`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from reportlib.exceptions import Problem
from reportlib.labels import closest, label_key
from reportlib.language import _
from reportlib.paths import XLSX_FILE, present
from reportlib.register.csvfile import read_csv
from reportlib.register.raw import RawTable, Request
from reportlib.register.schema import SCHEMA, free_text
from reportlib.register.sheets import read_sheets, sheet_table


def read_tables(folder: Path | str, columns: Mapping[str, Collection[str]], ids: Collection[str] = (),
                headers: Mapping[str, Mapping[str, str]] | None = None,
                sheets: Mapping[str, str] | None = None,
                missing: Mapping[str, str] | None = None) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every table of a register folder.

    Parameters
    ----------
    folder : path
        The register folder.
    columns : mapping
        Table name to the columns to read (as named in the contract); the others are never
        materialised. ``note`` and ``beskrivelse`` are never read.
    ids : collection of str
        Columns read as plain text rather than categoricals, because nearly every value differs.
    headers : mapping, optional
        Table name to {contract column: the register's own header} (kommune.yml's ``kolonner``).
        Headers are matched as labels are: ignoring case and surrounding spaces.
    sheets : mapping, optional
        Table name to the workbook's own sheet name (kommune.yml's ``ark``).
    missing : mapping, optional
        Table name to what the message of a missing table adds (its columns, how to name a sheet).

    Returns
    -------
    tables : dict
        Table name to :class:`RawTable`, for the tables that could be read.
    problems : list of Problem
        Missing tables (but for the schema's optional ones), doubly present or unreadable tables;
        rows with more cells than the header; columns named twice.
    """
    folder = Path(folder)
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    workbook = folder / XLSX_FILE
    sheets_read: dict[str, tuple[str, list[tuple]]] = {}
    if present(workbook):
        sheets_read, found = read_sheets(workbook)
        problems += found
    for name in SCHEMA:
        request = Request(frozenset(columns.get(name, ())) - free_text(), frozenset(ids),
                           (headers or {}).get(name, {}))
        csv_path = folder / f"{name}.csv"
        sheet = label_key((sheets or {}).get(name, name))
        if present(csv_path) and sheet in sheets_read:
            problems.append(Problem(str(csv_path), None, None, None,
                                    _("table '{name}' is both in this file and in a sheet of {workbook}; "
                                      "keep one of them").format(name=name, workbook=workbook)))
            continue
        if present(csv_path):
            table, found = read_csv(name, csv_path, request)
        elif sheet in sheets_read:
            table, found = sheet_table(name, workbook, sheets_read[sheet], request)
        elif SCHEMA[name].optional or (SCHEMA[name].not_recorded and name not in (sheets or {})):
            continue  # a sheet kommune.yml names (ark) must be there: a typo there is not "no activities"
        else:
            wanted = (sheets or {}).get(name, name)
            guess = closest(wanted, [title for title, _rows in sheets_read.values()])
            near = _("; did you mean the sheet '{sheet}'?").format(sheet=guess) if guess else ""
            # The hint (translated) is the columns the table needs and where its sheet is named.
            problems.append(Problem(str(csv_path), None, None, None,
                                    _("file not found; the register needs {name}.csv or a sheet '{sheet}' in "
                                      "{workbook}{hint}{near}").format(name=name, sheet=wanted, workbook=XLSX_FILE,
                                                                        hint=(missing or {}).get(name, ""), near=near)))
            continue
        problems += found
        if table is not None:
            tables[name] = table
    return tables, problems
