"""Submissions to a zone's service centre, for the CLI, the API and the pages: a company submits a
step of its zone procedure's filing (a list-use application, a list-use filing, a post-export
report); the centre's reviewers see their zone's queue, ordered by the working day they must
answer by, and request information, give their opinion on the list, approve or reject, each
with a reason, recorded on the filing, kept in the history and notified to the other side."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import decisions
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.catalog.procedures import Procedure, ReviewStep
from kuajing.db.engine import writing
from kuajing.errors import FilingError, Forbidden, InvalidTransition
from kuajing.filing.machine import advance, allowed
from kuajing.filing.models import Filing
from kuajing.filing.store import Filings, filing_in, record_in
from kuajing.i18n import pick
from kuajing.workdays import WorkCalendar, default_calendar, working_days_between
from kuajing.zone.models import SUBMISSION_FINAL, Inspection, Opinion, ReviewAction, Submission
from kuajing.zone.review import Clock, clock, move
from kuajing.zone.schema import submissions
from kuajing.zone.store import ZoneStore, add_event, new_id, notify, now, zone_organisations

KIND_NAMES = {
    "application": {"zh": "清单使用申请", "en": "list-use application"},
    "filing": {"zh": "清单使用备案", "en": "list-use filing"},
    "report": {"zh": "出境后报备", "en": "post-export report"},
}
ACTION_NAMES = {
    "submit": {"zh": "提交", "en": "submitted"},
    "request_info": {"zh": "要求补充材料", "en": "requested more information"},
    "answer": {"zh": "补充材料", "en": "answered"},
    "opinion": {"zh": "出具清单适用意见", "en": "gave an opinion on the list"},
    "approve": {"zh": "通过", "en": "approved"},
    "reject": {"zh": "不予通过", "en": "rejected"},
    "withdraw": {"zh": "撤回", "en": "withdrew"},
}
OPINION_NAMES = {
    "on_list": {
        "zh": "属于负面清单：须按清单适用的路径办理",
        "en": "On the list: the listed pathway applies",
    },
    "not_on_list": {
        "zh": "不属于负面清单：可依清单自由出境",
        "en": "Not on the list: it flows freely",
    },
    "outside_scope": {
        "zh": "不在清单覆盖的行业内：按国家规定办理",
        "en": "Outside the list's sectors: the national rules apply",
    },
}


@dataclass(frozen=True)
class Item:
    """A submission with what a reviewer needs beside it."""

    submission: Submission
    procedure: Procedure
    step: ReviewStep
    clock: Clock
    working_days_left: int | None  # None: no time limit known


def store(accounts: Accounts) -> ZoneStore:
    return ZoneStore(accounts.engine)


def _procedure(catalog: Catalog, procedure_id: str) -> Procedure:
    found = catalog.procedures.get(procedure_id)
    if found is None:  # the catalogue changed since it was submitted
        raise FilingError(f"procedure {procedure_id!r} is not in the catalogue in use")
    return found


def _step(procedure: Procedure, step: str) -> ReviewStep:
    found = procedure.review_step(step)
    if found is None:  # the catalogue changed since it was submitted
        raise FilingError(f"{procedure.id}: {step!r} is no longer a step its zone reviews")
    return found


def item(s: Submission, catalog: Catalog, as_of: dt.date, cal: WorkCalendar | None = None) -> Item:
    cal = cal or default_calendar()
    procedure = _procedure(catalog, s.procedure)
    step = _step(procedure, s.step)
    c = clock(s, procedure, step, cal)
    left = None
    if c.date is not None:
        left = working_days_between(as_of, c.date, calendar=cal)
    return Item(s, procedure, step, c, left)


def queue(
    accounts: Accounts, who: Principal, catalog: Catalog, as_of: dt.date, open_only: bool = True
) -> list[Item]:
    """The zone's submissions (a company: its own), the one due soonest first; those with no
    known time limit after the dated ones."""
    items = [item(s, catalog, as_of) for s in store(accounts).submissions(who, open_only=open_only)]
    return sorted(
        items,
        key=lambda i: (
            i.submission.closed,
            i.clock.date is None,
            i.clock.date or dt.date.max,
            i.submission.created_at,
        ),
    )


def submittable(filing: Filing, procedure: Procedure) -> list[ReviewStep]:
    """The steps of the filing the company may submit to its zone now."""
    events = {t.event for t in allowed(procedure, filing.state)}
    return [r for r in procedure.review if r.submit in events]


def submit(
    accounts: Accounts,
    who: Principal,
    filing_id: str,
    on: dt.date,
    catalog: Catalog,
    note: str = "",
    lang: Lang = "en",
) -> Submission:
    """Submit the filing's next reviewable step to the company's zone: the step's event is
    recorded on the filing, the submission opened, the zone's centres notified."""
    if who.zone_staff or not who.may("member"):
        raise Forbidden("only a company's members submit to a zone")
    filing = Filings(accounts.engine).get(who, filing_id)
    zone, procedure = _zone_procedure(who, filing, catalog, lang)
    steps = submittable(filing, procedure)
    if not steps:
        raise InvalidTransition(
            pick(
                lang,
                f"备案状态为 {filing.state}：现无可向自贸区提交的事项",
                f"the filing is {filing.state}: there is nothing to submit to the zone now",
            )
        )
    step, cal = steps[0], default_calendar()
    with writing(accounts.engine) as conn:
        decide = _decide(procedure, step.submit, on, cal, lang)
        record_in(conn, filing_id, step.submit, on, decide, note, who.user.id)
        sid = _open(conn, who, filing_id, zone, procedure, step, on)
        add_event(
            conn, "submission", sid, "submit", on, who, "submitted", note,
            keyring=accounts.keyring,
        )  # fmt: skip
        text = _notice(who.organisation.name, step.kind, "submit", note)
        for org in zone_organisations(conn, zone):
            notify(conn, org, "submission", sid, text)
        return store(accounts).submission(who, sid, conn)


