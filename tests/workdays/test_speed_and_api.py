"""The public interface of kuajing.workdays, and its speed: deadlines are computed for every
filing of every decision, so a thousand must take well under a second."""

from __future__ import annotations

import datetime as dt
import time

import kuajing.workdays
from kuajing.workdays import add_working_days, default_calendar, working_days_between


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


def test_a_thousand_deadlines_take_well_under_a_second() -> None:
    default_calendar()  # loading the file once is not part of the budget
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(1000)]
    began = time.perf_counter()
    for start in starts:
        deadline = add_working_days(start, 60)
        working_days_between(start, deadline.date)
    assert time.perf_counter() - began < 0.5
