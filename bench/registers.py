"""Write registers of any size with the example register's schema and proportions (for the benchmarks).

Each case is a copy of a case of ``data/raw`` drawn at random (seeded), with a new ``sag_id``, its
problem rows and its note; activities are drawn the same way, as many per case as the example
has. Type, channel, outcome, area, centre and topic mixes, problems per case, open cases, notes
and dates therefore follow the example register. One note in twenty spans two text lines, as
Excel writes a cell with a line break, so that reading has to tell records from text lines.

On its own: ``.venv/bin/python bench/registers.py FOLDER CASES``.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw"
SEED = 12
TWO_LINE_NOTES = 0.05
_BLOCK = 100_000  # rows formatted per write: bounded memory for millions of rows


def _rows(name: str) -> tuple[list[str], list[list[str]]]:
    with (EXAMPLE / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        header, *rows = csv.reader(stream)
    return header, rows


def _line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def write_register(folder: Path, n_cases: int, seed: int = SEED) -> Path:
    """Write a valid register of ``n_cases`` cases into ``folder`` (created); return the folder.

    The same ``n_cases`` and ``seed`` always write the same bytes.
    """
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for extra in ["kommune.yml", *(p.name for p in EXAMPLE.glob("beretning_*.md"))]:
        shutil.copy(EXAMPLE / extra, folder / extra)

    case_header, cases = _rows("sager")
    problem_header, problems = _rows("problemstillinger")
    activity_header, activities = _rows("aktiviteter")
    # Each example case as the text after its id, once with its note as written and once on two lines.
    after_id = [_line(row)[len(row[0]):] for row in cases]
    two_lines = [_line([*row[:-1], row[-1] + "\nSe også journalen."])[len(row[0]):] if row[-1] else after_id[i]
                 for i, row in enumerate(cases)]
    rows_of: dict[str, list[str]] = {}
    for row in problems:
        rows_of.setdefault(row[0], []).append(_line(row)[len(row[0]):])
    problem_rows = [rows_of[row[0]] for row in cases]

    drawn = rng.integers(0, len(cases), n_cases)
    broken = rng.random(n_cases) < TWO_LINE_NOTES
    with (folder / "sager.csv").open("w", encoding="utf-8", newline="") as sager, \
            (folder / "problemstillinger.csv").open("w", encoding="utf-8", newline="") as rows:
        sager.write(_line(case_header))
        rows.write(_line(problem_header))
        for first in range(0, n_cases, _BLOCK):
            block = range(first, min(first + _BLOCK, n_cases))
            ids = [f"BR-{i + 1:07d}" for i in block]
            sager.write("".join(case_id + (two_lines if broken[i] else after_id)[drawn[i]]
                                for case_id, i in zip(ids, block, strict=False)))
            rows.write("".join(case_id + rest for case_id, i in zip(ids, block, strict=True)
                               for rest in problem_rows[drawn[i]]))

    n_activities = round(n_cases * len(activities) / len(cases))
    with (folder / "aktiviteter.csv").open("w", encoding="utf-8", newline="") as stream:
        stream.write(_line(activity_header))
        for first in range(0, n_activities, _BLOCK):
            picked = rng.integers(0, len(activities), min(_BLOCK, n_activities - first))
            stream.write("".join(_line(activities[k]) for k in picked))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("cases", type=int)
    args = parser.parse_args()
    write_register(args.folder, args.cases)


if __name__ == "__main__":
    main()
