"""Consistency of the calendar data: what a schema cannot say. Each problem comes with the key
path it concerns, so that the loader can point at its line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kuajing.workdays.models import CalendarData, Notice
from kuajing.yamlio import Path as KeyPath

Problem = tuple[KeyPath, str]


def check(data: CalendarData) -> Iterator[Problem]:
    """Every problem found (the loader reports the first)."""
    if data.known_through < data.known_from:
        yield ("known_through",), "known_through is before known_from"
        return
    yield from _years(data)
    for i, notice in enumerate(data.notices):
        yield from _notice(notice, ("notices", i))


def _years(data: CalendarData) -> Iterator[Problem]:
    # One notice per year, in order, with no gap: a missing year would otherwise be counted on
    # weekdays only while the calendar claims to know it.
    for i, notice in enumerate(data.notices):
        expected = data.known_from + i
        if notice.year != expected:
            yield (
                ("notices", i, "year"),
                (
                    f"expected the notice for {expected} here: notices run from known_from "
                    f"({data.known_from}) to known_through ({data.known_through}), one a year, "
                    "in order"
                ),
            )
            return
    last = data.known_from + len(data.notices) - 1
    if last != data.known_through:
        yield (
            ("known_through",),
            f"known_through is {data.known_through} but the notices run to {last}",
        )


def _notice(notice: Notice, at: KeyPath) -> Iterator[Problem]:
    year = notice.year
    seen: dict[dt.date, KeyPath] = {}  # every holiday day, to find overlaps
    for j, holiday in enumerate(notice.holidays):
        here = (*at, "holidays", j)
        if holiday.first.year != year or holiday.last.year != year:
            yield (*here, "first"), f"the holiday {holiday.name.zh} is not inside {year}"
        for day in holiday.days():
            if day in seen:
                yield (*here, "first"), f"the holiday {holiday.name.zh} overlaps another on {day}"
                break
            seen[day] = here
    make_up: set[dt.date] = set()
    for j, holiday in enumerate(notice.holidays):
        for k, day in enumerate(holiday.make_up):
            yield from _make_up_day(day, year, seen, make_up, (*at, "holidays", j, "make_up", k))
            make_up.add(day)


def _make_up_day(
    day: dt.date, year: int, holidays: dict[dt.date, KeyPath], seen: set[dt.date], at: KeyPath
) -> Iterator[Problem]:
    weekday = day.strftime("%A")
    if day.year != year:
        yield at, f"make-up working day {day} is not inside {year}"
    elif day.weekday() < 5:
        yield at, f"make-up working day {day} is a {weekday}: only a weekend day can be one"
    elif day in holidays:
        yield at, f"make-up working day {day} is inside a holiday"
    elif day in seen:
        yield at, f"make-up working day {day} is listed twice"
