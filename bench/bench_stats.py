"""Benchmark: all figures of one year for a register of 1,000,000 cases (not a test).

Builds a synthetic register in memory (1,000,000 cases in the reported year, ~1.7 problem rows
each, plus 100,000 cases in the year before so the comparison is computed too), then times
``figures()`` against the floor: bare pandas ``value_counts`` over the same columns, in the same
run. The ratio is the figure to watch; absolute times depend on the machine.

Part of ``bench/run.py`` (``make bench``); on its own: ``.venv/bin/python bench/bench_stats.py [--cases N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from reportlib.figures.document import figures
from reportlib.periods import Period
from reportlib.register.kommune import load_kommune
from reportlib.register.model import Register

ROOT = Path(__file__).resolve().parents[1]
YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))


def _categorical(rng: np.random.Generator, labels: list[str], n: int, missing: float = 0.0) -> pd.Categorical:
    codes = rng.integers(0, len(labels), n)
    if missing:
        codes[rng.random(n) < missing] = -1
    return pd.Categorical.from_codes(codes, categories=labels)


def build_register(n_cases: int, seed: int = 1) -> Register:
    """A valid-shaped register of ``n_cases`` cases in YEAR and a tenth as many the year before."""
    rng = np.random.default_rng(seed)
    kommune = load_kommune(ROOT / "data" / "raw")
    n_total = n_cases + n_cases // 10
    first = np.datetime64(YEAR.start.isoformat())
    offsets = np.concatenate([rng.integers(0, 365, n_cases), rng.integers(-365, 0, n_total - n_cases)])
    received = first + offsets.astype("timedelta64[D]")
    closed = received + rng.integers(1, 90, n_total).astype("timedelta64[D]")
    closed[rng.random(n_total) < 0.05] = np.datetime64("NaT")
    sager = pd.DataFrame({
        "sag_id": np.char.add("S", np.arange(n_total).astype(str)),
        "modtaget": received.astype("datetime64[ns]"),
        "afsluttet": closed.astype("datetime64[ns]"),
        "henvendelsestype": _categorical(rng, kommune.henvendelsestyper, n_total),
        "kanal": _categorical(rng, kommune.kanaler, n_total, missing=0.03),
        "udfald": _categorical(rng, kommune.udfald, n_total, missing=0.05),
        "moede_deltaget": rng.random(n_total) < 0.14,
        "klagebistand": rng.random(n_total) < 0.04,
    })
    # 1 + Poisson(0.7) rows per case: ~1.7 on average; the first row of each case is primary.
    per_case = 1 + rng.poisson(0.7, n_total)
    case_row = np.repeat(np.arange(n_total), per_case)
    starts = np.concatenate([[0], np.cumsum(per_case)[:-1]])
    primary = np.zeros(len(case_row), dtype=bool)
    primary[starts] = True
    areas = list(kommune.omraader)
    area_codes = rng.integers(0, len(areas), len(case_row))
    centres = list(dict.fromkeys(c for cs in kommune.omraader.values() for c in cs))
    centre_codes = np.array([centres.index(kommune.omraader[a][0]) for a in areas])[area_codes]
    centre_codes += rng.integers(0, 5, len(case_row))  # each area lists five centres, in order
    topics = kommune.topics
    topic_codes = rng.integers(0, len(topics), len(case_row))
    category_of = kommune.topic_category()
    categories = list(kommune.emner)
    problemstillinger = pd.DataFrame({
        "sag_id": sager["sag_id"].to_numpy()[case_row],
        "omraade": pd.Categorical.from_codes(area_codes, categories=areas),
        "center": pd.Categorical.from_codes(centre_codes, categories=centres),
        "emne": pd.Categorical.from_codes(topic_codes, categories=topics),
        "kategori": pd.Categorical.from_codes(
            np.array([categories.index(category_of[t]) for t in topics])[topic_codes], categories=categories),
        "primaer": primary,
        "case_row": case_row,
    })
    days = pd.date_range(YEAR.start, YEAR.end, freq="W-MON")
    aktiviteter = pd.DataFrame({
        "dato": days,
        "aktivitet": pd.Categorical([kommune.drop_in_activity] * len(days), categories=kommune.aktiviteter),
        "antal_borgere": pd.array(rng.integers(0, 6, len(days)), dtype="Int64"),
    })
    return Register(kommune=kommune, sager=sager, problemstillinger=problemstillinger, aktiviteter=aktiviteter)


def floor(register: Register) -> None:
    """Bare pandas: value_counts over the columns the figures count."""
    for column in ("henvendelsestype", "kanal", "udfald"):
        register.sager[column].value_counts()
    for column in ("omraade", "center", "emne"):
        register.problemstillinger[column].value_counts()


def measure(func, *args, repeat: int = 3) -> tuple[float, float]:
    """Best wall time of ``repeat`` runs, and peak traced memory of one more (MiB)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    func(*args)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    register = build_register(args.cases)
    print(f"built {len(register.sager):,} cases and {len(register.problemstillinger):,} problem rows "
          f"({len(register.problemstillinger) / len(register.sager):.2f} per case) in {time.perf_counter() - t0:.1f} s")
    floor_time, floor_peak = measure(floor, register)
    figures_time, figures_peak = measure(lambda: figures(register, YEAR))
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"pandas {pd.__version__}, numpy {np.__version__}")
    print(f"{'measurement':<42}{'seconds':>9}{'peak MiB':>10}")
    print(f"{'floor: pandas value_counts, 6 columns':<42}{floor_time:>9.3f}{floor_peak:>10.0f}")
    print(f"{'all figures for the year (figures())':<42}{figures_time:>9.3f}{figures_peak:>10.0f}")
    print(f"{'ratio figures / floor':<42}{figures_time / floor_time:>9.1f}x")
    print("target: all figures under 3 s and 2 GiB for 1,000,000 cases")


if __name__ == "__main__":
    main()
