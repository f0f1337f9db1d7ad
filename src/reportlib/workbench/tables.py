"""Tables for the analyst's exploration notebook: across periods, by month, and down to single cases.

Everything here builds on :mod:`reportlib.figures.stats` and returns tidy DataFrames; nothing draws (the
charts beside them are in :mod:`reportlib.report.charts`, the notebook's controls in
:mod:`reportlib.workbench.widgets`). Unlike the report, these tables are for the advisor's own office:
:func:`case_table` shows one row per case (never the free-text ``note`` or ``beskrivelse``, which
the register drops when it is read), and :func:`to_excel` writes tables for internal follow-up
under ``outputs/intern/``, which is never published.

A column or table the register does not keep (:func:`reportlib.workbench.selection.recorded`) is
unknown, not zero, as in the report: its cells read ``ikke registreret``, never ``0``, ``nej`` or
empty, so every view and export of these tables says so. Which period, type, area and centre a
table is of is read by :mod:`reportlib.workbench.selection`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from reportlib.exceptions import ReportlibError
from reportlib.figures import percent, stats
from reportlib.language import _
from reportlib.paths import OUTPUTS
from reportlib.periods import Period
from reportlib.register import schema
from reportlib.register.model import Register
from reportlib.register.schema import SCHEMA
from reportlib.register.xlsx import set_text
from reportlib.workbench import selection

OVERVIEW_COLUMNS = ("period", "cases_total", "complaints", "problemstillinger", "meetings_attended",
                    "complaint_letters", "drop_in_sessions", "drop_in_citizens", "open_at_end", "median_days")
# The case table's columns: the contract's with a header there (Column.shown); the last from the case's primary problem.
CASE_COLUMNS = tuple(c.name for c in SCHEMA["sager"].columns if c.shown)
PRIMARY_COLUMNS = tuple(c.name for c in SCHEMA["problemstillinger"].columns if c.shown)
INTERNAL = OUTPUTS / "intern"  # to_excel's default folder: for the office only, never published
#: The register's column or table each key figure of :func:`overview` counts, where the register may not keep it.
KEY_FIGURE_SOURCES = {"meetings_attended": "sager.moede_deltaget", "complaint_letters": "sager.klagebistand",
                      "drop_in_sessions": "aktiviteter", "drop_in_citizens": "aktiviteter"}

def overview(register: Register) -> pd.DataFrame:
    """Tabulate the key figures of every reporting year the register covers.

    Parameters
    ----------
    register : Register
        The whole register: open cases and handling time look at cases received earlier too.

    Returns
    -------
    DataFrame
        One row per reporting year the register covers
        (:func:`~reportlib.figures.coverage.covered_periods`): ``period`` (e.g. ``2018/19``), the
        :func:`stats.key_figures <reportlib.figures.stats.key_figures>`, ``open_at_end`` and
        ``median_days`` (median handling time of the cases closed in the year; NaN if none). A key
        figure whose column or table the register does not keep (:data:`KEY_FIGURE_SOURCES`) reads
        :data:`~reportlib.workbench.selection.NOT_RECORDED` in every year.
    """
    rows = [{"period": label,
             **stats.key_figures(stats.select(register, year)),
             "open_at_end": stats.open_at_end(register, year),
             "median_days": stats.handling_time(register, year)["median"]}
            for label, year in selection.counted_periods(register, halves=False)]
    unknown = {figure: selection.NOT_RECORDED for figure, source in KEY_FIGURE_SOURCES.items()
               if not selection.recorded(register, source)}
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS)).astype({"median_days": float}).assign(**unknown)


def cases_by_month(register: Register) -> pd.DataFrame:
    """Count cases received per calendar month and ``henvendelsestype``.

    Parameters
    ----------
    register : Register
        The whole register, or a selection of it.

    Returns
    -------
    DataFrame
        Columns ``month`` (``YYYY-MM``), ``type``, ``count``: every month from the first case's to
        the last case's, and within each month every type in kommune.yml order (count 0 included).
    """
    received = register.sager["modtaget"].dt.to_period("M")
    kinds = register.sager["henvendelsestype"]
    types = kinds.cat.categories
    if received.empty:
        return pd.DataFrame({"month": pd.Series(dtype=str), "type": pd.Series(dtype=str),
                             "count": pd.Series(dtype=np.int64)})
    months = pd.period_range(received.min(), received.max(), freq="M")
    cell = months.get_indexer(received) * len(types) + kinds.cat.codes.to_numpy()
    return pd.DataFrame({
        "month": np.repeat(months.strftime("%Y-%m").to_numpy(), len(types)),
        "type": np.tile(types.to_numpy(), len(months)),
        "count": np.bincount(cell, minlength=len(months) * len(types)),
    })

def centres_in(register: Register, area: str) -> pd.DataFrame:
    """Tabulate the problem rows of one area by centre.

    Parameters
    ----------
    register : Register
    area : str
        An area of kommune.yml (case and surrounding spaces ignored).

    Returns
    -------
    DataFrame
        ``label, count, pct``: that area's part of :func:`stats.centres <reportlib.figures.stats.centres>`.

    Raises
    ------
    LabelError
        When the area is not in kommune.yml.
    """
    area = selection.area_label(register, area)
    centres = stats.centres(register)
    return centres[centres["area"] == area].drop(columns="area").reset_index(drop=True)


def case_table(register: Register, period: Period, *, henvendelsestype: str = "", omraade: str = "",
               center: str = "") -> pd.DataFrame:
    """List the cases received in a period, optionally of one type, area or centre.

    Parameters
    ----------
    register : Register
        The whole register.
    period : Period
        Cases received in it (both ends inclusive) are listed.
    henvendelsestype, omraade, center : str
        Keep only cases of this type, or whose primary problem lies in this area or centre; empty
        keeps all. Labels as in kommune.yml, case and surrounding spaces ignored.

    Returns
    -------
    DataFrame
        One row per case in register order, with the columns :data:`CASE_COLUMNS` and the
        :data:`PRIMARY_COLUMNS` of its primary problem; never the free text. A column the register
        does not keep (:func:`reportlib.register.schema.not_recorded`) reads
        :data:`~reportlib.workbench.selection.NOT_RECORDED` in every row, not empty or False.

    Raises
    ------
    LabelError
        When a filter is not in kommune.yml (a centre is looked for within ``omraade`` if given).
    """
    chosen = selection.cases_of(stats.select(register, period), henvendelsestype=henvendelsestype, omraade=omraade,
                      center=center)
    primary = {column: stats.primary(chosen, column) for column in PRIMARY_COLUMNS}
    unknown = {column: selection.NOT_RECORDED for column in CASE_COLUMNS
               if not selection.recorded(register, f"sager.{column}")}
    return chosen.sager[list(CASE_COLUMNS)].assign(**primary, **unknown)

def _cross(row_codes: np.ndarray, column_codes: np.ndarray, rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Count pairs of codes (-1: not counted) into a rows x columns grid; return it and its row percentages."""
    counted = (row_codes >= 0) & (column_codes >= 0)
    cells = row_codes[counted] * columns + column_codes[counted]
    counts = np.bincount(cells, minlength=rows * columns).reshape(rows, columns)
    pct = np.vstack([percent.largest_remainder(row) for row in counts]) if rows else counts
    return counts, pct


