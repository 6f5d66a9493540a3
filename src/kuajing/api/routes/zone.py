"""The zone console over the REST API: submissions to a zone's service centre and its review
queue, consistency inspections, the notices each organisation gets, and the zone's statistics.

Who sees what is the store's: a zone's staff see their zone's objects, a company its own, and
anything else is 404 as if it did not exist. Who may do what is the services': a viewer's write
is 403; a step the other side records, or one the state does not allow, is 409."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.api.routes.filings import MaterialOut, materials_out
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.errors import Forbidden
from kuajing.filing.machine import allowed
from kuajing.i18n import pick
from kuajing.services import zone_inspections as inspecting
from kuajing.services import zone_review as review
from kuajing.services import zone_stats
from kuajing.services.declared_persons import Declared, Persons, declared
from kuajing.services.uploads import scan_upload
from kuajing.zone.models import (
    HistoryEvent,
    Inspection,
    Notification,
    Opinion,
    ReviewAction,
    Submission,
    SubmissionKind,
    SubmissionState,
)
from kuajing.zone.store import ZoneStore

router = APIRouter(prefix="/v1", tags=["zone"], responses=responses(401, 422))

Viewer = Annotated[Principal, Depends(needs("viewer"))]
LangQ = Annotated[Lang | None, Query(description="Default: the caller's")]
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2999, 12, 31)
# Days far from now are refused as input: a working-day clock counted from them would leave the
# calendar's range.
Day = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST)]
AsOf = Annotated[dt.date | None, Query(ge=EARLIEST, le=LATEST, description="Default: today")]
Id = Annotated[str, Path(min_length=1, max_length=64)]
Reason = Annotated[str, Field(max_length=2000)]
WRITE = responses(400, 403, 404, 409)


# --- request bodies ------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewSubmission(_Body):
    filing_id: str = Field(min_length=1, max_length=64)
    date: Day | None = None  # default: today
    note: Reason = ""


class SubmissionAction(_Body):
    action: ReviewAction
    date: Day | None = None
    reason: Reason = ""
    opinion: Opinion | None = None  # for `opinion`


class NewInspection(_Body):
    filing_id: str = Field(min_length=1, max_length=64)
    date: Day | None = None
    reason: Reason = ""


class Dated(_Body):
    date: Day | None = None


class InspectionAction(_Body):
    event: str = Field(min_length=1, max_length=64)
    date: Day | None = None
    reason: Reason = ""
    rectify_by: Day | None = None  # for order_rectification, or:
    working_days: StrictInt | None = Field(None, ge=1, le=365)  # counted from `date`


class MarkRead(_Body):
    # Strict: JSON true is not notice 1 (the API's schema says integer).
    id: StrictInt | None = Field(None, ge=1, le=2**31 - 1)  # None: every notice


# --- answers -------------------------------------------------------------------------------


class ClockOut(BaseModel):
    due: dt.date | None  # None: no time limit is known (`note` says)
    working_days: int | None
    working_days_left: int | None  # negative: overdue
    rule: str | None
    confidence: str | None
    provisional: bool  # counted across a year without a holiday notice
    restarted: bool  # from the company's answer to a request for information
    note: str | None


class ProcedureRef(BaseModel):
    id: str
    name: str


class SubmissionOut(BaseModel):
    id: str
    filing_id: str
    organisation: str
    zone: str
    procedure: ProcedureRef
    kind: SubmissionKind
    kind_name: str
    state: SubmissionState
    opinion: Opinion | None
    opinion_name: str | None
    created_at: str
    closed: bool
    history: list[HistoryEvent]
    clock: ClockOut


class CitationOut(BaseModel):
    rule: str
    title: str | None
    article: str | None
    url: str | None
    confidence: str | None


class PersonsOut(BaseModel):
    """Persons a logged request declared: whose (non-sensitive) PI and whose sensitive PI is
    exported, and both counters' distinct total when it was declared."""

    personal: int
    sensitive: int
    distinct: int | None


class TransferOut(BaseModel):
    """A transfer of the decision the filing came from, as logged, with the persons its request
    declared (the figure a reviewer checks first)."""

    id: str
    scenario: str | None
    pathway: str | None
    status: str | None
    rules: list[str]
    citations: list[CitationOut]
    persons: PersonsOut | None = None
    already_counted: PersonsOut | None = None  # of these, counted before (earlier exports)


