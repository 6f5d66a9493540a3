"""Counting periods on the working-day calendar, after the Civil Code (民法典 Arts 201-203).

Art. 201: the day a period starts is not counted; counting begins the next day.
Art. 202: a period of months or years ends on the corresponding day of its last month, or on
that month's last day when there is no corresponding day.
Art. 203: a last day that is a statutory rest day moves to the day after the rest ends.

Every function takes the calendar as `calendar=` and uses the shipped one by default."""

from __future__ import annotations

import calendar as gregorian
import datetime as dt

from kuajing.workdays.calendar import WorkCalendar
from kuajing.workdays.deadline import Deadline
from kuajing.workdays.errors import CalendarError
from kuajing.workdays.loader import default_calendar


def add_working_days(start: dt.date, n: int, *, calendar: WorkCalendar | None = None) -> Deadline:
    """The `n`-th working day after `start` (n > 0) or the |n|-th working day before it
    (n < 0). `start` itself is never counted (Art. 201), whether or not it is a working day:
    10 working days from a Friday decision run from the Monday. `n == 0` is a `CalendarError`:
    it names no day."""
    if n == 0:
        raise CalendarError("n must not be 0: count at least one working day, forward or back")
    cal = calendar or default_calendar()
    step = 1 if n > 0 else -1
    ordinal, left = start.toordinal(), abs(n)
    while left:
        ordinal += step
        left -= cal.is_working_ordinal(ordinal)
    end = dt.date.fromordinal(ordinal)
    # The days looked at: from the day after `start` forward, or the day before it back.
    near = start + dt.timedelta(days=step)
    first, last = (near, end) if n > 0 else (end, near)
    return crossing(cal, end, first, last)


def working_days_between(a: dt.date, b: dt.date, *, calendar: WorkCalendar | None = None) -> int:
    """The working days counted from `a` to `b` as a period is counted (Art. 201): `a` is not
    counted, `b` is. Forward (b after a) that is the working days in (a, b]; backward it is
    minus the working days in [b, a). So `working_days_between(start,
    add_working_days(start, n).date) == n` for every n, whatever day `start` is.

    Days in years without a notice count when they are Monday to Friday; check
    `calendar.is_known` (or use `add_working_days`, whose `Deadline` says so) where that
    matters."""
    cal = calendar or default_calendar()
    through = cal.working_days_through
    if b >= a:
        return through(b.toordinal()) - through(a.toordinal())
    return through(b.toordinal() - 1) - through(a.toordinal() - 1)


def roll_to_working_day(day: dt.date, *, calendar: WorkCalendar | None = None) -> Deadline:
    """`day` itself when it is a working day, otherwise the next working day (Art. 203).

    Art. 203 speaks of a statutory rest day (法定休假日). We also roll past an ordinary Saturday or
    Sunday: the weekly rest days are rest days under the State Council's working-hours rules,
    the predecessor rule (General Principles of the Civil Law, Art. 154) named Sunday expressly,
    and agencies, which do not receive filings on a weekend, apply it so: a last day on a
    weekend moves to the next working day. A make-up working day (调休上班) is a working day and
    does not roll."""
    cal = calendar or default_calendar()
    ordinal = day.toordinal()
    while not cal.is_working_ordinal(ordinal):
        ordinal += 1
    end = dt.date.fromordinal(ordinal)
    return crossing(cal, end, day, end)


def add_months(start: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` months starting on `start` (Art. 202): the day of
    the final month that corresponds to `start`, or that month's last day when it has none
    (31 January + 1 month = 28 or 29 February). Negative `months` count back the same way.
    Calendar months only: apply `roll_to_working_day` when the last day must be a working day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise CalendarError(f"{start} plus {months} months is outside the calendar")
    last = gregorian.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def add_years(start: dt.date, years: int) -> dt.date:
    """The last day of a period of `years` years starting on `start` (Art. 202): the same day
    and month `years` later, 28 February for a 29 February start in a common year."""
    return add_months(start, 12 * years)


def crossing(cal: WorkCalendar, end: dt.date, first: dt.date, last: dt.date) -> Deadline:
    """A `Deadline` on `end`, for a computation that looked at the days `first`..`last`."""
    years = range(first.year, last.year + 1)
    unknown = tuple(y for y in years if not cal.is_known_year(y))
    return Deadline(
        date=end,
        provisional=bool(unknown),
        unknown_years=unknown,
        notices=tuple(cal.notice(y) for y in years if cal.is_known_year(y)),
        known_from=cal.known_from,
        known_through=cal.known_through,
    )
