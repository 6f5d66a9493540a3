"""A filing's deadlines, from its procedure's rules, its recorded events and the PRC calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kuajing.catalog.base import Lang
from kuajing.catalog.procedures import DeadlineRule, Procedure
from kuajing.filing.models import DeadlineState, DeadlineStatus, Event
from kuajing.workdays import (
    Deadline,
    WorkCalendar,
    add_months,
    add_working_days,
    add_years,
    roll_to_working_day,
)


@dataclass(frozen=True)
class _Dated:
    date: dt.date
    provisional: bool
    assumption: str | None


def last(events: Sequence[Event], names: Sequence[str]) -> Event | None:
    """The latest recorded event among `names`."""
    found = [e for e in events if e.event in names]
    return max(found, key=lambda e: e.on) if found else None


def deadline_date(
    procedure: Procedure,
    rule: DeadlineRule,
    events: Sequence[Event],
    calendar: WorkCalendar,
    lang: Lang,
) -> _Dated | None:
    """The date of `rule`, or None while its anchor has not happened."""
    if rule.after.deadline is not None:
        base = deadline_date(
            procedure, procedure.deadline(rule.after.deadline), events, calendar, lang
        )
        if base is None:
            return None
        anchor, provisional, assumption = base.date, base.provisional, base.assumption
    else:
        start = last(events, rule.after.event)
        if start is None:
            return None
        anchor, provisional, assumption = start.on, False, None
    moved = _offset(rule, anchor, calendar)
    if moved is not None:
        provisional = provisional or moved.provisional
        assumption = moved.assumption(lang) or assumption
        anchor = moved.date
    else:
        anchor = _calendar_offset(rule, anchor)
    if rule.roll:
        rolled = roll_to_working_day(anchor, calendar=calendar)
        anchor, provisional = rolled.date, provisional or rolled.provisional
        assumption = rolled.assumption(lang) or assumption
    return _Dated(anchor, provisional, assumption)


def _offset(rule: DeadlineRule, anchor: dt.date, calendar: WorkCalendar) -> Deadline | None:
    if rule.offset.working_days:
        return add_working_days(anchor, rule.offset.working_days, calendar=calendar)
    return None


def _calendar_offset(rule: DeadlineRule, anchor: dt.date) -> dt.date:
    o = rule.offset
    if o.calendar_days:
        return anchor + dt.timedelta(days=o.calendar_days)
    if o.months:
        return add_months(anchor, o.months)
    return add_years(anchor, o.years or 0)


def statuses(
    procedure: Procedure,
    events: Sequence[Event],
    closed: bool,
    as_of: dt.date,
    calendar: WorkCalendar,
    lang: Lang,
) -> list[DeadlineStatus]:
    """Every deadline of the procedure as it stands on `as_of`."""
    return [
        _status(procedure, r, events, closed, as_of, calendar, lang) for r in procedure.deadlines
    ]


def _status(
    procedure: Procedure,
    rule: DeadlineRule,
    events: Sequence[Event],
    closed: bool,
    as_of: dt.date,
    calendar: WorkCalendar,
    lang: Lang,
) -> DeadlineStatus:
    base = {
        "id": rule.id,
        "name": rule.name.get(lang),
        "rule": rule.rule,
        "kind": rule.kind,
        "confidence": rule.confidence,
    }
    happened = {e.event for e in events}
    dated = deadline_date(procedure, rule, events, calendar, lang)
    if dated is None or not set(rule.requires) <= happened:
        waits = [*rule.after.event, *rule.requires] if rule.after.event else list(rule.requires)
        return DeadlineStatus(**base, state="not_started", waits_for=waits)
    state = _state(rule, events, dated.date, closed, as_of)
    return DeadlineStatus(
        **base,
        state=state,
        date=dated.date,
        provisional=dated.provisional,
        assumption=dated.assumption,
        days_left=(dated.date - as_of).days,
    )


def _state(
    rule: DeadlineRule, events: Sequence[Event], date: dt.date, closed: bool, as_of: dt.date
) -> DeadlineState:
    anchor = last(events, rule.after.event) if rule.after.event else None
    since = anchor.on if anchor else dt.date.min
    if any(e.event in rule.met_by and e.on >= since for e in events):
        return "met"
    if closed:
        return "closed"
    late = as_of > date
    if rule.kind == "due":
        return "overdue" if late else "due"
    if rule.kind == "opens":
        return "open" if as_of >= date else "not_yet_open"
    if rule.kind == "expires":
        return "expired" if late else "running"
    return "review_late" if late else "in_review"
