"""Check a register folder against the input contract and return it as typed tables.

Every check runs over whole columns at once, and every defect found is collected, so the user
sees all problems in one pass, each with file, spreadsheet line, column and value. The reader
gives every column but the ids as a categorical, so a value is checked once however many rows
repeat it, and the result reaches the rows through the categorical's codes; the case ids of both
tables become integer codes once, so the rules between rows and tables are array lookups.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reportlib.exceptions import PeriodError, Problem, RegisterInvalid
from reportlib.identifiers import CPR_REASON, cpr_like
from reportlib.labels import label_key, unknown_centre_reason, unknown_label_reason
from reportlib.language import N_, _, number
from reportlib.paths import KOMMUNE_FILE, MAY_BE_ABSENT, source_files
from reportlib.periods import EARLIEST_DATE, Period, parse_period
from reportlib.register.kommune import Kommune, load_kommune
from reportlib.register.read import FREE_TEXT, RawTable, read_tables

TRUE_WORDS = frozenset({"ja", "j", "1", "true", "x"})
FALSE_WORDS = frozenset({"nej", "n", "0", "false", ""})
# Digits are 0-9 only: Python's \d also matches other scripts' digits, which pandas cannot read.
_ISO_DATE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
# Day and month in either order, decided per column (the day first unless a column shows otherwise).
_DAY_MONTH_DATE = r"^([0-9]{1,2})([-./])([0-9]{1,2})\2([0-9]{4})$"
_DATE_FORMS = N_("YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY")
MAX_COUNT = 100_000  # citizens at one activity: more is a typing error


@dataclass(frozen=True)
class Column:
    """One column of the contract: its kind and, for labels, which kommune.yml list it uses."""

    name: str
    kind: str  # "id", "date", "label", "centre", "bool", "count", "period" or "text"
    required: bool = False
    labels: str | None = None  # attribute of Kommune listing the allowed labels
    what: str = ""  # how messages name a label of this column, in English (marked with N_, shown translated)


SCHEMA: dict[str, tuple[Column, ...]] = {
    "sager": (
        Column("sag_id", "id", required=True),
        Column("modtaget", "date", required=True),
        Column("afsluttet", "date"),
        Column("henvendelsestype", "label", True, "henvendelsestyper", N_("type")),
        Column("kanal", "label", False, "kanaler", N_("channel")),
        Column("udfald", "label", False, "udfald", N_("outcome")),
        Column("moede_deltaget", "bool"),
        Column("klagebistand", "bool"),
        Column("metode", "label", False, "metoder", N_("method")),
        Column("resultat", "label", False, "result_labels", N_("result")),
    ),
    "problemstillinger": (
        Column("sag_id", "id", required=True),
        Column("omraade", "label", True, "areas", N_("area")),
        Column("center", "centre", required=True),
        Column("emne", "label", True, "topics", N_("topic")),
        Column("primaer", "bool"),
    ),
    "aktiviteter": (
        Column("dato", "date", required=True),
        Column("aktivitet", "label", True, "aktiviteter", N_("activity")),
        Column("antal_borgere", "count"),
        Column("omraade", "label", False, "areas", N_("area")),
    ),
    # Optional (paths.OPTIONAL_TABLES): the status history of the recommendations made in earlier periods.
    "anbefalinger": (
        Column("periode", "period", required=True),
        Column("nr", "id", required=True),
        Column("anbefaling", "text", required=True),
        Column("omraade", "label", False, "areas", N_("area")),
        Column("status", "label", True, "status_labels", N_("status")),
        Column("status_dato", "date", required=True),
    ),
}
# A register may have no activities yet; it cannot be reported without cases.
_MAY_BE_EMPTY = frozenset({"aktiviteter", "anbefalinger"})
_IDS = frozenset(c.name for columns in SCHEMA.values() for c in columns if c.kind == "id")
# The optional columns of the required tables, each an optional part when the header has it.
OPTIONAL_COLUMNS = (("sager", "metode"), ("sager", "resultat"), ("aktiviteter", "omraade"))
# Columns of sager (and tables, paths.MAY_BE_ABSENT) that a register may simply not keep. Without one its
# figures are unknown, not zero: the report leaves out what would count them and says it is not recorded.
UNRECORDED_IF_ABSENT = (("sager", "kanal"), ("sager", "udfald"), ("sager", "moede_deltaget"),
                        ("sager", "klagebistand"))
_NO_ID = 0  # the code of the empty sag_id (see _CaseIds)
# The kommune.yml list behind each Column.labels that is not itself a kommune.yml key.
_KOMMUNE_KEYS = {"areas": "omraader", "topics": "emner", "result_labels": "resultater",
                 "status_labels": "anbefaling_status"}


@dataclass(frozen=True)
class Register:
    """A validated register: typed tables plus the configuration they were checked against.

    Attributes
    ----------
    kommune : Kommune
    sager : DataFrame
        One row per case: ``sag_id``, ``modtaget``, ``afsluttet`` (NaT while open),
        ``henvendelsestype``, ``kanal``, ``udfald`` (categoricals in kommune.yml order; NaN
        where empty), ``moede_deltaget``, ``klagebistand`` (bool).
    problemstillinger : DataFrame
        One row per problem: ``sag_id``, ``omraade``, ``center``, ``emne``, ``kategori``
        (categoricals), ``primaer`` (bool, exactly one True per case) and ``case_row`` (the
        case's row position in ``sager``).
        ``metode`` and ``resultat`` (categoricals, all NaN where the register lacks the column).
    aktiviteter : DataFrame
        ``dato``, ``aktivitet`` (categorical), ``antal_borgere`` (nullable integer), ``omraade``
        (categorical, all NaN without the column).
    files : list of Path
        The input files read, ``kommune.yml`` included.
    ignored : dict
        Per table source (as messages name it), the header's columns that are not the contract's:
        never read, named once in ``reportlib validate``'s summary.
    anbefalinger : DataFrame or None
        The optional table, one row per status of a recommendation: ``periode_start``,
        ``periode_slut`` (the period it was made in), ``nr`` (text), ``anbefaling`` (text),
        ``omraade``, ``status`` (categoricals) and ``status_dato``; None without the table.
    parts : frozenset of str
        The optional parts the register has (docs/register.md): ``sager.metode``,
        ``sager.resultat``, ``aktiviteter.omraade`` (the columns exist), ``egen_drift``
        (kommune.yml names the own-initiative activity) and ``anbefalinger`` (the table exists).
    not_recorded : frozenset of str
        The columns of :data:`UNRECORDED_IF_ABSENT` the register's tables lack or leave empty in every
        row (``sager.kanal`` …), and ``aktiviteter`` when the register keeps no such table or no row
        in it: their frames hold empty or False values, which must not be counted as figures.
    """

    kommune: Kommune
    sager: pd.DataFrame
    problemstillinger: pd.DataFrame
    aktiviteter: pd.DataFrame
    files: list[Path] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)
    anbefalinger: pd.DataFrame | None = None
    parts: frozenset[str] = frozenset()
    not_recorded: frozenset[str] = frozenset()


def table_request(kommune: Kommune | None) -> dict:
    """What the validator asks the reader for (:func:`reportlib.register.read.read_tables`' keyword arguments).

    Every contract column, the identifiers as text, and kommune.yml's own headers and sheet names;
    ``reportlib template`` reads a workbook back with the same request.
    """
    # The free-text columns' own headers too: the reader then knows them as free text, and never reads them.
    headers = {table: {name: own for name in (*(c.name for c in columns), *FREE_TEXT.get(table, ()))
                       if (own := kommune.header_of(table, name))}
               for table, columns in SCHEMA.items()} if kommune else {}
    sheets = {table: own for table in SCHEMA if kommune and (own := kommune.sheet_of(table))}
    return {"columns": {name: [c.name for c in columns] for name, columns in SCHEMA.items()}, "ids": _IDS,
            "headers": headers, "sheets": sheets}


def _missing_hints(kommune: Kommune | None) -> dict[str, str]:
    """What a missing table's message adds: the columns it needs, and where its sheet's name is given."""
    hints = {}
    for table, columns in SCHEMA.items():
        required = ", ".join(c.name for c in columns if c.required)
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
    tables, read_problems = read_tables(folder, **table_request(kommune), missing=_missing_hints(kommune))
    problems += read_problems

    today = today or dt.date.today()
    parsed: dict[str, dict[str, pd.Series]] = {}
    for name, table in tables.items():
        checker = _TableChecker(table, kommune, today)
        parsed[name] = checker.run(SCHEMA[name], may_be_empty=name in _MAY_BE_EMPTY)
        problems += checker.problems

    ids = None
    if "sag_id" in parsed.get("sager", {}):
        ids = _CaseIds.of(parsed["sager"]["sag_id"], parsed.get("problemstillinger", {}).get("sag_id"))
        problems += _check_cases(tables["sager"], parsed["sager"], ids)
        if "sag_id" in parsed.get("problemstillinger", {}):
            problems += _check_case_links(tables["sager"], tables["problemstillinger"],
                                          parsed["sager"], parsed["problemstillinger"], ids)
    if "anbefalinger" in parsed:
        problems += _check_statuses(tables["anbefalinger"], parsed["anbefalinger"])
    if problems:
        raise RegisterInvalid(problems)

    assert kommune is not None and ids is not None  # no problems means kommune.yml and both tables loaded
    parts = {f"{table}.{column}" for table, column in OPTIONAL_COLUMNS if column in parsed.get(table, {})}
    parts |= {"egen_drift"} if kommune.own_initiative_activity else set()
    parts |= {"anbefalinger"} if "anbefalinger" in parsed else set()
    return Register(
        kommune=kommune,
        sager=_sager_frame(parsed["sager"], kommune),
        problemstillinger=_problem_frame(parsed["problemstillinger"], kommune, ids),
        aktiviteter=_activity_frame(parsed.get("aktiviteter", _NO_ACTIVITIES), kommune),
        files=[folder / KOMMUNE_FILE, *source_files(folder)],
        ignored=_ignored(tables.values()),
        anbefalinger=_recommendation_frame(parsed["anbefalinger"], kommune) if "anbefalinger" in parsed else None,
        parts=frozenset(parts),
        not_recorded=_not_recorded(tables),
    )


def _not_recorded(tables: dict[str, RawTable]) -> frozenset[str]:
    """The columns and tables a register does not keep: absent, or present with every cell empty.

    An empty column (one ``reportlib template`` added, say) says nothing: its figures are unknown,
    not zero, until the advisor fills it in.
    """
    def kept(table: str, column: str) -> bool:
        frame = tables[table].frame
        return column in frame and bool((frame[column].astype(str).str.strip() != "").any())

    return frozenset({f"{table}.{column}" for table, column in UNRECORDED_IF_ABSENT if not kept(table, column)}
                     | {table for table in MAY_BE_ABSENT if table not in tables or not len(tables[table].frame)})


def _ignored(tables) -> dict[str, list[str]]:
    """Per source, the columns no table reads. A sheet that holds two tables (cases and their problems
    on one row each), or two CSV files with the same bytes (``init --from`` copies one export as both),
    read a column for either: only what neither reads is ignored; the source is named once."""
    tables = list(tables)
    source = {id(table): table.shown for table in tables}
    for first, second in itertools.combinations(tables, 2):
        if not first.sheet and not second.sheet and _same_bytes(first.path, second.path):
            source[id(second)] = source[id(first)]
    ignored: dict[str, list[str]] = {}
    for table in tables:
        shown = source[id(table)]
        before = ignored.get(shown)
        ignored[shown] = list(table.ignored) if before is None else [c for c in before if c in table.ignored]
    return {shown: columns for shown, columns in ignored.items() if columns}


def _same_bytes(one: Path, other: Path) -> bool:
    try:  # the sizes first: a register's own tables differ in size, and are not read again
        return one.stat().st_size == other.stat().st_size and one.read_bytes() == other.read_bytes()
    except OSError:
        return False


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
        columns = [c.name for c in SCHEMA.get(label_key(table), ())] + list(FREE_TEXT.get(label_key(table), ()))
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


def _distinct(text: pd.Series) -> pd.Series:
    """The distinct values of a categorical column, each checked once."""
    return pd.Series(text.cat.categories, dtype=object)


def _spread(per_value: pd.Series | np.ndarray, text: pd.Series) -> pd.Series:
    """Give every row of ``text`` the result computed for its value (``per_value`` follows ``_distinct(text)``)."""
    return pd.Series(np.asarray(per_value)[text.cat.codes.to_numpy()], index=text.index)


def _label_codes(labels: pd.Series, allowed: list[str], synonyms: dict[str, str] | None = None) -> np.ndarray:
    """Each distinct value's position in ``allowed`` (matched as labels are compared), -1 when not there.

    A value may also be one of the labels' other spellings (kommune.yml's ``synonymer``).
    """
    positions = {label_key(a): i for i, a in enumerate(allowed)}
    positions |= {spelling: positions[label_key(label)] for spelling, label in (synonyms or {}).items()}
    return labels.str.strip().str.casefold().map(positions).fillna(-1).to_numpy(np.int64)


class _TableChecker:
    """Parse one table's columns, recording a Problem for every bad cell."""

    def __init__(self, table: RawTable, kommune: Kommune | None, today: dt.date):
        self.table, self.kommune, self.today = table, kommune, today
        self.problems: list[Problem] = []

    def flag(self, bad: pd.Series, column: str, reason) -> None:
        """Record a problem for each row where ``bad`` is True; ``reason`` may be a function of the value."""
        if not bad.any():
            return
        reasons: dict[str, str] = {}  # once per value: a "did you mean" compares the value with every label
        for line, value in self.table.frame.loc[bad, column].items():
            if value not in reasons:
                reasons[value] = reason(value) if callable(reason) else reason
            self.problems.append(self.table.problem(int(line), column, value, reasons[value]))

    def run(self, columns: tuple[Column, ...], *, may_be_empty: bool) -> dict[str, pd.Series]:
        frame = self.table.frame
        present = [c for c in columns if c.name in frame.columns]
        for column in columns:
            if column.required and column.name not in frame.columns:
                header = ", ".join(self.table.header_names) or _("(nothing)")
                reason = _("required column is missing; the header has: {header}").format(header=header)
                self.problems.append(self.table.problem(1, column.name, None, reason))
        if frame.index.empty and not may_be_empty:
            self.problems.append(self.table.problem(2, None, None, _("the table has a header but no rows; the "
                                                                     "register needs at least one")))
        parsed = {}
        for column in present:
            text = frame[column.name]
            if column.required:
                self.flag(text == "", column.name, _("required value is empty"))
            parsed[column.name] = getattr(self, f"_parse_{column.kind}")(column, text)
        return parsed

    def _parse_id(self, column: Column, text: pd.Series) -> pd.Series:
        return text

    def _parse_date(self, column: Column, text: pd.Series) -> pd.Series:
        values = _distinct(text)
        parts = values.str.extract(_DAY_MONTH_DATE)
        is_day_month = parts[0].notna()
        month_first = self._month_first(column, text, parts)
        day, month = (parts[2], parts[0]) if month_first else (parts[0], parts[2])
        looks_like_date = values.str.fullmatch(_ISO_DATE) | is_day_month
        iso = values.where(~is_day_month, parts[3] + "-" + month + "-" + day)
        dates = pd.to_datetime(iso.where(looks_like_date), format="%Y-%m-%d", errors="coerce")
        self.flag(_spread((values != "") & ~looks_like_date, text), column.name,
                  _("not a date; write it as {forms}").format(forms=_(_DATE_FORMS)))
        if month_first:
            no_such_date = _("no such date in the calendar; check day and month (month comes first in this column)")
        else:
            no_such_date = _("no such date in the calendar; check day and month (day comes first)")
        self.flag(_spread(looks_like_date & dates.isna(), text), column.name, no_such_date)
        self.flag(_spread(dates > pd.Timestamp(self.today), text), column.name,
                  _("date lies in the future (today is {today}); check the year").format(today=self.today.isoformat()))
        self.flag(_spread(dates < pd.Timestamp(EARLIEST_DATE), text), column.name,
                  _("date lies before {year}; check the year").format(year=EARLIEST_DATE.year))
        return _spread(dates, text)

    def _month_first(self, column: Column, text: pd.Series, parts: pd.DataFrame) -> bool:
        """Whether this column writes dates month first (12/25/2019), as some exports do.

        Decided per column: a first number above 12 shows the day first, a second above 12 the
        month first. A column showing both is a problem on the first row that breaks the rule of
        the row before it; its dates are then read day first.
        """
        first, second = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[2], errors="coerce")
        day_evidence = _spread((first > 12) & (second <= 12), text)
        month_evidence = _spread((second > 12) & (first <= 12), text)
        if not month_evidence.any():
            return False
        if not day_evidence.any():
            return True
        day_line, month_line = day_evidence.idxmax(), month_evidence.idxmax()
        later, earlier = max(day_line, month_line), min(day_line, month_line)
        if later == day_line:
            reason = _("this date reads day first, but the one on line {line} ({date}) reads month first; "
                       "write every date in the column the same way")
        else:
            reason = _("this date reads month first, but the one on line {line} ({date}) reads day first; "
                       "write every date in the column the same way")
        self.problems.append(self.table.problem(int(later), column.name, text[later],
                                                reason.format(line=earlier, date=text[earlier])))
        return False

    def _parse_bool(self, column: Column, text: pd.Series) -> pd.Series:
        words = _distinct(text).str.casefold()
        self.flag(_spread(~words.isin(TRUE_WORDS | FALSE_WORDS), text), column.name,
                  _("not a yes/no value; write ja/nej, j/n, 1/0, true/false, or x/empty"))
        return _spread(words.isin(TRUE_WORDS), text)

    def _parse_count(self, column: Column, text: pd.Series) -> pd.Series:
        values = _distinct(text)
        whole, negative = values.str.fullmatch(r"[0-9]+"), values.str.fullmatch(r"-[0-9]+")
        other_digits = values.str.fullmatch(r"-?\d+") & ~whole & ~negative
        counts = pd.to_numeric(values.where(whole), errors="coerce")  # float, so no size overflows
        too_large = counts > MAX_COUNT
        self.flag(_spread(negative, text), column.name, _("a number of citizens cannot be negative; write 0 or more"))
        self.flag(_spread(other_digits, text), column.name, _("write the number with the digits 0-9"))
        self.flag(_spread(too_large, text), column.name,
                  _("more than {count} citizens is surely a typing error; check the number").format(
                      count=number(MAX_COUNT)))
        self.flag(_spread((values != "") & ~whole & ~negative & ~other_digits, text), column.name,
                  _("not a whole number; write a count such as 0, 2 or 15"))
        return _spread(counts.where(~too_large), text).astype("Int64")

    def _parse_text(self, column: Column, text: pd.Series) -> pd.Series:
        # The report publishes these texts (a recommendation's, say): no CPR number may be among them.
        identifying = _spread(_distinct(text).map(cpr_like), text)
        reason = _("the text {reason}").format(reason=_(CPR_REASON))
        self.problems += [self.table.problem(int(line), column.name, None, reason)
                          for line in text.index[identifying.to_numpy(bool)]]
        return text.astype(object)

    def _parse_period(self, column: Column, text: pd.Series) -> pd.Series:
        """A reporting period (YYYY/YY, YYYY/YY-H1/H2 or START:END) against kommune.yml's start month."""
        if self.kommune is None:
            return text
        values = _distinct(text)
        periods, reasons = [], {}
        for value in values:
            try:
                periods.append(parse_period(value, self.kommune.periode_start_maaned) if value else None)
            except PeriodError as exc:
                periods.append(None)
                reasons[value] = _period_reason(exc)
        self.flag(_spread(values.isin(list(reasons)), text), column.name, reasons.get)
        return _spread(np.array(periods, dtype=object), text)

    def _parse_label(self, column: Column, text: pd.Series) -> pd.Series:
        if self.kommune is None:
            return text
        allowed = list(getattr(self.kommune, column.labels))
        values = _distinct(text)
        codes = _label_codes(values, allowed, self.kommune.synonyms(allowed))
        key = _KOMMUNE_KEYS.get(column.labels, column.labels)
        self.flag(_spread((values != "") & (codes < 0), text), column.name,
                  lambda value: unknown_label_reason(value, allowed, column.what, key))
        return _labelled(_spread(codes, text), allowed)

    def _parse_centre(self, column: Column, text: pd.Series) -> pd.Series:
        """Centres are checked against the row's own area: a centre belongs to one area."""
        if self.kommune is None or "omraade" not in self.table.frame.columns:
            return text
        omraader = self.kommune.omraader
        area_names = list(omraader)
        areas = self.table.frame["omraade"]
        area = _spread(_label_codes(_distinct(areas), area_names, self.kommune.synonyms(area_names)), areas).to_numpy()
        centres = [c for listed in omraader.values() for c in listed]
        values = _distinct(text)
        # One row per area (and a last one, of -1s, for an unknown area): each distinct value's centre there.
        under = np.full((len(omraader) + 1, len(values)), -1)
        for row, listed in enumerate(omraader.values()):
            codes = _label_codes(values, listed, self.kommune.synonyms(listed))
            under[row] = np.array([centres.index(c) for c in listed] + [-1])[codes]
        codes = pd.Series(under[area, text.cat.codes.to_numpy()], index=text.index)
        # A row whose area is unknown gets that problem only: its centre cannot be checked against it.
        reasons: dict[tuple[str, int], str] = {}
        for row in np.flatnonzero(((text != "") & (codes < 0)).to_numpy() & (area >= 0)):
            value, key = text.iat[row], (text.iat[row], area[row])
            if key not in reasons:
                reasons[key] = unknown_centre_reason(value, area_names[area[row]], omraader)
            self.problems.append(self.table.problem(int(text.index[row]), column.name, value, reasons[key]))
        return _labelled(codes, centres)


