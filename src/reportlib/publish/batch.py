"""Run many periods at once: worker processes, a progress bar, and one outcome per period.

A period that fails is reported and the others carry on. Each worker is a fresh interpreter
(``spawn``), the same on Linux, macOS and Windows; it imports reportlib once and then runs its
share of the periods, each with its own kernel.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from reportlib.exceptions import ReportlibError
from reportlib.language import N_, _
from reportlib.periods import Period
from reportlib.publish.run import run_period

# Marked for translation: the command line shows a period's status translated, with _(outcome.status).
MADE, CURRENT, FAILED = N_("made"), N_("up to date"), N_("failed")


@dataclass(frozen=True)
class Outcome:
    """What happened to one period: made, up to date (skipped) or failed, with the error message."""

    period: Period
    status: str
    folder: Path
    message: str = ""
    warnings: tuple[str, ...] = ()


def run_periods(periods: list[Period], *, jobs: int, **options) -> list[Outcome]:
    """Produce the report of every period, ``jobs`` at a time, with a progress bar on stderr.

    Parameters
    ----------
    periods : list of Period
    jobs : int
        How many periods run at once.
    **options
        Passed to :func:`reportlib.publish.run.run_period` (``data``, ``out``, ``formats``, ...).

    Returns
    -------
    list of Outcome
        In the order of ``periods``.
    """
    outcomes: dict[Period, Outcome] = {}
    context = multiprocessing.get_context("spawn")
    workers = max(1, min(jobs, len(periods)))
    # The bar hides itself when stderr is not a terminal (cron); the summary is printed either way.
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool, \
            tqdm(total=len(periods), unit=_("period"), disable=None) as bar:
        futures = [pool.submit(run_one, period, **options) for period in periods]
        bar.set_postfix_str(_counts(len(periods), 0, workers))
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.period] = outcome
            failed = sum(o.status == FAILED for o in outcomes.values())
            bar.update()
            bar.set_postfix_str(_counts(len(periods) - len(outcomes), failed, workers))
    return [outcomes[period] for period in periods]


def run_one(period: Period, **options) -> Outcome:
    """Run one period and turn any failure into an outcome, so that it cannot stop the others."""
    folder = Path(options["out"]) / period.slug
    try:
        result = run_period(period, **options)
    except ReportlibError as exc:
        return Outcome(period, FAILED, folder, str(exc))
    except Exception as exc:  # a bug hit by one period is reported with it; the batch goes on
        return Outcome(period, FAILED, folder, f"{type(exc).__name__}: {exc}")
    return Outcome(period, CURRENT if result.skipped else MADE, result.folder, warnings=result.warnings)


def _counts(remaining: int, failed: int, workers: int) -> str:
    return _("running {running}, failed {failed}").format(running=min(remaining, workers), failed=failed)
