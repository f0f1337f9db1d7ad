"""The ``reportlib`` command line.

Exit codes: 0 success (or nothing to do), 1 a report could not be produced (the notebook or an
export failed, or another run holds the period), 2 a problem in the user's input (register,
kommune.yml, narrative, arguments). Problems in the user's data never end in a Python traceback.

pandas, pydantic, papermill, nbconvert and WeasyPrint are imported inside the commands that need
them, so that a scheduled run of an up-to-date period costs little more than starting Python
(tests/test_run.py holds that).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from reportlib import __version__, language
from reportlib.exceptions import InputError, RegisterInvalid, ReportlibError, grouped
from reportlib.language import N_, _, ngettext
from reportlib.paths import CLONE, DATA_RAW, DEFAULT_FORMATS, DEFAULT_TIMEOUT, FORMATS, OUTPUTS, REPORT_NOTEBOOK
from reportlib.periods import LATEST, PERIOD_FORMS, Period, parse_period
from reportlib.publish.freshness import configured_language, start_month

if TYPE_CHECKING:
    from reportlib.register.model import Register
    from reportlib.register.propose import Proposal

EXIT_FAILED = 1
EXIT_INVALID = 2
T = TypeVar("T")


def _shown(default: Path) -> str:
    """How --help shows a default path: the clone's own, or one in the current folder (installed from a wheel)."""
    return str(default) if default.is_absolute() else f"{default} in the current folder"


_min_celle_option = click.option(
    "--min-celle", type=click.IntRange(min=0), default=None, metavar="N",
    help="Withhold counts 1..N-1 in the area, centre, topic and category tables "
         "[default: min_celle in kommune.yml, else 0 = off].",
)
_data_option = click.option(
    "--data", "data", type=click.Path(path_type=Path), default=DATA_RAW, show_default=_shown(DATA_RAW),
    help="Register folder: kommune.yml plus sager, problemstillinger and aktiviteter (CSV or register.xlsx).",
)
_registers_option = click.option(
    "--data", "data", type=click.Path(path_type=Path), multiple=True, default=[DATA_RAW],
    show_default=_shown(DATA_RAW),
    help="Register folder: kommune.yml plus sager, problemstillinger and aktiviteter (CSV or register.xlsx). "
         "Give it once per municipality to run several in one batch, each into OUT/<municipality>/.",
)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        language.choose(value)
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportlib")
@click.option("--sprog", type=click.Choice(language.LANGUAGES), default=None, callback=_choose_language,
              is_eager=True, expose_value=False,
              help="The language of the messages: da (dansk) or en [default: REPORTLIB_SPROG, else sprog in the "
                   "register's kommune.yml, else en].")
def main() -> None:
    """Turn a citizen advisor's case register into the annual report (beretning)."""


def _speak_as(data: Path) -> None:
    """Give messages in the register's language (kommune.yml's ``sprog``) unless one was chosen already.

    Read before the register is checked, so that its problems, too, are in that language; set in the
    environment, so the notebook's kernel and the worker processes of ``--all`` speak it as well.
    """
    if os.environ.get(language.ENVIRONMENT_VARIABLE) is None and (chosen := configured_language(data)):
        language.choose(chosen)


@main.command()
@_data_option
@click.option("--alle", "every_cell", is_flag=True, help="List every cell with a problem, not one line per problem.")
def validate(data: Path, every_cell: bool) -> None:
    """Check the register against the input contract and print a summary.

    Each distinct problem is printed once, as FILE:LINE: column 'COL': value 'VAL': reason and the
    fix, with the number of rows and the first lines where it recurs (--alle: every cell), and the
    command exits 2. Nothing is ever written into the register folder.
    """
    _speak_as(data)
    register = _checked(_load_register, data, every_cell=every_cell)
    click.echo(format_summary(register))
    _warn_personal_data(data)


_interim_option = click.option(
    "--foreloebig", "interim", is_flag=True,
    help="Count a period that has not ended, or that reaches past the days the register is complete for "
         "(kommune.yml's komplet_til), as far as the register holds it, marked as interim (foreløbig).")


