"""Produce one period's report: validate, execute the notebook, export, and publish atomically.

A period whose published report is current (:mod:`reportlib.publish.freshness`) is left alone;
this is the one place that decides it. Otherwise inputs are checked first: an invalid or
unreadable input stops the run before anything is written. Everything is then written into a
staging folder and swapped into place only when complete (:mod:`reportlib.publish.folder`), so
the published folder ``OUT/START_END`` always holds one whole report. A failed notebook is kept
as ``OUT/START_END.failed.ipynb``; a fault at the output (a read-only folder, a full disk) is a
message; in every failure the published report is left as it was. The notebook runs in a kernel
of its own (:mod:`reportlib.publish.execute`), or, in a batch's worker, in the kernel the worker
keeps between its periods, made fresh for each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlib.language import _, ngettext
from reportlib.paths import DEFAULT_TIMEOUT, REPORT_NOTEBOOK, real
from reportlib.periods import Period
from reportlib.publish.folder import check_apart, check_own, files_in, heal, publish_staged
from reportlib.publish.formats import DEFAULT_FORMATS
from reportlib.publish.freshness import Plan, plan
from reportlib.publish.manifest import known_as, known_parameters, machine_folders, unmachined, write_manifest
from reportlib.report.edition import Edition

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from reportlib.publish.execute import ReportNotebook
    from reportlib.register.model import Register

# The register, the kernel and the exports (pandas, papermill, WeasyPrint) are imported once a
# report is known to need making: cron asks every hour, and an up-to-date period takes 0.1 s.

NOTEBOOK_FILE = "beretning.ipynb"
REPORT = "beretning"  # beretning.html, .pdf, .docx


@dataclass(frozen=True)
class RunResult:
    """Where a period's report was published and what it contains."""

    period: Period
    folder: Path
    outputs: tuple[str, ...]
    skipped: bool = False  # the published report was current: nothing was run
    warnings: tuple[str, ...] = ()  # what the report lacks (missing chapters, charts without alt text)


def run_period(period: Period, *, data: Path, out: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
               min_celle: int | None = None, notebook: Path = REPORT_NOTEBOOK, force: bool = False,
               timeout: int = DEFAULT_TIMEOUT, progress: Callable[[str], None] = lambda step: None,
               on_start: Callable[[], None] = lambda: None, udkast: bool = False, dato: str = "",
               moede: str = "", network: Path | None = None, interim: bool = False,
               today: dt.date | None = None, figures: dict | None = None, keep_kernel: bool = False) -> RunResult:
    """Produce and publish the report of one period.

    Parameters
    ----------
    period : Period
    data : Path
        The register folder (read only).
    out : Path
        The outputs folder; the report goes into ``out / period.slug``.
    formats : tuple of str
        Which documents to write, by their names in :data:`reportlib.publish.formats.FORMATS` ("html",
        "pdf", "docx"); the executed notebook, figures.json and manifest.json always are.
    min_celle : int, optional
        Small-cell threshold; None takes ``min_celle`` from kommune.yml.
    notebook : Path
        The report notebook to execute (the project's ``notebooks/beretning.ipynb`` or an analyst's variant).
    force : bool
        Run even when the published report is current (same cache key, files unchanged).
    timeout : int
        Seconds a notebook cell may run before the run is stopped (a hung kernel).
    progress : callable
        Called with a short description of each step as it starts.
    on_start : callable
        Called once the report is known to need making, before the register is read (the command
        line warns there of personal data in a shared folder).
    udkast : bool
        Mark the report as a draft on every PDF page and in the HTML (its cache key differs from the final's).
    dato, moede : str
        The date of publication (ISO) and the board meeting, for the report's title; empty leaves them out.
    network : Path, optional
        The network's figures (``network.json``, :mod:`reportlib.publish.network`) of the same period:
        the report gains the section "Sammenlignet med andre kommuner". Its hash is an input.
    interim : bool
        Report a period that has not ended, or that reaches past the days the register is complete
        for, as an interim report of the days it holds (:func:`reportlib.figures.coverage.check_period`).
    today : date, optional
        The day the run is made on (default: today): a period must have ended before it.
    figures : dict, optional
        The period's figures document, made by the caller against the publication ledger and held
        there until the run ends (:func:`reportlib.publish.ledger.reserved`): a batch makes every
        period's in one order, so that the same reports give the same figures. Made here otherwise.
    keep_kernel : bool
        Run the notebook in the kernel this process keeps between its periods (a batch's worker), made
        fresh for the period, instead of a new one (:func:`reportlib.publish.execute.execute`).

    Returns
    -------
    RunResult

    Raises
    ------
    InputError
        Before anything is written, when an input is invalid or unreadable, the period has not ended
        or reaches outside the days the register is complete for (without ``interim``), or the
        report folder would overlap an input or replace a folder reportlib did not publish.
    RunBusy
        When another run of this period is in progress.
    RunFailed
        When the notebook or an export fails or times out, or the report cannot be written; the
        message says what was kept and that the published report is as it was.
    """
    started = dt.datetime.now(dt.UTC)
    data, notebook, network = real(data), real(notebook), real(network) if network else None
    edition = Edition.parse(dato, moede)  # before anything is written: the kernel would fail on it
    run_plan = plan(period, data=data, out=out, formats=formats, min_celle=min_celle, notebook=notebook,
                    udkast=udkast, edition=edition, network=network, interim=interim)
    target = run_plan.target
    check_apart(target, register=data, inputs=[notebook])
    heal(target)
    check_own(target)
    if not force and run_plan.is_current():
        return RunResult(period, target, files_in(target), skipped=True)
    on_start()
    return _make(run_plan, data=data, formats=formats, min_celle=min_celle, notebook=notebook, started=started,
                 timeout=timeout, progress=progress, edition=edition, udkast=udkast, network=network,
                 interim=interim, today=today or dt.date.today(), figures=figures, keep_kernel=keep_kernel)


