"""The rules between rows and tables: unique case ids, every problem with its case and every case with a
problem, one primary problem per case, no case closed before it was received, one status of a
recommendation per date.

The case ids of both tables become integer codes once (:class:`CaseIds`), so the rules are array lookups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportlib.exceptions import Problem
from reportlib.language import _
from reportlib.periods import Period
from reportlib.register.raw import RawTable

NO_ID = 0  # the code of the empty sag_id (see CaseIds)


@dataclass(frozen=True)
class CaseIds:
    """The ``sag_id`` of every case row and every problem row as one integer code per distinct id.

    The empty id has code 0 (:data:`NO_ID`).
    """

    cases: np.ndarray  # code of each case row's id
    rows: np.ndarray  # code of each problem row's id (empty without a problem table)
    first_case: np.ndarray  # per code: the position of the first case row with that id, -1 when none has it

    @classmethod
    def of(cls, case_ids: pd.Series, row_ids: pd.Series | None) -> CaseIds:
        row_ids = pd.Series([], dtype=object) if row_ids is None else row_ids
        codes, distinct = pd.factorize(np.concatenate([[""], case_ids.to_numpy(object), row_ids.to_numpy(object)]))
        cases, rows = codes[1:len(case_ids) + 1], codes[len(case_ids) + 1:]
        return cls(cases, rows, first_position(cases, len(distinct)))

    @property
    def count(self) -> int:
        return len(self.first_case)


def first_position(codes: np.ndarray, count: int) -> np.ndarray:
    """Per code, the first position holding it (-1 when none does)."""
    first = np.full(count, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the last write, the first position, wins
    return first


def check_cases(sager: RawTable, cases: dict[str, pd.Series], ids: CaseIds) -> list[Problem]:
    """Rules across one case table: unique case ids, and no case closed before it was received."""
    found = []
    case_ids = cases["sag_id"]
    first = ids.first_case[ids.cases]
    lines = case_ids.index.to_numpy()
    for row in np.flatnonzero((first != np.arange(len(case_ids))) & (ids.cases != NO_ID)):
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


def check_case_links(sager: RawTable, problems_table: RawTable, cases: dict[str, pd.Series],
                      rows: dict[str, pd.Series], ids: CaseIds) -> list[Problem]:
    """Rules between cases and problems: every problem has a case, every case a problem, one primary."""
    found = []
    case_ids, row_ids = cases["sag_id"], rows["sag_id"]
    for line, case_id in row_ids[(ids.first_case[ids.rows] < 0) & (ids.rows != NO_ID)].items():
        found.append(problems_table.problem(int(line), "sag_id", case_id,
                                            _("no case with this {column} in {file}; add the case or correct the id")
                                            .format(column=problems_table.column("sag_id"), file=sager.shown)))
    has_row = np.zeros(ids.count, dtype=bool)
    has_row[ids.rows] = True
    for line, case_id in case_ids[~has_row[ids.cases] & (ids.cases != NO_ID)].items():
        found.append(sager.problem(int(line), "sag_id", case_id,
                                   _("case has no row in {file}; every case needs at least one problem").format(
                                       file=problems_table.shown)))
    if "primaer" in rows:
        marked = np.flatnonzero(rows["primaer"].to_numpy())
        first = marked[first_position(ids.rows[marked], ids.count)[ids.rows[marked]]]
        lines = row_ids.index.to_numpy()
        for row, first_row in zip(marked[first != marked], first[first != marked], strict=True):
            found.append(problems_table.problem(int(lines[row]), "primaer",
                                                problems_table.frame.at[lines[row], "primaer"],
                                                _("case '{case}' already has its primary problem on line {line}; "
                                                  "mark at most one per case").format(case=row_ids.iat[row],
                                                                                      line=lines[first_row])))
    return found


def check_statuses(table: RawTable, rows: dict[str, pd.Series]) -> list[Problem]:
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
