"""The ``reportlib`` command line.

Exit codes: 0 success, 1 the report could not be produced (the notebook or an export failed, or
another run holds the period), 2 a problem in the user's input (register, kommune.yml, arguments).
Problems in the user's data never end in a Python traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .exceptions import RegisterInvalid, ReportlibError
from .figures import figures as compute_figures
from .figures import to_json
from .paths import DATA_RAW, OUTPUTS
from .periods import PERIOD_FORMS, Period, parse_period
from .narrative import NarrativeError
from .run import FORMATS, RunBusy, RunFailed, run_period
from .validate import Register, load_register

EXIT_FAILED = 1
EXIT_INVALID = 2

_period_option = click.option("--period", "period_text", required=True, metavar="P",
                              help=f"The period: {PERIOD_FORMS}.")
_min_celle_option = click.option(
    "--min-celle", type=click.IntRange(min=0), default=None, metavar="N",
    help="Withhold counts 1..N-1 in the area, centre, topic and category tables "
         "[default: min_celle in kommune.yml, else 0 = off].",
)
_data_option = click.option(
    "--data", "data", type=click.Path(path_type=Path), default=DATA_RAW, show_default="data/raw",
    help="Register folder: kommune.yml plus sager, problemstillinger and aktiviteter (CSV or register.xlsx).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportlib")
def main() -> None:
    """Turn a citizen advisor's case register into the annual report (beretning)."""


@main.command()
@_data_option
def validate(data: Path) -> None:
    """Check the register against the input contract and print a summary.

    Every problem is printed as FILE:LINE: column 'COL': value 'VAL': reason, and the command
    exits 2. Nothing is ever written into the register folder.
    """
    register = _load(data)
    click.echo(format_summary(register))


@main.command()
@_period_option
@_data_option
@_min_celle_option
def figures(period_text: str, data: Path, min_celle: int | None) -> None:
    """Print every figure of the report for a period as one JSON document."""
    register = _load(data)
    document = compute_figures(register, _period(period_text, register), min_celle=min_celle)
    click.echo(to_json(document), nl=False)


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"'{value}': give html, pdf or html,pdf")
    return chosen


@main.command()
@_period_option
@_data_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=OUTPUTS, show_default="outputs",
              help="Where the report folder OUT/START_END/ is written.")
@click.option("--format", "formats", default="html,pdf", show_default=True, callback=_formats,
              help="Documents to write, comma-separated: html, pdf.")
@_min_celle_option
def run(period_text: str, data: Path, out: Path, formats: tuple[str, ...], min_celle: int | None) -> None:
    """Produce the report of a period: validate, run the notebook, export HTML and PDF.

    Writes OUT/START_END/ with beretning.html, beretning.pdf, beretning.ipynb (the executed notebook),
    figures.json and manifest.json. The folder is replaced only when everything succeeded; if the
    notebook fails, the failed notebook is kept at OUT/START_END.failed.ipynb and the command exits 1.
    """
    register = _load(data)
    period = _period(period_text, register)
    report = click.style(period.slug, bold=True)
    try:
        result = run_period(period, data=data, out=out, formats=formats, min_celle=min_celle,
                            progress=lambda step: click.echo(f"{report}: {step}", err=True))
    except (RegisterInvalid, NarrativeError) as exc:
        _fail(str(exc))
    except (RunFailed, RunBusy) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"{result.folder}: {', '.join(result.outputs)}")


def _period(text: str, register: Register) -> Period:
    try:
        return parse_period(text, register.kommune.periode_start_maaned)
    except ReportlibError as exc:
        _fail(str(exc))


def _load(data: Path) -> Register:
    """Load the register, or print every problem and exit 2."""
    if not data.is_dir():
        _fail(f"{data}: register folder not found; pass the folder with --data")
    try:
        return load_register(data)
    except RegisterInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        noun = "problem" if len(exc.problems) == 1 else "problems"
        _fail(f"{len(exc.problems)} {noun} found in {data}; nothing was produced")
    except ReportlibError as exc:
        _fail(str(exc))


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_INVALID)


def format_summary(register: Register) -> str:
    """Return the short summary ``reportlib validate`` prints for a valid register."""
    sager = register.sager
    rows = [
        ("municipality", f"{register.kommune.kommune} ({register.kommune.funktion})"),
        ("cases", f"{len(sager):,}"),
        ("problems", f"{len(register.problemer):,}"),
        ("activities", f"{len(register.aktiviteter):,}"),
        ("first received", f"{sager['modtaget'].min():%Y-%m-%d}"),
        ("last received", f"{sager['modtaget'].max():%Y-%m-%d}"),
        ("open cases", f"{int(sager['afsluttet'].isna().sum()):,}"),
    ]
    width = max(len(k) for k, _ in rows)
    return "register is valid\n" + "\n".join(f"  {k:<{width}}  {v}" for k, v in rows)
