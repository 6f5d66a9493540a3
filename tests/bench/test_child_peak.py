"""bench/measure.py reports a child's own peak memory, not its parent's (the benchmarks run
their commands from a parent that has generated and read hundreds of MiB)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

MIB = 2**20
BENCH = Path(__file__).resolve().parents[2] / "bench" / "measure.py"


def load_measure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_measure", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def resident_mib() -> float:
    """This process's resident memory now (VmRSS), in MiB."""
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if "VmRSS" in x)
    return int(line.split()[1]) / 1024


def test_a_trivial_child_after_a_large_parent_reports_a_small_peak() -> None:
    ballast = bytearray(500 * MIB)
    ballast[::4096] = b"\1" * len(range(0, len(ballast), 4096))  # every page resident
    assert resident_mib() > 450  # the premise: the parent is large when the child starts
    _, gib = load_measure().run_child([sys.executable, "-c", "pass"])
    assert gib * 1024 < 150, f"{gib * 1024:.0f} MiB"


def test_a_child_that_allocates_reports_its_own_peak() -> None:
    """The figure is the command's, not the small launcher's that starts it."""
    code = "b = bytearray(200 * 2**20); b[::4096] = b'\\1' * (200 * 2**20 // 4096)"
    _, gib = load_measure().run_child([sys.executable, "-c", code])
    assert 200 <= gib * 1024 < 300, f"{gib * 1024:.0f} MiB"