_ledger_option = click.option(
    "--out", type=click.Path(path_type=Path), default=OUTPUTS, show_default=_shown(OUTPUTS),
    help="The outputs folder the reports are published in: no count withheld may be recovered from the period's "
         "figures and the reports published there together (its publication ledger).")


@main.command()
@click.option("--period", "period_text", required=True, metavar="P", help=f"The period: {PERIOD_FORMS}.")
@_data_option
@_ledger_option
@_min_celle_option
@_interim_option
def figures(period_text: str, data: Path, out: Path, min_celle: int | None, interim: bool) -> None:
    """Print every figure of the report for a period as one JSON document.

    A period that has not ended, or that reaches outside the days the register is complete for, is
    refused (exit 2) unless --foreloebig counts what the register holds of it.
    """
    from reportlib.figures.document import to_json

    _speak_as(data)
    register = _load(data)
    click.echo(to_json(_protected_figures(register, _period(period_text, data, register), out, min_celle=min_celle,
                                          interim=interim)[0]), nl=False)


def _protected_figures(register: Register, period: Period, out: Path, *, min_celle: int | None,
                       interim: bool) -> tuple[dict, list[dict]]:
    """The period's figures as ``run`` would publish them into ``out``, and the ledger's documents they respect."""
    from reportlib.figures.document import figures as compute_figures
    from reportlib.publish.ledger import published
    from reportlib.publish.run import withholds

    counted = _reportable(register, period, interim=interim)
    earlier = published(out, register.kommune.kommune) if withholds(register, min_celle) else []
    return compute_figures(register, counted, min_celle=min_celle, interim_of=period if counted != period else None,
                           published=earlier), earlier


@main.command()
@click.option("--period", "period_text", required=True, metavar="P", help=f"The period: {PERIOD_FORMS}.")
@_data_option
@_ledger_option
@_min_celle_option
@_interim_option
@click.option("--alle", "every_count", is_flag=True,
              help="List every small count with what a reader can tell of it, not only those the reader can narrow.")
def tjek(period_text: str, data: Path, out: Path, min_celle: int | None, interim: bool, every_count: bool) -> None:
    """Check, before publishing, that no small count can be recovered from the period's report and the others.

    Makes the period's figures as `reportlib run` would publish them into --out, then reads them and
    every report published there as a hostile reader would: for every count from 1 to min_celle - 1
    of every cell, in every stretch of days the reports cut time into, the least and greatest value
    all of them together allow (linear programming). Exits 1 when one can be narrowed to less than
    min_celle (or less than the totals shown in full already allow), naming it.
    """
    from reportlib.figures.document import audit
    from reportlib.formatting import period_label

    _speak_as(data)
    register = _load(data)
    period = _period(period_text, data, register)
    document, earlier = _protected_figures(register, period, out, min_celle=min_celle, interim=interim)
    start = register.kommune.periode_start_maaned
    disclosure = document["disclosure"]
    if disclosure is None:
        click.echo(_("{period}: min_celle is 0, so no count is withheld and there is nothing to check").format(
            period=period_label(period, start)))
        return
    findings = audit(register, document, earlier)
    click.echo(_("{period}: {withheld} counts withheld (min_celle {min_celle}): {small} by the small-cell rule in "
                 "their tables, and {protecting} more so that no small count can be worked out from the tables "
                 "together or with other reports").format(
        period=period_label(period, start), withheld=disclosure["withheld"], min_celle=document["min_celle"],
        small=disclosure["withheld"] - disclosure["protecting"], protecting=disclosure["protecting"]))
    _list_periods(_("Read together with the reports published before in {out}:").format(out=out),
                  disclosure["published_with"], start)
    _list_periods(_("Left out, made from another version of the register (a count they show differs from it now):"),
                  disclosure["disregarded"], start)
    narrowed = [finding for finding in findings if not finding.protected]
    for finding in findings if every_count else narrowed:
        click.echo(f"  {_describe(finding, start)}")
    if narrowed:
        _error(ngettext("{count} small count can be worked out from what is published: withhold more, or do not "
                        "publish this period",
                        "{count} small counts can be worked out from what is published: withhold more, or do not "
                        "publish this period", len(narrowed)).format(count=len(narrowed)), EXIT_FAILED)
    click.echo(ngettext("{count} small count checked: a reader of all the reports cannot narrow it below {min_celle}.",
                        "{count} small counts checked: a reader of all the reports cannot narrow any of them below "
                        "{min_celle}.", len(findings)).format(count=len(findings), min_celle=document["min_celle"]))


