"""Every day of 2024, 2025 and 2026 is a working day in kuajing's calendar exactly when it is one
in two independent open-source calendars: `holidays` and `chinesecalendar`. Each transcribes
the same State Council notices by other hands, so a typo in our data shows up as a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import chinese_calendar  # type: ignore[import-untyped]  # ships no type hints
import holidays
import pytest

from kuajing.workdays import default_calendar

YEARS = (2024, 2025, 2026)

# chinesecalendar's English names, and the Chinese name the notice gives the same holiday
# (2025 joins National Day and Mid-Autumn Festival into one holiday "国庆节、中秋节").
NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def _days(year: int) -> Iterator[dt.date]:
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def _fmt(day: dt.date) -> str:
    return f"{day} ({day:%a})"


@pytest.mark.parametrize("year", YEARS)
def test_working_days_agree_with_the_holidays_package(year: int) -> None:
    cal = default_calendar()
    theirs = holidays.country_holidays("CN", years=year)
    wrong = [
        f"{_fmt(d)}: kuajing {cal.is_working_day(d)}, holidays {theirs.is_working_day(d)}"
        for d in _days(year)
        if cal.is_working_day(d) != theirs.is_working_day(d)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("year", YEARS)
def test_make_up_working_days_agree_with_the_holidays_package(year: int) -> None:
    ours = {d for h in default_calendar().notice(year).holidays for d in h.make_up}
    theirs = holidays.country_holidays("CN", years=year)
    assert ours == {d for d in theirs.weekend_workdays if d.year == year}


@pytest.mark.parametrize("year", YEARS)
def test_working_days_agree_with_chinesecalendar(year: int) -> None:
    cal = default_calendar()
    wrong = [
        f"{_fmt(d)}: kuajing {ours}, chinesecalendar {not ours}"
        for d in _days(year)
        if (ours := cal.is_working_day(d)) != chinese_calendar.is_workday(d)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("year", YEARS)
def test_holiday_days_and_names_agree_with_chinesecalendar(year: int) -> None:
    cal = default_calendar()
    wrong = []
    for day in _days(year):
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        theirs = NAMES_ZH[name] if on_holiday and name else None
        ours = cal.holiday_name(day, "zh")
        if (ours is None) != (theirs is None) or (theirs and ours and theirs not in ours):
            wrong.append(f"{_fmt(day)}: kuajing {ours}, chinesecalendar {theirs}")
    assert not wrong, "\n".join(wrong)
