"""The zone console in the browser, for both sides of a submission.

A company submits a step of its zone procedure's filing (from the filing's page or its list of
submissions), answers the centre's requests and may withdraw; the zone's reviewers work through
their queue, ordered by the working day they must answer by, request information, give their
opinion on the list, approve or reject. Reviewers open consistency inspections; the company
uploads a sample of what it exported (scanned, then deleted) and the centre acts on the findings.
Both read the notices sent to their organisation.

Who sees what is the store's business (another zone's or company's object is `NotFound`); the
checks here refuse a side's form to the other side, and every form to viewers, before anything is
looked up or read."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.models import Principal
from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.catalog.procedures import Procedure, ReviewStep, Transition
from kuajing.errors import (
    DatasetError,
    FilingError,
    Forbidden,
    InvalidTransition,
    RequestError,
    TooLarge,
)
from kuajing.filing.machine import allowed
from kuajing.filing.models import Filing
from kuajing.filing.store import Filings
from kuajing.i18n import PATHWAYS, STATUS, pick
from kuajing.lang import Lang
from kuajing.services import zone_inspections as inspecting
from kuajing.services import zone_review as review
from kuajing.services.decisions import shown_in
from kuajing.services.declared_persons import declared
from kuajing.services.uploads import SUFFIXES, scan_upload
from kuajing.web.forms import form_day
from kuajing.web.i18n import t
from kuajing.web.render import page
from kuajing.web.session import accounts, checked, signed_in
from kuajing.web.views.names import catalog_names
from kuajing.zone.models import (
    COMPANY_ACTIONS,
    OPINIONS,
    ZONE_ACTIONS,
    Inspection,
    ReviewAction,
    Submission,
)
from kuajing.zone.review import MOVES
from kuajing.zone.store import ZoneStore

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Checked = Annotated[Session, Depends(checked)]
Id = Annotated[str, Path(min_length=1, max_length=64)]
AsOf = Annotated[dt.date | None, Query(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]
Reason = Annotated[str, Form(max_length=2000)]
DayField = Annotated[str, Form(max_length=32)]
Show = Literal["open", "all"]
MAX_RECTIFY_DAYS = 250  # working days a rectification may be given (about a year)
_DONE = ("submitted", "acted", "opened", "compared", "recorded", "read")
# Comparing has its own forms (the company's upload, the centre's "use the records").
_COMPARING = ("provide_sample", "use_records")


# --- who may do what -------------------------------------------------------------------------


def _staff(who: Principal) -> None:
    if not who.zone_staff:
        raise Forbidden(
            pick(
                who.user.lang,
                "审核队列仅供自贸区服务中心使用",
                "the review queue is for the zone's service centre",
            )
        )


def _reviewer(who: Principal) -> None:
    if not (who.zone_staff and who.may("reviewer")):
        raise Forbidden(
            pick(
                who.user.lang,
                "仅自贸区服务中心的审核员可以这样做",
                "only a zone service centre's reviewers may do this",
            )
        )


def _company_member(who: Principal) -> None:
    # A zone's admin `may("member")` too: the side is checked first.
    if who.zone_staff or not who.may("member"):
        raise Forbidden(
            pick(
                who.user.lang,
                "仅企业的成员可以这样做",
                "only a company's members may do this",
            )
        )


def _side_of(who: Principal) -> Literal["zone", "company"] | None:
    """The side whose forms the caller gets; None: a viewer, who gets none."""
    if who.zone_staff:
        return "zone" if who.may("reviewer") else None
    return "company" if who.may("member") else None


# --- small helpers ---------------------------------------------------------------------------


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def _zone_store(request: Request) -> ZoneStore:
    return ZoneStore(accounts(request).engine)


def _day(value: str, lang: Lang) -> tuple[dt.date | None, str | None]:
    return form_day(value, lang, "zone_bad_date")


def _done(value: str | None) -> str | None:
    return value if value in _DONE else None


# --- the filing page's part ------------------------------------------------------------------


@dataclass(frozen=True)
class FilingZone:
    """What a filing's page shows of its zone: the step the company may submit now (None:
    nothing), and the filing's submissions and inspections."""

    step: ReviewStep | None
    submissions: list[Submission]
    inspections: list[Inspection]
    kinds: dict[str, dict[str, str]]  # submission kinds' names
    states: dict[str, dict[str, str]]  # inspection states' names


