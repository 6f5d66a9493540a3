"""Deadlines in working days, counted as the Civil Code counts a period: the start day is not
counted (Art. 201), and a last day that is not a working day moves on (Art. 203). The expected
dates below are counted by hand from the notices; each comment shows the count."""

from __future__ import annotations

import datetime as dt

import pytest

from kuajing.workdays import (
    CalendarError,
    add_months,
    add_working_days,
    add_years,
    default_calendar,
    roll_to_working_day,
    working_days_between,
)

D = dt.date


def test_ten_working_days_across_spring_festival_2026() -> None:
    # Start Tue 2026-02-10 (not counted). 02-11 Wed 1, 02-12 Thu 2, 02-13 Fri 3,
    # 02-14 Sat 4 (make-up working day), 02-15 Sun..02-23 Mon holiday (not counted),
    # 02-24 Tue 5, 02-25 Wed 6, 02-26 Thu 7, 02-27 Fri 8, 02-28 Sat 9 (make-up working day),
    # 03-01 Sun rest, 03-02 Mon 10.
    deadline = add_working_days(D(2026, 2, 10), 10)
    assert deadline.date == D(2026, 3, 2)
    assert not deadline.provisional and deadline.assumption("en") is None
    assert [n.year for n in deadline.notices] == [2026]


def test_spring_festival_2026_make_up_days_count_and_the_holiday_does_not() -> None:
    # From Fri 2026-02-13, the first working day is the make-up Saturday 02-14 and the second
    # is Tue 02-24, after the holiday; the ninth is the make-up Saturday 02-28.
    start = D(2026, 2, 13)
    assert add_working_days(start, 1).date == D(2026, 2, 14)
    assert add_working_days(start, 2).date == D(2026, 2, 24)
    assert add_working_days(start, 6).date == D(2026, 2, 28)
    assert working_days_between(start, D(2026, 2, 23)) == 1


def test_ten_working_days_across_national_day_2025() -> None:
    # Start Thu 2025-09-25. 09-26 Fri 1, 09-27 Sat rest, 09-28 Sun 2 (make-up working day),
    # 09-29 Mon 3, 09-30 Tue 4, 10-01 Wed..10-08 Wed holiday (National Day and Mid-Autumn),
    # 10-09 Thu 5, 10-10 Fri 6, 10-11 Sat 7 (make-up working day), 10-12 Sun rest,
    # 10-13 Mon 8, 10-14 Tue 9, 10-15 Wed 10.
    assert add_working_days(D(2025, 9, 25), 10).date == D(2025, 10, 15)


def test_fifteen_working_days_across_mid_autumn_and_national_day_2026() -> None:
    # Start Thu 2026-09-17. 09-18 Fri 1, 09-19 Sat rest, 09-20 Sun 2 (make-up working day),
    # 09-21 Mon 3, 09-22 Tue 4, 09-23 Wed 5, 09-24 Thu 6, 09-25 Fri..09-27 Sun Mid-Autumn,
    # 09-28 Mon 7, 09-29 Tue 8, 09-30 Wed 9, 10-01 Thu..10-07 Wed National Day,
    # 10-08 Thu 10, 10-09 Fri 11, 10-10 Sat 12 (make-up working day), 10-11 Sun rest,
    # 10-12 Mon 13, 10-13 Tue 14, 10-14 Wed 15.
    start = D(2026, 9, 17)
    assert add_working_days(start, 10).date == D(2026, 10, 8)
    assert add_working_days(start, 15).date == D(2026, 10, 14)
    assert working_days_between(start, D(2026, 10, 14)) == 15


def test_the_60_working_day_window_before_an_expiry_on_2026_11_30() -> None:
    # Counting back from Mon 2026-11-30 (not counted): November 02..27 gives 20 working days
    # (1-20); October gives 18 (21-38: 10-30 back to 10-08, with the make-up Sat 10-10 and
    # without the National Day holiday 10-01..10-07); September gives 22 (39-60: 09-30, 09-29,
    # 09-28, then 09-24..09-21, the make-up Sun 09-20, 09-18..09-14, 09-11..09-07,
    # 09-04..09-01, without the Mid-Autumn holiday 09-25..09-27). So the 60th working day
    # before the expiry is Tue 2026-09-01: the window opens that day.
    expiry = D(2026, 11, 30)
    opening = add_working_days(expiry, -60)
    assert opening.date == D(2026, 9, 1)
    assert not opening.provisional
    # The opening day is inside: 60 working days from it up to and including the expiry.
    assert working_days_between(D(2026, 9, 1), expiry) == 60
    # The day before, Mon 2026-08-31, is a working day outside the window: the 61st.
    assert add_working_days(expiry, -61).date == D(2026, 8, 31)
    assert working_days_between(D(2026, 8, 31), expiry) == 61


def test_a_deadline_crossing_into_2027_is_provisional() -> None:
    # Start Thu 2026-12-24. 12-25 Fri 1, 12-28 Mon 2 .. 12-31 Thu 5, then 2027 counted on
    # weekdays only: 2027-01-01 Fri 6 (New Year's Day, surely a holiday, but there is no
    # notice yet), 01-04 Mon 7, 01-05 Tue 8, 01-06 Wed 9, 01-07 Thu 10.
    deadline = add_working_days(D(2026, 12, 24), 10)
    assert deadline.date == D(2027, 1, 7)
    assert deadline.provisional
    assert deadline.unknown_years == (2027,)
    assert [n.year for n in deadline.notices] == [2026]
    zh, en = deadline.assumption("zh"), deadline.assumption("en")
    assert zh is not None and "2027年" in zh and "尚未发布" in zh and "周一至周五" in zh
    assert en is not None and en.startswith("2027 has no State Council holiday notice yet")
    assert "weekdays only" in en and "check again" in en


