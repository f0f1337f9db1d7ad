"""Benchmark many municipalities in one batch, and the network report, on the synthetic network (not a test).

Writes invented municipalities into a temporary folder (``scripts/make_example_register.py --network``,
seeded: the same members every time, and a larger network starts with the smaller one), then times,
each as a separate process as a user or cron would run it:

- one period cold: ``reportlib run --period P --data DIR --force``, for the last reporting year of the
  middle-sized of the batch's municipalities (the best of ``--repeat`` runs);
- ``reportlib run --all --jobs 2 --force --data DIR1 --data DIR2 ...``: every complete reporting
  year and half-year of every municipality (published under OUT/<municipality>/START_END/), once,
  per report and as a ratio to the cold period;
- ``reportlib network --figures F1 ... --out DIR`` for each network size, HTML and HTML + PDF (the best of ``--repeat``,
  each into a new folder, so that none is a cache hit). The members' figures documents are those of
  the calendar year 2024, which every member covers from two years on, computed in process by the
  library's ``figures()`` (what ``reportlib figures --period P --data DIR`` prints), not by full runs.

The network report is timed as HTML alone and as HTML + PDF. The defaults are issue 24's: 40 municipalities of 5
years, and networks of 40 and 98 members.

Run: ``make bench-network`` or ``.venv/bin/python bench/network.py [--municipalities M] [--years Y]
[--network N ...] [--jobs J] [--repeat N] [--record]``; ``--record`` writes the table as this script's
section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import results
from reportlib.figures.document import figures, to_json
from reportlib.periods import parse_period
from reportlib.register.validate import load_register
from run import best_of, timed

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NETWORK_PERIOD = "2024-01-01:2024-12-31"  # a calendar year every member of two years or more covers


def _generator():
    """scripts/make_example_register.py as a module (it is a script, not part of the package)."""
    script = ROOT / "scripts" / "make_example_register.py"
    spec = importlib.util.spec_from_file_location("make_example_register", script)
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


def cold(work: Path, folder: Path, period: str, repeat: int) -> float:
    """One period of one municipality, cold: the best of ``repeat`` runs."""
    return best_of(repeat, [str(BIN / "reportlib"), "run", "--period", period, "--data", str(folder), "--force",
                            "--out", str(work / "cold")], ROOT)


def batch(work: Path, folders: list[Path], jobs: int, cold_s: float) -> tuple:
    """``run --all`` over every folder, once: a row of the table."""
    label = f"run --all --jobs {jobs} over {len(folders)} municipalities"
    out = work / "all"
    all_s = timed([str(BIN / "reportlib"), "run", "--all", "--jobs", str(jobs), "--force", "--out", str(out),
                   *_each("--data", folders)], ROOT)
    reports = len(list(out.rglob("manifest.json")))
    per_report = all_s / reports
    return (f"{label}: {reports} reports in {all_s:.0f} s, per report", f"{per_report:.2f}",
            f"{per_report / cold_s:.2f}", "ratio to one cold period")


def network(work: Path, folders: list[Path], sizes: list[int], cold_s: float, repeat: int) -> list[tuple]:
    """The members' figures documents in process, then ``reportlib network`` for each size: rows of the table."""
    documents = work / "figures"
    documents.mkdir()
    start = time.perf_counter()
    paths = [documents / f"{folder.name}.json" for folder in folders]
    for folder, path in zip(folders, paths, strict=True):
        path.write_text(to_json(figures(load_register(folder), parse_period(NETWORK_PERIOD, 1))), encoding="utf-8")
    per_member = (time.perf_counter() - start) / len(folders)
    rows = [(f"a member's figures document for {NETWORK_PERIOD} (load_register and figures, in process)",
             f"{per_member:.2f}", "", f"mean of {len(folders)}")]
    for size in sizes:
        for formats in ("html", "html,pdf"):
            network_s = min(timed([str(BIN / "reportlib"), "network", *_each("--figures", paths[:size]), "--format",
                                   formats, "--out", str(work / f"network-{size}-{formats}-{k}")], ROOT)
                            for k in range(repeat))
            rows.append((f"reportlib network --figures ... --format {formats} ({size} members), into a new folder",
                         f"{network_s:.2f}", f"{network_s / cold_s:.2f}", "ratio to one cold period"))
    return rows


def _each(flag: str, values: list[Path]) -> list[str]:
    """``--flag A --flag B ...``: an option given once per value."""
    return [part for value in values for part in (flag, str(value))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=40, metavar="M", help="of run --all (default 40)")
    parser.add_argument("--years", type=int, default=5, metavar="Y", help="complete reporting years each (default 5)")
    parser.add_argument("--network", type=int, nargs="+", default=[40, 98], metavar="N",
                        help="members of each network report timed (default 40 98)")
    parser.add_argument("--jobs", type=int, default=2, help="run --all's --jobs (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the cold period and of each network report "
                        "(the best counts; run --all runs once)")
    parser.add_argument("--record", action="store_true", help="also write the table to bench/RESULTS.md")
    args = parser.parse_args()
    generator = _generator()
    try:
        members = generator.network(max(args.municipalities, *args.network), args.years)
    except ValueError as exc:
        parser.error(str(exc))
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="reportlib-bench-network-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        folders = [generator.write_member(work / "registers", member) for member in members]
        rows.append((f"writing {len(members)} invented registers of {args.years} years (the generator, in process)",
                     f"{time.perf_counter() - start:.2f}", "", ""))
        batch_members = members[: args.municipalities]
        middle = sorted(batch_members, key=lambda m: m.config["indbyggere"])[len(batch_members) // 2]
        last = middle.municipality.years[-1]
        cold_s = cold(work, work / "registers" / middle.slug, f"{last.start}:{last.end}", args.repeat)
        rows.append((f"one period cold, HTML + PDF: {middle.config['kommune']}'s last year ({sum(last.types)} cases; "
                     "reportlib run --period P --data DIR --force)", f"{cold_s:.2f}", "1.00", ""))
        rows.append(batch(work, folders[: args.municipalities], args.jobs, cold_s))
        if args.years >= 2:
            rows += network(work, folders, args.network, cold_s, args.repeat)
        else:
            print(f"skipped: the network report needs --years 2 or more (its period is {NETWORK_PERIOD})",
                  file=sys.stderr)
    scale = (f"{args.municipalities} municipalities × {args.years} years; networks of "
             f"{' and '.join(map(str, args.network))} members")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
               f"Python {platform.python_version()}; {scale}; best of {args.repeat} runs (run --all: one)")
    table = [f"Machine: {machine}", "", "| measurement | seconds | ratio | ratio to |", "|---|---:|---:|---|"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    results.report("The network", "network.py", table, save=args.record)


if __name__ == "__main__":
    main()
