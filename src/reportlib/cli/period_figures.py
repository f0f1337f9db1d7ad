"""The commands that print or check a period's figures: figures, tjek."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportlib.cli import common
from reportlib.language import N_, _, ngettext
from reportlib.periods import PERIOD_FORMS, Period

if TYPE_CHECKING:
    from reportlib.figures.disclosure import Finding
    from reportlib.register.model import Register


def _period_figures_options(command: Callable) -> Callable:
    """The options both commands take: the period's figures as `run` would publish them into --out."""
    for option in reversed((click.option("--period", "period_text", required=True, metavar="P",
                                         help=f"The period: {PERIOD_FORMS}."),
                            common.data_option, common.ledger_option, common.min_celle_option,
                            common.interim_option)):
        command = option(command)
    return command


@click.command()
@_period_figures_options
def figures(period_text: str, data: Path, out: Path, min_celle: int | None, interim: bool) -> None:
    """Print every figure of the report for a period as one JSON document.

    A period that has not ended, or that reaches outside the days the register is complete for, is
    refused (exit 2) unless --foreloebig counts what the register holds of it.
    """
    from reportlib.figures.document import to_json

    common.speak_as(data)
    register = common.load(data)
    period = common.period_of(period_text, data, register)
    click.echo(to_json(_protected_figures(register, period, out, min_celle=min_celle, interim=interim)[0]), nl=False)


def _protected_figures(register: Register, period: Period, out: Path, *, min_celle: int | None,
                       interim: bool) -> tuple[dict, list[dict]]:
    """The period's figures as ``run`` would publish them into ``out``, and the ledger's documents they respect."""
    from reportlib.figures.document import figures as compute_figures
    from reportlib.publish.ledger import published
    from reportlib.publish.run import withholds

    counted = common.reportable(register, period, interim=interim)
    earlier = published(out, register.kommune.kommune) if withholds(register, min_celle) else []
    return compute_figures(register, counted, min_celle=min_celle, interim_of=period if counted != period else None,
                           published=earlier), earlier


@click.command()
@_period_figures_options
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

    common.speak_as(data)
    register = common.load(data)
    period = common.period_of(period_text, data, register)
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
        common.error(ngettext("{count} small count can be worked out from what is published: withhold more, or "
                              "do not publish this period",
                              "{count} small counts can be worked out from what is published: withhold more, or "
                              "do not publish this period", len(narrowed)).format(count=len(narrowed)),
                     common.EXIT_FAILED)
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


def _describe(finding: Finding, start: int) -> str:
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
