"""The commands that make reports: run (one period, or a batch), network."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from pathlib import Path

import click

from reportlib.cli import common
from reportlib.exceptions import InputError, RegisterInvalid, ReportlibError
from reportlib.language import _, ngettext
from reportlib.paths import CLONE, DEFAULT_TIMEOUT, OUTPUTS, REPORT_NOTEBOOK, present, real
from reportlib.periods import PERIOD_FORMS
from reportlib.publish import formats
from reportlib.publish.freshness import start_month


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    if not chosen or any(f not in formats.FORMATS for f in chosen):
        *first, last = formats.FORMATS
        raise click.BadParameter(_("'{value}': give one or more of {names} and {last}, e.g. {example}").format(
            value=value, names=", ".join(first), last=last, example=",".join(formats.FORMATS)))
    return chosen


_FORMATS_HELP = "Documents to write, comma-separated: {}.".format(
    ", ".join(f"{name} ({form.described})" if form.described else name for name, form in formats.FORMATS.items()))


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


@click.command()
@click.option("--period", "period_text", metavar="P", help=f"The period: {PERIOD_FORMS}.")
@click.option("--all", "all_periods", is_flag=True,
              help="Every complete reporting year and half-year the register covers.")
@common.registers_option
@click.option("--out", type=common.Location(path_type=Path), default=OUTPUTS, show_default=common.shown(OUTPUTS),
              help="Where the report folder OUT/START_END/ is written (several --data: OUT/<municipality>/START_END/, "
                   "the folder named from kommune.yml's kommune, e.g. ballerup-kommune).")
@click.option("--format", "formats", default=",".join(formats.DEFAULT_FORMATS), show_default=True, callback=_formats,
              help=_FORMATS_HELP)
@common.min_celle_option
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of cores",
              help="With --all: how many periods run at once.")
@click.option("--scheduler", default=None, metavar="ADDRESS", callback=lambda ctx, param, value: _scheduler(value),
              help="Run the periods on an existing Dask cluster, e.g. tcp://HOST:8786, one per worker (instead of "
                   "--jobs); its workers must see the register folders, the notebook and OUT at the same paths.")
@click.option("--notebook", type=common.Location(path_type=Path, dir_okay=False), default=REPORT_NOTEBOOK,
              show_default=f"{REPORT_NOTEBOOK}{'' if CLONE else ', packaged with reportlib'}",
              help="The report notebook to run, e.g. an analyst's copy with sections of their own.")
@click.option("--timeout", type=click.IntRange(min=1), default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
              help="Stop the run (exit 1) when a notebook cell runs longer than this: a hung kernel never blocks cron.")
@click.option("--force", is_flag=True, help="Run even when the published report is up to date.")
@click.option("--udkast", is_flag=True, help="Mark the report as a draft (UDKAST) on every PDF page and in the HTML.")
@common.interim_option
@click.option("--dato", default="", metavar="YYYY-MM-DD", help="The date of publication, shown on the title.")
@click.option("--moede", default="", metavar="TEXT",
              help="The board meeting the report goes to, shown on the title, e.g. 'Byrådets møde 12. december 2019'.")
@click.option("--network", type=common.Location(path_type=Path, dir_okay=False), default=None,
              metavar="FILE", help="The network's figures of the period (network.json, from `reportlib network`): the "
                                   "report gains the section 'Sammenlignet med andre kommuner'.")
def run(period_text: str | None, all_periods: bool, data: tuple[Path, ...], out: Path, formats: tuple[str, ...],
        min_celle: int | None, jobs: int, scheduler: str | None, notebook: Path, timeout: int, force: bool,
        udkast: bool, interim: bool, dato: str, moede: str, network: Path | None) -> None:
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
    common.speak_as(data[0])  # several registers: the first one's language, unless one was chosen
    if (period_text is not None) == all_periods:
        raise click.UsageError(_("give either --period P or --all"))
    if network is not None and all_periods:  # a network compares one period
        raise click.UsageError(_("--network goes with --period P, the period of the network's figures, not --all"))
    if interim and (all_periods or len(data) > 1 or scheduler is not None):  # --all reports complete periods only
        raise click.UsageError(_("--foreloebig goes with one --period P of one register (--data), not --all, several "
                                 "--data or --scheduler"))
    if not present(notebook):
        common.fail(_("{notebook}: report notebook not found; give the path of an .ipynb file with --notebook")
                    .format(notebook=notebook))
    options = {"formats": formats, "min_celle": min_celle, "notebook": real(notebook), "udkast": udkast,
               "dato": dato, "moede": moede, "network": real(network) if network else None}
    if all_periods or len(data) > 1 or scheduler is not None:
        _run_batch(period_text, registers=[real(folder) for folder in data], out=out, jobs=jobs,
                   scheduler=scheduler, force=force, timeout=timeout, **options)
    else:
        _run_one(period_text, data=real(data[0]), out=out, force=force, timeout=timeout, interim=interim,
                 **options)


def _run_one(period_text: str, *, force: bool, timeout: int, interim: bool, **options) -> None:
    from reportlib.publish.run import run_period

    # kommune.yml's month without its schema: pydantic would cost an up-to-date period more than all the rest.
    period = common.period_of(period_text, options["data"], start=start_month(options["data"]))
    label = click.style(period.slug, bold=True)
    try:
        result = run_period(period, force=force, timeout=timeout, interim=interim,
                            on_start=lambda: common.warn_personal_data(options["data"]),
                            progress=lambda step: click.echo(f"{label}: {step}", err=True), **options)
    except RegisterInvalid as exc:
        common.report_invalid(exc, options["data"])
    except InputError as exc:
        common.fail(str(exc))
    except ReportlibError as exc:  # the notebook, an export or the output failed, or another run holds the period
        common.error(exc, common.EXIT_FAILED)
    if result.skipped:
        click.echo(_("{folder}: up to date (register, narrative, notebook, code and parameters unchanged since its "
                     "last run); nothing to do, --force reruns it").format(folder=result.folder))
        return
    for warning in result.warnings:
        common.warn(warning, label)
    click.echo(f"{result.folder}: {', '.join(result.outputs)}")


def _run_batch(period_text: str | None, *, registers: list[Path], out: Path, jobs: int, scheduler: str | None,
               force: bool, **options) -> None:
    """Run the batch :func:`reportlib.publish.batch.plan_batch` plans, and say how each period went."""
    from reportlib.exceptions import ClusterUnusable
    from reportlib.publish.batch import CURRENT, MADE, plan_batch, run_jobs

    several = len(registers) > 1
    work = common.guarded(lambda: plan_batch(registers, out, period_text, load=common.load, warn=common.warn,
                                             today=dt.date.today(), scheduler=scheduler, **options))

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
        outcomes = run_jobs(work, jobs=jobs, scheduler=scheduler, started=started, warn=common.warn, force=force,
                            **options)
    except ClusterUnusable as exc:
        common.error(exc, common.EXIT_FAILED)
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
    if any(status not in (MADE, CURRENT) for status in counts):  # failed, or not known yet: a worker still runs it
        sys.exit(common.EXIT_FAILED)


@click.command()
@click.option("--figures", "files", type=common.Location(path_type=Path, dir_okay=False), multiple=True, required=True,
              metavar="FILE", help="A member's figures document: its report's figures.json, or what `reportlib "
                                   "figures` prints. Once per municipality.")
@click.option("--out", type=common.Location(path_type=Path), default=OUTPUTS, show_default=common.shown(OUTPUTS),
              help="Where the report folder OUT/network_START_END/ is written.")
@click.option("--format", "formats", default=",".join(formats.DEFAULT_FORMATS), show_default=True, callback=_formats,
              help=_FORMATS_HELP)
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

    result = common.guarded(lambda: publish_network(list(files), out, formats, force=force,
                                                    progress=lambda step: click.echo(f"network: {step}", err=True)))
    if result.skipped:
        click.echo(_("{folder}: up to date (the members' figures, formats and code unchanged since its last run); "
                     "nothing to do, --force makes it again").format(folder=result.folder))
        return
    for warning in result.warnings:
        common.warn(warning)
    click.echo(f"{result.folder}: {', '.join(result.outputs)}")
