"""The one error the working-day calendar raises."""

from __future__ import annotations

from kuajing.errors import LocatedError


class CalendarError(LocatedError):
    """The calendar data is malformed (the error names the file, line and key path), or a
    calendar function was asked something it cannot answer (`n == 0`, a year with no notice)."""