def areas_by_type(register: Register) -> pd.DataFrame:
    """Cross cases by the area of their primary problem and by ``henvendelsestype``.

    Parameters
    ----------
    register : Register
        A period's selection (:func:`stats.select <reportlib.figures.stats.select>`), or any part of the register.

    Returns
    -------
    DataFrame
        ``area, type, count, pct``: one row per area and type in kommune.yml order (count 0
        included); ``pct`` is the share of the area's cases, whole percentages summing to 100
        within each area (0 for an area without cases).
    """
    areas = register.kommune.areas
    types = register.kommune.henvendelsestyper
    area_codes = pd.Categorical(stats.primary(register, "omraade"), categories=areas).codes
    type_codes = pd.Categorical(register.sager["henvendelsestype"], categories=types).codes
    counts, pct = _cross(np.asarray(area_codes, dtype=np.int64), np.asarray(type_codes, dtype=np.int64),
                         len(areas), len(types))
    return pd.DataFrame({"area": np.repeat(areas, len(types)), "type": np.tile(types, len(areas)),
                         "count": counts.ravel(), "pct": pct.ravel()})


def _area_centre_pairs(register: Register, area: str = "") -> list[tuple[str, str]]:
    """The (area, centre) pairs of kommune.yml in its order, of one area when given."""
    omraader = register.kommune.omraader
    chosen = [selection.area_label(register, area)] if area else list(omraader)
    return [(a, c) for a in chosen for c in omraader[a]]


def _pair_codes(register: Register, pairs: list[tuple[str, str]]) -> np.ndarray:
    """Per case: the position in ``pairs`` of its primary problem's (area, centre); -1 if not listed."""
    position = {pair: i for i, pair in enumerate(pairs)}
    keys = zip(stats.primary(register, "omraade").astype(object), stats.primary(register, "center").astype(object),
               strict=True)
    return np.fromiter((position.get(key, -1) for key in keys), dtype=np.int64, count=len(register.sager))