def next_step(filing: Filing, procedure: Procedure, zone: str | None) -> ReviewStep | None:
    """The step of the filing its company may submit to its zone now, if any."""
    if zone is None or zone not in procedure.applies.zones or filing.closed:
        return None
    if procedure.status != "encoded" or filing.state not in {s.id for s in procedure.states}:
        return None
    steps = review.submittable(filing, procedure)
    return steps[0] if steps else None


def filing_zone(
    request: Request, who: Principal, filing: Filing, procedure: Procedure
) -> FilingZone:
    """For `filing.html`: the filing page's route passes it."""
    store = _zone_store(request)
    step = None if who.zone_staff else next_step(filing, procedure, who.organisation.zone)
    return FilingZone(
        step,
        store.submissions(who, filing_id=filing.id),
        store.inspections(who, filing_id=filing.id),
        review.KIND_NAMES,
        _state_names(inspecting.procedure(_catalog(request))),
    )


# --- the queue and the company's submissions -------------------------------------------------


@router.get("/zone/queue", response_class=HTMLResponse)
def queue(request: Request, session: Signed, show: Show = "open", date: AsOf = None) -> Response:
    who = session.principal
    _staff(who)
    as_of = date or dt.date.today()
    items = review.queue(accounts(request), who, _catalog(request), as_of, open_only=show == "open")
    return page(
        request,
        "zone_queue.html",
        session,
        items=items,
        show=show,
        as_of=as_of,
        kinds=review.KIND_NAMES,
    )


@dataclass(frozen=True)
class Ready:
    """An open filing the company may submit to its zone now, and the step it would submit."""

    filing: Filing
    procedure: Procedure
    step: ReviewStep


def _ready(request: Request, who: Principal) -> list[Ready]:
    catalog, out = _catalog(request), []
    for f in Filings(accounts(request).engine).all(who, include_closed=False):
        procedure = catalog.procedures.get(f.procedure)
        step = next_step(f, procedure, who.organisation.zone) if procedure else None
        if procedure is not None and step is not None:
            out.append(Ready(f, procedure, step))
    return out


def _submissions_page(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    error: str | None = None,
    done: str | None = None,
) -> Response:
    who, as_of = session.principal, dt.date.today()
    items = review.queue(accounts(request), who, _catalog(request), as_of, open_only=False)
    return page(
        request,
        "zone_submissions.html",
        session,
        status=status,
        items=items,
        ready=_ready(request, who),
        as_of=as_of,
        kinds=review.KIND_NAMES,
        error=error,
        done=done,
    )


@router.get("/zone/submissions", response_class=HTMLResponse)
def submissions(request: Request, session: Signed, done: str | None = None) -> Response:
    if session.principal.zone_staff:  # the centre's list is its queue
        return RedirectResponse("/zone/queue?show=all", status_code=303)
    return _submissions_page(request, session, done=_done(done))


@router.post("/zone/submissions")
def submit(
    request: Request,
    session: Checked,
    filing_id: Annotated[str, Form(min_length=1, max_length=64)],
    note: Reason = "",
    date: DayField = "",
) -> Response:
    """Submit the filing's next step to the company's zone; a refusal shows the company's
    submissions with the reason."""
    who = session.principal
    _company_member(who)
    on, bad = _day(date, who.user.lang)
    if on is None:
        return _submissions_page(request, session, status=422, error=bad)
    try:
        s = review.submit(
            accounts(request), who, filing_id, on, _catalog(request), note, who.user.lang
        )
    except InvalidTransition as exc:
        return _submissions_page(request, session, status=409, error=str(exc))
    except FilingError as exc:  # not a procedure of the company's zone
        return _submissions_page(request, session, status=422, error=str(exc))
    return RedirectResponse(f"/zone/submissions/{s.id}?done=submitted", status_code=303)


# --- one submission --------------------------------------------------------------------------


def _actions(who: Principal, item: review.Item) -> list[ReviewAction]:
    """The answers the caller's side may give the submission now."""
    side = _side_of(who)
    if side is None:
        return []
    mine = ZONE_ACTIONS if side == "zone" else COMPANY_ACTIONS
    state = item.submission.state
    return [a for a in mine if state in MOVES[a][0] and (a != "opinion" or item.step.opinion)]


def _action(value: str) -> ReviewAction | None:
    """The action the menu names; None: "Choose…" (or no action at all)."""
    return next((a for a in (*ZONE_ACTIONS, *COMPANY_ACTIONS) if a == value), None)