def _list_periods(heading: str, periods: list[dict], start: int) -> None:
    from reportlib.formatting import period_label
    from reportlib.periods import period_between

    if periods:
        click.echo(heading)
        for period in periods:
            click.echo(f"  {period_label(period_between(**period), start)}")


_CELLS = {
    "areas": N_("area '{label}'"),
    "centres": N_("centre '{label}' ({area})"),
    "categories": N_("complaint category '{label}'"),
    "topics": N_("topic '{label}'"),
    "methods": N_("method '{label}' ({area})"),
    "examined": N_("examined cases ({label})"),
    "themes": N_("national theme '{label}'"),
}


def _describe(finding, start: int) -> str:
    """One small count as tjek prints it: the cell, the days, and what a reader can tell of it."""
    from reportlib.formatting import format_int, period_label

    kind, *names = finding.key
    cell = _(_CELLS[kind]).format(label=names[-1], area=names[0])
    high = "∞" if finding.high == float("inf") else format_int(int(finding.high))
    told = _("{cell}, {days}: between {low} and {high}").format(
        cell=cell, days=period_label(finding.span, start), low=format_int(finding.low), high=high)
    if finding.protected:
        return told
    if finding.bar.low is None:
        return _("{told}; it must be able to be {high} or more").format(
            told=told, high=format_int(int(finding.bar.high)))
    return _("{told}; it must be able to be anything from {low} to {high}, as the figures shown in full allow").format(
        told=told, low=format_int(finding.bar.low), high=format_int(int(finding.bar.high)))


@main.command()
@click.option("--period", "period_text", required=True, metavar="P", help=f"The period: {PERIOD_FORMS}.")
@_data_option
@click.option("--format", "suffix", type=click.Choice(["md", "docx"]), default="md", show_default=True,
              callback=lambda ctx, param, value: f".{value}", help="Markdown (md) or Word (docx).")
def narrative(period_text: str, data: Path, suffix: str) -> None:
    """Write the period's narrative scaffold, beretning_START_END.md (or .docx), into the register folder.

    Every chapter heading with Danish guidance, the period's key figures and last year's
    recommendations to follow up, as HTML comments that the report never shows; in Word, the
    chapters are Heading 1 and the guidance is in the paragraph style Vejledning, which the report
    leaves out. A narrative of the period in either format is never overwritten (exit 2).
    """
    from reportlib.report.beretning import load_beretning
    from reportlib.report.scaffold import write_scaffold

    _speak_as(data)
    period = _period(period_text, data)
    # A narrative is written while its period goes on: its key figures are what the register holds so far.
    beretning = _checked(lambda folder: load_beretning(folder, period.start.isoformat(), period.end.isoformat(),
                                                       foreloebig=True), data)
    path = _guarded(lambda: write_scaffold(beretning, suffix))
    click.echo(_("{path}: written; fill in the chapters (the comments are guidance and are never published)")
               .format(path=path))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--kommune", "name", required=True, metavar="NAME", help="The municipality, e.g. 'Fjordby Kommune'.")
@click.option("--start-maaned", "start_month", type=click.IntRange(1, 12), default=1, show_default=True, metavar="M",
              help="The month the reporting year starts (1 = January, 11 = November).")
@click.option("--indbyggere", type=click.IntRange(min=1), default=None, metavar="N",
              help="The population, for cases per 10,000 inhabitants.")
@click.option("--from", "export", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="EXPORT",
              help="The municipality's own one-sheet workbook (.xlsx) or CSV file: kommune.yml is proposed from "
                   "its headers and values, and the file is copied, unchanged, as the register.")
