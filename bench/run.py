"""Benchmark the whole workflow against its floor, measured in one run on one machine (not a test).

Prints one table:

- floor: papermill executing a one-cell notebook, then ``jupyter nbconvert --to html`` on it;
- one period cold (HTML and PDF) with ``reportlib run --force``, and its ratio to the floor;
- the same period again with nothing changed (a cache hit), against its own floor: starting Python
  (``python -c "import hashlib"``) plus hashing what a cache hit hashes (register, kommune.yml,
  narrative, notebook, reportlib's code and the published files), timed in process;
- ``reportlib run --all --jobs 2 --force`` over the example register, per period and as a ratio to
  one cold period;
- where a cold run's time goes (imports, validation, notebook, HTML, PDF), and the PDF as reportlib makes
  it against the same PDF with the machine's fonts and with the fonts subset by the system's HarfBuzz
  (where the machine has them: what the report's reproducibility costs or saves);
- the statistics benchmark (all figures for 1,000,000 cases against bare ``value_counts``).

Every command runs as a separate process, as a user or cron would run it; each time is the best of
``--repeat`` runs (as ``timeit`` reports), because a kernel occasionally takes seconds longer to
shut down, which is noise rather than work; the measurements under a tenth of a second take the best
of ten times as many. Ratios are the figures to compare between machines.

Run: ``make bench`` or ``.venv/bin/python bench/run.py [--repeat N] [--record]``. ``--record`` replaces
this script's section of bench/RESULTS.md and keeps the rest of the file. ``--data DIR --period P
--cases N`` measure another register, period and statistics size (the tests run it on a tiny
register, to see that it still runs).
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

import bench_stats
import results
from reportlib.figures.document import figures
from reportlib.paths import DATA_RAW, REPORT_NOTEBOOK
from reportlib.periods import Period, parse_period
from reportlib.publish.formats import DEFAULT_FORMATS, FORMATS
from reportlib.publish.freshness import plan
from reportlib.publish.run import run_period
from reportlib.register.kommune import load_kommune

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PERIOD = "2018/19"
CASES = 1_000_000  # of the statistics benchmark
TARGETS = {"cold": 1.5, "cache": 1.0, "cache_ratio": 2.0, "all": 0.6}


def timed(command: list[str], cwd: Path) -> float:
    """Wall time of one command; a failing command stops the benchmark with its output."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def best_of(repeat: int, command: list[str], cwd: Path) -> float:
    return min(timed(command, cwd) for _ in range(repeat))


def floor(work: Path, repeat: int) -> float:
    notebook = work / "one.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), notebook)

    def once() -> float:
        return (timed([str(BIN / "papermill"), "one.ipynb", "one.out.ipynb", "--no-progress-bar"], work)
                + timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "one.out.ipynb"], work))

    return min(once() for _ in range(repeat))


def hashing(data: Path, period: Period, out: Path, repeat: int) -> float:
    """What an up-to-date run hashes to decide that it is one (the inputs, the code, the published files).

    Planned as the cold run ran: the command's default formats.
    """
    def once() -> float:
        start = time.perf_counter()
        run_plan = plan(period, data=data.resolve(), out=out, formats=DEFAULT_FORMATS, min_celle=None,
                        notebook=REPORT_NOTEBOOK.resolve())
        if not run_plan.is_current():
            sys.exit(f"{out / period.slug} is not current: the cache hit would not be one")
        return time.perf_counter() - start

    return min(once() for _ in range(repeat))


def phases(data: Path, period: Period, out: Path) -> dict[str, float]:
    """Split one in-process cold run into its steps, timed from the run's own progress calls.

    A format's step is named by the registry (reportlib.publish.formats), so a format added there is timed too.
    """
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    run_period(period, data=data, out=out, force=True, progress=lambda step: marks.append((step, time.perf_counter())))
    marks.append(("end", time.perf_counter()))
    names = {"validating": "validation and figures", "protecting": "protecting the small counts",
             "running": "notebook (kernel start, imports, sections)",
             "exporting": "HTML export (nbconvert, in process)", "publishing": "manifest and publish"}
    formats = {form.progress: f"{form.progress} (--format {form.name})" for form in FORMATS.values() if form.progress}
    steps = [("start", start), *marks]
    return {formats.get(step) or names[step.split(" ")[0]]: later - at
            for (step, at), (_, later) in itertools.pairwise(steps[1:])}


# The PDF laid out in a fresh interpreter, the best of argv[2] times after a warm-up: as reportlib makes it
# ("own"), with the machine's fontconfig as before reportlib.publish.typeface ("machine"), or with the
# fonts subset by the system's HarfBuzz where it has libharfbuzz-subset, as WeasyPrint would left to
# itself ("harfbuzz"; prints "none" without the library).
_PDF_TIMES = """import contextlib, sys, time
from pathlib import Path
from reportlib.publish import typeface
from reportlib.publish.formats import pdf
if sys.argv[3] == "machine":
    typeface.isolated = contextlib.nullcontext
if sys.argv[3] == "harfbuzz":
    typeface.subsets_alike = contextlib.nullcontext
html = Path(sys.argv[1]).read_text(encoding="utf-8")
pdf.to_pdf(html)
from weasyprint.text import ffi
if sys.argv[3] == "harfbuzz" and ffi.harfbuzz_subset is None:
    sys.exit(print("none"))
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    pdf.to_pdf(html)
    times.append(time.perf_counter() - start)
print(min(times))
"""


