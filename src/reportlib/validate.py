"""Check a register folder against the input contract and return it as typed tables.

Every check runs over whole columns at once, and every defect found is collected, so the user
sees all problems in one pass, each with file, spreadsheet line, column and value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import Kommune, load_kommune
from .exceptions import Problem, RegisterInvalid
from .io import RawTable, read_tables
from .labels import label_key, unknown_centre_reason, unknown_label_reason
from .paths import KOMMUNE_FILE, source_files

TRUE_WORDS = frozenset({"ja", "j", "1", "true", "x"})
FALSE_WORDS = frozenset({"nej", "n", "0", "false", ""})
# Digits are 0-9 only: Python's \d also matches other scripts' digits, which pandas cannot read.
_ISO_DATE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
_DAY_FIRST_DATE = r"^([0-9]{1,2})([-./])([0-9]{1,2})\2([0-9]{4})$"
_DATE_FORMS = "YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY"
EARLIEST_DATE = dt.date(1990, 1, 1)  # before any borgerrådgiver: an earlier date is a mistyped year
MAX_COUNT = 100_000  # citizens at one activity: more is a typing error


@dataclass(frozen=True)
class Column:
    """One column of the contract: its kind and, for labels, which kommune.yml list it uses."""

    name: str
    kind: str  # "id", "date", "label", "centre", "bool" or "count"
    required: bool = False
    labels: str | None = None  # attribute of Kommune listing the allowed labels
    what: str = ""  # how messages name a label of this column


SCHEMA: dict[str, tuple[Column, ...]] = {
    "sager": (
        Column("sag_id", "id", required=True),
        Column("modtaget", "date", required=True),
        Column("afsluttet", "date"),
        Column("henvendelsestype", "label", True, "henvendelsestyper", "type"),
        Column("kanal", "label", False, "kanaler", "channel"),
        Column("udfald", "label", False, "udfald", "outcome"),
        Column("moede_deltaget", "bool"),
        Column("klagebistand", "bool"),
    ),
    "problemstillinger": (
        Column("sag_id", "id", required=True),
        Column("omraade", "label", True, "areas", "area"),
        Column("center", "centre", required=True),
        Column("emne", "label", True, "topics", "topic"),
        Column("primaer", "bool"),
    ),
    "aktiviteter": (
        Column("dato", "date", required=True),
        Column("aktivitet", "label", True, "aktiviteter", "activity"),
        Column("antal_borgere", "count"),
    ),
}
# A register may have no activities yet; it cannot be reported without cases.
_MAY_BE_EMPTY = frozenset({"aktiviteter"})


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
    problemer : DataFrame
        One row per problem: ``sag_id``, ``omraade``, ``center``, ``emne``, ``kategori``
        (categoricals), ``primaer`` (bool, exactly one True per case) and ``case_row`` (the
        case's row position in ``sager``).
    aktiviteter : DataFrame
        ``dato``, ``aktivitet`` (categorical), ``antal_borgere`` (nullable integer).
    files : list of Path
        The input files read, ``kommune.yml`` included.
    """

    kommune: Kommune
    sager: pd.DataFrame
    problemer: pd.DataFrame
    aktiviteter: pd.DataFrame
    files: list[Path] = field(default_factory=list)


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
    tables, read_problems = read_tables(folder)
    problems += read_problems

    today = today or dt.date.today()
    parsed: dict[str, dict[str, pd.Series]] = {}
    for name, table in tables.items():
        checker = _TableChecker(table, kommune, today)
        parsed[name] = checker.run(SCHEMA[name], may_be_empty=name in _MAY_BE_EMPTY)
        problems += checker.problems

    if "sag_id" in parsed.get("sager", {}):
        problems += _check_cases(tables["sager"], parsed["sager"])
        if "sag_id" in parsed.get("problemstillinger", {}):
            problems += _check_case_links(tables["sager"], tables["problemstillinger"],
                                          parsed["sager"], parsed["problemstillinger"])
    if problems:
        raise RegisterInvalid(problems)

    assert kommune is not None  # no problems means kommune.yml loaded
    sager = _sager_frame(parsed["sager"], kommune)
    problemer = _problem_frame(parsed["problemstillinger"], kommune)
    # Positional link to the case, so statistics join by array lookup rather than by text id.
    problemer["case_row"] = pd.Index(sager["sag_id"]).get_indexer(problemer["sag_id"])
    return Register(
        kommune=kommune,
        sager=sager,
        problemer=problemer,
        aktiviteter=_activity_frame(parsed["aktiviteter"], kommune),
        files=[folder / KOMMUNE_FILE, *source_files(folder)],
    )