def _zone_procedure(
    who: Principal, filing: Filing, catalog: Catalog, lang: Lang
) -> tuple[str, Procedure]:
    """The company's zone, and the filing's procedure if it is one of that zone's."""
    zone, procedure = who.organisation.zone, catalog.procedures.get(filing.procedure)
    if zone is None or procedure is None or zone not in procedure.applies.zones:
        raise FilingError(
            pick(
                lang,
                "该备案不属于本企业所在自贸区的程序，无需向自贸区提交",
                "this filing is not a procedure of the zone the company is registered in:"
                " there is nothing to submit to a zone",
            )
        )
    return zone, procedure


def _open(
    conn: Connection,
    who: Principal,
    filing_id: str,
    zone: str,
    procedure: Procedure,
    step: ReviewStep,
    on: dt.date,
) -> str:
    sid = new_id()
    conn.execute(
        insert(submissions).values(
            id=sid,
            filing_id=filing_id,
            organisation_id=who.organisation.id,
            zone=zone,
            procedure=procedure.id,
            step=step.submit,
            kind=step.kind,
            state="submitted",
            clock_from=on.isoformat(),  # the centre's clock starts on the day it is submitted
            opinion=None,
            created_at=now(),
            closed=False,
        )
    )
    return sid


def act(
    accounts: Accounts,
    who: Principal,
    submission_id: str,
    action: ReviewAction,
    on: dt.date,
    catalog: Catalog,
    reason: str = "",
    opinion: Opinion | None = None,
    lang: Lang = "en",
) -> Submission:
    """The centre's answer (or the company's: `answer`, `withdraw`), checked against the
    submission as stored, under the write lock."""
    _may_act(who)
    cal = default_calendar()
    with writing(accounts.engine) as conn:
        s = store(accounts).submission(who, submission_id, conn)
        procedure = _procedure(catalog, s.procedure)
        step = _step(procedure, s.step)
        state = move(s, step, action, on, reason, who.zone_staff, lang)
        if action == "opinion" and opinion is None:
            raise InvalidTransition(pick(lang, "请选择意见", "choose the opinion"))
        event = {"approve": step.approve, "reject": step.reject}.get(action)
        if event is not None:
            decide = _decide(procedure, event, on, cal, lang)
            record_in(conn, s.filing_id, event, on, decide, reason, who.user.id)
        values: dict[str, Any] = {"state": state, "closed": state in SUBMISSION_FINAL}
        if action == "answer":
            values["clock_from"] = on.isoformat()  # the clock restarts (review.RESTART says so)
        if action == "opinion":
            values["opinion"] = opinion
        conn.execute(update(submissions).where(submissions.c.id == s.id).values(**values))
        detail = {"opinion": opinion} if opinion else None
        add_event(
            conn, "submission", s.id, action, on, who, state, reason, detail,
            keyring=accounts.keyring,
        )  # fmt: skip
        text = _notice(
            s.organisation if who.zone_staff else who.organisation.name,
            s.kind,
            action,
            reason,
            opinion,
        )
        targets = [s.organisation_id] if who.zone_staff else zone_organisations(conn, s.zone)
        for org in targets:
            notify(conn, org, "submission", s.id, text)
        return store(accounts).submission(who, s.id, conn)