def plan_for(period: Period, *, data: Path, out: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
             min_celle: int | None = None, notebook: Path = REPORT_NOTEBOOK, udkast: bool = False, dato: str = "",
             moede: str = "", network: Path | None = None, interim: bool = False, **_options) -> Plan:
    """The plan :func:`run_period` with these options works to: its report folder and cache key.

    Raises
    ------
    InputError
        When an input cannot be read or ``dato`` is not a date (the run itself says so too).
    """
    return plan(period, data=real(data), out=out, formats=formats, min_celle=min_celle,
                notebook=real(notebook), udkast=udkast, edition=Edition.parse(dato, moede),
                network=real(network) if network else None, interim=interim)


def reserve_figures(period: Period, register: Register, *, out: Path, min_celle: int | None = None,
                    interim: bool = False, today: dt.date | None = None,
                    **_options) -> contextlib.AbstractContextManager[dict]:
    """Make ``period``'s figures against the publication ledger of ``out`` and hold their place in it.

    With ``min_celle`` 0 nothing is withheld, so there is nothing to protect: the figures are made
    without the ledger, and nothing is written there.

    Raises
    ------
    InputError
        When the period cannot be reported (:func:`reportlib.figures.coverage.check_period`).
    """
    from reportlib.figures.coverage import check_period
    from reportlib.figures.document import figures
    from reportlib.publish.ledger import reserved

    counted = check_period(register, period, today or dt.date.today(), interim=interim)

    def make(published: list[dict]) -> dict:
        return figures(register, counted, min_celle=min_celle, interim_of=period if counted != period else None,
                       published=published)

    if not withholds(register, min_celle):
        return contextlib.nullcontext(make([]))
    return reserved(out / period.slug, register.kommune.kommune, make)


def withholds(register: Register, min_celle: int | None) -> bool:
    """Tell whether a report of ``register`` withholds small counts (``min_celle``, else kommune.yml's, above 0)."""
    return (register.kommune.min_celle if min_celle is None else min_celle) > 0


def _make(run_plan: Plan, *, data: Path, formats: tuple[str, ...], min_celle: int | None, notebook: Path,
          started: dt.datetime, timeout: int, progress: Callable[[str], None], edition: Edition, udkast: bool,
          network: Path | None, interim: bool, today: dt.date, figures: dict | None,
          keep_kernel: bool = False) -> RunResult:
    """Check the inputs, then make the report in a staging folder and publish it."""
    from reportlib.exceptions import NarrativeError
    from reportlib.figures.coverage import check_period
    from reportlib.publish.execute import check_notebook
    from reportlib.register.validate import load_register
    from reportlib.report.beretning import read_logo
    from reportlib.report.narrative import narrative_path, read_narrative

    period, target = run_plan.period, run_plan.target
    runnable = check_notebook(notebook)
    progress(_("validating the register"))
    # The register is read here only: the kernel gets these figures, and the tables are freed before it starts.
    register = load_register(data)
    counted = check_period(register, period, today, interim=interim)
    # What the kernel would fail on fails here, before any write: the narrative, the logo, the network.
    narrative = read_narrative(narrative_path(data, period))
    if narrative.empty() and not udkast:  # a draft leaves them out, with the narrative's warnings
        empty = narrative.empty()
        raise NarrativeError(ngettext(
            "{file}: {count} chapter has no text yet: {chapters}; the board's report publishes no empty heading, so "
            "write it or delete its heading, or make a draft with --udkast, which leaves it out",
            "{file}: {count} chapters have no text yet: {chapters}; the board's report publishes no empty heading, "
            "so write them or delete their headings, or make a draft with --udkast, which leaves them out",
            len(empty)).format(file=narrative.source, count=len(empty),
                               chapters=", ".join(f"'# {c.heading}' ({c.at})" for c in empty)))
    read_logo(register.kommune, data)
    if network is not None:  # of the report's period and vocabulary, or nothing is written
        from reportlib.figures.network_documents import read_network
        from reportlib.register.national import vocabulary

        read_network(network, period=period.as_dict(), version=vocabulary().version,
                     interim_of=period.as_dict() if counted != period else None)
    if withholds(register, min_celle):
        progress(_("protecting the small counts"))
    with (contextlib.nullcontext(figures) if figures is not None else
          reserve_figures(period, register, out=target.parent, min_celle=min_celle, interim=interim,
                          today=today)) as document:
        del register

        def write(staging: Path) -> tuple[str, ...]:
            return _write_report(staging, period, data=data, formats=formats, min_celle=min_celle,
                                 notebook=runnable, document=document, run_plan=run_plan, started=started,
                                 timeout=timeout, progress=progress, edition=edition, udkast=udkast,
                                 network=network, interim=interim, narrative_warnings=narrative.warnings,
                                 keep_kernel=keep_kernel)

        warnings = publish_staged(target, write, progress=progress)
    return RunResult(period, target, files_in(target), warnings=warnings)