class _TableChecker:
    """Parse one table's columns, recording a Problem for every bad cell."""

    def __init__(self, table: RawTable, kommune: Kommune | None, today: dt.date):
        self.table, self.kommune, self.today = table, kommune, today
        self.problems: list[Problem] = []

    def flag(self, bad: pd.Series, column: str, reason) -> None:
        """Record a problem for each row where ``bad`` is True; ``reason`` may be a function of the value."""
        for line, value in self.table.frame.loc[bad, column].items():
            text = reason(value) if callable(reason) else reason
            self.problems.append(Problem(self.table.shown, int(line), column, value, text))

    def run(self, columns: tuple[Column, ...], *, may_be_empty: bool) -> dict[str, pd.Series]:
        frame = self.table.frame
        present = [c for c in columns if c.name in frame.columns]
        for column in columns:
            if column.required and column.name not in frame.columns:
                header = ", ".join(frame.columns) or "(nothing)"
                self.problems.append(Problem(self.table.shown, 1, column.name, None,
                                             f"required column is missing; the header has: {header}"))
        if frame.empty and not may_be_empty:
            self.problems.append(Problem(self.table.shown, 2, None, None,
                                         "the table has a header but no rows; the register needs at least one"))
        parsed = {}
        for column in present:
            text = frame[column.name]
            if column.required:
                self.flag(text == "", column.name, "required value is empty")
            parsed[column.name] = getattr(self, f"_parse_{column.kind}")(column, text)
        return parsed

    def _parse_id(self, column: Column, text: pd.Series) -> pd.Series:
        return text

    def _parse_date(self, column: Column, text: pd.Series) -> pd.Series:
        day_first = text.str.extract(_DAY_FIRST_DATE)
        is_day_first = day_first[0].notna()
        looks_like_date = text.str.fullmatch(_ISO_DATE) | is_day_first
        iso = text.where(~is_day_first, day_first[3] + "-" + day_first[2] + "-" + day_first[0])
        dates = pd.to_datetime(iso.where(looks_like_date), format="%Y-%m-%d", errors="coerce")
        self.flag((text != "") & ~looks_like_date, column.name, f"not a date; write it as {_DATE_FORMS}")
        self.flag(looks_like_date & dates.isna(), column.name,
                  "no such date in the calendar; check day and month (day comes first)")
        self.flag(dates > pd.Timestamp(self.today), column.name,
                  f"date lies in the future (today is {self.today.isoformat()}); check the year")
        self.flag(dates < pd.Timestamp(EARLIEST_DATE), column.name,
                  f"date lies before {EARLIEST_DATE.year}; check the year")
        return dates

    def _parse_bool(self, column: Column, text: pd.Series) -> pd.Series:
        words = text.str.casefold()
        self.flag(~words.isin(TRUE_WORDS | FALSE_WORDS), column.name,
                  "not a yes/no value; write ja/nej, j/n, 1/0, true/false, or x/empty")
        return words.isin(TRUE_WORDS)

    def _parse_count(self, column: Column, text: pd.Series) -> pd.Series:
        whole, negative = text.str.fullmatch(r"[0-9]+"), text.str.fullmatch(r"-[0-9]+")
        other_digits = text.str.fullmatch(r"-?\d+") & ~whole & ~negative
        values = pd.to_numeric(text.where(whole), errors="coerce")  # float, so no size overflows
        too_large = values > MAX_COUNT
        self.flag(negative, column.name, "a number of citizens cannot be negative; write 0 or more")
        self.flag(other_digits, column.name, "write the number with the digits 0-9")
        self.flag(too_large, column.name, f"more than {MAX_COUNT:,} citizens is surely a typing error; check the number")
        self.flag((text != "") & ~whole & ~negative & ~other_digits, column.name,
                  "not a whole number; write a count such as 0, 2 or 15")
        return values.where(~too_large).astype("Int64")

    def _parse_label(self, column: Column, text: pd.Series) -> pd.Series:
        if self.kommune is None:
            return text
        allowed = list(getattr(self.kommune, column.labels))
        canonical = text.str.casefold().map({label_key(a): a for a in allowed})
        self.flag((text != "") & canonical.isna(), column.name,
                  lambda value: unknown_label_reason(value, allowed, column.what))
        return canonical

    def _parse_centre(self, column: Column, text: pd.Series) -> pd.Series:
        """Centres are checked against the row's own area: a centre belongs to one area."""
        if self.kommune is None or "omraade" not in self.table.frame.columns:
            return text
        omraader = self.kommune.omraader
        area_of = {label_key(a): a for a in omraader}
        areas = self.table.frame["omraade"].str.casefold().map(area_of)
        centre_of = {(a, label_key(c)): c for a, centres in omraader.items() for c in centres}
        keys = pd.Series(list(zip(areas, text.str.casefold())), index=text.index, dtype=object)
        canonical = keys.map(centre_of)
        # A row whose area is unknown gets that problem only: its centre cannot be checked against it.
        for line in text.index[(text != "") & canonical.isna() & areas.notna()]:
            reason = unknown_centre_reason(text[line], areas[line], omraader)
            self.problems.append(Problem(self.table.shown, int(line), column.name, text[line], reason))
        return canonical