def _in_language(ctx: review.Context, catalog: Catalog, lang: Lang) -> review.Context:
    """The filing's decision in the reader's language, as the decision's own page shows it."""
    if ctx.decision is None or ctx.request is None:
        return ctx
    asked = json.dumps(ctx.request, ensure_ascii=False)
    return replace(ctx, decision=shown_in(ctx.decision, asked, ctx.digest, catalog, lang))


def _submission_page(
    request: Request,
    session: Session,
    submission_id: str,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
) -> Response:
    who, catalog, store = session.principal, _catalog(request), accounts(request)
    s = review.store(store).submission(who, submission_id)
    item = review.item(s, catalog, dt.date.today())
    blank = {"action": "", "reason": "", "date": dt.date.today().isoformat(), "opinion": ""}
    ctx = _in_language(review.context(store, who, s), catalog, who.user.lang)
    return page(
        request,
        "zone_submission.html",
        session,
        status=status,
        item=item,
        s=s,
        ctx=ctx,
        names=catalog_names(catalog),
        persons=declared(ctx.request),
        actions=_actions(who, item),
        inspections=_zone_store(request).inspections(who, filing_id=s.filing_id),
        inspection_states=_state_names(inspecting.procedure(catalog)),
        reviewer=_side_of(who) == "zone",
        kinds=review.KIND_NAMES,
        action_names=review.ACTION_NAMES,
        opinion_names=review.OPINION_NAMES,
        opinions=OPINIONS,
        pathways=PATHWAYS,
        statuses=STATUS,
        sources=catalog.sources,
        form=form or blank,
        error=error,
        done=done,
        today=dt.date.today().isoformat(),
    )


@router.get("/zone/submissions/{submission_id}", response_class=HTMLResponse)
def one_submission(
    submission_id: Id, request: Request, session: Signed, done: str | None = None
) -> Response:
    return _submission_page(request, session, submission_id, done=_done(done))


