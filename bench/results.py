"""bench/RESULTS.md: one section per benchmark script, each rewritten only by that script's ``--record``."""

from __future__ import annotations

import re
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEAD = "# Benchmark results\n\nRatios compare measurements of the same run, on the machine named above the table.\n\n"


def record(heading: str, body: str) -> None:
    """Write ``body`` as the section ``## heading`` of RESULTS.md, keeping every other section."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEAD
    head, *sections = re.split(r"(?m)^(?=## )", text)
    section = f"## {heading}\n\n{body}"
    sections = [section if s.startswith(f"## {heading}\n") else s for s in sections]
    if section not in sections:
        sections.append(section)
    RESULTS.write_text("\n\n".join(part.strip() for part in [head, *sections]) + "\n", encoding="utf-8")


def report(heading: str, script: str, lines: list[str], *, save: bool) -> None:
    """Print a benchmark's table; with ``save`` (its ``--record``) also write it as its section of RESULTS.md."""
    print("\n".join(lines))
    if save:
        record(f"{heading}: `bench/{script}`",
               f"Written by `python bench/{script} --record` ({time.strftime('%Y-%m-%d')}).\n\n" + "\n".join(lines))
