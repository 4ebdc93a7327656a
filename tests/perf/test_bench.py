"""The benchmark runs to the end and prints its table, on both backends: a small clinic,
two runs a figure, so it cannot rot. It times nothing and asserts no time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).with_name("bench.py")
FIGURES = (
    "cold start to the caseload painted",
    "caseload query (every client's row)",
    "search keystroke to table updated",
    "open a client record, all tabs filled",
    "build a 10-exercise programme handout",
    "batch of ",
    "peak memory, caseload open and a record open",
)


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_every_figure(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(BENCH), "--db", database_url, "--clients", "50", "--repeat", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Building a demo clinic of 50 clients" in done.stderr
    out = done.stdout
    assert "Therapy Desk benchmark: 50 clients" in out
    lines = [line for line in out.splitlines() if line.startswith("| ")]
    assert lines[0].split("|")[1].strip() == "figure"
    for figure in FIGURES:
        row = next((line for line in lines if figure in line), None)
        assert row is not None, f"no row for {figure!r} in:\n{out}"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2].endswith(("ms", " s", "MB")), row  # a median was measured
    floor_rows = [line for line in lines if "× floor" in line]
    assert len(floor_rows) == 3 and all("×" in line.split("|")[6] for line in floor_rows)