def _write_report(staging: Path, period: Period, *, data: Path, formats: tuple[str, ...], min_celle: int | None,
                  notebook: ReportNotebook, document: dict, run_plan: Plan, started: dt.datetime, timeout: int,
                  progress: Callable[[str], None], edition: Edition, udkast: bool, network: Path | None,
                  interim: bool, narrative_warnings: tuple[str, ...] = (),
                  keep_kernel: bool = False) -> tuple[str, ...]:
    """Execute the notebook and write every output file into ``staging``, the manifest last.

    Returns the narrative's warnings and the export's, as the command line shows them. The manifest
    records them with a path in the register folder relative to it, and every other path as a
    reader of the public folder can know it (:func:`reportlib.publish.manifest.known_as`); the
    kernel gets the absolute ones.
    """
    from reportlib.figures.document import to_json
    from reportlib.publish.execute import execute
    from reportlib.publish.formats import needs_print_images
    from reportlib.report.outputs import charts_for_print

    parameters = {"periode_start": period.start.isoformat(), "periode_slut": period.end.isoformat(),
                  "data_dir": str(data), "min_celle": -1 if min_celle is None else min_celle, "narrativ": "",
                  **edition.parameters(), "netvaerk": str(network or "")}
    progress(_("running the report notebook"))
    with charts_for_print(needs_print_images(formats)):
        executed = execute(notebook, staging / NOTEBOOK_FILE, parameters, document, run_plan.target, timeout,
                           read=run_plan.read, keep_kernel=keep_kernel)
    written, exported = _export(executed, staging, formats, progress, draft=udkast, end=period.end)
    warnings = (*narrative_warnings, *exported)
    (staging / "figures.json").write_text(to_json(document), encoding="utf-8")
    folders = machine_folders({data: ""})  # beretning_START_END.md:4, as the inputs name it
    write_manifest(staging, {
        "period": period.as_dict(),
        "parameters": {**known_parameters(parameters), "formats": list(formats), "notebook": known_as(notebook.path),
                       "udkast": udkast, "foreloebig": interim},
        "cache_key": run_plan.key,
        "inputs": _known_inputs(run_plan.inputs),
    }, outputs=(*written, NOTEBOOK_FILE, "figures.json"), started=started,
        warnings=[unmachined(warning, folders) for warning in warnings])
    return warnings


def _known_inputs(inputs: dict[str, str]) -> dict[str, str]:
    """The inputs' digests by the names the cache key gives them, a file outside the register and the clone by its name.

    The key itself keeps the absolute path (the same notebook in another folder is another run);
    two files of one name are told apart by a number.
    """
    known: dict[str, str] = {}
    for name, digest in inputs.items():
        shown, number = known_as(name), 1
        while shown in known:
            number += 1
            shown = f"{known_as(name)} ({number})"
        known[shown] = digest
    return known



def _export(executed: NotebookNode, staging: Path, formats: tuple[str, ...],
            progress: Callable[[str], None], *, draft: bool, end: dt.date) -> tuple[list[str], tuple[str, ...]]:
    from reportlib.publish.export import to_html
    from reportlib.publish.finish import DRAFT
    from reportlib.publish.formats import linked, write_documents

    progress(_("exporting HTML"))
    # The HTML links to the PDF beside it, when there is one; a draft is marked by the export itself,
    # whatever the notebook shows, so no draft is ever published without its mark.
    export = to_html(executed, draft=draft, pdf_link=linked(formats, REPORT))
    written = write_documents(
        formats, staging, REPORT, html=export.html, title=f"{DRAFT}: {export.title}" if draft else export.title,
        # Made from the same notebook, with the charts' print PNGs in place of their SVGs and no PDF link.
        printed=lambda: to_html(executed, draft=draft, print_images=True).html, date=end, progress=progress)
    return written, export.warnings
