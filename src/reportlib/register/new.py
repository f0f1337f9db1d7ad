"""``reportlib init``: a new municipality's register folder, ready to fill in.

The folder gets a commented kommune.yml (Danish comments, a neutral taxonomy to edit) and an empty
register.xlsx that prevents errors at the source (:mod:`reportlib.register.workbook`); the caller may
add files made from the new kommune.yml (the command line adds the narrative scaffold of the year
under way, a report-layer file this layer does not know). It is refused where a register exists already.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from reportlib.exceptions import InputError
from reportlib.files import write_new
from reportlib.inputs import REGISTER_FILE, read_bytes
from reportlib.jinja import environment
from reportlib.language import _
from reportlib.paths import KOMMUNE_FILE, XLSX_FILE
from reportlib.register import schema
from reportlib.register.kommune import Kommune, load_kommune
from reportlib.register.propose import CASE_COLUMNS, PROBLEM_COLUMNS, Proposal
from reportlib.register.workbook import write_new_workbook


def init_register(folder: Path, *, kommune: str, start_month: int = 1, indbyggere: int | None = None,
                  then: Callable[[Kommune], list[Path]] | None = None, found: Proposal | None = None) -> list[Path]:
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
    then : callable, optional
        Writes more files into the folder from its new kommune.yml and returns their paths; a fault
        in it removes everything, as a fault here does.
    found : Proposal, optional
        What :func:`reportlib.register.propose.propose` read off the municipality's own one-sheet
        workbook or CSV file (``init --from``): kommune.yml is written from it, and the export is
        copied, unchanged, as the folder's register.xlsx (a CSV file: as sager.csv and
        problemstillinger.csv, both read from it).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        When the folder holds a register already, or the name cannot be a municipality's (nothing is written).
    RunFailed
        When the folder cannot be created or written.
    """
    if not kommune.strip() or any(not character.isprintable() for character in kommune):
        raise InputError(_("--kommune {name}: give the municipality's name on one line, e.g. 'Fjordby Kommune'").format(
            name=repr(kommune)))
    present = [folder / name for name in (KOMMUNE_FILE, XLSX_FILE, *(f"{t}.csv" for t in schema.tables(optional=False)))
               if (folder / name).exists()]
    if present:
        raise InputError(_("{folder}: holds a register already ({file}); nothing was written. Give a new folder, or "
                           "edit this one").format(folder=folder, file=present[0].name))
    created = [parent for parent in (folder, *folder.parents) if not parent.exists()]
    written: list[Path] = []
    try:
        text = environment().get_template("kommune.yml.j2").render(
            kommune=kommune, start_month=start_month, indbyggere=indbyggere, found=found,
            case_columns=CASE_COLUMNS, problem_columns=PROBLEM_COLUMNS)
        written.append(write_new(folder / KOMMUNE_FILE, text))
        config = load_kommune(folder)
        if found is not None:  # the export as it is; a CSV file holds both tables, so is both files
            content = read_bytes(found.source, REGISTER_FILE)
            names = [XLSX_FILE] if found.sheet is not None else ["sager.csv", "problemstillinger.csv"]
            written.extend(write_new(folder / name, content) for name in names)
        else:
            written.append(write_new_workbook(folder, config))
        if then is not None:
            written.extend(then(config))
    except BaseException:  # a fault half-way (Ctrl+C included) leaves the folder as it was
        for path in written:
            path.unlink(missing_ok=True)
        for parent in created:  # innermost first; only what this call made, and only when empty
            with contextlib.suppress(OSError):
                parent.rmdir()
        raise
    return written
