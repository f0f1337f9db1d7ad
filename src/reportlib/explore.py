"""Tables for the analyst's exploration notebook: across periods, by month, and down to single cases.

Everything here builds on :mod:`reportlib.stats` and returns tidy DataFrames; nothing draws. Unlike
the report, these tables are for the advisor's own office: :func:`case_table` shows one row per case
(never the free-text ``note``, which the register drops when it is read).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from . import stats
from .exceptions import LabelError
from .formatting import period_label
from .labels import label_key, unknown_centre_reason, unknown_label_reason
from .periods import Period, parse_period, reporting_year, reporting_year_of
from .validate import Register

OVERVIEW_COLUMNS = ("period", "cases_total", "complaints", "problems", "meetings_attended", "complaint_letters",
                    "drop_in_sessions", "drop_in_citizens", "open_at_end", "median_days")
CASE_COLUMNS = ("sag_id", "modtaget", "afsluttet", "henvendelsestype", "kanal", "udfald", "moede_deltaget",
                "klagebistand")
PRIMARY_COLUMNS = ("omraade", "center", "emne")  # taken from the case's primary problem



def _label(parameter: str, value: str, allowed: list[str], what: str) -> str:
    """Return ``value`` as spelled in kommune.yml (case and surrounding spaces ignored)."""
    listed = {label_key(a): a for a in allowed}.get(label_key(value))
    if listed is None:
        raise LabelError(f"{parameter} '{value}': {unknown_label_reason(value, allowed, what)}")
    return listed


def _area(register: Register, area: str) -> str:
    return _label("omraade", area, register.kommune.areas, "area")


def _centre(register: Register, area: str, centre: str) -> str:
    """Return ``centre`` as spelled in kommune.yml, looked for within ``area`` when one is given."""
    omraader = register.kommune.omraader
    allowed = omraader[area] if area else [c for centres in omraader.values() for c in centres]
    listed = {label_key(c): c for c in allowed}.get(label_key(centre))
    if listed is None:
        raise LabelError(f"center '{centre}': {unknown_centre_reason(centre, area or None, omraader)}")
    return listed


def period_of(register: Register, text: str) -> Period:
    """Read a period argument with the register's reporting-year start month.

    Parameters
    ----------
    register : Register
    text : str
        Any form :func:`reportlib.periods.parse_period` reads, e.g. ``2018/19`` or ``START:END``.

    Returns
    -------
    Period
        The period ``text`` names, reporting years starting in ``periode_start_maaned``.

    Raises
    ------
    PeriodError
        When :func:`reportlib.periods.parse_period` cannot read ``text``.
    """
    return parse_period(text, register.kommune.periode_start_maaned)


def reporting_years(register: Register) -> list[Period]:
    """List the reporting years from the first case's to the last case's that the register covers.

    Parameters
    ----------
    register : Register
        The whole register.

    Returns
    -------
    list of Period
        In date order; a year with no case and no activity is left out.
    """
    start_month = register.kommune.periode_start_maaned
    received = register.sager["modtaget"]
    first, last = (reporting_year_of(day.date(), start_month).start.year for day in (received.min(), received.max()))
    years = [reporting_year(year, start_month) for year in range(first, last + 1)]
    return [year for year in years if stats.covers(register, year)]


def overview(register: Register) -> pd.DataFrame:
    """Tabulate the key figures of every reporting year the register covers.

    Parameters
    ----------
    register : Register
        The whole register: open cases and handling time look at cases received earlier too.

    Returns
    -------
    DataFrame
        One row per year of :func:`reporting_years`: ``period`` (e.g. ``2018/19``), the
        :func:`stats.key_figures <reportlib.stats.key_figures>`, ``open_at_end`` and
        ``median_days`` (median handling time of the cases closed in the year; NaN if none).
    """
    start_month = register.kommune.periode_start_maaned
    rows = [{"period": period_label(year, start_month),
             **stats.key_figures(stats.select(register, year)),
             "open_at_end": stats.open_at_end(register, year),
             "median_days": stats.handling_time(register, year)["median"]}
            for year in reporting_years(register)]
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS)).astype({"median_days": float})


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


def problems_of(register: Register, area: str, centre: str = "") -> Register:
    """Restrict the register's problem rows to one area, and optionally one centre within it.

    Cases and activities are kept as they are, so :func:`stats.topics <reportlib.stats.topics>`
    and :func:`stats.distribution <reportlib.stats.distribution>` of the result count only the
    chosen rows.

    Parameters
    ----------
    register : Register
    area : str
        An area of kommune.yml (case and surrounding spaces ignored).
    centre : str
        A centre of that area; empty keeps every centre of the area.

    Returns
    -------
    Register

    Raises
    ------
    LabelError
        When the area, or the centre within that area, is not in kommune.yml.
    """
    area = _area(register, area)
    problemer = register.problemer
    rows = problemer["omraade"] == area
    if centre:
        rows &= problemer["center"] == _centre(register, area, centre)
    return dataclasses.replace(register, problemer=problemer[rows.to_numpy()].reset_index(drop=True))


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
        ``label, count, pct``: that area's part of :func:`stats.centres <reportlib.stats.centres>`.

    Raises
    ------
    LabelError
        When the area is not in kommune.yml.
    """
    area = _area(register, area)
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
        :data:`PRIMARY_COLUMNS` of its primary problem; never ``note`` or ``beskrivelse``.

    Raises
    ------
    LabelError
        When a filter is not in kommune.yml (a centre is looked for within ``omraade`` if given).
    """
    chosen = stats.select(register, period)
    problemer = chosen.problemer
    primary = problemer[problemer["primaer"].to_numpy()].set_index("case_row")[list(PRIMARY_COLUMNS)]
    cases = chosen.sager[list(CASE_COLUMNS)].join(primary)
    wanted = {}
    if henvendelsestype:
        wanted["henvendelsestype"] = _label("henvendelsestype", henvendelsestype,
                                            register.kommune.henvendelsestyper, "type")
    if omraade:
        wanted["omraade"] = _area(register, omraade)
    if center:
        wanted["center"] = _centre(register, wanted.get("omraade", ""), center)
    keep = np.ones(len(cases), dtype=bool)
    for column, label in wanted.items():
        keep &= (cases[column] == label).to_numpy()
    return cases[keep].reset_index(drop=True)