def pdf_times(html: Path, repeat: int) -> dict[str, float | None]:
    """The same PDF laid out as reportlib makes it and two other ways, each in a fresh interpreter (fontconfig is
    read once per process); None for a way this machine cannot take.

    With the machine's fontconfig, WeasyPrint crashes on a machine without fonts (the report's own need none);
    with the system's HarfBuzz subsetter it needs libharfbuzz-subset, and its PDF is not the same on every machine.
    """
    def best(how: str) -> float | None:
        done = subprocess.run([sys.executable, "-c", _PDF_TIMES, str(html), str(repeat), how], capture_output=True,
                              text=True)
        if how != "own" and (done.returncode or done.stdout.strip() == "none"):
            return None
        if done.returncode:
            sys.exit(f"the PDF as reportlib makes it failed:\n{done.stderr}")
        return float(done.stdout)

    return {how: best(how) for how in ("own", "machine", "harfbuzz")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best counts)")
    parser.add_argument("--record", action="store_true", help="also write the table to bench/RESULTS.md")
    parser.add_argument("--data", type=Path, default=DATA_RAW, help="the register (default: the example register)")
    parser.add_argument("--period", default=PERIOD, help=f"the period timed (default {PERIOD})")
    parser.add_argument("--cases", type=int, default=CASES, help=f"of the statistics benchmark (default {CASES:,})")
    args = parser.parse_args()
    period = parse_period(args.period, load_kommune(args.data).periode_start_maaned)
    reportlib = [str(BIN / "reportlib"), "run", "--period", args.period, "--data", str(args.data)]
    fast = 10 * args.repeat  # runs of the measurements under a tenth of a second, where noise weighs more
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="reportlib-bench-") as tmp:
        work = Path(tmp)
        floor_s = floor(work, args.repeat)
        rows.append(("floor: papermill one-cell notebook + jupyter nbconvert --to html", f"{floor_s:.2f}", "1.00", ""))
        cold_s = best_of(args.repeat, [*reportlib, "--out", str(work / "cold"), "--force"], ROOT)
        rows.append((f"one period cold, {' + '.join(map(str.upper, DEFAULT_FORMATS))} (reportlib run --force)",
                     f"{cold_s:.2f}", f"{cold_s / floor_s:.2f}", f"ratio to floor ≤ {TARGETS['cold']}"))
        startup_s = best_of(fast, [sys.executable, "-c", "import hashlib"], ROOT)
        rows.append(('start-up floor: python -c "import hashlib"', f"{startup_s:.3f}", "", ""))
        hashing_s = hashing(args.data, period, work / "cold", fast)
        rows.append(("hashing what a cache hit hashes, alone (in process)", f"{hashing_s:.3f}", "", ""))
        cache_s = best_of(fast, [*reportlib, "--out", str(work / "cold")], ROOT)
        rows.append(("same period again, inputs unchanged (cache hit)", f"{cache_s:.3f}",
                     f"{cache_s / (startup_s + hashing_s):.2f}",
                     f"ratio to start-up + hashing ≤ {TARGETS['cache_ratio']:.0f}; under {TARGETS['cache']:.0f} s"))
        all_out = work / "all"
        all_s = timed([str(BIN / "reportlib"), "run", "--all", "--jobs", "2", "--force", "--data", str(args.data),
                       "--out", str(all_out)], ROOT)
        periods = len([p for p in all_out.iterdir() if not p.name.startswith(".")])
        per_period = all_s / periods
        rows.append((f"--all --jobs 2: {periods} periods in {all_s:.1f} s, per period", f"{per_period:.2f}",
                     f"{per_period / cold_s:.2f}", f"ratio to one cold period ≤ {TARGETS['all']}"))
        imports_s = best_of(args.repeat, [sys.executable, "-c", "import reportlib.publish.run"], ROOT)
        rows.append(("  where a cold run goes: start-up and imports (pandas, papermill, nbconvert)",
                     f"{imports_s:.2f}", "", ""))
        for name, seconds in phases(args.data, period, work / "phases").items():
            rows.append((f"  where a cold run goes: {name}", f"{seconds:.2f}", "", ""))
        pdf = pdf_times(work / "phases" / period.slug / "beretning.html", args.repeat)
        own_s = pdf["own"]
        rows.append(("  the PDF as reportlib makes it: its own fonts (reportlib.publish.typeface), subset by fontTools",
                     f"{own_s:.2f}", "1.00", ""))
        ways = {"machine": "  the PDF with the machine's fonts (its fontconfig, as before)",
                "harfbuzz": "  the PDF with the fonts subset by the system's HarfBuzz (WeasyPrint left to itself)"}
        lacks = {"machine": "not made: the machine has no fonts", "harfbuzz": "not made: no libharfbuzz-subset"}
        for how, label in ways.items():
            seconds = pdf[how]
            rows.append((label, "", "", lacks[how]) if seconds is None
                        else (label, f"{seconds:.2f}", f"{seconds / own_s:.2f}", "ratio to reportlib's PDF"))
    register = bench_stats.build_register(args.cases)
    stats_floor, _ = bench_stats.measure(bench_stats.floor, register)
    stats_s, stats_peak = bench_stats.measure(lambda: figures(register, bench_stats.YEAR))
    rows.append((f"statistics floor: value_counts over 6 columns, {args.cases:,} cases", f"{stats_floor:.2f}", "", ""))
    rows.append((f"statistics: all figures, {args.cases:,} cases ({stats_peak:.0f} MiB peak)", f"{stats_s:.2f}",
                 f"{stats_s / stats_floor:.1f}", "under 3 s and 2 GiB"))

    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
               f"Python {platform.python_version()}; best of {args.repeat} runs ({fast} for the start-up, "
               "hashing and cache-hit rows)")
    table = [f"Machine: {machine}", "", "| measurement | seconds | ratio | target |", "|---|---:|---:|---|"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    results.report("The workflow", "run.py", table, save=args.record)


if __name__ == "__main__":
    main()
