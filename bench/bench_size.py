"""Benchmark reading and reporting registers of 10,000 to 3,000,000 cases against their floor (not a test).

For each size, a register with the example register's schema and proportions is written to a
temporary folder (``bench/registers.py``, seeded), and three commands run, each as a fresh
process as a user or cron would run it:

- floor: bare ``pandas.read_csv`` of the three CSV files as text, in a new interpreter;
- ``reportlib validate --data FOLDER``;
- ``reportlib run --period 2018/19 --data FOLDER --format html --force``.

The three take turns, ``--repeat`` times, so that a busy moment of the machine hits all of them.
Each command's wall time is the best of its runs; its peak memory is that of the whole
process tree (a run's kernel is a child process): the resident memory of the process and all its
descendants, summed every 20 ms with psutil, the highest sum of any run. Shared libraries count
once per process, so the tree's figure is an upper bound. Ratios compare measurements of this
one run; the time per case added from one size to the next stays the same when time grows
linearly with the register.

Run: ``make bench-size`` or ``.venv/bin/python bench/bench_size.py [--sizes N ...] [--repeat N] [--record]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

import registers
import results

BIN = Path(sys.executable).parent
SIZES = (10_000, 100_000, 1_000_000, 3_000_000)
PERIOD = "2018/19"
TABLES = ("sager.csv", "problemstillinger.csv", "aktiviteter.csv")
FLOOR = "import sys, pandas\nfor path in sys.argv[1:]:\n    pandas.read_csv(path, dtype=str, keep_default_na=False)"
TARGETS = ("At 1,000,000 cases: validate at most 3x the floor and 1 GiB; run at most 4x validate and "
           "1.5 GiB for the whole process tree; time per added case about the same from size to size.")
POLL = 0.02  # seconds between memory samples


def measure(command: list[str]) -> tuple[float, float]:
    """Wall time of one command and the peak resident memory of its process tree (MiB).

    A failing command stops the benchmark with its output.
    """
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        tree, peak = psutil.Process(process.pid), 0
        while process.poll() is None:
            peak = max(peak, _tree_memory(tree))
            time.sleep(POLL)
        elapsed = time.perf_counter() - start
        if process.returncode:
            output.seek(0)
            sys.exit(f"{' '.join(command)} failed:\n{output.read().decode(errors='replace')}")
    return elapsed, peak / 2**20


def _tree_memory(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess):  # ended between listing and reading
            total += member.memory_info().rss
    return total


def bench_size(n_cases: int, work: Path, repeat: int) -> dict[str, float]:
    """Floor, validate and run on one register, taking turns, so that a busy moment of the machine hits all three."""
    folder = registers.write_register(work / f"register-{n_cases}", n_cases)
    commands = {
        "floor": [sys.executable, "-c", FLOOR, *(str(folder / name) for name in TABLES)],
        "validate": [str(BIN / "reportlib"), "validate", "--data", str(folder)],
        "run": [str(BIN / "reportlib"), "run", "--period", PERIOD, "--data", str(folder), "--out", str(work / "out"),
                "--format", "html", "--force"],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(measure(command))
    measured = {"csv_mib": sum((folder / name).stat().st_size for name in TABLES) / 2**20}
    for name, timings in runs.items():  # the best time, the highest peak
        measured[f"{name}_s"] = min(t for t, _ in timings)
        measured[f"{name}_mib"] = max(m for _, m in timings)
    shutil.rmtree(folder)
    return measured


def table(rows: dict[int, dict[str, float]]) -> list[str]:
    """One row per size. The time per case added since the size before stays the same where time grows linearly."""
    lines = ["| cases | CSV MiB | floor s | validate s | run s | validate ÷ floor | run ÷ floor | run ÷ validate "
             "| µs per added case: floor, validate | floor MiB | validate MiB | run MiB (tree) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    before = None
    for cases, r in rows.items():
        added = "" if before is None else ", ".join(
            f"{(r[key] - before[key]) / (cases - before['cases']) * 1e6:.1f}" for key in ("floor_s", "validate_s"))
        lines.append(f"| {cases:,} | {r['csv_mib']:.0f} | {r['floor_s']:.2f} | {r['validate_s']:.2f} "
                     f"| {r['run_s']:.2f} "
                     f"| {r['validate_s'] / r['floor_s']:.2f} | {r['run_s'] / r['floor_s']:.2f} "
                     f"| {r['run_s'] / r['validate_s']:.2f} | {added} "
                     f"| {r['floor_mib']:.0f} | {r['validate_mib']:.0f} | {r['run_mib']:.0f} |")
        before = {"cases": cases, **r}
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="numbers of cases")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best time counts)")
    parser.add_argument("--record", action="store_true", help="also write the table to bench/RESULTS.md")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory(prefix="reportlib-bench-size-") as work:
        for n_cases in args.sizes:
            rows[n_cases] = bench_size(n_cases, Path(work), args.repeat)
            print(f"{n_cases:,} cases measured", file=sys.stderr)
    memory = psutil.virtual_memory().total / 2**30
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} "
               f"{platform.release()}, Python {platform.python_version()}; best of {args.repeat} runs")
    lines = [f"Machine: {machine}", "", *table(rows), "", f"Targets: {TARGETS}"]
    results.report("Register size", "bench_size.py", lines, save=args.record)


if __name__ == "__main__":
    main()