def centres_by_outcome(register: Register, area: str = "") -> pd.DataFrame:
    """Cross cases by the centre of their primary problem and by ``udfald`` (outcome).

    Cases without an outcome (open ones, mostly) are not counted, as in the report's outcome table.

    Parameters
    ----------
    register : Register
        A period's selection, or any part of the register.
    area : str
        Only the centres of this area (as in kommune.yml, case and spaces ignored); empty: all.

    Returns
    -------
    DataFrame
        ``area, centre, outcome, count, pct``: one row per centre and outcome in kommune.yml order
        (count 0 included); ``pct`` is the share of the centre's cases with an outcome, whole
        percentages summing to 100 within each centre (0 for a centre without any). Where the
        register does not keep ``udfald``: one row per centre, ``outcome``
        :data:`~reportlib.workbench.selection.NOT_RECORDED`, ``count`` and ``pct`` missing (unknown, not 0).

    Raises
    ------
    LabelError
        When the area is not in kommune.yml.
    """
    pairs = _area_centre_pairs(register, area)
    if not selection.recorded(register, "sager.udfald"):
        unknown = pd.array([pd.NA] * len(pairs), dtype="Int64")
        return pd.DataFrame({"area": [a for a, _centre in pairs], "centre": [c for _area, c in pairs],
                             "outcome": selection.NOT_RECORDED, "count": unknown, "pct": unknown.copy()})
    outcomes = register.kommune.udfald
    outcome_codes = pd.Categorical(register.sager["udfald"], categories=outcomes).codes
    counts, pct = _cross(_pair_codes(register, pairs), np.asarray(outcome_codes, dtype=np.int64),
                         len(pairs), len(outcomes))
    return pd.DataFrame({"area": np.repeat([a for a, _centre in pairs], len(outcomes)),
                         "centre": np.repeat([c for _area, c in pairs], len(outcomes)),
                         "outcome": np.tile(outcomes, len(pairs)), "count": counts.ravel(), "pct": pct.ravel()})


def handling_time_by_area(register: Register, period: Period) -> pd.DataFrame:
    """Describe how the handling time of the cases closed in the period spreads, per area.

    Parameters
    ----------
    register : Register
        As for :func:`~reportlib.figures.stats.handling_days`.
    period : Period

    Returns
    -------
    DataFrame
        One row per area in kommune.yml order: ``area``, ``closed`` (cases closed in the period),
        ``q1``, ``median``, ``q3``, ``p90`` (percentiles of the days, linearly interpolated as
        :func:`numpy.percentile` does), ``max``, ``within_target`` (cases closed within
        ``maal_sagsbehandlingstid_dage`` days) and ``within_target_pct`` (their whole percentage).
        An area without closed cases has NaN in the day columns; without a target in kommune.yml the
        two target columns are missing values.
    """
    days = stats.handling_days(register, period)
    target = register.kommune.maal_sagsbehandlingstid_dage
    rows = []
    for area in register.kommune.areas:
        values = days.loc[(days["area"] == area).to_numpy(), "days"].to_numpy()
        q1, median, q3, p90 = np.percentile(values, [25, 50, 75, 90]) if len(values) else [np.nan] * 4
        within = int((values <= target).sum()) if target is not None else None
        rows.append({"area": area, "closed": len(values), "q1": q1, "median": median, "q3": q3, "p90": p90,
                     "max": float(values.max()) if len(values) else np.nan, "within_target": within,
                     "within_target_pct": (percent.rate(within, len(values))
                                           if within is not None and len(values) else None)})
    return pd.DataFrame(rows).astype({"within_target": "Int64", "within_target_pct": "Int64"})


def centre_change(register: Register, period: Period, area: str = "") -> pd.DataFrame:
    """Compare the problem rows of each centre with the period just before, largest growth first.

    Parameters
    ----------
    register : Register
        The whole register (or a part chosen by :func:`~reportlib.workbench.selection.cases_of`).
    period : Period
        Compared with :meth:`Period.previous <reportlib.periods.Period.previous>` (for a
        reporting year, the year before; for a half-year, the same half of the year before).
    area : str
        Only the centres of this area; empty: all.

    Returns
    -------
    DataFrame
        ``area, centre, count, previous, diff, pct``: problem rows by centre (as the report's centre
        tables count them) in the period and in the one before, the difference, and the change in
        whole percent of ``previous`` (missing when that is 0). Sorted by ``diff``, largest first
        (ties in kommune.yml order); centres with no rows in either period are left out.

    Raises
    ------
    LabelError
        When the area is not in kommune.yml.
    """
    now = stats.centres(stats.select(register, period))
    before = stats.centres(stats.select(register, period.previous()))
    table = pd.DataFrame({"area": now["area"], "centre": now["label"], "count": now["count"],
                          "previous": before["count"].to_numpy()})
    if area:
        table = table[(table["area"] == selection.area_label(register, area)).to_numpy()]
    table = table[((table["count"] > 0) | (table["previous"] > 0)).to_numpy()]
    changes = [percent.change(c, p) for c, p in zip(table["count"], table["previous"], strict=True)]
    table = table.assign(diff=table["count"] - table["previous"], pct=pd.array(changes, dtype="Int64"))
    return table.sort_values("diff", ascending=False, kind="stable").reset_index(drop=True)


