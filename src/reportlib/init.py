"""``reportlib init``: a new municipality's register folder, ready to fill in.

The folder gets a commented kommune.yml (Danish comments, a neutral taxonomy to edit), an empty
register.xlsx that prevents errors at the source (:mod:`reportlib.workbook`), and the narrative
scaffold of the reporting year under way. It is refused where a register exists already.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import jinja2

from .config import load_kommune
from .exceptions import InputError
from .narrative import Narrative
from .paths import KOMMUNE_FILE, TABLES, XLSX_FILE
from .periods import reporting_year_of
from .report import Beretning
from .scaffold import write_scaffold
from .workbook import write_template


def init_register(folder: Path, *, kommune: str, start_month: int = 1, indbyggere: int | None = None,
                  today: dt.date | None = None) -> list[Path]:
    """Create a register folder for a new municipality.

    Parameters
    ----------
    folder : Path
        Created if missing; it must not hold a register already.
    kommune : str
        The municipality's name, e.g. ``Fjordby Kommune``.
    start_month : int
        The month the reporting year starts (1-12).
    indbyggere : int, optional
        The population, for cases per 10,000 inhabitants.
    today : date, optional
        Decides the reporting year whose narrative scaffold is written.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        When the folder holds a register already (nothing is written).
    """
    present = [folder / name for name in (KOMMUNE_FILE, XLSX_FILE, *(f"{t}.csv" for t in TABLES))
               if (folder / name).exists()]
    if present:
        raise InputError(f"{folder}: holds a register already ({present[0].name}); nothing was written. Give a new "
                         "folder, or edit this one")
    folder.mkdir(parents=True, exist_ok=True)
    kommune_file = folder / KOMMUNE_FILE
    kommune_file.write_text(_template().render(kommune=kommune, start_month=start_month, indbyggere=indbyggere),
                            encoding="utf-8")
    config = load_kommune(folder)
    year = reporting_year_of(today or dt.date.today(), start_month)
    beretning = Beretning(config, year, None, Narrative(), folder)
    return [kommune_file, write_template(folder, config), write_scaffold(beretning)]


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("reportlib", "templates"), autoescape=False,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    return env.get_template("kommune.yml.j2")
