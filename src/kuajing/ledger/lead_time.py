"""The action a threshold's crossing triggers, and by when to start it, counted back in PRC
working days from the crossing with the procedure's own clocks (procedures catalogue).

- Security assessment: the declaration must be made early enough for the authority's clocks to
  run before the crossing: acceptance within 7 working days of the declaration and the
  assessment within 45 of acceptance (the catalogue's `acceptance` and `assessment`).
- Standard contract: the contract must be in effect before the crossing and filed within 10
  working days of taking effect (`file`); kuajing reads that as "in effect and filed before the
  crossing", so it counts the filing's 10 working days back from it (a cautious reading).

A date counted across a year the calendar holds no State Council notice for is provisional, and
says why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from kuajing.catalog.base import Pathway, Text
from kuajing.catalog.procedures import Procedure
from kuajing.workdays import WorkCalendar, add_working_days, default_calendar, working_days_between


@dataclass(frozen=True)
class Clock:
    """A pathway's procedure and the working-day deadlines that make up its lead time."""

    procedure: str
    deadlines: tuple[str, ...]


CLOCKS: dict[Pathway, Clock] = {
    Pathway.SECURITY_ASSESSMENT: Clock("sa-declaration", ("acceptance", "assessment")),
    Pathway.STANDARD_CONTRACT_OR_CERTIFICATION: Clock("scc-filing", ("file",)),
}


class Action(BaseModel):
    model_config = ConfigDict(frozen=True)

    procedure: str
    name: Text  # the procedure's name
    lead: int  # working days before the crossing
    apply_by: dt.date  # counted back from the earliest projected crossing
    apply_by_latest: dt.date | None = None  # from the latest (None: not crossed this year)
    working_days_left: int  # from the forecast's day to `apply_by` (negative: past)
    due: bool  # the crossing is within the lead time: act now
    provisional: bool
    assumption: Text | None = None
    sentence: Text


class Leads:
    """Lead times from the procedures catalogue, counted on a working-day calendar."""

    def __init__(
        self, procedures: dict[str, Procedure], calendar: WorkCalendar | None = None
    ) -> None:
        self.procedures = procedures
        self.calendar = calendar or default_calendar()

    def lead(self, pathway: Pathway) -> tuple[Procedure, int] | None:
        """The pathway's procedure and its lead time; None when the catalogue lacks either."""
        clock = CLOCKS.get(pathway)
        found = self.procedures.get(clock.procedure) if clock else None
        if clock is None or found is None or found.status != "encoded":
            return None
        days = 0
        for ident in clock.deadlines:
            rule = next((d for d in found.deadlines if d.id == ident), None)
            if rule is None or rule.offset.working_days is None:
                return None
            days += rule.offset.working_days
        return found, days

    def action(
        self, pathway: Pathway, earliest: dt.date, latest: dt.date | None, as_of: dt.date
    ) -> Action | None:
        found = self.lead(pathway)
        if found is None:
            return None
        procedure, lead = found
        first = add_working_days(earliest, -lead, calendar=self.calendar)
        last = add_working_days(latest, -lead, calendar=self.calendar) if latest else None
        shaky = next((d for d in (first, last) if d is not None and d.provisional), None)
        assumption = None
        if shaky is not None:
            assumption = Text(zh=shaky.assumption("zh") or "", en=shaky.assumption("en") or "")
        left = working_days_between(as_of, first.date, calendar=self.calendar)
        return Action(
            procedure=procedure.id,
            name=procedure.name,
            lead=lead,
            apply_by=first.date,
            apply_by_latest=last.date if last else None,
            working_days_left=left,
            due=first.date <= as_of,
            provisional=shaky is not None,
            assumption=assumption,
            sentence=sentence(pathway, first.date, earliest, lead, first.provisional),
        )


def sentence(
    pathway: Pathway, apply_by: dt.date, crossing: dt.date, lead: int, provisional: bool
) -> Text:
    """ "Security assessment must be applied for by 14 Sep to export past 1 Oct"."""
    zh_by, en_by = day_zh(apply_by), day_en(apply_by)
    zh_at, en_at = day_zh(crossing), day_en(crossing)
    mark_zh, mark_en = ("（暂定）", " (provisional)") if provisional else ("", "")
    if pathway == Pathway.SECURITY_ASSESSMENT:
        return Text(
            zh=f"须于{zh_by}前申报数据出境安全评估{mark_zh}，方可在{zh_at}后继续出境"
            f"（受理与评估共需{lead}个工作日）",
            en=f"security assessment must be applied for by {en_by}{mark_en} to export past "
            f"{en_at} ({lead} working days for acceptance and assessment)",
        )
    return Text(
        zh=f"标准合同须于{zh_by}前生效并备案（或取得认证）{mark_zh}，方可在{zh_at}后继续出境"
        f"（生效后{lead}个工作日内备案）",
        en=f"standard contract must take effect and be filed (or certification obtained) by "
        f"{en_by}{mark_en} to export "
        f"past {en_at} (filing within {lead} working days of it taking effect)",
    )


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_en(day: dt.date) -> str:
    """ "14 Sep" (not strftime: its month names follow the machine's locale)."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def day_zh(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"
