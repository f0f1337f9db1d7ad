"""The register as the validator returns it: typed tables and the configuration they were checked against.

Every layer above reads a register through this one type; :func:`reportlib.register.validate.load_register`
makes it, and its tables' columns are those of :mod:`reportlib.register.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reportlib.register.kommune import Kommune


@dataclass(frozen=True)
class Register:
    """A validated register: typed tables plus the configuration they were checked against.

    Attributes
    ----------
    kommune : Kommune
    sager : DataFrame
        One row per case: ``sag_id``, ``modtaget``, ``afsluttet`` (NaT while open),
        ``henvendelsestype``, ``kanal``, ``udfald`` (categoricals in kommune.yml order; NaN
        where empty), ``moede_deltaget``, ``klagebistand`` (bool), ``metode`` and ``resultat``
        (categoricals, all NaN where the register lacks the column).
    problemstillinger : DataFrame
        One row per problem: ``sag_id``, ``omraade``, ``center``, ``emne``, ``kategori``
        (categoricals), ``primaer`` (bool, exactly one True per case) and ``case_row`` (the
        case's row position in ``sager``).
    aktiviteter : DataFrame
        ``dato``, ``aktivitet`` (categorical), ``antal_borgere`` (nullable integer), ``omraade``
        (categorical, all NaN without the column).
    files : list of Path
        The input files read, ``kommune.yml`` included.
    ignored : dict
        Per table source (as messages name it), the header's columns that are not the contract's:
        never read, named once in ``reportlib validate``'s summary.
    left_out : dict
        Per table source, the rows that are not the table's, as (line, text): title rows above the
        header, a totals line or note at the foot; named in ``reportlib validate``'s summary.
    anbefalinger : DataFrame or None
        The optional table, one row per status of a recommendation: ``periode_start``,
        ``periode_slut`` (the period it was made in), ``nr`` (text), ``anbefaling`` (text),
        ``omraade``, ``status`` (categoricals) and ``status_dato``; None without the table.
    parts : frozenset of str
        The optional parts the register has (docs/register.md): ``sager.metode``,
        ``sager.resultat``, ``aktiviteter.omraade`` (the columns exist), ``egen_drift``
        (kommune.yml names the own-initiative activity) and ``anbefalinger`` (the table exists).
    not_recorded : frozenset of str
        What the register does not keep of :func:`reportlib.register.schema.not_recorded`: the columns
        its tables lack or leave empty in every row (``sager.kanal`` …), and ``aktiviteter`` when it
        keeps no such table or no row in it. Their frames hold empty or False values, which must not
        be counted as figures.
    """

    kommune: Kommune
    sager: pd.DataFrame
    problemstillinger: pd.DataFrame
    aktiviteter: pd.DataFrame
    files: list[Path] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)
    left_out: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    anbefalinger: pd.DataFrame | None = None
    parts: frozenset[str] = frozenset()
    not_recorded: frozenset[str] = frozenset()
