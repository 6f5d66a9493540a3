"""bench/api.py still runs: one second of each workload, closed and open loop, with no
assertion on the timings (they belong to the benchmark, on its reference machine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "api.py"


def test_the_api_benchmark_runs() -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH), "--seconds", "1", "--clients", "4", "--rate", "20"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    header = next(line for line in lines if line.startswith("workload"))
    assert "p99" in header.split()
    assessed = [line for line in lines if line.startswith("POST /v1/assess")]
    assert len(assessed) == 2, run.stdout  # closed loop, then open loop
    rows = [line.split() for line in lines if line.startswith(("baseline", "POST"))]
    assert all(row[-6] == "0" for row in rows), run.stdout  # the errors' column
    cpu = next(line for line in lines if line.startswith("server CPU a request"))
    assert "/v1/me" in cpu and "/v1/assess" in cpu and "nan" not in cpu, cpu
    verdicts = [line for line in lines if "PASS" in line or "FAIL" in line]
    assert any(
        line.startswith("throughput: assess") and "x the baseline" in line for line in verdicts
    )
    assert any(line.startswith("open loop: assess p99") for line in verdicts), run.stdout
