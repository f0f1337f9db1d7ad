"""The commands that set up and check a register folder: validate, init, template, narrative."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportlib import language
from reportlib.cli import common
from reportlib.exceptions import RegisterInvalid, grouped
from reportlib.language import _, ngettext
from reportlib.paths import narrative_path
from reportlib.periods import PERIOD_FORMS

if TYPE_CHECKING:
    from reportlib.register.model import Register
    from reportlib.register.propose import Proposal


@click.command()
@common.data_option
@click.option("--alle", "every_cell", is_flag=True, help="List every cell with a problem, not one line per problem.")
def validate(data: Path, every_cell: bool) -> None:
    """Check the register against the input contract and print a summary.

    Each distinct problem is printed once, as FILE:LINE: column 'COL': value 'VAL': reason and the
    fix, with the number of rows and the first lines where it recurs (--alle: every cell), and the
    command exits 2. Nothing is ever written into the register folder.
    """
    common.speak_as(data)
    register = common.checked(common.load_register, data, every_cell=every_cell)
    click.echo(format_summary(register))
    common.warn_personal_data(data)


@click.command()
@click.option("--period", "period_text", required=True, metavar="P", help=f"The period: {PERIOD_FORMS}.")
@common.data_option
@click.option("--format", "suffix", type=click.Choice(["md", "docx"]), default="md", show_default=True,
              callback=lambda ctx, param, value: f".{value}", help="Markdown (md) or Word (docx).")
def narrative(period_text: str, data: Path, suffix: str) -> None:
    """Write the period's narrative scaffold, beretning_START_END.md (or .docx), into the register folder.

    Every chapter heading with Danish guidance, the period's key figures and last year's
    recommendations to follow up, as HTML comments that the report never shows; in Word, the
    chapters are Heading 1 and the guidance is in the paragraph style Vejledning, which the report
    leaves out. A narrative of the period in either format is never overwritten (exit 2), but for
    a Markdown scaffold nobody has written in, which a Word scaffold replaces.
    """
    from reportlib.report.beretning import load_beretning
    from reportlib.report.scaffold import write_scaffold

    common.speak_as(data)
    period = common.period_of(period_text, data)
    # A narrative is written while its period goes on: its key figures are what the register holds so far.
    beretning = common.checked(lambda folder: load_beretning(folder, period.start.isoformat(),
                                                             period.end.isoformat(), foreloebig=True), data)
    markdown = narrative_path(beretning.data_dir, beretning.period, ".md")
    was_there = markdown.exists()
    path = common.guarded(lambda: write_scaffold(beretning, suffix))
    click.echo(_("{path}: written; fill in the chapters (the comments are guidance and are never published)")
               .format(path=path))
    if was_there and not markdown.exists():
        click.echo(_("{markdown}: removed, as nobody had written in it; the narrative is now {path}").format(
            markdown=markdown, path=path))


@click.command()
@click.argument("folder", type=common.Location(path_type=Path, file_okay=False))
@click.option("--kommune", "name", required=True, metavar="NAME", help="The municipality, e.g. 'Fjordby Kommune'.")
@click.option("--start-maaned", "start_month", type=click.IntRange(1, 12), default=1, show_default=True, metavar="M",
              help="The month the reporting year starts (1 = January, 11 = November).")
@click.option("--indbyggere", type=click.IntRange(min=1), default=None, metavar="N",
              help="The population, for cases per 10,000 inhabitants.")
@click.option("--from", "export", type=common.Location(path_type=Path, dir_okay=False), default=None, metavar="EXPORT",
              help="The municipality's own one-sheet workbook (.xlsx) or CSV file: kommune.yml is proposed from "
                   "its headers and values, and the file is copied, unchanged, as the register.")
@click.option("--narrative", "suffix", type=click.Choice(["md", "docx"]), default="md", show_default=True,
              callback=lambda ctx, param, value: f".{value}",
              help="The narratives' format: Markdown (md) or Word (docx).")
def init(folder: Path, name: str, start_month: int, indbyggere: int | None, export: Path | None,
         suffix: str) -> None:
    """Create a register folder for a new municipality: kommune.yml, register.xlsx and the narratives.

    kommune.yml has Danish comments and a neutral taxonomy to edit; register.xlsx has drop-down
    lists from it; the narrative scaffolds are for the last completed reporting year and the one
    under way. With --from, kommune.yml is proposed from the municipality's own export, which is
    copied unchanged as the register. A folder that holds a register already is refused (exit 2).
    """
    from reportlib.register.new import init_register
    from reportlib.register.privacy import exposed_folder
    from reportlib.register.propose import propose
    from reportlib.report.scaffold import write_first_scaffolds

    # A new register speaks Danish, as the kommune.yml written for it says, unless told otherwise.
    if os.environ.get(language.ENVIRONMENT_VARIABLE) is None:
        language.choose("da")
    warning = exposed_folder(folder)
    found = common.guarded(lambda: propose(export)) if export is not None else None  # before anything is written
    written = common.guarded(lambda: init_register(
        folder, kommune=name, start_month=start_month, indbyggere=indbyggere, found=found,
        then=lambda config: write_first_scaffolds(config, folder, suffix=suffix)))
    for path in written:
        click.echo(_("{path}: written").format(path=path))
    if warning:
        common.warn(warning)
    if found is not None:
        _report_proposal(folder, found)
        return
    click.echo(_("next: edit {kommune}, run `reportlib template --data {folder}` if you change its lists, "
                 "enter the cases in {workbook}, and `reportlib validate --data {folder}`")
               .format(kommune=written[0], folder=folder, workbook=written[1]))


@click.command()
@common.data_option
def template(data: Path) -> None:
    """Rewrite register.xlsx's drop-down lists and formats from kommune.yml, keeping everything else.

    Every row, column, sheet, comment and cell of the workbook stays where it is; the new workbook
    replaces the old only when, read back, it proves that, and the old one is kept beside it as
    register-kopi-YYYYMMDD-HHMMSS.xlsx. Refused (exit 2, the workbook untouched) when it is open in
    Excel or LibreOffice, read-only, or holds what a rewrite would lose (formulas in a table
    sheet, say); exit 1 when the folder cannot be written.
    """
    from reportlib.register.kommune import load_kommune
    from reportlib.register.refresh import refresh_workbook

    common.speak_as(data)
    kommune = common.checked(load_kommune, data)
    done = common.guarded(lambda: refresh_workbook(data, kommune,
                                                   progress=lambda step: click.echo(f"template: {step}", err=True)))
    kept = ngettext("{path}: lists and formats rewritten from kommune.yml; all {rows} row and everything else "
                    "kept; the old workbook is kept as {backup}",
                    "{path}: lists and formats rewritten from kommune.yml; all {rows} rows and everything else "
                    "kept; the old workbook is kept as {backup}", done.rows)
    click.echo(kept.format(path=done.path, rows=language.number(done.rows), backup=done.backup.name))


def _report_proposal(folder: Path, found: Proposal) -> None:
    """Say in Danish what ``init --from`` guessed from the export, what to check, and whether it validates."""
    from reportlib.register.validate import load_register

    sheet = f", arket »{found.sheet}«" if found.sheet else ""
    click.echo(f"\nFra {found.source.name}{sheet} ({found.rows} rækker):")
    for column, header in found.columns.items():
        click.echo(f"  {header:<24} -> {column}" + ("  (fritekst: læses aldrig)" if column == "note" else ""))
    if found.unread:
        click.echo(f"  læses ikke: {', '.join(found.unread)}")
    if found.left_out:  # a title above the header, a totals line or note at the foot: validate leaves them out too
        rows = "; ".join(f"linje {line} »{text}«" for line, text in found.left_out)
        click.echo(f"  rækker, der ikke er sager (titel, sum eller note), læses ikke: {rows}")
    click.echo(f"Tjek i {folder / 'kommune.yml'}:")
    click.echo(f"  - klagetypen: {found.complaint_type or 'ingen type hedder »Klage…«; skriv klagetype'}")
    proposals = [(labels, label, others) for labels in found.labels.values()
                 for label, others in labels.synonyms.items()]
    if proposals:  # never applied by init: each spelling counts on its own until the user accepts
        click.echo("  - forslag til stavemåder, der nok er det samme (tælles hver for sig, indtil I tager imod: "
                   "fjern # foran linjerne under »synonymer« nederst i kommune.yml, og slet stavemåden fra listen):")
    for labels, label, others in proposals:
        spellings = ", ".join(f"'{other}' ({labels.counts[other]})" for other in others)
        click.echo(f"      er {spellings} det samme som '{label}' ({labels.counts[label]})?")
    categories = ", ".join(f"{category} ({len(topics)} emner)" for category, topics in found.categories.items())
    click.echo(f"  - kategorierne under emner er et forslag ud fra emnernes navne: {categories}; ret dem, og ret "
               "stavemåder og rækkefølge i listerne")
    try:
        register = load_register(folder)
    except RegisterInvalid as exc:
        # A value kommune.yml does not list is fixed there as often as in the sheet: each message says which.
        click.echo(f"Registret har {len(exc.problems)} fejl; ret dem i regnearket (den nævnte række) eller, for "
                   f"en værdi, der ikke står i listerne, i {folder / 'kommune.yml'} "
                   f"(reportlib validate --data {folder} viser dem):", err=True)
        for line in grouped(exc.problems):
            click.echo(line, err=True)
        return
    click.echo(f"Registret er gyldigt: {len(register.sager)} sager. Næste skridt: "
               f"reportlib run --period latest --data {folder}")


def format_summary(register: Register) -> str:
    """Return the short summary ``reportlib validate`` prints for a valid register."""
    sager = register.sager
    rows = [
        (_("municipality"), f"{register.kommune.kommune} ({register.kommune.funktion})"),
        (_("cases"), language.number(len(sager))),
        (_("problemstillinger"), language.number(len(register.problemstillinger))),
        (_("activities"), language.number(len(register.aktiviteter))),
        (_("first received"), f"{sager['modtaget'].min():%Y-%m-%d}"),
        (_("last received"), f"{sager['modtaget'].max():%Y-%m-%d}"),
        (_("open cases"), language.number(int(sager["afsluttet"].isna().sum()))),
    ]
    # Columns the contract does not know are never read (they may hold names or CPR numbers): say so once.
    rows += [(_("ignored columns"), _("{source}: {columns} (not read)").format(source=source,
                                                                              columns=", ".join(columns)))
             for source, columns in register.ignored.items()]
    # Rows that are not the table's (a title above the header, a totals line or note at the foot): named, not read.
    rows += [(_("rows not read"), _("{source}: {rows} (a title, totals or note, not a case)").format(
        source=source, rows="; ".join(_("line {line} '{text}'").format(line=line, text=text) for line, text in lines)))
             for source, lines in register.left_out.items()]
    if register.parts:  # docs/register.md: the optional parts the report shows
        rows.append((_("optional parts"), ", ".join(sorted(register.parts))))
    width = max(len(name) for name, _value in rows)
    return _("register is valid") + "\n" + "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)
