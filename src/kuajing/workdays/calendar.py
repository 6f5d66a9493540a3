"""`WorkCalendar`: which days are PRC working days, from the State Council notices.

A day in a year with a notice is a working day when it is a make-up working day, or a Monday to
Friday outside every holiday. A day in any other year is a working day when it is a Monday
to Friday: the best available answer, which `Deadline` flags as provisional."""

from __future__ import annotations

import datetime as dt
from itertools import accumulate

from kuajing.catalog.base import Lang
from kuajing.workdays.errors import CalendarError
from kuajing.workdays.models import CalendarData, Counting, Holiday, Notice


def is_weekday_ordinal(ordinal: int) -> bool:
    """Monday to Friday. `date.fromordinal(1)` (1 January of year 1) is a Monday."""
    return (ordinal - 1) % 7 < 5


def weekdays_through(ordinal: int) -> int:
    """How many Mondays to Fridays there are among the ordinals 1..`ordinal` (0 when < 1)."""
    if ordinal < 1:
        return 0
    weeks, rest = divmod(ordinal, 7)  # each run of 7 from ordinal 1 starts on a Monday
    return 5 * weeks + min(rest, 5)


class WorkCalendar:
    """Working days under the notices of `known_from`..`known_through`; weekdays elsewhere.

    Everything is precomputed once per calendar over the known years: a flag per day and a
    running count, so that a lookup or a count between two dates costs the same for any span."""

    def __init__(self, data: CalendarData, source: str) -> None:
        self.data = data
        self.source = source  # the file the data came from, for messages
        self.known_from = data.known_from
        self.known_through = data.known_through
        self._notices = {n.year: n for n in data.notices}
        self._holiday_of: dict[dt.date, Holiday] = {}
        make_up: set[dt.date] = set()
        for notice in data.notices:
            for holiday in notice.holidays:
                self._holiday_of.update(dict.fromkeys(holiday.days(), holiday))
                make_up.update(holiday.make_up)
        self._make_up = frozenset(make_up)
        self._base = dt.date(self.known_from, 1, 1).toordinal()
        end = dt.date(self.known_through, 12, 31).toordinal()
        self._work = bytes(self._decide(o) for o in range(self._base, end + 1))
        # Running total of (working day - weekday) over the known years: how far the real count
        # of working days is from a plain count of weekdays, up to each day.
        diffs = (w - is_weekday_ordinal(self._base + i) for i, w in enumerate(self._work))
        self._drift = tuple(accumulate(diffs))

    def _decide(self, ordinal: int) -> bool:
        day = dt.date.fromordinal(ordinal)
        if day in self._make_up:
            return True
        return is_weekday_ordinal(ordinal) and day not in self._holiday_of

    @property
    def counting(self) -> Counting:
        """The Civil Code rules for counting a period, with their citation."""
        return self.data.counting

    @property
    def notices(self) -> tuple[Notice, ...]:
        return self.data.notices

    def notice(self, year: int) -> Notice:
        """The notice of `year`; `CalendarError` when the calendar has none for it."""
        try:
            return self._notices[year]
        except KeyError:
            raise CalendarError(
                f"no State Council holiday notice for {year} in the calendar "
                f"(it covers {self.known_from}-{self.known_through})",
                file=self.source,
            ) from None

    def is_known_year(self, year: int) -> bool:
        return self.known_from <= year <= self.known_through

    def is_known(self, day: dt.date) -> bool:
        """Whether `day` falls in a year whose notice the calendar holds."""
        return self.is_known_year(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        """Working day under the notice; outside the known years, Monday to Friday."""
        return self.is_working_ordinal(day.toordinal())

    def is_working_ordinal(self, ordinal: int) -> bool:
        index = ordinal - self._base
        if 0 <= index < len(self._work):
            return bool(self._work[index])
        return is_weekday_ordinal(ordinal)

    def working_days_through(self, ordinal: int) -> int:
        """How many working days there are among the ordinals 1..`ordinal`."""
        index = min(ordinal - self._base, len(self._drift) - 1)
        drift = self._drift[index] if index >= 0 else 0
        return weekdays_through(ordinal) + drift

    def holiday(self, day: dt.date) -> Holiday | None:
        """The holiday whose days off include `day`, if any."""
        return self._holiday_of.get(day)

    def holiday_name(self, day: dt.date, lang: Lang) -> str | None:
        """The name, in `lang`, of the holiday whose days off include `day`; None on other days
        and in years the calendar does not know."""
        holiday = self._holiday_of.get(day)
        return holiday.name.get(lang) if holiday else None
