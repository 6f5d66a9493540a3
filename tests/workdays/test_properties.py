"""Properties of working-day counting that hold for any start and any count, inside and outside
the years the calendar knows."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kuajing.workdays import (
    add_months,
    add_working_days,
    default_calendar,
    roll_to_working_day,
    working_days_between,
)

# From half a year before the calendar to two years after it, so that both edges are crossed.
starts = st.dates(min_value=dt.date(2023, 6, 1), max_value=dt.date(2028, 6, 30))
counts = st.integers(min_value=-300, max_value=300).filter(bool)


@given(starts, counts)
def test_counting_back_the_days_added_gives_the_same_number(start: dt.date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n).date) == n


@given(starts, counts)
def test_a_deadline_is_always_a_working_day(start: dt.date, n: int) -> None:
    assert default_calendar().is_working_day(add_working_days(start, n).date)


@given(starts, st.integers(min_value=1, max_value=300))
def test_more_working_days_never_end_earlier(start: dt.date, n: int) -> None:
    assert add_working_days(start, n).date < add_working_days(start, n + 1).date
    assert add_working_days(start, -n - 1).date < add_working_days(start, -n).date
    assert add_working_days(start, -1).date < start < add_working_days(start, 1).date


@given(starts, counts)
def test_provisional_exactly_when_an_unknown_day_is_crossed(start: dt.date, n: int) -> None:
    cal = default_calendar()
    deadline = add_working_days(start, n)
    low, high = sorted((start, deadline.date))
    days = [low + dt.timedelta(days=i) for i in range((high - low).days + 1)]
    days.remove(start)  # the start day is not counted (Art. 201), so not crossed
    assert deadline.provisional == any(not cal.is_known(d) for d in days)
    assert deadline.unknown_years == tuple(sorted({d.year for d in days if not cal.is_known(d)}))
    assert [x.year for x in deadline.notices] == sorted({d.year for d in days if cal.is_known(d)})


@given(starts)
def test_rolling_moves_to_the_first_working_day_on_or_after(day: dt.date) -> None:
    cal = default_calendar()
    rolled = roll_to_working_day(day).date
    assert rolled >= day and cal.is_working_day(rolled)
    assert working_days_between(day, rolled) == (0 if rolled == day else 1)


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2900, 12, 31)), st.integers(-240, 240)
)
def test_a_month_period_ends_on_the_corresponding_day_or_the_months_end(
    start: dt.date, months: int
) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + dt.timedelta(days=1)).day == 1)
