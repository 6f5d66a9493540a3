"""The PRC working-day calendar: statutory holidays and make-up working days (调休) from the State
Council notice of each year, shipped as data in `kuajing/rules/calendar/prc.yaml`, and period
counting after the Civil Code (Arts 201-203). A date computed across a year with no notice is
counted on weekdays only and comes back as a provisional `Deadline` that says so."""

from __future__ import annotations

from kuajing.workdays.calendar import WorkCalendar
from kuajing.workdays.counting import (
    add_months,
    add_working_days,
    add_years,
    roll_to_working_day,
    working_days_between,
)
from kuajing.workdays.deadline import Deadline
from kuajing.workdays.errors import CalendarError
from kuajing.workdays.loader import CALENDAR_FILE, default_calendar, load_calendar
from kuajing.workdays.models import CalendarData, Counting, Holiday, Notice

__all__ = [
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
