"""A submission's review: which answers the centre and the company may give in each state, and the
clock the centre answers by (PRC working days from the day the submission, or the company's
answer to a request for information, reached it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kuajing.catalog.base import Lang
from kuajing.catalog.procedures import Procedure, ReviewStep
from kuajing.errors import InvalidTransition
from kuajing.i18n import pick
from kuajing.workdays import WorkCalendar, add_working_days
from kuajing.zone.models import (
    COMPANY_ACTIONS,
    ZONE_ACTIONS,
    ReviewAction,
    Submission,
    SubmissionState,
)

# action -> (the states it may follow, the state it leads to; None: the state stays)
MOVES: dict[ReviewAction, tuple[tuple[SubmissionState, ...], SubmissionState | None]] = {
    "request_info": (("submitted",), "info_requested"),
    "answer": (("info_requested",), "submitted"),
    "opinion": (("submitted",), None),
    "approve": (("submitted",), "approved"),
    "reject": (("submitted", "info_requested"), "rejected"),
    "withdraw": (("submitted", "info_requested"), "withdrawn"),
}
NEEDS_REASON: tuple[ReviewAction, ...] = ("request_info", "answer", "reject", "opinion")

# Said wherever the clock restarts: the reference gives no rule for it.
RESTART = {
    "zh": "参考资料未载明补充材料后审核时限如何计算；kuajing 自企业补充材料之日起重新计算。",
    "en": "The reference does not say how a request for information affects the time limit;"
    " kuajing counts it again from the day the company answers.",
}
NO_LIMIT = {
    "zh": "参考资料未载明服务中心对该事项的答复时限。",
    "en": "The reference gives no time limit for the centre's answer to this.",
}


@dataclass(frozen=True)
class Clock:
    """When the centre must answer: `date` is None when no time limit is known (`note` says)."""

    date: dt.date | None
    working_days: int | None = None
    rule: str | None = None
    confidence: str | None = None
    provisional: bool = False  # counted across a year without a holiday notice
    restarted: bool = False  # from the company's answer to a request for information
    note: dict[str, str] | None = None


def clock(
    submission: Submission, procedure: Procedure, step: ReviewStep, cal: WorkCalendar
) -> Clock:
    restarted = any(e.action == "answer" for e in submission.history)
    if step.clock is None:
        return Clock(None, note=NO_LIMIT)
    rule = procedure.deadline(step.clock)
    days = rule.offset.working_days
    if days is None:  # the checks allow only working-day review clocks to be used here
        return Clock(None, note=NO_LIMIT)
    due = add_working_days(submission.clock_from, days, calendar=cal)
    return Clock(
        due.date,
        working_days=days,
        rule=rule.rule,
        confidence=rule.confidence,
        provisional=due.provisional,
        restarted=restarted,
        note=RESTART if restarted else None,
    )


def move(
    submission: Submission,
    step: ReviewStep,
    action: ReviewAction,
    on: dt.date,
    reason: str,
    zone_side: bool,
    lang: Lang,
) -> SubmissionState:
    """The state after `action`; raise `InvalidTransition` saying why not."""
    mine = ZONE_ACTIONS if zone_side else COMPANY_ACTIONS
    if action not in mine:
        raise InvalidTransition(
            pick(
                lang,
                f"“{action}”不是{'服务中心' if zone_side else '企业'}的操作"
                f"（可作出：{', '.join(mine)}）",
                f"{action!r} is not the {'centre' if zone_side else 'company'}'s to take"
                f" (its actions: {', '.join(mine)})",
            )
        )
    start, to = MOVES[action]
    if submission.state not in start:
        raise InvalidTransition(
            pick(
                lang,
                f"状态为 {submission.state} 时不能“{action}”",
                f"{action!r} is not possible while the submission is {submission.state}",
            )
        )
    if action in NEEDS_REASON and not reason.strip():
        raise InvalidTransition(pick(lang, f"“{action}”须说明理由", f"{action!r} needs a reason"))
    if action == "opinion" and not step.opinion:
        raise InvalidTransition(
            pick(lang, "该事项无需就清单适用出具意见", "this step takes no opinion on the list")
        )
    if action == "approve" and step.opinion and submission.opinion is None:
        raise InvalidTransition(
            pick(
                lang,
                "请先就数据是否属于清单范围出具意见，再确认备案",
                "give the opinion on whether the data falls on the list before approving",
            )
        )
    latest = max((e.on for e in submission.history), default=submission.clock_from)
    if on < latest:
        raise InvalidTransition(
            pick(
                lang,
                f"{on} 早于最后记录的操作（{latest}）",
                f"{on} is before the last step ({latest})",
            )
        )
    return to or submission.state