def init(folder: Path, name: str, start_month: int, indbyggere: int | None, export: Path | None) -> None:
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
    found = _guarded(lambda: propose(export)) if export is not None else None  # before anything is written
    written = _guarded(lambda: init_register(folder, kommune=name, start_month=start_month, indbyggere=indbyggere,
                                             then=lambda config: write_first_scaffolds(config, folder),
                                             found=found))
    for path in written:
        click.echo(_("{path}: written").format(path=path))
    if warning:
        _warn(warning)
    if found is not None:
        _report_proposal(folder, found)
        return
    click.echo(_("next: edit {kommune}, run `reportlib template --data {folder}` if you change its lists, "
                 "enter the cases in {workbook}, and `reportlib validate --data {folder}`")
               .format(kommune=written[0], folder=folder, workbook=written[1]))


@main.command()
@_data_option
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

    _speak_as(data)
    kommune = _checked(load_kommune, data)
    done = _guarded(lambda: refresh_workbook(data, kommune,
                                             progress=lambda step: click.echo(f"template: {step}", err=True)))
    kept = ngettext("{path}: lists and formats rewritten from kommune.yml; all {rows} row and everything else "
                    "kept; the old workbook is kept as {backup}",
                    "{path}: lists and formats rewritten from kommune.yml; all {rows} rows and everything else "
                    "kept; the old workbook is kept as {backup}", done.rows)
    click.echo(kept.format(path=done.path, rows=language.number(done.rows), backup=done.backup.name))


def _warn_personal_data(data: Path) -> None:
    from reportlib.register.privacy import tracked_personal_data

    for warning in tracked_personal_data(data):
        _warn(warning)


def _warn(warning: str, label: str = "") -> None:
    click.echo(f"{label}: " * bool(label) + _("warning: {warning}").format(warning=warning), err=True)


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    if not chosen or any(f not in FORMATS for f in chosen):
        raise click.BadParameter(_("'{value}': give one or more of html, pdf and docx, e.g. html,pdf,docx")
                                 .format(value=value))
    return chosen


@main.command()
@click.option("--period", "period_text", metavar="P", help=f"The period: {PERIOD_FORMS}.")
@click.option("--all", "all_periods", is_flag=True,
              help="Every complete reporting year and half-year the register covers.")
@_registers_option
@click.option("--out", type=click.Path(path_type=Path), default=OUTPUTS, show_default=_shown(OUTPUTS),
              help="Where the report folder OUT/START_END/ is written (several --data: OUT/<municipality>/START_END/, "
                   "the folder named from kommune.yml's kommune, e.g. ballerup-kommune).")
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True, callback=_formats,
              help="Documents to write, comma-separated: html, pdf, docx (Word).")
@_min_celle_option
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of cores",
              help="With --all: how many periods run at once.")
@click.option("--scheduler", default=None, metavar="ADDRESS", callback=lambda ctx, param, value: _scheduler(value),
              help="Run the periods on an existing Dask cluster, e.g. tcp://HOST:8786, one per worker (instead of "
                   "--jobs); its workers must see the register folders, the notebook and OUT at the same paths.")
@click.option("--notebook", type=click.Path(path_type=Path, dir_okay=False), default=REPORT_NOTEBOOK,
              show_default=f"{REPORT_NOTEBOOK}{'' if CLONE else ', packaged with reportlib'}",
              help="The report notebook to run, e.g. an analyst's copy with sections of their own.")
@click.option("--timeout", type=click.IntRange(min=1), default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
              help="Stop the run (exit 1) when a notebook cell runs longer than this: a hung kernel never blocks cron.")
@click.option("--force", is_flag=True, help="Run even when the published report is up to date.")
@click.option("--udkast", is_flag=True, help="Mark the report as a draft (UDKAST) on every PDF page and in the HTML.")
@_interim_option
@click.option("--dato", default="", metavar="YYYY-MM-DD", help="The date of publication, shown on the title.")
@click.option("--moede", default="", metavar="TEXT",
              help="The board meeting the report goes to, shown on the title, e.g. 'Byrådets møde 12. december 2019'.")
