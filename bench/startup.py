"""Benchmark of the command line's start-up.

Every `kuajing` command pays for start-up before it does anything, so `--help` must not load
the catalogue, the engine or the web stack. Workload: `kuajing --help` (the console script
next to this interpreter), each run a fresh process. Baseline, in the same run: `python -c
"import typer"`, the least any Typer command line can cost. Target: at most 2.5x the baseline.

    .venv/bin/python bench/startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 2.5


def _best(argvs: list[list[str]], repeat: int) -> list[float]:
    """The fastest of `repeat` runs of each: the least disturbed by the rest of the machine.

    The commands take turns, so that a burst of load elsewhere slows them alike."""
    times: list[list[float]] = [[] for _ in argvs]
    for _ in range(repeat):
        for argv, took in zip(argvs, times, strict=True):
            began = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
            took.append(time.perf_counter() - began)
    return [min(took) for took in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "kuajing"
    baseline = [sys.executable, "-c", "import typer"]
    base, work = _best([baseline, [str(script), "--help"]], args.repeat)
    ratio = work / base
    print(f"{'workload':<34}{'seconds':>10}")
    print(f"{'baseline: python -c import typer':<34}{base:>10.3f}")
    print(f"{'kuajing --help':<34}{work:>10.3f}")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"kuajing --help {ratio:.2f}x baseline; target {TARGET_RATIO}x: {verdict}")


if __name__ == "__main__":
    main()