def seasonality(register: Register) -> pd.DataFrame:
    """Count cases received per month of each reporting year, to compare the same months across years.

    Parameters
    ----------
    register : Register
        The whole register (or a part chosen by :func:`~reportlib.workbench.selection.cases_of`).

    Returns
    -------
    DataFrame
        ``year`` (e.g. ``2018/19``), ``month`` (``YYYY-MM``), ``count``: the twelve months of every
        reporting year the register covers, in date order (count 0 included).
    """
    parts = [stats.cases_per_month(stats.select(register, year), year).assign(year=label)
             for label, year in selection.counted_periods(register, halves=False)]
    if not parts:
        return pd.DataFrame({"year": pd.Series(dtype=str), "month": pd.Series(dtype=str),
                             "count": pd.Series(dtype=np.int64)})
    return pd.concat(parts, ignore_index=True)[["year", "month", "count"]]


def to_excel(tables: pd.DataFrame | Mapping[str, pd.DataFrame], path: Path | str | None = None) -> Path:
    """Write one or more tables to an Excel workbook, one sheet each, for follow-up inside the office.

    The workbook is for internal use only: the default folder ``outputs/intern/`` is never published.
    Headers are kept as they are, ``True``/``False`` become ``ja``/``nej`` (the tables above put
    :data:`~reportlib.workbench.selection.NOT_RECORDED` in a column the register does not keep, so that never
    reads ``nej``), dates are Excel dates shown as ``DD-MM-YYYY``, and every text is stored as text (never as a formula,
    whatever it starts with); each sheet gets a frozen header row and a filter.

    Parameters
    ----------
    tables : DataFrame or mapping of str to DataFrame
        The tables; a mapping's keys name the sheets (Excel allows 31 characters and refuses some;
        longer names are shortened, refused characters replaced by ``-``). A single DataFrame goes on sheet ``Tabel``.
    path : path, optional
        The ``.xlsx`` file to write (its folder is created). Default:
        ``outputs/intern/udtraek-YYYYMMDD-HHMMSS.xlsx``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ReportlibError
        When a table has a free-text column (``note``, ``beskrivelse``), which may hold personal data.
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"Tabel": tables}
    for name, table in tables.items():
        free_text = [c for c in table.columns if str(c).strip().lower() in schema.free_text()]
        if free_text:
            raise ReportlibError(_("to_excel: table '{name}' has the free-text column '{column}', which may "
                                   "hold personal data; leave it out of the table").format(name=name,
                                                                                           column=free_text[0]))
    path = Path(path) if path is not None else INTERNAL / f"udtraek-{dt.datetime.now():%Y%m%d-%H%M%S}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in tables.items():
            sheet = _sheet_name(name, used)
            frame = table.reset_index(drop=True).apply(
                lambda column: column.map({True: "ja", False: "nej"}) if pd.api.types.is_bool_dtype(column) else column)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            for row in worksheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        set_text(cell, cell.value)  # a label "=HYPERLINK(...)" is text, never a live formula
            worksheet.freeze_panes = "A2"
            worksheet.auto_filter.ref = worksheet.dimensions
            for cells in worksheet.columns:
                for cell in cells:
                    if isinstance(cell.value, dt.date):
                        cell.number_format = "DD-MM-YYYY"
                longest = max(len(str(cell.value)) if cell.value is not None else 0 for cell in cells)
                worksheet.column_dimensions[cells[0].column_letter].width = min(max(longest, 8) + 2, 50)
    return path


def _sheet_name(name: str, used: set[str]) -> str:
    """An Excel sheet name for ``name``: none of the characters Excel refuses, at most 31, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", str(name)).strip("' ")[:31] or "Tabel"
    sheet, number = base, 2
    while sheet.lower() in used:
        suffix = f" ({number})"
        sheet, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(sheet.lower())
    return sheet