def _may_act(who: Principal) -> None:
    if who.zone_staff and not who.may("reviewer"):
        raise Forbidden("a zone's viewer cannot review submissions")
    if not who.zone_staff and not who.may("member"):
        raise Forbidden("a viewer cannot answer the zone")


def _decide(procedure: Procedure, event: str, on: dt.date, cal: WorkCalendar, lang: Lang) -> Any:
    def decide(current: Filing) -> tuple[str, bool]:
        state = advance(procedure, current.state, current.events, event, on, cal, lang)
        return state, procedure.state(state).final

    return decide


def _notice(
    company: str,
    kind: str,
    action: str,
    reason: str,
    opinion: str | None = None,
) -> dict[str, str]:
    what, did = KIND_NAMES[kind], ACTION_NAMES[action]
    out = {
        "zh": f"{company}的{what['zh']}：{did['zh']}",
        "en": f"{company}'s {what['en']}: {did['en']}",
    }
    if opinion:
        out = {
            k: f"{v}（{OPINION_NAMES[opinion][k]}）"
            if k == "zh"
            else f"{v} ({OPINION_NAMES[opinion][k]})"
            for k, v in out.items()
        }
    if reason.strip():
        out = {
            "zh": f"{out['zh']}。理由：{reason.strip()}",
            "en": f"{out['en']}. Reason: {reason.strip()}",
        }
    return out


# --- what a reviewer reads beside the submission -------------------------------------------


@dataclass(frozen=True)
class Context:
    filing: Filing
    decision: dict[str, Any] | None  # the decision the filing came from, as logged
    request: dict[str, Any] | None
    digest: str | None = None  # the catalogue's the decision was made under


def context(accounts: Accounts, who: Principal, submission: Submission | Inspection) -> Context:
    """The filing and decision behind a submission or inspection the caller may see (the
    store checked that when it gave it)."""
    with accounts.engine.connect() as conn:
        return context_in(conn, submission.filing_id, submission.organisation_id)


def mark_read(accounts: Accounts, who: Principal, notice: int | None = None) -> int:
    """Mark one of the organisation's notices read (all with None): how many were marked now."""
    with writing(accounts.engine) as conn:
        return store(accounts).mark_read(conn, who, notice)


def context_in(conn: Connection, filing_id: str, organisation_id: int) -> Context:
    filing = filing_in(conn, filing_id, organisation_id)
    if filing.decision_id is None:
        return Context(filing, None, None)
    row = conn.execute(
        select(decisions.c.request, decisions.c.decision, decisions.c.catalog_digest).where(
            decisions.c.id == filing.decision_id
        )
    ).first()
    if row is None:
        return Context(filing, None, None)
    return Context(filing, json.loads(row.decision), json.loads(row.request), row.catalog_digest)