class SubmissionDetail(SubmissionOut):
    materials: list[MaterialOut]
    decision_id: str | None
    filing_state: str | None
    filing_state_name: str | None
    transfers: list[TransferOut]
    earlier: PersonsOut | None = None  # the request's prior exports in the counting window


class EventChoice(BaseModel):
    event: str
    name: str


class InspectionOut(BaseModel):
    id: str
    filing_id: str
    organisation: str
    zone: str
    state: str
    state_name: str
    closed: bool
    declared: dict[str, Any]
    report: dict[str, Any] | None  # findings, once compared
    rectify_by: dt.date | None
    created_at: str
    allowed: list[EventChoice]  # what the caller's side may record now
    history: list[HistoryEvent]


class NotificationOut(Notification):
    message: str  # `text` in the caller's language


class Marked(BaseModel):
    marked: int


# --- helpers -------------------------------------------------------------------------------


def _catalog(http: Request) -> Catalog:
    found: Catalog = http.app.state.catalog
    return found


def _lang(who: Principal, lang: Lang | None) -> Lang:
    return lang or who.user.lang


def _clock(item: review.Item, lang: Lang) -> ClockOut:
    c = item.clock
    return ClockOut(
        due=c.date,
        working_days=c.working_days,
        working_days_left=item.working_days_left,
        rule=c.rule,
        confidence=c.confidence,
        provisional=c.provisional,
        restarted=c.restarted,
        note=c.note[lang] if c.note else None,
    )


def _submission(item: review.Item, lang: Lang) -> SubmissionOut:
    s = item.submission
    return SubmissionOut(
        id=s.id,
        filing_id=s.filing_id,
        organisation=s.organisation,
        zone=s.zone,
        procedure=ProcedureRef(id=item.procedure.id, name=item.procedure.name.get(lang)),
        kind=s.kind,
        kind_name=review.KIND_NAMES[s.kind][lang],
        state=s.state,
        opinion=s.opinion,
        opinion_name=review.OPINION_NAMES[s.opinion][lang] if s.opinion else None,
        created_at=s.created_at,
        closed=s.closed,
        history=s.history,
        clock=_clock(item, lang),
    )


def _citation(reason: dict[str, Any]) -> CitationOut:
    source = reason.get("source") or {}
    return CitationOut(
        rule=str(reason.get("rule")),
        title=source.get("title"),
        article=source.get("article"),
        url=source.get("url"),
        confidence=source.get("confidence"),
    )


def _persons(found: Persons | None) -> PersonsOut | None:
    return PersonsOut(**asdict(found)) if found is not None else None


def _transfers(
    decision: dict[str, Any] | None, chosen: list[str], persons: Declared
) -> list[TransferOut]:
    out = []
    by_id = persons.by_id()
    for t in (decision or {}).get("transfers") or []:
        if chosen and str(t.get("id")) not in chosen:
            continue
        reasons = [r for r in t.get("reasons") or [] if r.get("rule")]
        out.append(
            TransferOut(
                id=str(t.get("id")),
                scenario=t.get("scenario"),
                pathway=t.get("pathway"),
                status=t.get("status"),
                rules=[str(r["rule"]) for r in reasons],
                citations=[_citation(r) for r in reasons],
                persons=_persons(by_id[t["id"]].persons) if t.get("id") in by_id else None,
                already_counted=_persons(by_id[t["id"]].already_counted)
                if t.get("id") in by_id
                else None,
            )
        )
    return out


def _detail(
    who: Principal, http: Request, s: Submission, as_of: dt.date, lang: Lang
) -> SubmissionDetail:
    item = review.item(s, _catalog(http), as_of)
    ctx = review.context(accounts(http), who, s)
    p, filing = item.procedure, ctx.filing
    persons = declared(ctx.request)
    state_name = p.state(filing.state).name.get(lang) if filing.state else None
    return SubmissionDetail(
        **_submission(item, lang).model_dump(),
        materials=materials_out(p, lang),
        decision_id=filing.decision_id,
        filing_state=filing.state,
        filing_state_name=state_name,
        transfers=_transfers(ctx.decision, filing.transfers, persons),
        earlier=_persons(persons.earlier),
    )


def _writer(who: Principal) -> bool:
    return who.may("reviewer") if who.zone_staff else who.may("member")