def _period_reason(exc: PeriodError) -> str:
    """Why a value is no period, and the forms that are (the problem names the value already).

    The error's ``reason`` (:func:`reportlib.periods.parse_period`'s, without the value); None when the
    value has none of the forms.
    """
    reason = getattr(exc, "reason", None)
    if reason is None:
        return _("not a period; write the period the recommendation was made in as YYYY/YY (e.g. 2018/19), "
                 "YYYY/YY-H1, YYYY/YY-H2, or START:END with ISO dates (2018-11-01:2019-10-31)")
    return reason


def _labelled(codes: pd.Series, labels: list[str]) -> pd.Series:
    """Label positions (-1: none) as a categorical of the labels, each label once, in kommune.yml order."""
    unique = list(dict.fromkeys(labels))
    recode = np.array([unique.index(label) for label in labels] + [-1], dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(recode[codes.to_numpy()], categories=unique), index=codes.index)


@dataclass(frozen=True)
class _CaseIds:
    """The ``sag_id`` of every case row and every problem row as one integer code per distinct id.

    The empty id has code 0 (:data:`_NO_ID`).
    """

    cases: np.ndarray  # code of each case row's id
    rows: np.ndarray  # code of each problem row's id (empty without a problem table)
    first_case: np.ndarray  # per code: the position of the first case row with that id, -1 when none has it

    @classmethod
    def of(cls, case_ids: pd.Series, row_ids: pd.Series | None) -> _CaseIds:
        row_ids = pd.Series([], dtype=object) if row_ids is None else row_ids
        codes, distinct = pd.factorize(np.concatenate([[""], case_ids.to_numpy(object), row_ids.to_numpy(object)]))
        cases, rows = codes[1:len(case_ids) + 1], codes[len(case_ids) + 1:]
        return cls(cases, rows, _first_position(cases, len(distinct)))

    @property
    def count(self) -> int:
        return len(self.first_case)


