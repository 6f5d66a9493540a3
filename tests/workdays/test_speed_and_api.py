"""The public interface of kuajing.workdays, and its benchmark (bench/workdays.py: deadlines are
computed for every filing of every decision, so they must be cheap) still running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import kuajing.workdays

BENCH = Path(__file__).resolve().parents[2] / "bench" / "workdays.py"


def test_the_public_names_are_pinned() -> None:
    assert sorted(kuajing.workdays.__all__) == [
        "CALENDAR_FILE",
        "CalendarData",
        "CalendarError",
        "Counting",
        "Deadline",
        "Holiday",
        "Notice",
        "WorkCalendar",
        "add_months",
        "add_working_days",
        "add_years",
        "default_calendar",
        "load_calendar",
        "roll_to_working_day",
        "working_days_between",
    ]


def test_the_deadline_benchmark_runs() -> None:
    """bench/workdays.py still runs on a small workload; its timings are the benchmark's, on its
    reference machine, not a test's."""
    run = subprocess.run(
        [sys.executable, str(BENCH), "--n", "200", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "60 working days, checked back" in run.stdout
    assert any(
        line.startswith("deadline ") and "target 500" in line for line in run.stdout.splitlines()
    )