@click.option("--network", "network_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              metavar="FILE", help="The network's figures of the period (network.json, from `reportlib network`): the "
                                   "report gains the section 'Sammenlignet med andre kommuner'.")
def run(period_text: str | None, all_periods: bool, data: tuple[Path, ...], out: Path, formats: tuple[str, ...],
        min_celle: int | None, jobs: int, scheduler: str | None, notebook: Path, timeout: int, force: bool,
        udkast: bool, interim: bool, dato: str, moede: str, network_file: Path | None) -> None:
    """Produce the report of a period (or of all of them): validate, run the notebook, export.

    Writes OUT/START_END/ with beretning.html, beretning.pdf, beretning.ipynb (the executed notebook),
    figures.json and manifest.json. The folder is replaced only when everything succeeded; if the
    notebook fails, the failed notebook is kept at OUT/START_END.failed.ipynb and the command exits 1.
    A period whose register, narrative, notebook, code and parameters are unchanged since its last
    good run is skipped (--force reruns it). Safe to run from cron. What the report lacks (a chapter
    of the narrative, a chart's alt text) is printed as a warning and recorded in manifest.json.

    Several --data run as one batch, each municipality into OUT/<municipality>/START_END/; with
    --scheduler the periods run on a Dask cluster's workers, which write OUT (a shared folder).
    """
    _speak_as(data[0])  # several registers: the first one's language, unless one was chosen
    if (period_text is not None) == all_periods:
        raise click.UsageError(_("give either --period P or --all"))
    if network_file is not None and all_periods:  # a network compares one period
        raise click.UsageError(_("--network goes with --period P, the period of the network's figures, not --all"))
    if interim and (all_periods or len(data) > 1 or scheduler is not None):  # --all reports complete periods only
        raise click.UsageError(_("--foreloebig goes with one --period P of one register (--data), not --all, several "
                                 "--data or --scheduler"))
    if not notebook.is_file():
        _fail(_("{notebook}: report notebook not found; give the path of an .ipynb file with --notebook")
              .format(notebook=notebook))
    options = {"formats": formats, "min_celle": min_celle, "notebook": notebook.resolve(), "udkast": udkast,
               "dato": dato, "moede": moede, "network": network_file.resolve() if network_file else None}
    if all_periods or len(data) > 1 or scheduler is not None:
        _run_batch(period_text, registers=[folder.resolve() for folder in data], out=out, jobs=jobs,
                   scheduler=scheduler, force=force, timeout=timeout, **options)
    else:
        _run_one(period_text, data=data[0].resolve(), out=out, force=force, timeout=timeout, interim=interim,
                 **options)


def _scheduler(address: str | None) -> str | None:
    """Check the form of a --scheduler address (distributed is imported only when one is given)."""
    if address is None:
        return None
    from reportlib.publish.batch import check_scheduler

    try:
        return check_scheduler(address.strip())
    except ValueError as exc:
        raise click.BadParameter(_("'{value}': give the Dask scheduler's address, e.g. tcp://HOST:8786 ({reason})")
                                 .format(value=address, reason=exc)) from None


def _run_one(period_text: str, *, force: bool, timeout: int, interim: bool, **options) -> None:
    from reportlib.publish.run import run_period

    # kommune.yml's month without its schema: pydantic would cost an up-to-date period more than all the rest.
    period = _period(period_text, options["data"], start=start_month(options["data"]))
    label = click.style(period.slug, bold=True)
    try:
        result = run_period(period, force=force, timeout=timeout, interim=interim,
                            on_start=lambda: _warn_personal_data(options["data"]),
                            progress=lambda step: click.echo(f"{label}: {step}", err=True), **options)
    except RegisterInvalid as exc:
        _report_invalid(exc, options["data"])
    except InputError as exc:
        _fail(str(exc))
    except ReportlibError as exc:  # the notebook, an export or the output failed, or another run holds the period
        _error(exc, EXIT_FAILED)
    if result.skipped:
        click.echo(_("{folder}: up to date (register, narrative, notebook, code and parameters unchanged since its "
                     "last run); nothing to do, --force reruns it").format(folder=result.folder))
        return
    for warning in result.warnings:
        _warn(warning, label)
    click.echo(f"{result.folder}: {', '.join(result.outputs)}")


