"""Moving a filing through its procedure: an event is allowed only from the states the procedure
names, on or after the last recorded event, and not before a window the procedure opens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kuajing.catalog.base import Lang
from kuajing.catalog.procedures import Procedure, Transition
from kuajing.errors import InvalidTransition
from kuajing.filing.deadlines import deadline_date
from kuajing.filing.models import Event
from kuajing.i18n import pick
from kuajing.workdays import WorkCalendar


def allowed(procedure: Procedure, state: str | None) -> list[Transition]:
    """The events the procedure allows in `state` (none once it is final or unknown)."""
    if state is None or procedure.status == "unknown" or procedure.state(state).final:
        return []
    return [t for t in procedure.transitions if state in t.start or "*" in t.start]


def advance(
    procedure: Procedure,
    state: str | None,
    events: Sequence[Event],
    event: str,
    on: dt.date,
    calendar: WorkCalendar,
    lang: Lang = "en",
) -> str:
    """The state after `event` on `on`; raise `InvalidTransition` saying why not and what is
    allowed instead."""
    if procedure.status == "unknown" or state is None:
        raise InvalidTransition(
            pick(
                lang,
                f"{procedure.id}：该程序未编码，无法记录其事件",
                f"{procedure.id}: the procedure is not encoded, so its events cannot be recorded",
            )
        )
    if event not in procedure.events:
        names = ", ".join(sorted(procedure.events))
        raise InvalidTransition(
            pick(
                lang,
                f"“{event}”不是 {procedure.id} 的事件（事件：{names}）",
                f"{event!r} is not an event of {procedure.id} (events: {names})",
            )
        )
    if procedure.state(state).final:
        raise InvalidTransition(
            pick(
                lang,
                f"备案已结束（{state}）：不能再记录事件",
                f"the filing is closed ({state}): no event can follow",
            )
        )
    moves = [t for t in allowed(procedure, state) if t.event == event]
    if not moves:
        now = ", ".join(t.event for t in allowed(procedure, state)) or pick(lang, "无", "none")
        raise InvalidTransition(
            pick(
                lang,
                f"状态为 {state} 时不允许“{event}”（现可记录：{now}）",
                f"{event!r} is not allowed while {state} (allowed now: {now})",
            )
        )
    if events and on < max(e.on for e in events):
        latest = max(e.on for e in events)
        raise InvalidTransition(
            pick(
                lang,
                f"{on} 早于最后记录的事件（{latest}）",
                f"{on} is before the last recorded event ({latest})",
            )
        )
    move = moves[0]
    _in_window(procedure, move, events, on, calendar, lang)
    return move.to or state


def _in_window(
    procedure: Procedure,
    move: Transition,
    events: Sequence[Event],
    on: dt.date,
    calendar: WorkCalendar,
    lang: Lang,
) -> None:
    for bound, early in ((move.not_before, True), (move.not_after, False)):
        if bound is None:
            continue
        rule = procedure.deadline(bound)
        dated = deadline_date(procedure, rule, events, calendar, lang)
        if dated is None:
            raise InvalidTransition(
                pick(
                    lang,
                    f"“{move.event}”：{rule.id} 尚未开始",
                    f"{move.event!r}: {rule.id} has not started",
                )
            )
        if early and on < dated.date:
            raise InvalidTransition(
                pick(
                    lang,
                    f"“{move.event}”于 {on} 过早：窗口期自 {dated.date} 开始（{rule.rule}）",
                    f"{move.event!r} on {on} is too early: the window opens on {dated.date}"
                    f" ({rule.rule})",
                )
            )
        if not early and on > dated.date:
            raise InvalidTransition(
                pick(
                    lang,
                    f"“{move.event}”于 {on} 过晚：{rule.id} 已于 {dated.date} 届满（{rule.rule}）",
                    f"{move.event!r} on {on} is too late: {rule.id} ended on {dated.date}"
                    f" ({rule.rule})",
                )
            )