def _inspection(who: Principal, catalog: Catalog, found: Inspection, lang: Lang) -> InspectionOut:
    p = inspecting.procedure(catalog)
    side = "zone" if who.zone_staff else "company"
    moves = [t for t in allowed(p, found.state) if t.by == side] if _writer(who) else []
    return InspectionOut(
        id=found.id,
        filing_id=found.filing_id,
        organisation=found.organisation,
        zone=found.zone,
        state=found.state,
        state_name=p.state(found.state).name.get(lang),
        closed=found.closed,
        declared=found.declared,
        report=found.report,
        rectify_by=found.rectify_by,
        created_at=found.created_at,
        allowed=[EventChoice(event=t.event, name=t.name.get(lang)) for t in moves],
        history=found.history,
    )


def _zone_store(http: Request) -> ZoneStore:
    return ZoneStore(accounts(http).engine)


# --- submissions ---------------------------------------------------------------------------


@router.post("/submissions", response_model=SubmissionDetail, status_code=201, responses=WRITE)
def submit(body: NewSubmission, http: Request, who: Viewer, lang: LangQ = None) -> SubmissionDetail:
    """Submit the filing's next step its zone reviews (a company's members)."""
    chosen, on = _lang(who, lang), body.date or dt.date.today()
    made = review.submit(accounts(http), who, body.filing_id, on, _catalog(http), body.note, chosen)
    return _detail(who, http, made, on, chosen)


@router.get("/submissions", response_model=list[SubmissionOut])
def queue(
    http: Request,
    who: Viewer,
    show: Literal["open", "all"] = "open",
    date: AsOf = None,
    lang: LangQ = None,
) -> list[SubmissionOut]:
    """The zone's review queue (a company: its own submissions), the one due soonest first."""
    chosen = _lang(who, lang)
    items = review.queue(
        accounts(http), who, _catalog(http), date or dt.date.today(), show == "open"
    )
    return [_submission(i, chosen) for i in items]


@router.get(
    "/submissions/{submission_id}", response_model=SubmissionDetail, responses=responses(404)
)
def submission(
    submission_id: Id, http: Request, who: Viewer, date: AsOf = None, lang: LangQ = None
) -> SubmissionDetail:
    """One submission with its clock, and the filing's materials and decision beside it."""
    found = review.store(accounts(http)).submission(who, submission_id)
    return _detail(who, http, found, date or dt.date.today(), _lang(who, lang))


@router.post(
    "/submissions/{submission_id}/actions", response_model=SubmissionDetail, responses=WRITE
)
def act(
    submission_id: Id, body: SubmissionAction, http: Request, who: Viewer, lang: LangQ = None
) -> SubmissionDetail:
    """The centre's answer (request_info, opinion, approve, reject) or the company's (answer,
    withdraw); a move the state or the side does not allow is refused (409) saying why."""
    chosen, on = _lang(who, lang), body.date or dt.date.today()
    moved = review.act(
        accounts(http),
        who,
        submission_id,
        body.action,
        on,
        _catalog(http),
        body.reason,
        body.opinion,
        chosen,
    )
    return _detail(who, http, moved, on, chosen)


# --- inspections ---------------------------------------------------------------------------


@router.post("/inspections", response_model=InspectionOut, status_code=201, responses=WRITE)
def open_inspection(
    body: NewInspection, http: Request, who: Viewer, lang: LangQ = None
) -> InspectionOut:
    """Open a consistency inspection of a filing of a company in the zone (a zone's reviewers)."""
    catalog, on = _catalog(http), body.date or dt.date.today()
    made = inspecting.open_inspection(accounts(http), who, body.filing_id, on, catalog, body.reason)
    return _inspection(who, catalog, made, _lang(who, lang))


@router.get("/inspections", response_model=list[InspectionOut])
def inspections(
    http: Request, who: Viewer, show: Literal["open", "all"] = "open", lang: LangQ = None
) -> list[InspectionOut]:
    """The zone's inspections (a company: those of its filings), oldest first."""
    found = _zone_store(http).inspections(who, open_only=show == "open")
    return [_inspection(who, _catalog(http), i, _lang(who, lang)) for i in found]


@router.get("/inspections/{inspection_id}", response_model=InspectionOut, responses=responses(404))
def inspection(inspection_id: Id, http: Request, who: Viewer, lang: LangQ = None) -> InspectionOut:
    """One inspection: what was declared, the findings, the state and what may be done now."""
    found = _zone_store(http).inspection(who, inspection_id)
    return _inspection(who, _catalog(http), found, _lang(who, lang))