def test_a_deadline_entirely_inside_2026_is_exact_up_to_the_last_day_of_the_year() -> None:
    deadline = add_working_days(D(2026, 12, 24), 5)
    assert deadline.date == D(2026, 12, 31)
    assert not deadline.provisional and deadline.unknown_years == ()


def test_counting_back_from_2027_is_exact_when_no_2027_day_is_counted() -> None:
    # The start day is not counted (Art. 201): one working day before Fri 2027-01-01 is
    # Thu 2026-12-31 whatever 2027-01-01 turns out to be.
    assert not add_working_days(D(2027, 1, 1), -1).provisional
    # But one working day before Mon 2027-01-04 looks at 2027-01-01 and 01-02/03.
    before = add_working_days(D(2027, 1, 4), -1)
    assert before.date == D(2027, 1, 1) and before.unknown_years == (2027,)


def test_counting_back_into_2023_is_provisional_and_says_why() -> None:
    # Back from Wed 2024-01-03: 01-02 Tue 1, 01-01 holiday, 12-31 and 12-30 weekend,
    # 2023-12-29 Fri 2, 2023-12-28 Thu 3 (2023 is before the calendar: weekdays only).
    deadline = add_working_days(D(2024, 1, 3), -3)
    assert deadline.date == D(2023, 12, 28)
    assert deadline.unknown_years == (2023,)
    en = deadline.assumption("en")
    assert en is not None and "2023 is not in the calendar (it starts in 2024)" in en
    zh = deadline.assumption("zh")
    assert zh is not None and "2023年不在本日历内" in zh


def test_several_unknown_years_are_all_named() -> None:
    deadline = add_working_days(D(2026, 12, 31), 600)
    assert deadline.unknown_years == (2027, 2028, 2029)
    en = deadline.assumption("en")
    assert en is not None and en.startswith("2027, 2028 and 2029 have no State Council")
    zh = deadline.assumption("zh")
    assert zh is not None and zh.startswith("2027年、2028年、2029年的国务院节假日安排通知尚未发布")


def test_the_start_day_is_not_counted_even_when_it_is_a_working_day() -> None:
    # Civil Code Art. 201: a decision taking effect on Mon 2026-03-02 starts the count on Tue.
    assert add_working_days(D(2026, 3, 2), 1).date == D(2026, 3, 3)
    # And a start on a rest day counts from the next working day.
    assert add_working_days(D(2026, 2, 15), 1).date == D(2026, 2, 24)


def test_zero_working_days_is_refused() -> None:
    with pytest.raises(CalendarError, match="n must not be 0"):
        add_working_days(D(2026, 3, 2), 0)


def test_working_days_between_is_signed() -> None:
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 9)) == 5
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 2)) == -5


def test_working_days_between_never_counts_its_first_date_in_either_direction() -> None:
    # Forward from Fri 2026-02-27 to Sun 03-01: only the make-up Sat 02-28 counts.
    assert working_days_between(D(2026, 2, 27), D(2026, 3, 1)) == 1
    # Backward from Sun 03-01 to Fri 02-27: 02-28 (make-up) and 02-27 count, 03-01 does not,
    # so that it undoes add_working_days(2026-03-01, -2) == 2026-02-27.
    assert working_days_between(D(2026, 3, 1), D(2026, 2, 27)) == -2
    assert add_working_days(D(2026, 3, 1), -2).date == D(2026, 2, 27)


def test_a_last_day_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Civil Code Art. 203: the holiday 2026-02-15..02-23 ends, the period ends on Tue 02-24.
    assert roll_to_working_day(D(2026, 2, 15)).date == D(2026, 2, 24)
    assert roll_to_working_day(D(2026, 10, 1)).date == D(2026, 10, 8)


def test_a_last_day_on_a_weekend_moves_to_monday_but_a_make_up_day_stays() -> None:
    assert roll_to_working_day(D(2026, 3, 1)).date == D(2026, 3, 2)
    assert roll_to_working_day(D(2026, 2, 14)).date == D(2026, 2, 14)  # make-up Saturday
    assert roll_to_working_day(D(2026, 3, 4)).date == D(2026, 3, 4)


def test_rolling_into_2027_is_provisional() -> None:
    deadline = roll_to_working_day(D(2027, 1, 2))
    assert deadline.date == D(2027, 1, 4)
    assert deadline.provisional and deadline.unknown_years == (2027,)
    assert deadline.notices == ()


def test_periods_in_months_and_years_end_on_the_corresponding_day() -> None:
    # Civil Code Art. 202: the corresponding day, or the month's last day when there is none.
    assert add_months(D(2026, 1, 15), 1) == D(2026, 2, 15)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2023, 3, 22), 3) == D(2026, 3, 22)


def test_a_three_year_validity_ending_on_a_rest_day_rolls() -> None:
    # A result valid 3 years from 2023-02-21 ends 2026-02-21 (a Saturday inside the Spring
    # Festival holiday); a last day on it moves to Tue 2026-02-24.
    last = add_years(D(2023, 2, 21), 3)
    assert last == D(2026, 2, 21)
    assert roll_to_working_day(last).date == D(2026, 2, 24)


def test_an_impossible_year_is_refused() -> None:
    with pytest.raises(CalendarError):
        add_years(D(9999, 6, 1), 1)


def test_the_shipped_calendar_is_loaded_once() -> None:
    assert default_calendar() is default_calendar()