def _run_batch(period_text: str | None, *, registers: list[Path], out: Path, jobs: int, scheduler: str | None,
               force: bool, **options) -> None:
    """Run every period (or the one given) of one register or several, in worker processes or on a Dask cluster."""
    from reportlib.exceptions import ClusterUnusable
    from reportlib.figures import coverage
    from reportlib.publish.batch import FAILED, Job, municipality_folders, run_jobs

    several = len(registers) > 1
    if scheduler is not None:  # a worker elsewhere has no current folder of ours: it gets the path whole
        out = Path(os.path.abspath(out))
    found: list[tuple[Path, str, list[Period]]] = []  # a list: a folder given twice is refused, not merged
    for data in registers:
        register = _load(data)
        _warn_personal_data(data)
        periods = ([_reportable(register, _period(period_text, data, register))] if period_text is not None
                   else coverage.covered_periods(register, today=dt.date.today()))
        found.append((data, register.kommune.kommune, periods))
        del register  # one register in memory at a time
        if not periods:
            message = _("{data}: no reporting year or half-year has ended with data in the register, within the "
                        "days it is complete for").format(data=data)
            if not several:
                _fail(message)
            _warn(message)  # a municipality new this year holds up no one else's reports
    folders = (_guarded(lambda: municipality_folders([(data, kommune) for data, kommune, _periods in found]))
               if several else [""])
    work = [Job(period, data, out / folder, kommune if several else "")
            for (data, kommune, periods), folder in zip(found, folders, strict=True) for period in periods]
    if not work:
        _fail(_("no reporting year or half-year has ended with data in any of the registers, within the days "
                "they are complete for"))
    try:
        for data in registers:  # no report of one municipality may land in another's register
            _check_apart([job.out / job.period.slug for job in work], data=data, **options)
    except ReportlibError as exc:
        _fail(str(exc))

    def started(at_once: int) -> None:
        if several and scheduler:
            header = _("{count} periods of {municipalities} municipalities on {address}, {jobs} at a time")
        elif several:
            header = _("{count} periods of {municipalities} municipalities, {jobs} at a time")
        elif scheduler:
            header = _("{count} periods on {address}, {jobs} at a time")
        else:
            header = _("{count} periods, {jobs} at a time")
        click.echo(header.format(count=len(work), municipalities=len(registers), address=scheduler, jobs=at_once),
                   err=True)

    try:
        outcomes = run_jobs(work, jobs=jobs, scheduler=scheduler, started=started, force=force, **options)
    except ClusterUnusable as exc:
        _error(exc, EXIT_FAILED)
    width = max(len(_(o.status)) for o in outcomes)
    names = max(len(o.kommune) for o in outcomes)
    for outcome in outcomes:
        municipality = f"{outcome.kommune:<{names}}  " if several else ""
        click.echo(f"{_(outcome.status):<{width}}  {municipality}{outcome.folder}")
        for line in outcome.message.splitlines():
            click.echo(f"{'':<{width}}  {line}")
        if outcome.warnings:  # listed one by one in the manifest; a batch log gets the count
            listed = ngettext("{count} warning, listed in {manifest}", "{count} warnings, listed in {manifest}",
                              len(outcome.warnings))
            click.echo(f"{'':<{width}}  " + listed.format(count=len(outcome.warnings),
                                                          manifest=outcome.folder / "manifest.json"))
    counts = Counter(outcome.status for outcome in outcomes)
    summary = _("{count} periods of {municipalities} municipalities: {statuses}") if several \
        else _("{count} periods: {statuses}")
    click.echo(summary.format(count=len(outcomes), municipalities=len(registers),
                              statuses=", ".join(f"{n} {_(status)}" for status, n in counts.items())))
    if counts.get(FAILED):
        sys.exit(EXIT_FAILED)