def _one_side(who: Principal, zone: bool, lang: Lang) -> None:
    """The comparison endpoints belong to one side: refused before any work is done."""
    if who.zone_staff != zone:
        raise Forbidden(
            pick(
                lang,
                "须由服务中心审核人员比对台账记录",
                "only the zone's reviewers use the records",
            )
            if zone
            else pick(lang, "出境数据样本须由企业提供", "the company provides the sample")
        )
    if not _writer(who):
        raise Forbidden(pick(lang, "查看者不能操作抽验", "a viewer cannot act on inspections"))


@router.post(
    "/inspections/{inspection_id}/sample",
    response_model=InspectionOut,
    responses=responses(400, 403, 404, 409, 413),
)
def sample(
    inspection_id: Id,
    http: Request,
    who: Viewer,
    file: Annotated[UploadFile, File(description="CSV, XLSX, Parquet or JSON Lines")],
    date: Annotated[dt.date | None, Form(ge=EARLIEST, le=LATEST)] = None,
    lang: LangQ = None,
) -> InspectionOut:
    """The company's sample of the data it exported: scanned in place and compared with the
    filing. The file is deleted once scanned; only the findings are kept."""
    chosen, catalog, on = _lang(who, lang), _catalog(http), date or dt.date.today()
    store = accounts(http)
    ZoneStore(store.engine).inspection(who, inspection_id)  # 404 before anything else
    _one_side(who, False, chosen)
    upload = file.filename or "upload"
    scan = scan_upload(file.file, upload, catalog, as_of=on, max_bytes=http.app.state.max_upload)
    ledger = http.app.state.ledger
    done = inspecting.provide_sample(store, ledger, who, inspection_id, scan, on, catalog, chosen)
    return _inspection(who, catalog, done, chosen)


@router.post("/inspections/{inspection_id}/records", response_model=InspectionOut, responses=WRITE)
def records(
    inspection_id: Id, body: Dated, http: Request, who: Viewer, lang: LangQ = None
) -> InspectionOut:
    """The reviewer compares the filing with the company's ledger records of the year."""
    chosen, catalog, on = _lang(who, lang), _catalog(http), body.date or dt.date.today()
    store = accounts(http)
    ZoneStore(store.engine).inspection(who, inspection_id)
    _one_side(who, True, chosen)
    ledger = http.app.state.ledger
    done = inspecting.use_records(store, ledger, who, inspection_id, on, catalog, chosen)
    return _inspection(who, catalog, done, chosen)


@router.post("/inspections/{inspection_id}/actions", response_model=InspectionOut, responses=WRITE)
def inspection_act(
    inspection_id: Id, body: InspectionAction, http: Request, who: Viewer, lang: LangQ = None
) -> InspectionOut:
    """A step after the comparison: the centre's measures, or the company's report that it has
    rectified or re-applied (409 when the state or the side does not allow it)."""
    chosen, catalog, on = _lang(who, lang), _catalog(http), body.date or dt.date.today()
    done = inspecting.act(
        accounts(http),
        who,
        inspection_id,
        body.event,
        on,
        catalog,
        body.reason,
        body.rectify_by,
        chosen,
        body.working_days,
    )
    return _inspection(who, catalog, done, chosen)


# --- notices and statistics ------------------------------------------------------------------


@router.get("/notifications", response_model=list[NotificationOut])
def notifications(
    http: Request, who: Viewer, unread: bool = False, lang: LangQ = None
) -> list[NotificationOut]:
    """The organisation's notices, newest first (the latest 200)."""
    chosen = _lang(who, lang)
    found = _zone_store(http).notifications(who, unread_only=unread)
    return [NotificationOut(**n.model_dump(), message=n.text.get(chosen, "")) for n in found]


@router.post("/notifications/read", response_model=Marked, responses=responses(400))
def mark_read(body: MarkRead, http: Request, who: Viewer) -> Marked:
    """Mark one notice read, or all of them without an id; the count marked now."""
    return Marked(marked=review.mark_read(accounts(http), who, body.id))


@router.get("/zone/statistics", response_model=zone_stats.Statistics, responses=responses(403))
def statistics(
    http: Request,
    who: Viewer,
    year: Annotated[int | None, Query(ge=1990, le=2999, description="Default: this year")] = None,
    date: AsOf = None,
) -> zone_stats.Statistics:
    """The zone's submissions by sector, scenario, kind and state; processing times against
    the clock; inspections and their outcomes (a zone's staff only)."""
    today = date or dt.date.today()
    return zone_stats.statistics(accounts(http), who, _catalog(http), year or today.year, today)
