"""What is said of one printing of a report: the date it is published and the board meeting it goes to.

Both are the run's (``reportlib run --dato 2019-12-02 --moede "..."``), not the register's. Publishing
reads them once, before anything is written, keys the report by them and hands them to the notebook
as its parameters ``dato`` and ``moede`` (:meth:`Edition.parameters`), which
:func:`reportlib.report.beretning.load_beretning` reads back as the same edition. Imports nothing
heavy: a scheduled run of a current period reads its edition too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlib.exceptions import EditionInvalid
from reportlib.language import _


@dataclass(frozen=True)
class Edition:
    """The date of publication (None: not said) and the board meeting (empty: not said), for the report's title."""

    dato: dt.date | None = None
    moede: str = ""

    @classmethod
    def parse(cls, dato: str = "", moede: str = "") -> Edition:
        """Read the notebook's parameters ``dato`` (ISO date or empty) and ``moede`` (one line or empty).

        Raises
        ------
        EditionInvalid
            When ``dato`` is no ISO date, or ``moede`` is not one printable line of at most 200 characters.
        """
        try:
            day = dt.date.fromisoformat(dato.strip()) if dato.strip() else None
        except ValueError:
            raise EditionInvalid(_("--dato {value}: not a date; write it as YYYY-MM-DD, e.g. 2019-12-02").format(
                value=repr(dato))) from None
        if not moede.isprintable() or len(moede) > 200:
            raise EditionInvalid(_("--moede {value}: give the meeting on one line of at most 200 characters, "
                                   "e.g. 'Kommunalbestyrelsens møde 12. december 2019'").format(value=repr(moede[:60])))
        return cls(day, moede.strip())

    def parameters(self) -> dict[str, str]:
        """The notebook's parameters ``dato`` and ``moede`` that :meth:`parse` reads back as this edition."""
        return {"dato": self.dato.isoformat() if self.dato else "", "moede": self.moede}