def _first_position(codes: np.ndarray, count: int) -> np.ndarray:
    """Per code, the first position holding it (-1 when none does)."""
    first = np.full(count, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the last write, the first position, wins
    return first


def _check_cases(sager: RawTable, cases: dict[str, pd.Series], ids: _CaseIds) -> list[Problem]:
    """Rules across one case table: unique case ids, and no case closed before it was received."""
    found = []
    case_ids = cases["sag_id"]
    first = ids.first_case[ids.cases]
    lines = case_ids.index.to_numpy()
    for row in np.flatnonzero((first != np.arange(len(case_ids))) & (ids.cases != _NO_ID)):
        found.append(sager.problem(int(lines[row]), "sag_id", case_ids.iat[row],
                                   _("duplicate {column}; first used on line {line}; every case needs its own").format(
                                       column=sager.column("sag_id"), line=lines[first[row]])))
    if "modtaget" in cases and "afsluttet" in cases:
        before = cases["afsluttet"] < cases["modtaget"]
        for line in case_ids.index[before]:
            found.append(sager.problem(int(line), "afsluttet", sager.frame.at[line, "afsluttet"],
                                       _("case closed before it was received ({column} {date}); check both dates")
                                       .format(column=sager.column("modtaget"), date=sager.frame.at[line, "modtaget"])))
    return found


def _check_case_links(sager: RawTable, problems_table: RawTable, cases: dict[str, pd.Series],
                      rows: dict[str, pd.Series], ids: _CaseIds) -> list[Problem]:
    """Rules between cases and problems: every problem has a case, every case a problem, one primary."""
    found = []
    case_ids, row_ids = cases["sag_id"], rows["sag_id"]
    for line, case_id in row_ids[(ids.first_case[ids.rows] < 0) & (ids.rows != _NO_ID)].items():
        found.append(problems_table.problem(int(line), "sag_id", case_id,
                                            _("no case with this {column} in {file}; add the case or correct the id")
                                            .format(column=problems_table.column("sag_id"), file=sager.shown)))
    has_row = np.zeros(ids.count, dtype=bool)
    has_row[ids.rows] = True
    for line, case_id in case_ids[~has_row[ids.cases] & (ids.cases != _NO_ID)].items():
        found.append(sager.problem(int(line), "sag_id", case_id,
                                   _("case has no row in {file}; every case needs at least one problem").format(
                                       file=problems_table.shown)))
    if "primaer" in rows:
        marked = np.flatnonzero(rows["primaer"].to_numpy())
        first = marked[_first_position(ids.rows[marked], ids.count)[ids.rows[marked]]]
        lines = row_ids.index.to_numpy()
        for row, first_row in zip(marked[first != marked], first[first != marked], strict=True):
            found.append(problems_table.problem(int(lines[row]), "primaer",
                                                problems_table.frame.at[lines[row], "primaer"],
                                                _("case '{case}' already has its primary problem on line {line}; "
                                                  "mark at most one per case").format(case=row_ids.iat[row],
                                                                                      line=lines[first_row])))
    return found


def _check_statuses(table: RawTable, rows: dict[str, pd.Series]) -> list[Problem]:
    """One status per recommendation and date: the same (periode, nr, status_dato) twice is a problem."""
    if not {"periode", "nr", "status_dato"} <= rows.keys():
        return []
    keys = pd.DataFrame({"periode": rows["periode"].map(lambda p: p if isinstance(p, Period) else None),
                         "nr": rows["nr"].str.casefold(), "status_dato": rows["status_dato"]})
    keys = keys[keys.notna().all(axis=1) & (keys["nr"] != "")]
    found = []
    first = {}
    for line, key in zip(keys.index, keys.itertuples(index=False, name=None), strict=True):
        earlier = first.setdefault(key, line)
        if earlier != line:
            found.append(table.problem(int(line), "status_dato", table.frame.at[line, "status_dato"],
                                       _("recommendation {number} of {period} has a status of this date on line "
                                         "{line} already; give each status of a recommendation its own date, or "
                                         "remove one of the rows").format(number=table.frame.at[line, "nr"],
                                                                          period=table.frame.at[line, "periode"],
                                                                          line=earlier)))
    return found


def _categorical(values: pd.Series, labels: list[str]) -> pd.Series:
    return pd.Series(pd.Categorical(values, categories=list(dict.fromkeys(labels))), index=values.index)


def _optional(parsed: dict[str, pd.Series], name: str, index: pd.Index, default) -> pd.Series:
    return parsed[name] if name in parsed else pd.Series(default, index=index)


def _sager_frame(parsed: dict[str, pd.Series], kommune: Kommune) -> pd.DataFrame:
    index = parsed["sag_id"].index
    frame = pd.DataFrame({
        "sag_id": parsed["sag_id"],
        "modtaget": parsed["modtaget"],
        "afsluttet": _optional(parsed, "afsluttet", index, pd.NaT).astype("datetime64[ns]"),
        "henvendelsestype": _categorical(parsed["henvendelsestype"], kommune.henvendelsestyper),
        "kanal": _categorical(_optional(parsed, "kanal", index, None), kommune.kanaler),
        "udfald": _categorical(_optional(parsed, "udfald", index, None), kommune.udfald),
        "moede_deltaget": _optional(parsed, "moede_deltaget", index, False),
        "klagebistand": _optional(parsed, "klagebistand", index, False),
        "metode": _categorical(_optional(parsed, "metode", index, None), kommune.metoder),
        "resultat": _categorical(_optional(parsed, "resultat", index, None), kommune.result_labels),
    })
    return frame.reset_index(drop=True)


def _problem_frame(parsed: dict[str, pd.Series], kommune: Kommune, ids: _CaseIds) -> pd.DataFrame:
    index = parsed["sag_id"].index
    primary = _optional(parsed, "primaer", index, False).to_numpy()
    # With none marked, a case's first row (in file order) is its primary problem.
    none_marked = np.bincount(ids.rows[primary], minlength=ids.count)[ids.rows] == 0
    first_row = _first_position(ids.rows, ids.count)[ids.rows] == np.arange(len(ids.rows))
    categories = list(kommune.emner)
    topic = parsed["emne"]
    category_of = kommune.topic_category()
    category = np.array([categories.index(category_of[t]) for t in topic.cat.categories] + [-1])
    frame = pd.DataFrame({
        "sag_id": parsed["sag_id"],
        "omraade": _categorical(parsed["omraade"], list(kommune.omraader)),
        "center": _categorical(parsed["center"], [c for cs in kommune.omraader.values() for c in cs]),
        "emne": _categorical(topic, kommune.topics),
        "kategori": pd.Series(pd.Categorical.from_codes(category[topic.cat.codes.to_numpy()], categories), index=index),
        "primaer": primary | (none_marked & first_row),
        # Where the case is in ``sager``, so statistics join by array lookup rather than by text id.
        "case_row": ids.first_case[ids.rows],
    }, index=index)
    return frame.reset_index(drop=True)


# A register without the table aktiviteter: no rows, the columns a read one has.
_NO_ACTIVITIES = {"dato": pd.Series([], dtype="datetime64[ns]"), "aktivitet": pd.Series([], dtype=object)}


def _activity_frame(parsed: dict[str, pd.Series], kommune: Kommune) -> pd.DataFrame:
    index = parsed["dato"].index
    frame = pd.DataFrame({
        "dato": parsed["dato"],
        "aktivitet": _categorical(parsed["aktivitet"], kommune.aktiviteter),
        "antal_borgere": _optional(parsed, "antal_borgere", index, pd.NA).astype("Int64"),
        "omraade": _categorical(_optional(parsed, "omraade", index, None), kommune.areas),
    })
    return frame.reset_index(drop=True)


def _recommendation_frame(parsed: dict[str, pd.Series], kommune: Kommune) -> pd.DataFrame:
    index = parsed["periode"].index
    periods = parsed["periode"]
    frame = pd.DataFrame({
        "periode_start": pd.to_datetime(pd.Series([p.start for p in periods], index=index, dtype=object)),
        "periode_slut": pd.to_datetime(pd.Series([p.end for p in periods], index=index, dtype=object)),
        "nr": parsed["nr"],
        "anbefaling": parsed["anbefaling"],
        "omraade": _categorical(_optional(parsed, "omraade", index, None), kommune.areas),
        "status": _categorical(parsed["status"], kommune.status_labels),
        "status_dato": parsed["status_dato"],
    }, index=index)
    return frame.reset_index(drop=True)
