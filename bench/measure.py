"""Run a benchmark's command in its own process: its wall time and its own peak memory.

`os.wait4` on a command the benchmark starts itself does not give the command's peak: Linux
folds the high-water mark of the address space a child had before exec into its `ru_maxrss`,
and `subprocess` starts children with vfork, whose address space is the parent's (with fork,
a copy of its resident pages). A benchmark that generated and read its file first would report
its own peak for every child. So the command is started by a launcher, a fresh interpreter of
a few MiB, which times it and reads its rusage: the command inherits only the launcher's mark.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Stdlib only (-I -S: no site-packages, no environment), so it starts small and fast.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
os.write(int(sys.argv[1]), f"{seconds} {usage.ru_maxrss}".encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_child(
    cmd: list[str], *, env: dict[str, str] | None = None, stdout: Path | None = None
) -> tuple[float, float]:
    """Run `cmd`; its wall time in seconds and peak resident memory in GiB. Exits, with the
    command's error output, when it fails."""
    launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER]
    read, write = os.pipe()
    with os.fdopen(read, "rb") as report, open(stdout or os.devnull, "wb") as out:
        try:
            done = subprocess.run(
                [*launcher, str(write), *cmd],
                env=env,
                stdout=out,
                stderr=subprocess.PIPE,
                pass_fds=(write,),
                check=False,
            )
        finally:
            os.close(write)  # the launcher's end closed as it exited: the read ends
        figures = report.read().split()
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr.decode()}")
    seconds, kib = float(figures[0]), int(figures[1])  # ru_maxrss is in KiB on Linux
    return seconds, kib / 2**20


def best_of(run: Callable[[], object], repeat: int) -> float:
    """The shortest of `repeat` timed calls in this process, in seconds: the least disturbed
    by the other work on a shared machine."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best
