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

import numpy as np

from reportlib.exceptions import InputError
from reportlib.labels import label_key
from reportlib.language import _
from reportlib.register import national
from reportlib.register.csvfile import csv_rows
from reportlib.register.raw import foot_rows, header_line, row_text
from reportlib.register.schema import SCHEMA, free_text
from reportlib.register.sheets import read_sheets


def _normal(header: str) -> str:
    return re.sub(r"[\s._-]+", " ", header.casefold()).strip()


# The tables a one-sheet export holds, one row per case with its problem. A column an export may have is one
# with its headers there (Column.exported, compared without case, dots and extra spaces); the free text last,
# as init --from names what it read.
# Every contract column is there too by its own name, as the register's reader reads it: what init says it reads is
# what validate reads.
_COLUMNS = [c for table in ("sager", "problemstillinger") for c in SCHEMA[table].columns]
HEADERS: dict[str, tuple[str, ...]] = {}
for _column in sorted(_COLUMNS, key=lambda c: c.kind == "free"):  # a table's sag_id is the case's
    HEADERS.setdefault(_column.name, tuple(dict.fromkeys((_normal(_column.name), *_column.exported))))
_SPELLINGS = {spelling for spellings in HEADERS.values() for spelling in spellings}
CASE_COLUMNS, PROBLEM_COLUMNS = ([c.name for c in SCHEMA[table].columns if c.name in HEADERS]
                                 for table in ("sager", "problemstillinger"))
REQUIRED = list(dict.fromkeys(c.name for c in _COLUMNS if c.required))
# The columns whose labels kommune.yml lists.
_LABELLED = list(dict.fromkeys(c.name for c in _COLUMNS if c.kind in ("label", "centre")))
GOOD_ADMINISTRATION, OTHERS = "God forvaltningsskik/Forvaltningsloven", "Øvrige"  # the categories proposed
SIMILAR = 0.8  # spellings this alike are proposed as one label (Jobcenter, Jobcentret)


@dataclass
class Labels:
    """A column's labels as the export writes them, each with its count (spellings that differ only in case and
    spaces are one label, as the register reads them), and the other spellings proposed as synonyms of a label:
    a proposal the user accepts in kommune.yml, so each stays a label of its own until then."""

    counts: dict[str, int] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def proposed_for(self) -> dict[str, str]:
        """Each spelling proposed as a synonym, and the label it is proposed for."""
        return {other: label for label, others in self.synonyms.items() for other in others}


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
    left_out: list[tuple[int, str]] = field(default_factory=list)  # (line, text): a title, a totals line, a note

    @property
    def complaint_type(self) -> str | None:
        """The type that is a complaint: the one whose name starts with "klage", if one does."""
        return next((t for t in self.labels["henvendelsestype"].counts if t.casefold().startswith("klage")), None)

    @property
    def categories(self) -> dict[str, list[str]]:
        """The topics proposed in two categories: those named as a theme of good administration (the national
        vocabulary's), and the others; one category where all are of one kind."""
        themes = {label_key(theme) for theme in national.vocabulary().themes} - {national.OTHER}
        topics = list(self.labels["emne"].counts)
        proposed = {GOOD_ADMINISTRATION: [t for t in topics if label_key(t) in themes],
                    OTHERS: [t for t in topics if label_key(t) not in themes]}
        return {category: listed for category, listed in proposed.items() if listed}

    @property
    def result_kinds(self) -> dict[str, str]:
        """Each result's kind as its words suggest (Ingen kritik, Delvis kritik, Afvist), for the user to check."""
        def kind(label: str) -> str:
            words = label.casefold()
            return "ingen kritik" if "ingen kritik" in words else "kritik" if "kritik" in words else "ikke undersøgt"
        return {label: kind(label) for label in self.labels["resultat"].counts}

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
    at = header_line(rows, lambda cell: _normal(cell) in _SPELLINGS)
    header = [str(cell).strip() for cell in rows[at]]
    columns: dict[str, str] = {}
    for column, spellings in HEADERS.items():
        found = next((h for h in header if h and _normal(h) in spellings and h not in columns.values()), None)
        if found is not None:
            columns[column] = found
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        where = f"{export}[{title}]" if title else str(export)
        names = "; ".join(f"{column}: {', '.join(repr(s) for s in HEADERS[column][:3])}" for column in missing)
        raise InputError(_("{where}: no column found for {missing} among the headers on line {line} ({headers}); "
                           "in the export, name each of those columns as one of the names init knows ({names}), "
                           "then run init again").format(
            where=where, missing=", ".join(missing), line=at + 1, headers=", ".join(h for h in header if h),
            names=names))
    position = {column: header.index(name) for column, name in columns.items()}
    lines = [(line, [str(cell).strip() for cell in row]) for line, row in enumerate(rows[at + 1:], start=at + 2)
             if any(str(cell).strip() for cell in row)]

    def foot(table: list[str]) -> int:
        """The rows at the foot validate leaves out of this table (a totals line, a note)."""
        read = [position[c] for c in table if c in position and c not in free_text()]
        filled = [sum(bool(cells[p]) for p in read if p < len(cells)) for _line, cells in lines]
        return foot_rows(np.array(filled, dtype=np.int64), len(read))

    # A foot row left out of either table is no case.
    foot = max(foot(CASE_COLUMNS), foot(PROBLEM_COLUMNS))
    left_out = [(line, row_text(row)) for line, row in enumerate(rows[:at], start=1) if row_text(row)]
    left_out += [(line, row_text(cells)) for line, cells in lines[len(lines) - foot:]]
    body = [cells for _line, cells in lines[:len(lines) - foot]]

    def values(column: str) -> list[str]:
        at = position.get(column)
        return [] if at is None else [str(row[at]).strip() if at < len(row) else "" for row in body]

    labels = {column: _labels(values(column)) for column in _LABELLED}
    areas = _areas(values("omraade"), values("center"), labels["omraade"], labels["center"])
    unread = [h for h in header if h and h not in columns.values()]
    return Proposal(export, title, len(body), columns, unread, labels, areas, left_out)