def _check_apart(targets: list[Path], *, data: Path, notebook: Path, **_options) -> None:
    """Refuse report folders that would overlap the register or the notebook, before anything is written."""
    from reportlib.publish.folder import check_apart, check_own

    for target in targets:
        check_apart(target, register=data, inputs=[notebook])
        check_own(target)


@main.command()
@click.option("--figures", "files", type=click.Path(path_type=Path, dir_okay=False), multiple=True, required=True,
              metavar="FILE", help="A member's figures document: its report's figures.json, or what `reportlib "
                                   "figures` prints. Once per municipality.")
@click.option("--out", type=click.Path(path_type=Path), default=OUTPUTS, show_default=_shown(OUTPUTS),
              help="Where the report folder OUT/network_START_END/ is written.")
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True, callback=_formats,
              help="Documents to write, comma-separated: html, pdf, docx (Word).")
@click.option("--force", is_flag=True, help="Make the report even when the published one is up to date.")
def network(files: tuple[Path, ...], out: Path, formats: tuple[str, ...], force: bool) -> None:
    """Compare the municipalities of a network: one report from their figures documents, for one period.

    Reads only each member's comparable section (no register) and writes OUT/network_START_END/ with
    sammenligning.html (and .pdf, .docx), network.json (the network's figures, which a member's
    `reportlib run --network` reads) and manifest.json (with the SHA-256 of every file read). The
    folder is replaced only when everything succeeded, and an unchanged network is not made again.
    Documents of another period or vocabulary version, or a municipality given twice, are exit 2.
    """
    from reportlib.publish.network import publish_network

    result = _guarded(lambda: publish_network(list(files), out, formats, force=force,
                                              progress=lambda step: click.echo(f"network: {step}", err=True)))
    if result.skipped:
        click.echo(_("{folder}: up to date (the members' figures, formats and code unchanged since its last run); "
                     "nothing to do, --force makes it again").format(folder=result.folder))
        return
    for warning in result.warnings:
        _warn(warning)
    click.echo(f"{result.folder}: {', '.join(result.outputs)}")


def _period(text: str, data: Path, register: Register | None = None, *, start: int | None = None) -> Period:
    """Read a period argument: ``latest`` needs the whole register, the other forms kommune.yml only.

    ``start``, the reporting year's first month when already known, spares reading kommune.yml.
    """
    try:
        if text.strip().lower() == LATEST:
            from reportlib.figures import coverage

            register = register or _load(data)
            return coverage.latest_year(register, dt.date.today())
        if start is None:
            from reportlib.register.kommune import load_kommune

            start = (register.kommune if register else _checked(load_kommune, data)).periode_start_maaned
        return parse_period(text, start)
    except ReportlibError as exc:
        _fail(str(exc))


def _reportable(register: Register, period: Period, *, interim: bool = False) -> Period:
    """The days of ``period`` to count (:func:`reportlib.figures.coverage.check_period`), or its refusal and exit 2."""
    from reportlib.figures.coverage import check_period

    try:
        return check_period(register, period, dt.date.today(), interim=interim)
    except ReportlibError as exc:
        _fail(str(exc))


def _load_register(data: Path) -> Register:
    from reportlib.register.validate import load_register

    return load_register(data)


def _load(data: Path) -> Register:
    """Load and validate the register, or print its problems and exit 2."""
    return _checked(_load_register, data)


def _checked(load: Callable[[Path], T], data: Path, *, every_cell: bool = False) -> T:
    """Run ``load`` on the register folder; on a problem, print them and exit 2."""
    if not data.is_dir():
        _fail(_("{data}: register folder not found; pass the folder with --data").format(data=data))
    try:
        return load(data)
    except RegisterInvalid as exc:
        _report_invalid(exc, data, every_cell=every_cell)
    except ReportlibError as exc:
        _fail(str(exc))


