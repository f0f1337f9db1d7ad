"""What the workbench is asked for: a period, a type, an area or a centre, as kommune.yml spells them,
and the cases and problems they choose.

A column or table the register does not keep (``Register.not_recorded``, asked only through
:func:`recorded`) is unknown, not zero, as in the report: the workbench's cells read
:data:`NOT_RECORDED`, never ``0``, ``nej`` or empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from reportlib.exceptions import LabelError, ReportlibError
from reportlib.figures import coverage, stats
from reportlib.formatting import format_date, period_label
from reportlib.labels import label_key, unknown_centre_reason, unknown_label_reason
from reportlib.language import N_
from reportlib.periods import Period, parse_period
from reportlib.register.model import Register

#: The cell of a column the register does not keep: unknown, so never 0 or "nej".
NOT_RECORDED = "ikke registreret"


def recorded(register: Register, name: str) -> bool:
    """Tell whether the register keeps a column or a table; the workbench's one test of it.

    Parameters
    ----------
    register : Register
    name : str
        A column as ``table.column`` (``sager.udfald``) or a table (``aktiviteter``), as
        ``Register.not_recorded`` names them.

    Returns
    -------
    bool
        False where the register lacks it or leaves it empty in every row
        (:func:`reportlib.register.schema.not_recorded`): its values are unknown.
    """
    return name not in register.not_recorded



def _label(parameter: str, value: str, allowed: list[str], what: str) -> str:
    """Return ``value`` as spelled in kommune.yml (case and surrounding spaces ignored).

    ``what`` names the kind of label in English, marked with ``N_`` (``"area"``).
    """
    listed = {label_key(a): a for a in allowed}.get(label_key(value))
    if listed is None:
        raise LabelError(f"{parameter} '{value}': {unknown_label_reason(value, allowed, what)}")
    return listed


def area_label(register: Register, area: str) -> str:
    return _label("omraade", area, register.kommune.areas, N_("area"))


def centre_label(register: Register, area: str, centre: str) -> str:
    """Return ``centre`` as spelled in kommune.yml, looked for within ``area`` when one is given."""
    omraader = register.kommune.omraader
    allowed = omraader[area] if area else [c for centres in omraader.values() for c in centres]
    listed = {label_key(c): c for c in allowed}.get(label_key(centre))
    if listed is None:
        raise LabelError(f"center '{centre}': {unknown_centre_reason(centre, area or None, omraader)}")
    return listed


def counted_periods(register: Register, *, halves: bool = True,
                    today: dt.date | None = None) -> list[tuple[str, Period]]:
    """Each period the register covers, named, with the days the workbench counts of it.

    The days are the whole period where it has ended and the register is complete for it, else the
    part of it the register holds (:func:`~reportlib.figures.coverage.check_period`), named as
    interim: ``2025 (opgjort 1. januar 2025 – 31. oktober 2025)``. A period the register is complete for none
    of (cases after kommune.yml's ``komplet_til``) is left out.

    Parameters
    ----------
    register : Register
    halves : bool
        Each reporting year followed by its halves.
    today : date, optional
        Default: today.
    """
    today = today or dt.date.today()
    start_month, found = register.kommune.periode_start_maaned, []
    for period in coverage.covered_periods(register, halves=halves):
        try:
            counted = coverage.check_period(register, period, today, interim=True)
        except ReportlibError:  # none of its days
            continue
        label = period_label(period, start_month)
        found.append((label if counted == period else
                      f"{label} (opgjort {format_date(counted.start)} – {format_date(counted.end)})", counted))
    return found


def period_of(register: Register, text: str = "") -> Period:
    """Read a period argument with the register's reporting-year start month.

    Parameters
    ----------
    register : Register
    text : str
        Any form :func:`reportlib.periods.parse_period` reads, e.g. ``2018/19`` or ``START:END``;
        empty means the register's latest reporting year, ended or under way (the part of it the
        register holds: :func:`counted_periods`), so the workbench opens on any municipality's
        register without editing.

    Returns
    -------
    Period
        The period ``text`` names, reporting years starting in ``periode_start_maaned``.

    Raises
    ------
    PeriodError
        When :func:`reportlib.periods.parse_period` cannot read ``text``.
    """
    if not text.strip():  # a valid register has a case, so it covers at least one year
        return counted_periods(register, halves=False)[-1][1]
    return parse_period(text, register.kommune.periode_start_maaned)


def problemstillinger_of(register: Register, area: str, centre: str = "") -> Register:
    """Restrict the register's problem rows to one area, and optionally one centre within it.

    Cases and activities are kept as they are, so :func:`stats.topics <reportlib.figures.stats.topics>`
    and :func:`stats.distribution <reportlib.figures.stats.distribution>` of the result count only the
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
    area = area_label(register, area)
    problemstillinger = register.problemstillinger
    rows = problemstillinger["omraade"] == area
    if centre:
        rows &= problemstillinger["center"] == centre_label(register, area, centre)
    return dataclasses.replace(register, problemstillinger=problemstillinger[rows.to_numpy()].reset_index(drop=True))


def cases_of(register: Register, *, henvendelsestype: str = "", omraade: str = "", center: str = "") -> Register:
    """Keep the cases of one type, or whose primary problem lies in one area or centre.

    Parameters
    ----------
    register : Register
        The whole register or a selection of it.
    henvendelsestype, omraade, center : str
        Labels as in kommune.yml (case and surrounding spaces ignored); empty keeps all. A centre is
        looked for within ``omraade`` when that is given.

    Returns
    -------
    Register
        The chosen cases with all their problem rows; activities as they were.

    Raises
    ------
    LabelError
        When a label is not in kommune.yml.
    """
    kind, area, centre = resolve(register, henvendelsestype=henvendelsestype, omraade=omraade, center=center)
    keep = np.ones(len(register.sager), dtype=bool)
    if kind:
        keep &= (register.sager["henvendelsestype"] == kind).to_numpy()
    if omraade:
        keep &= (stats.primary(register, "omraade") == area).to_numpy()
    if centre:
        keep &= (stats.primary(register, "center") == centre).to_numpy()
    return stats.keep_cases(register, keep)


def resolve(register: Register, *, henvendelsestype: str = "", omraade: str = "",
            center: str = "") -> tuple[str, str, str]:
    """Spell a type, area and centre as kommune.yml does, and find the area of a centre given alone.

    Parameters
    ----------
    register : Register
    henvendelsestype, omraade, center : str
        Labels, case and surrounding spaces ignored; empty for none. A centre is looked for within
        ``omraade`` when that is given, else among all centres.

    Returns
    -------
    tuple of str
        ``(henvendelsestype, omraade, center)`` as listed in kommune.yml; ``omraade`` is the centre's
        own area when only the centre was given; empty where nothing was given.

    Raises
    ------
    LabelError
        When a label is not in kommune.yml, or the centre is not in the given area.
    """
    kind = (_label("henvendelsestype", henvendelsestype, register.kommune.henvendelsestyper, N_("type"))
            if henvendelsestype else "")
    area = area_label(register, omraade) if omraade else ""
    centre = centre_label(register, area, center) if center else ""
    if centre and not area:
        area = next(a for a, centres in register.kommune.omraader.items() if centre in centres)
    return kind, area, centre