def _canonical(spellings: collections.Counter) -> str:
    return spellings.most_common(1)[0][0]


def _alike(label: str, other: str) -> bool:
    """Two spellings most likely of one label: one letter or so apart (Jobcenter, Jobcentret), or one the start of
    the other (Familieafd. and Familieafdelingen; Beskæftigelse and Beskæftigelsesforvaltningen)."""
    a, b = label.casefold(), other.casefold()
    if difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR:
        return True
    short, long = sorted((a, b), key=len)
    stem = short.removesuffix(".")
    return len(stem) >= (3 if short.endswith(".") else 6) and long.startswith(stem)


def _labels(cells: list[str]) -> Labels:
    """The labels of a column: case and spaces ignored, the most common spelling kept; near ones proposed."""
    by_key: dict[str, collections.Counter] = {}
    for cell in cells:
        if cell:
            by_key.setdefault(cell.casefold(), collections.Counter())[cell] += 1
    counted = sorted(((_canonical(s), sum(s.values())) for s in by_key.values()), key=lambda item: -item[1])
    result = Labels()
    for label, count in counted:  # most common first: a rarer near spelling is proposed for it
        home = next((kept for kept in result.counts if kept not in result.proposed_for and _alike(kept, label)), None)
        result.counts[label] = count
        if home is not None:
            result.synonyms.setdefault(home, []).append(label)
    return result


def _areas(areas: list[str], centres: list[str], area_labels: Labels, centre_labels: Labels) -> dict[str, list[str]]:
    """Each area with the centres its rows name, in order of how often."""
    def home(value: str, labels: Labels) -> str | None:
        return next((label for label in labels.counts if label.casefold() == value.casefold()), None)

    seen: dict[str, collections.Counter] = {area: collections.Counter() for area in area_labels.counts}
    for area, centre in zip(areas, centres, strict=True):
        if area and centre and (a := home(area, area_labels)) and (c := home(centre, centre_labels)):
            seen[a][c] += 1
    return {area: [c for c, _count in counter.most_common()] for area, counter in seen.items() if counter}