def _report_proposal(folder: Path, found: Proposal) -> None:
    """Say in Danish what ``init --from`` guessed from the export, what to check, and whether it validates."""
    from reportlib.register.validate import load_register

    sheet = f", arket »{found.sheet}«" if found.sheet else ""
    click.echo(f"\nFra {found.source.name}{sheet} ({found.rows} rækker):")
    for column, header in found.columns.items():
        click.echo(f"  {header:<24} -> {column}" + ("  (fritekst: læses aldrig)" if column == "note" else ""))
    if found.unread:
        click.echo(f"  læses ikke: {', '.join(found.unread)}")
    click.echo(f"Tjek i {folder / 'kommune.yml'}:")
    click.echo(f"  - klagetypen: {found.complaint_type or 'ingen type hedder »Klage…«; skriv klagetype'}")
    for label, others in found.synonyms.items():
        click.echo(f"  - er {', '.join(repr(o) for o in others)} det samme som '{label}'? (synonymer)")
    click.echo("  - del emnerne op i kategorier (emner), og ret stavemåder og rækkefølge i listerne")
    try:
        register = load_register(folder)
    except RegisterInvalid as exc:
        click.echo(f"Registret har {len(exc.problems)} fejl i rækkerne; ret dem i regnearket "
                   f"(reportlib validate --data {folder} viser dem):", err=True)
        for line in grouped(exc.problems):
            click.echo(line, err=True)
        return
    click.echo(f"Registret er gyldigt: {len(register.sager)} sager. Næste skridt: "
               f"reportlib run --period latest --data {folder}")


def _report_invalid(exc: RegisterInvalid, data: Path, *, every_cell: bool = False) -> None:
    """Print the summary first, then one line per distinct problem (``every_cell``: one per cell), and exit 2."""
    lines = [str(problem) for problem in exc.problems] if every_cell else grouped(exc.problems)
    count = len(exc.problems)
    if len(lines) < count:
        summary = ngettext("{data}: {count} problem, {fixes} to fix (reportlib validate --alle lists every cell):",
                           "{data}: {count} problems, {fixes} to fix (reportlib validate --alle lists every cell):",
                           count)
        click.echo(summary.format(data=data, count=language.number(count), fixes=language.number(len(lines))),
                   err=True)
    for line in lines:
        click.echo(line, err=True)
    _fail(ngettext("{count} problem found in {data}; nothing was produced",
                   "{count} problems found in {data}; nothing was produced", count)
          .format(count=language.number(count), data=data))


def _guarded(call: Callable[[], T]) -> T:
    """Run ``call``; a problem with the input ends in its message and exit 2, a fault in its message and exit 1."""
    try:
        return call()
    except InputError as exc:
        _fail(str(exc))
    except ReportlibError as exc:
        _error(exc, EXIT_FAILED)


def _fail(message: str) -> None:
    _error(message, EXIT_INVALID)


def _error(message: object, code: int) -> None:
    click.echo(_("error: {message}").format(message=message), err=True)
    sys.exit(code)


def format_summary(register: Register) -> str:
    """Return the short summary ``reportlib validate`` prints for a valid register."""
    sager = register.sager
    rows = [
        (_("municipality"), f"{register.kommune.kommune} ({register.kommune.funktion})"),
        (_("cases"), language.number(len(sager))),
        (_("problems"), language.number(len(register.problemstillinger))),
        (_("activities"), language.number(len(register.aktiviteter))),
        (_("first received"), f"{sager['modtaget'].min():%Y-%m-%d}"),
        (_("last received"), f"{sager['modtaget'].max():%Y-%m-%d}"),
        (_("open cases"), language.number(int(sager["afsluttet"].isna().sum()))),
    ]
    # Columns the contract does not know are never read (they may hold names or CPR numbers): say so once.
    rows += [(_("ignored columns"), _("{source}: {columns} (not read)").format(source=source,
                                                                              columns=", ".join(columns)))
             for source, columns in register.ignored.items()]
    if register.parts:  # docs/register.md: the optional parts the report shows
        rows.append((_("optional parts"), ", ".join(sorted(register.parts))))
    width = max(len(name) for name, _value in rows)
    return _("register is valid") + "\n" + "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)

