"""Check a register folder against the contract (:mod:`reportlib.register.schema`) and return it as a
:class:`~reportlib.register.model.Register`.

Every defect found is collected, so the user sees all problems in one pass, each with file,
spreadsheet line, column and value: kommune.yml's own mapping of tables and columns here, each
cell by :mod:`reportlib.register.decode`, the rules between rows and tables by
:mod:`reportlib.register.rules`. The typed frames are built here, a column per contract column.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from reportlib.exceptions import InputRefused, Problem, RegisterInvalid
from reportlib.inputs import IMAGE, REGISTER_FILE, read_bytes
from reportlib.labels import label_key
from reportlib.language import _
from reportlib.paths import KOMMUNE_FILE, source_files
from reportlib.register import schema
from reportlib.register.decode import TableChecker
from reportlib.register.kommune import Kommune, load_kommune
from reportlib.register.model import Register
from reportlib.register.raw import RawTable
from reportlib.register.read import read_tables
from reportlib.register.rules import CaseIds, check_case_links, check_cases, check_statuses, first_position
from reportlib.register.schema import SCHEMA


def table_request(kommune: Kommune | None) -> dict:
    """What the validator asks the reader for (:func:`reportlib.register.read.read_tables`' keyword arguments).

    Every contract column, the identifiers as text, and kommune.yml's own headers and sheet names;
    ``reportlib template`` reads a workbook back with the same request.
    """
    # The free-text columns' own headers too: the reader then knows them as free text, and never reads them.
    headers = {name: {c.name: own for c in table.columns if (own := kommune.header_of(name, c.name))}
               for name, table in SCHEMA.items()} if kommune else {}
    sheets = {table: own for table in SCHEMA if kommune and (own := kommune.sheet_of(table))}
    return {"columns": {name: [c.name for c in table.read] for name, table in SCHEMA.items()}, "ids": schema.ids(),
            "headers": headers, "sheets": sheets}


def _missing_hints(kommune: Kommune | None) -> dict[str, str]:
    """What a missing table's message adds: the columns it needs, and where its sheet's name is given."""
    hints = {}
    for table, declared in SCHEMA.items():
        required = ", ".join(c.name for c in declared.columns if c.required)
        if kommune is None:
            hint = _(", with at least the columns {required}; kommune.yml could not be read, so its ark and kolonner "
                     "were not applied: fix it first")
        else:
            hint = _(", with at least the columns {required}; a sheet of another name is given under ark in "
                     "kommune.yml (ark: {{{table}: Mit ark}}), and two tables may share one sheet")
        hints[table] = hint.format(required=required, table=table)
    return hints


def load_register(folder: Path | str, *, today: dt.date | None = None) -> Register:
    """Read and validate a register folder.

    Parameters
    ----------
    folder : path
        Folder with ``kommune.yml`` and the tables (CSV files or ``register.xlsx``).
    today : date, optional
        Dates after this day are rejected as typing errors; defaults to the current date.

    Returns
    -------
    Register

    Raises
    ------
    RegisterInvalid
        Listing every problem found, when the register breaks the contract.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    try:
        kommune: Kommune | None = load_kommune(folder)
    except RegisterInvalid as exc:
        kommune, problems = None, list(exc.problems)
    if kommune is not None:
        problems += _mapping_defects(kommune, str(folder / KOMMUNE_FILE))
        problems += _logo_defects(kommune, folder)
    tables, read_problems = read_tables(folder, **table_request(kommune), missing=_missing_hints(kommune))
    problems += read_problems

    today = today or dt.date.today()
    parsed: dict[str, dict[str, pd.Series]] = {}
    for name, table in tables.items():
        checker = TableChecker(table, kommune, today)
        parsed[name] = checker.run(SCHEMA[name].read, may_be_empty=SCHEMA[name].may_be_empty)
        problems += checker.problems

    ids = None
    if "sag_id" in parsed.get("sager", {}):
        ids = CaseIds.of(parsed["sager"]["sag_id"], parsed.get("problemstillinger", {}).get("sag_id"))
        problems += check_cases(tables["sager"], parsed["sager"], ids)
        if "sag_id" in parsed.get("problemstillinger", {}):
            problems += check_case_links(tables["sager"], tables["problemstillinger"],
                                          parsed["sager"], parsed["problemstillinger"], ids)
    if "anbefalinger" in parsed:
        problems += check_statuses(tables["anbefalinger"], parsed["anbefalinger"])
    if problems:
        raise RegisterInvalid(problems)

    assert kommune is not None and ids is not None  # no problems means kommune.yml and both tables loaded
    parts = {f"{table}.{column}" for table, column in schema.parts() if column in parsed.get(table, {})}
    parts |= {"egen_drift"} if kommune.own_initiative_activity else set()
    parts |= {"anbefalinger"} if "anbefalinger" in parsed else set()
    return Register(
        kommune=kommune,
        sager=_frame("sager", parsed["sager"], kommune),
        problemstillinger=_problem_frame(parsed["problemstillinger"], kommune, ids),
        aktiviteter=_frame("aktiviteter", parsed.get("aktiviteter", _NO_ACTIVITIES), kommune),
        files=[folder / KOMMUNE_FILE, *source_files(folder)],
        ignored=_ignored(tables.values()),
        left_out=_left_out(tables.values()),
        anbefalinger=_frame("anbefalinger", parsed["anbefalinger"], kommune) if "anbefalinger" in parsed else None,
        parts=frozenset(parts),
        not_recorded=_not_recorded(tables),
    )


_BLOCK = 4096


def _not_recorded(tables: dict[str, RawTable]) -> frozenset[str]:
    """The columns and tables a register does not keep: absent, or present with every cell empty.

    An empty column (one ``reportlib template`` added, say) says nothing: its figures are unknown,
    not zero, until the advisor fills it in.
    """
    def kept(name: str) -> bool:
        table, _dot, column = name.partition(".")
        if not column:
            return table in tables and bool(len(tables[table].frame))
        frame = tables[table].frame
        if column not in frame:
            return False
        cells = frame[column]
        cells = cells[cells.notna() & (cells != "")]  # compared at C speed; only these can hold text
        # A cell of spaces says nothing either: stripped a block at a time, stopping at the first with text.
        return any((cells.iloc[start:start + _BLOCK].astype(str).str.strip() != "").any()
                   for start in range(0, len(cells), _BLOCK))

    return frozenset(name for name in schema.not_recorded() if not kept(name))


def _sources(tables) -> list[tuple[str, RawTable]]:
    """Each table with the source messages name it by: two CSV files with the same bytes (``init --from``
    copies one export as both) are named once, by the first."""
    tables = list(tables)
    source = {id(table): table.shown for table in tables}
    for first, second in itertools.combinations(tables, 2):
        if not first.sheet and not second.sheet and _same_bytes(first.path, second.path):
            source[id(second)] = source[id(first)]
    return [(source[id(table)], table) for table in tables]


def _left_out(tables) -> dict[str, list[tuple[int, str]]]:
    """Per source, the rows no table reads as its own (a title, a totals line), each once."""
    left_out: dict[str, list[tuple[int, str]]] = {}
    for shown, table in _sources(tables):
        left_out[shown] = sorted(set(left_out.get(shown, [])) | set(table.left_out))
    return {shown: rows for shown, rows in left_out.items() if rows}


def _ignored(tables) -> dict[str, list[str]]:
    """Per source, the columns no table reads. A sheet that holds two tables (cases and their problems
    on one row each), or two CSV files with the same bytes, read a column for either: only what neither
    reads is ignored; the source is named once."""
    ignored: dict[str, list[str]] = {}
    for shown, table in _sources(tables):
        before = ignored.get(shown)
        ignored[shown] = list(table.ignored) if before is None else [c for c in before if c in table.ignored]
    return {shown: columns for shown, columns in ignored.items() if columns}


def _same_bytes(one: Path, other: Path) -> bool:
    try:  # the sizes first: a register's own tables differ in size, and are not read again
        return (one.stat().st_size == other.stat().st_size
                and read_bytes(one, REGISTER_FILE) == read_bytes(other, REGISTER_FILE))
    except OSError:
        return False


def _logo_defects(kommune: Kommune, folder: Path) -> list[Problem]:
    """kommune.yml's ``logo`` must name a file the run can read: a device there would stop it (its picture is the
    report's to check)."""
    if kommune.logo is None:
        return []
    try:
        read_bytes(folder / kommune.logo, IMAGE)
        return []
    except FileNotFoundError:
        reason = _("no such file in the register folder; put the logo there, or remove 'logo'")
    except InputRefused as exc:
        reason = str(exc)
    except OSError as exc:
        reason = _("cannot be read ({reason}); check the file's permissions").format(reason=exc.strerror)
    return [Problem(str(folder / KOMMUNE_FILE), None, "logo", kommune.logo, reason, kind="key")]


def _mapping_defects(kommune: Kommune, shown: str) -> list[Problem]:
    """kommune.yml's ``kolonner`` and ``ark`` must name the contract's tables and columns."""
    found = []
    tables = ", ".join(SCHEMA)
    for key in ("kolonner", "ark"):
        for table in getattr(kommune, key):
            if label_key(table) not in SCHEMA:
                found.append(Problem(shown, kommune.line(key, table), f"{key}.{table}", table,
                                     _("not a table of the register; the tables are {tables}").format(
                                         tables=tables), kind="key"))
    for table, mapping in kommune.kolonner.items():
        # The free-text columns may be mapped too, so that a register's own note column is known as one.
        declared = SCHEMA.get(label_key(table))
        columns = [c.name for c in declared.columns] if declared else []
        owns: dict[str, str] = {}
        for column, own in mapping.items():
            where = kommune.line("kolonner", table, column)
            if columns and label_key(column) not in columns:
                found.append(Problem(shown, where, f"kolonner.{table}.{column}", column,
                                     _("not a column of '{table}'; its columns are {columns}").format(
                                         table=table, columns=", ".join(columns)), kind="key"))
            elif label_key(own) in owns:
                found.append(Problem(shown, where, f"kolonner.{table}.{column}", own,
                                     _("the same header as '{other}'; each column needs its own").format(
                                         other=owns[label_key(own)]), kind="key"))
            owns.setdefault(label_key(own), column)
    return found


def _categorical(values: pd.Series, labels: list[str]) -> pd.Series:
    return pd.Series(pd.Categorical(values, categories=list(dict.fromkeys(labels))), index=values.index)


def _optional(parsed: dict[str, pd.Series], name: str, index: pd.Index, default) -> pd.Series:
    return parsed[name] if name in parsed else pd.Series(default, index=index)


def _frame(table: str, parsed: dict[str, pd.Series], kommune: Kommune) -> pd.DataFrame:
    """A table's typed frame, a column per contract column (a column the table lacks is empty or False)."""
    index = parsed[SCHEMA[table].columns[0].name].index
    columns = {}
    for column in SCHEMA[table].read:
        name = column.name
        if column.kind == "date":
            columns[name] = parsed[name] if column.required else _optional(parsed, name, index, pd.NaT).astype(
                "datetime64[ns]")
        elif column.kind == "label":
            columns[name] = _categorical(_optional(parsed, name, index, None), getattr(kommune, column.labels))
        elif column.kind == "centre":
            columns[name] = _categorical(parsed[name], [c for cs in kommune.omraader.values() for c in cs])
        elif column.kind == "bool":
            columns[name] = _optional(parsed, name, index, False)
        elif column.kind == "count":
            columns[name] = _optional(parsed, name, index, pd.NA).astype("Int64")
        elif column.kind == "period":  # the period a recommendation was made in, as its first and last day
            periods = parsed[name]
            columns[f"{name}_start"] = pd.to_datetime(pd.Series([p.start for p in periods], index=index, dtype=object))
            columns[f"{name}_slut"] = pd.to_datetime(pd.Series([p.end for p in periods], index=index, dtype=object))
        else:
            columns[name] = _optional(parsed, name, index, None)
    return pd.DataFrame(columns, index=index).reset_index(drop=True)


def _problem_frame(parsed: dict[str, pd.Series], kommune: Kommune, ids: CaseIds) -> pd.DataFrame:
    """The problems' frame, with each topic's category, the primary problem of every case and the case's row."""
    frame = _frame("problemstillinger", parsed, kommune)
    primary = frame["primaer"].to_numpy()
    # With none marked, a case's first row (in file order) is its primary problem.
    none_marked = np.bincount(ids.rows[primary], minlength=ids.count)[ids.rows] == 0
    first_row = first_position(ids.rows, ids.count)[ids.rows] == np.arange(len(ids.rows))
    categories = list(kommune.emner)
    topic = parsed["emne"]
    category_of = kommune.topic_category()
    category = np.array([categories.index(category_of[t]) for t in topic.cat.categories] + [-1])
    frame.insert(frame.columns.get_loc("emne") + 1, "kategori",
                 pd.Categorical.from_codes(category[topic.cat.codes.to_numpy()], categories))
    frame["primaer"] = primary | (none_marked & first_row)
    # Where the case is in ``sager``, so statistics join by array lookup rather than by text id.
    frame["case_row"] = ids.first_case[ids.rows]
    return frame.reset_index(drop=True)


# A register without the table aktiviteter: no rows, the columns a read one has.
_NO_ACTIVITIES = {"dato": pd.Series([], dtype="datetime64[ns]"), "aktivitet": pd.Series([], dtype=object)}
