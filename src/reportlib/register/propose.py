"""``reportlib init --from EXPORT``: a kommune.yml proposed from a municipality's own spreadsheet.

A one-sheet export (one row per case, with its area, centre and topic) is read as it is: its
headers are matched to the contract's columns by their Danish spellings, its labels are the values
it actually uses (the most common spelling of each, with near spellings proposed as synonyms), its
areas carry the centres seen under each. The result is a kommune.yml under which the export
validates as it stands, or fails only on defects in its rows. The export is copied into the
register folder unchanged; nothing is written to it.
"""

from __future__ import annotations

import collections
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlib.exceptions import InputError
from reportlib.language import _
from reportlib.register.csvfile import csv_rows
from reportlib.register.schema import SCHEMA
from reportlib.register.sheets import read_sheets

# The tables a one-sheet export holds, one row per case with its problem. A column an export may have is one
# with its headers there (Column.exported, compared without case, dots and extra spaces); the free text last,
# as init --from names what it read.
_COLUMNS = [c for table in ("sager", "problemstillinger") for c in SCHEMA[table].columns]
HEADERS = {c.name: c.exported for c in sorted(_COLUMNS, key=lambda c: c.kind == "free") if c.exported}
CASE_COLUMNS, PROBLEM_COLUMNS = ([c.name for c in SCHEMA[table].columns if c.name in HEADERS]
                                 for table in ("sager", "problemstillinger"))
REQUIRED = list(dict.fromkeys(c.name for c in _COLUMNS if c.required))
# The columns whose labels kommune.yml lists.
_LABELLED = [c.name for c in _COLUMNS if c.exported and c.kind in ("label", "centre")]
SIMILAR = 0.8  # spellings this alike are proposed as one label (Jobcenter, Jobcentret)


def _normal(header: str) -> str:
    return re.sub(r"[\s._-]+", " ", header.casefold()).strip()


@dataclass
class Labels:
    """A column's labels as the export uses them: each with its count, and other spellings proposed for it."""

    counts: dict[str, int] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Proposal:
    """What ``init --from`` read off an export, and what it guessed."""

    source: Path  # the export, which init copies unchanged
    sheet: str | None  # the workbook's sheet; None for a CSV export
    rows: int
    columns: dict[str, str]  # contract column -> the export's header
    unread: list[str]  # the export's headers no contract column maps (never read)
    labels: dict[str, Labels]  # contract column -> its labels
    areas: dict[str, list[str]]  # area -> its centres, as seen in the rows

    @property
    def complaint_type(self) -> str | None:
        """The type that is a complaint: the one whose name starts with "klage", if one does."""
        return next((t for t in self.labels["henvendelsestype"].counts if t.casefold().startswith("klage")), None)

    @property
    def synonyms(self) -> dict[str, list[str]]:
        return {label: others for labels in self.labels.values() for label, others in labels.synonyms.items()}


def propose(export: Path) -> Proposal:
    """Read a one-sheet export (.xlsx, the sheet with the most rows, or .csv) and propose its mapping and labels.

    Raises
    ------
    InputError
        When the export cannot be read, is neither a workbook nor a CSV file, or lacks a column the
        register needs.
    """
    suffix = export.suffix.lower()
    if suffix == ".csv":
        title, rows = None, csv_rows(export)
        if not rows:
            raise InputError(_("{export}: is empty; --from needs the cases, a header first").format(export=export))
    elif suffix == ".xlsx":
        sheets, problems = read_sheets(export)
        if problems:
            raise InputError("; ".join(str(problem) for problem in problems))
        filled = [(title, rows) for title, rows in sheets.values() if rows]
        if not filled:
            raise InputError(_("{export}: holds no sheet with rows; --from needs the sheet of cases").format(
                export=export))
        title, rows = max(filled, key=lambda sheet: len(sheet[1]))
    else:
        raise InputError(_("{export}: --from reads an Excel workbook (.xlsx) or a CSV file (.csv); save the export "
                           "as one of them").format(export=export))
    header = [str(cell).strip() for cell in rows[0]]
    columns: dict[str, str] = {}
    for column, spellings in HEADERS.items():
        found = next((h for h in header if h and _normal(h) in spellings and h not in columns.values()), None)
        if found is not None:
            columns[column] = found
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        where = f"{export}[{title}]" if title else str(export)
        raise InputError(_("{where}: no column found for {missing} among the headers {headers}; rename those headers "
                           "as docs/register.md names the columns, then run init again").format(
            where=where, missing=", ".join(missing), headers=", ".join(h for h in header if h)))
    body = [row for row in rows[1:] if any(str(cell).strip() for cell in row)]
    position = {column: header.index(name) for column, name in columns.items()}

    def values(column: str) -> list[str]:
        at = position.get(column)
        return [] if at is None else [str(row[at]).strip() if at < len(row) else "" for row in body]

    labels = {column: _labels(values(column)) for column in _LABELLED}
    areas = _areas(values("omraade"), values("center"), labels["omraade"], labels["center"])
    unread = [h for h in header if h and h not in columns.values()]
    return Proposal(export, title, len(body), columns, unread, labels, areas)


def _canonical(spellings: collections.Counter) -> str:
    return spellings.most_common(1)[0][0]


def _labels(cells: list[str]) -> Labels:
    """The labels of a column: case and spaces ignored, the most common spelling kept, near ones as synonyms."""
    by_key: dict[str, collections.Counter] = {}
    for cell in cells:
        if cell:
            by_key.setdefault(cell.casefold(), collections.Counter())[cell] += 1
    counted = sorted(((_canonical(s), sum(s.values())) for s in by_key.values()), key=lambda item: -item[1])
    result = Labels()
    for label, count in counted:  # most common first: a rarer near spelling joins it
        home = next((kept for kept in result.counts
                     if difflib.SequenceMatcher(None, kept.casefold(), label.casefold()).ratio() >= SIMILAR), None)
        if home is None:
            result.counts[label] = count
        else:
            result.counts[home] += count
            result.synonyms.setdefault(home, []).append(label)
    return result


def _areas(areas: list[str], centres: list[str], area_labels: Labels, centre_labels: Labels) -> dict[str, list[str]]:
    """Each area with the centres its rows name, in order of how often."""
    def home(value: str, labels: Labels) -> str | None:
        key = value.casefold()
        for label, others in [(label, [label, *labels.synonyms.get(label, [])]) for label in labels.counts]:
            if key in {other.casefold() for other in others}:
                return label
        return None

    seen: dict[str, collections.Counter] = {area: collections.Counter() for area in area_labels.counts}
    for area, centre in zip(areas, centres, strict=True):
        if area and centre and (a := home(area, area_labels)) and (c := home(centre, centre_labels)):
            seen[a][c] += 1
    return {area: [c for c, _count in counter.most_common()] for area, counter in seen.items() if counter}
