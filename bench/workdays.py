"""Benchmark of working-day deadlines.

Deadlines are counted for every filing of every decision and again on every page that shows
them, so they must be cheap. Workload: N deadlines of 60 working days (the extension window of
CBDF-9-2) from N start days across 2024-2026, each checked back with `working_days_between`.
Baseline, in the same run: the same N dates moved by 60 calendar days (plain date arithmetic).
Target: at most 500 µs a deadline (a thousand in half a second) on the 2-core reference machine.

    .venv/bin/python bench/workdays.py [--n 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt

from kuajing.workdays import add_working_days, default_calendar, working_days_between
from measure import best_of

TARGET_US = 500.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cal = default_calendar()  # loading the data file once is not part of the workload
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=i % 1096) for i in range(args.n)]
    sixty = dt.timedelta(days=60)

    def baseline() -> None:
        for start in starts:
            _ = start + sixty

    def deadlines() -> None:
        for start in starts:
            due = add_working_days(start, 60, calendar=cal).date
            assert working_days_between(start, due, calendar=cal) == 60

    base, work = best_of(baseline, args.repeat), best_of(deadlines, args.repeat)
    each = work / args.n * 1e6
    print(f"{'workload':<34}{'seconds':>10}{'µs each':>10}")
    print(f"{'baseline: date + 60 days':<34}{base:>10.3f}{base / args.n * 1e6:>10.2f}")
    print(f"{'60 working days, checked back':<34}{work:>10.3f}{each:>10.2f}")
    verdict = "PASS" if each <= TARGET_US else "FAIL"
    print(
        f"deadline {each:.1f} µs each ({work / base:.0f}x baseline); "
        f"target {TARGET_US:.0f} µs: {verdict}"
    )


if __name__ == "__main__":
    main()