@router.post("/zone/submissions/{submission_id}/actions")
def act(
    submission_id: Id,
    request: Request,
    session: Checked,
    action: Annotated[str, Form(max_length=32)] = "",
    reason: Reason = "",
    date: DayField = "",
    opinion: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """The centre's answer or the company's; a refusal shows the submission again with the
    reason and what was typed. The menu starts on "Choose…" (no action): sent so, it is
    refused and nothing changes."""
    who = session.principal
    chosen_action = _action(action)
    if chosen_action in ZONE_ACTIONS:
        _reviewer(who)
    elif chosen_action is not None:
        _company_member(who)
    elif _side_of(who) is None:
        raise Forbidden(
            pick(who.user.lang, "只读用户不能记录操作", "a viewer cannot record actions")
        )
    form = {"action": action, "reason": reason, "date": date, "opinion": opinion}
    lang = who.user.lang
    on, bad = _day(date, lang)
    if chosen_action is None or on is None:
        problem = bad if chosen_action is not None else t("zone_choose_action", lang)
        return _submission_page(
            request, session, submission_id, status=422, error=problem, form=form
        )
    chosen = next((o for o in OPINIONS if o == opinion), None)
    try:
        review.act(
            accounts(request),
            who,
            submission_id,
            chosen_action,
            on,
            _catalog(request),
            reason,
            chosen,
            who.user.lang,
        )
    except InvalidTransition as exc:
        return _submission_page(
            request, session, submission_id, status=409, error=str(exc), form=form
        )
    return RedirectResponse(f"/zone/submissions/{submission_id}?done=acted", status_code=303)


# --- inspections -----------------------------------------------------------------------------


def _state_names(p: Procedure) -> dict[str, dict[str, str]]:
    return {s.id: s.name.model_dump() for s in p.states}


def _inspections_page(
    request: Request,
    session: Session,
    show: Show = "open",
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    who = session.principal
    found = _zone_store(request).inspections(who, open_only=show == "open")
    p = inspecting.procedure(_catalog(request))
    return page(
        request,
        "zone_inspections.html",
        session,
        status=status,
        inspections=sorted(found, key=lambda i: i.created_at, reverse=True),
        states=_state_names(p),
        show=show,
        error=error,
    )


@router.get("/zone/inspections", response_class=HTMLResponse)
def inspections(request: Request, session: Signed, show: Show = "open") -> Response:
    return _inspections_page(request, session, show)


@router.post("/zone/inspections")
def open_inspection(
    request: Request,
    session: Checked,
    filing_id: Annotated[str, Form(min_length=1, max_length=64)],
    reason: Reason = "",
    date: DayField = "",
) -> Response:
    """Open an inspection of a filing of a company in the reviewer's zone."""
    who = session.principal
    _reviewer(who)
    on, bad = _day(date, who.user.lang)
    if on is None:
        return _inspections_page(request, session, status=422, error=bad)
    try:
        found = inspecting.open_inspection(
            accounts(request), who, filing_id, on, _catalog(request), reason
        )
    except FilingError as exc:  # not made from a logged decision: nothing to compare
        return _inspections_page(request, session, status=422, error=str(exc))
    return RedirectResponse(f"/zone/inspections/{found.id}?done=opened", status_code=303)


def _events(who: Principal, p: Procedure, found: Inspection) -> list[Transition]:
    """The steps after the comparison the caller's side may record now."""
    side = _side_of(who)
    if side is None or found.closed or found.state not in {s.id for s in p.states}:
        return []
    return [m for m in allowed(p, found.state) if m.by == side and m.event not in _COMPARING]


def _inspection_page(
    request: Request,
    session: Session,
    inspection_id: str,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
) -> Response:
    who, catalog = session.principal, _catalog(request)
    store = _zone_store(request)
    found = store.inspection(who, inspection_id)
    p = inspecting.procedure(catalog)
    ctx = review.context(accounts(request), who, found)
    today = dt.date.today().isoformat()
    blank = {"event": "", "reason": "", "date": today, "working_days": "", "rectify_by": ""}
    return page(
        request,
        "zone_inspection.html",
        session,
        status=status,
        i=found,
        p=p,
        filing=ctx.filing,
        names=catalog_names(catalog),
        states=_state_names(p),
        event_names={m.event: m.name.model_dump() for m in p.transitions},
        events=_events(who, p, found),
        comparing=found.state == (p.start or "sample_requested"),
        side=_side_of(who),
        submissions=store.submissions(who, filing_id=found.filing_id),
        kinds=review.KIND_NAMES,
        sources=catalog.sources,
        accept=",".join(SUFFIXES),
        form=form or blank,
        error=error,
        done=done,
        today=today,
    )


@router.get("/zone/inspections/{inspection_id}", response_class=HTMLResponse)
def one_inspection(
    inspection_id: Id, request: Request, session: Signed, done: str | None = None
) -> Response:
    return _inspection_page(request, session, inspection_id, done=_done(done))


@router.post("/zone/inspections/{inspection_id}/sample")
def provide_sample(
    inspection_id: Id,
    request: Request,
    session: Checked,
    file: Annotated[UploadFile, File()],
    date: DayField = "",
) -> Response:
    """The company's sample of what it exported: scanned in a private temporary folder that is
    deleted at once, then compared with the filing. Only the scan's findings are kept."""
    who = session.principal
    _company_member(who)
    _zone_store(request).inspection(who, inspection_id)  # another's: 404 before reading it
    lang, state = who.user.lang, request.app.state
    form = {"date": date}
    on, bad = _day(date, lang)
    if on is None:
        return _again(request, session, inspection_id, 422, bad, form)
    try:
        scanned = scan_upload(
            file.file,
            file.filename or "sample",
            _catalog(request),
            as_of=on,
            max_bytes=state.max_upload,
        )
    except TooLarge:
        return _again(request, session, inspection_id, 413, t("zone_sample_too_large", lang), form)
    except (DatasetError, RequestError) as exc:
        return _again(request, session, inspection_id, 422, str(exc), form)
    try:
        inspecting.provide_sample(
            accounts(request),
            state.ledger,
            who,
            inspection_id,
            scanned,
            on,
            _catalog(request),
            lang,
        )
    except InvalidTransition as exc:
        return _again(request, session, inspection_id, 409, str(exc), form)
    return RedirectResponse(f"/zone/inspections/{inspection_id}?done=compared", status_code=303)


@router.post("/zone/inspections/{inspection_id}/records")
def use_records(
    inspection_id: Id, request: Request, session: Checked, date: DayField = ""
) -> Response:
    """The centre compares the filing with the company's ledger records of the year."""
    who = session.principal
    _reviewer(who)
    on, bad = _day(date, who.user.lang)
    if on is None:
        return _again(request, session, inspection_id, 422, bad, {"date": date})
    try:
        inspecting.use_records(
            accounts(request),
            request.app.state.ledger,
            who,
            inspection_id,
            on,
            _catalog(request),
            who.user.lang,
        )
    except InvalidTransition as exc:
        return _again(request, session, inspection_id, 409, str(exc), {"date": date})
    return RedirectResponse(f"/zone/inspections/{inspection_id}?done=compared", status_code=303)


def _working_days(value: str, lang: Lang) -> tuple[int | None, str | None]:
    if not value.strip():
        return None, None
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_RECTIFY_DAYS:
        return None, t("zone_bad_days", lang, value=value, most=MAX_RECTIFY_DAYS)
    return int(value), None


def _optional_day(value: str, lang: Lang) -> tuple[dt.date | None, str | None]:
    return _day(value, lang) if value.strip() else (None, None)


@router.post("/zone/inspections/{inspection_id}/events")
def record_step(
    inspection_id: Id,
    request: Request,
    session: Checked,
    event: Annotated[str, Form(max_length=64)] = "",
    reason: Reason = "",
    date: DayField = "",
    working_days: Annotated[str, Form(max_length=8)] = "",
    rectify_by: DayField = "",
) -> Response:
    """A measure of the centre's, or the company's report; a refusal shows the inspection again
    with the reason and what was typed. The menu starts on "Choose…" (no event): refused."""
    who, lang = session.principal, session.principal.user.lang
    move = inspecting.procedure(_catalog(request)).transition(event)
    if move is not None and move.by == "zone":
        _reviewer(who)
    elif move is not None:
        _company_member(who)  # an unknown event: the service refuses it (409), or a viewer (403)
    elif not event and _side_of(who) is None:
        raise Forbidden(pick(lang, "只读用户不能记录步骤", "a viewer cannot record steps"))
    form = {
        "event": event,
        "reason": reason,
        "date": date,
        "working_days": working_days,
        "rectify_by": rectify_by,
    }
    on, bad = _day(date, lang)
    days, bad_days = _working_days(working_days, lang)
    by, bad_by = _optional_day(rectify_by, lang)
    problem = (None if event else t("zone_choose_step", lang)) or bad or bad_days or bad_by
    if on is None or problem:
        return _again(request, session, inspection_id, 422, problem, form)
    try:
        inspecting.act(
            accounts(request),
            who,
            inspection_id,
            event,
            on,
            _catalog(request),
            reason,
            by,
            lang,
            days,
        )
    except InvalidTransition as exc:
        return _again(request, session, inspection_id, 409, str(exc), form)
    return RedirectResponse(f"/zone/inspections/{inspection_id}?done=recorded", status_code=303)


def _again(
    request: Request,
    session: Session,
    inspection_id: str,
    status: int,
    error: str | None,
    form: dict[str, str],
) -> Response:
    """The inspection's page again with what was refused, keeping what was typed."""
    today = dt.date.today().isoformat()
    blank = {"event": "", "reason": "", "date": today, "working_days": "", "rectify_by": ""}
    return _inspection_page(
        request, session, inspection_id, status=status, error=error, form={**blank, **form}
    )


# --- notices ---------------------------------------------------------------------------------


def notice_link(subject: str, subject_id: str, who: Principal) -> str:
    """Where a notice leads: its submission, inspection or (for the zone) list edition."""
    if subject == "submission":
        return f"/zone/submissions/{subject_id}"
    if subject == "inspection":
        return f"/zone/inspections/{subject_id}"
    if subject == "forecast":  # a projected crossing: the year's forecast shows it
        return "/forecast"
    return f"/zone/editions/{subject_id}" if who.zone_staff else "/filings"


@router.get("/notifications", response_class=HTMLResponse)
def notifications(request: Request, session: Signed, done: str | None = None) -> Response:
    who = session.principal
    found = _zone_store(request).notifications(who)
    links = {n.id: notice_link(n.subject, n.subject_id, who) for n in found}
    return page(
        request, "notifications.html", session, notices=found, notice_links=links, done=_done(done)
    )


@router.post("/notifications/read")
def mark_read(request: Request, session: Checked) -> Response:
    """Mark the organisation's notices read (anyone who reads them may: it changes no record)."""
    review.mark_read(accounts(request), session.principal)
    return RedirectResponse("/notifications?done=read", status_code=303)
