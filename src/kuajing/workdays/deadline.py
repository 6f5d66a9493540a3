"""`Deadline`: a computed date, with the notices it rests on and what it had to assume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kuajing.catalog.base import Lang
from kuajing.workdays.errors import CalendarError
from kuajing.workdays.models import Notice


@dataclass(frozen=True)
class Deadline:
    """A date computed on the working-day calendar.

    `unknown_years` are the years the computation crossed for which the calendar holds no
    State Council notice; there it counted Monday to Friday as working days. Such a date is
    `provisional`: it may move once the notice is published. `notices` are the notices of the
    known years the computation crossed, in year order: the sources of the date."""

    date: dt.date
    provisional: bool
    unknown_years: tuple[int, ...]
    notices: tuple[Notice, ...]
    known_from: int  # the calendar's known years, to word the assumption
    known_through: int

    def __post_init__(self) -> None:
        if self.provisional != bool(self.unknown_years):
            raise CalendarError("a deadline is provisional exactly when it crosses unknown years")

    def assumption(self, lang: Lang) -> str | None:
        """What the date assumes, in `lang`; None when every day crossed has a notice."""
        later = [y for y in self.unknown_years if y > self.known_through]
        earlier = [y for y in self.unknown_years if y < self.known_from]
        parts = []
        if later:
            parts.append(_not_published(later, lang))
        if earlier:
            parts.append(_not_recorded(earlier, self.known_from, lang))
        if not parts:
            return None
        return ("" if lang == "zh" else " ").join(parts)


def _years(years: list[int], lang: Lang) -> str:
    if lang == "zh":
        return "、".join(f"{y}年" for y in years)
    names = [str(y) for y in years]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _not_published(years: list[int], lang: Lang) -> str:
    if lang == "zh":
        return (
            f"{_years(years, lang)}的国务院节假日安排通知尚未发布：该年仅按周一至周五计算工作日，"
            "未计入节假日和调休上班日；通知发布后请重新核对。"
        )
    one = len(years) == 1
    return (
        f"{_years(years, lang)} {'has' if one else 'have'} no State Council holiday notice yet: "
        "counted on weekdays only (Monday to Friday), without holidays or make-up working "
        f"days; check again when {'it is' if one else 'they are'} published."
    )


def _not_recorded(years: list[int], known_from: int, lang: Lang) -> str:
    if lang == "zh":
        return (
            f"{_years(years, lang)}不在本日历内（日历自{known_from}年起）：该年仅按周一至周五计算"
            "工作日，未计入该年的节假日和调休上班日。"
        )
    verb = "is" if len(years) == 1 else "are"
    return (
        f"{_years(years, lang)} {verb} not in the calendar (it starts in {known_from}): counted "
        "on weekdays only (Monday to Friday), without that year's holidays or make-up working "
        "days."
    )