def _check_cases(sager: RawTable, cases: dict[str, pd.Series]) -> list[Problem]:
    """Rules across one case table: unique case ids, and no case closed before it was received."""
    found = []
    case_ids = cases["sag_id"]
    first_line = case_ids[case_ids != ""].reset_index().drop_duplicates("sag_id").set_index("sag_id")["line"]
    for line, case_id in case_ids[case_ids.duplicated() & (case_ids != "")].items():
        found.append(Problem(sager.shown, int(line), "sag_id", case_id,
                             f"duplicate sag_id; first used on line {first_line[case_id]}; every case needs its own"))
    if "modtaget" in cases and "afsluttet" in cases:
        before = cases["afsluttet"] < cases["modtaget"]
        for line in case_ids.index[before]:
            found.append(Problem(sager.shown, int(line), "afsluttet", sager.frame.at[line, "afsluttet"],
                                 f"case closed before it was received (modtaget {sager.frame.at[line, 'modtaget']}); "
                                 "check both dates"))
    return found


def _check_case_links(sager: RawTable, problems_table: RawTable,
                      cases: dict[str, pd.Series], rows: dict[str, pd.Series]) -> list[Problem]:
    """Rules between cases and problems: every problem has a case, every case a problem, one primary."""
    found = []
    case_ids, row_ids = cases["sag_id"], rows["sag_id"]
    known = set(case_ids)
    for line, case_id in row_ids[~row_ids.isin(known) & (row_ids != "")].items():
        found.append(Problem(problems_table.shown, int(line), "sag_id", case_id,
                             f"no case with this sag_id in {sager.shown}; add the case or correct the id"))
    with_rows = set(row_ids)
    for line, case_id in case_ids[~case_ids.isin(with_rows) & (case_ids != "")].items():
        found.append(Problem(sager.shown, int(line), "sag_id", case_id,
                             f"case has no row in {problems_table.shown}; every case needs at least one problem"))
    if "primaer" in rows:
        marked = row_ids[rows["primaer"]]
        first_primary = marked.reset_index().drop_duplicates("sag_id").set_index("sag_id")["line"]
        for line, case_id in marked[marked.duplicated()].items():
            found.append(Problem(problems_table.shown, int(line), "primaer",
                                 problems_table.frame.at[line, "primaer"],
                                 f"case '{case_id}' already has its primary problem on line {first_primary[case_id]}; "
                                 "mark at most one per case"))
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
    })
    return frame.reset_index(drop=True)


def _problem_frame(parsed: dict[str, pd.Series], kommune: Kommune) -> pd.DataFrame:
    index = parsed["sag_id"].index
    primary = _optional(parsed, "primaer", index, False)
    # With none marked, a case's first row (in file order) is its primary problem.
    none_marked = ~primary.groupby(parsed["sag_id"]).transform("any")
    first_row = ~parsed["sag_id"].duplicated()
    frame = pd.DataFrame({
        "sag_id": parsed["sag_id"],
        "omraade": _categorical(parsed["omraade"], list(kommune.omraader)),
        "center": _categorical(parsed["center"], [c for cs in kommune.omraader.values() for c in cs]),
        "emne": _categorical(parsed["emne"], kommune.topics),
        "kategori": _categorical(parsed["emne"].map(kommune.topic_category()), list(kommune.emner)),
        "primaer": primary | (none_marked & first_row),
    })
    return frame.reset_index(drop=True)


def _activity_frame(parsed: dict[str, pd.Series], kommune: Kommune) -> pd.DataFrame:
    index = parsed["dato"].index
    frame = pd.DataFrame({
        "dato": parsed["dato"],
        "aktivitet": _categorical(parsed["aktivitet"], kommune.aktiviteter),
        "antal_borgere": _optional(parsed, "antal_borgere", index, pd.NA).astype("Int64"),
    })
    return frame.reset_index(drop=True)
