"""The benchmarks still run: each script on a tiny input, to the end, printing its table (never a time asserted).

Nothing else runs them, so without these a change to the library could break them unseen; the
measurements themselves are `make bench`'s, read by a person, never a test's.
"""

import subprocess
import sys

import pytest

from conftest import ROOT

BENCH = ROOT / "bench"
pytestmark = [pytest.mark.slow, pytest.mark.kernel]  # each starts report kernels, in the commands it times


def bench(script, *arguments, cwd=ROOT):
    """Run a bench script to its end; its standard output."""
    done = subprocess.run([sys.executable, BENCH / script, *map(str, arguments)], cwd=cwd, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


def rows(table, header):
    """The rows of the Markdown table that starts with ``header``: their first cells."""
    lines = table[table.index(header):].splitlines()
    assert lines[1].startswith("|---")
    return [line.split("|")[1].strip() for line in lines[2:] if line.startswith("|")]


def test_the_workflow_bench_runs_on_a_tiny_register(make_register):
    shown = bench("run.py", "--repeat", 1, "--data", make_register(), "--period", "2018/19", "--cases", 2000)
    measured = rows(shown, "| measurement | seconds | ratio | target |")
    assert measured[0].startswith("floor:") and measured[-1].startswith("statistics: all figures, 2,000 cases")
    assert any(row.startswith("same period again, inputs unchanged (cache hit)") for row in measured)
    assert any(row.startswith("--all --jobs 2: 3 periods") for row in measured)


def test_the_register_size_bench_runs_on_a_tiny_register():
    shown = bench("bench_size.py", "--sizes", 200, "--repeat", 1)
    assert rows(shown, "| cases | CSV MiB |") == ["200"]


def test_the_statistics_bench_runs_on_a_tiny_register():
    shown = bench("bench_stats.py", "--cases", 2000)
    assert "all figures for the year (figures())" in shown and "ratio figures / floor" in shown


def test_the_network_bench_runs_on_a_tiny_network():
    shown = bench("network.py", "--municipalities", 1, "--years", 2, "--network", 2, "--repeat", 1)
    measured = rows(shown, "| measurement | seconds | ratio | ratio to |")
    assert any(row.startswith("run --all") for row in measured), measured
    assert sum(row.startswith("reportlib network") and "(2 members)" in row for row in measured) == 2, measured
