"""`/v1/filings` and `/v1/tasks`: the filings the organisation's decisions require, their
events, deadlines (PRC working days) and the tasks changes raise, as `kuajing filing` gives them.
Viewers read; members create filings, record events and finish tasks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.catalog import Catalog
from kuajing.catalog.base import Cite, Confidence, Lang
from kuajing.catalog.procedures import Procedure
from kuajing.errors import InvalidTransition
from kuajing.filing.models import DeadlineStatus, Event, Task
from kuajing.filing.required import Route
from kuajing.filing.store import Filings
from kuajing.services import filing_list
from kuajing.services import filings as service

router = APIRouter(prefix="/v1", tags=["filings"], responses=responses(401, 422))

Viewer = Annotated[Principal, Depends(needs("viewer"))]
Member = Annotated[Principal, Depends(needs("member"))]
LangQ = Annotated[Lang | None, Query(description="Default: the caller's")]
# Days far from now are refused as input: a deadline counted from them would leave the calendar.
Day = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]
AsOf = Annotated[
    dt.date | None,
    Query(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31), description="Default: today"),
]
# A filing's id is 32 hex digits (filing/store.py): so `/filings/due` and `/filings/calendar.ics`
# are never read as the ids "due" and "calendar.ics" by the schema, as they are not by the router.
FilingId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="32 hexadecimal digits")]
ICS = "text/calendar"


class ProcedureOut(BaseModel):
    id: str
    name: str
    authority: str
    status: Literal["encoded", "unknown"]  # unknown: the filing needs review
    note: str | None  # what is uncertain or missing
    confidence: Confidence


class EventChoice(BaseModel):
    event: str
    name: str


class MaterialOut(BaseModel):
    id: str
    name: str
    document: str | None
    confidence: Confidence
    cite: list[Cite]


def materials_out(p: Procedure, lang: Lang) -> list[MaterialOut]:
    """The procedure's materials with their citations, in `lang`."""
    return [
        MaterialOut(
            id=m.id,
            name=m.name.get(lang),
            document=m.document,
            confidence=m.confidence,
            cite=m.cite,
        )
        for m in p.materials
    ]


class FilingOut(BaseModel):
    id: str
    subject: str
    procedure: ProcedureOut
    state: str | None  # None: the procedure is not encoded (needs review)
    state_name: str | None
    closed: bool
    decision_id: str | None
    transfers: list[str]
    created_at: str
    deadlines: list[DeadlineStatus]
    allowed: list[EventChoice]  # the events that may be recorded now
    materials: list[MaterialOut]
    history: list[Event]


class NewFilings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision_id: str = Field(min_length=1, max_length=64)
    route: Route = "standard_contract"  # for the standard contract band


class Created(BaseModel):
    filings: list[FilingOut]
    tasks: list[Task]
    existing: list[FilingOut]  # open filings that already cover what the decision requires


class NewEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event: str = Field(min_length=1, max_length=64)
    date: Day | None = None  # default: today
    note: str = Field("", max_length=2000)


class DueItem(BaseModel):
    filing_id: str
    subject: str
    procedure: str
    deadline: DeadlineStatus


def _catalog(http: Request) -> Catalog:
    found: Catalog = http.app.state.catalog
    return found


def _store(http: Request) -> Filings:
    return Filings(accounts(http).engine)


def _out(v: service.View, lang: Lang) -> FilingOut:
    p, f = v.procedure, v.filing
    return FilingOut(
        id=f.id,
        subject=f.subject,
        procedure=ProcedureOut(
            id=p.id,
            name=p.name.get(lang),
            authority=p.authority.get(lang),
            status=p.status,
            note=p.note.get(lang) if p.note else None,
            confidence=p.confidence,
        ),
        state=f.state,
        state_name=v.state_name,
        closed=f.closed,
        decision_id=f.decision_id,
        transfers=f.transfers,
        created_at=f.created_at,
        deadlines=v.deadlines,
        allowed=[EventChoice(event=t.event, name=t.name.get(lang)) for t in v.allowed],
        materials=materials_out(p, lang),
        history=f.events,
    )


@router.get("/filings", response_model=list[FilingOut])
def listing(
    http: Request,
    who: Viewer,
    closed: bool = False,
    date: AsOf = None,
    lang: LangQ = None,
) -> list[FilingOut]:
    """The organisation's open filings (closed ones too with `closed=true`)."""
    chosen = lang or who.user.lang
    shown = filing_list.listing(
        _store(http),
        who,
        _catalog(http),
        date or dt.date.today(),
        chosen,
        "all" if closed else "open",
    )
    return [_out(row.view, chosen) for row in shown.rows]


@router.post(
    "/filings", response_model=Created, status_code=201, responses=responses(400, 403, 404)
)
def create(body: NewFilings, http: Request, who: Member, lang: LangQ = None) -> Created:
    """Create the filings a logged decision requires, and the tasks its changes raise for the
    filings that were open before it."""
    chosen = lang or who.user.lang
    catalog, store = _catalog(http), _store(http)
    source = service.from_log(accounts(http), who, body.decision_id)
    made = service.create_filings(accounts(http), store, who, source, catalog, chosen, body.route)
    today = dt.date.today()
    shown = [
        [_out(service.view(f, catalog, today, chosen), chosen) for f in group]
        for group in (made.filings, made.existing)
    ]
    return Created(filings=shown[0], tasks=made.tasks, existing=shown[1])


@router.get("/filings/due", response_model=list[DueItem])
def due(
    http: Request,
    who: Viewer,
    within: Annotated[int | None, Query(ge=0, le=3650, description="Days ahead")] = None,
    date: AsOf = None,
    lang: LangQ = None,
) -> list[DueItem]:
    """Deadlines to act on or watch, soonest first; overdue ones are always included."""
    chosen = lang or who.user.lang
    items = service.due(_store(http), who, _catalog(http), date or dt.date.today(), within, chosen)
    return [
        DueItem(
            filing_id=v.filing.id,
            subject=v.filing.subject,
            procedure=v.procedure.name.get(chosen),
            deadline=d,
        )
        for v, d in items
    ]


@router.get(
    "/filings/calendar.ics",
    response_class=Response,
    responses={200: {"content": {ICS: {"schema": {"type": "string"}}}, "description": "iCalendar"}},
)
def calendar(
    http: Request,
    who: Viewer,
    within: Annotated[int | None, Query(ge=0, le=3650, description="Days ahead")] = None,
    date: AsOf = None,
    lang: LangQ = None,
) -> Response:
    """The open filings' deadlines as an iCalendar file, one all-day event each."""
    chosen = lang or who.user.lang
    items = service.due(_store(http), who, _catalog(http), date or dt.date.today(), within, chosen)
    return Response(
        service.ical(items, chosen),
        media_type=ICS,
        headers={"Content-Disposition": 'attachment; filename="kuajing-deadlines.ics"'},
    )


@router.get("/filings/{filing_id}", response_model=FilingOut, responses=responses(404))
def one(
    filing_id: FilingId, http: Request, who: Viewer, date: AsOf = None, lang: LangQ = None
) -> FilingOut:
    """One filing: state, deadlines, allowed events, materials and history."""
    chosen = lang or who.user.lang
    found = _store(http).get(who, filing_id)
    return _out(service.view(found, _catalog(http), date or dt.date.today(), chosen), chosen)


@router.post(
    "/filings/{filing_id}/events",
    response_model=FilingOut,
    responses=responses(400, 403, 404, 409),
)
def record(
    filing_id: FilingId, body: NewEvent, http: Request, who: Member, lang: LangQ = None
) -> FilingOut:
    """Record an event: the filing moves as its procedure says, or the event is refused (409)
    with the reason and the events allowed now."""
    chosen = lang or who.user.lang
    catalog, store, today = _catalog(http), _store(http), dt.date.today()
    on = body.date or today
    try:
        moved = service.record_event(
            store, who, filing_id, body.event, on, catalog, body.note, chosen
        )
    except InvalidTransition as exc:
        now = service.view(store.get(who, filing_id), catalog, on, chosen)
        raise InvalidTransition(filing_list.refusal(exc, now, chosen)) from None
    return _out(service.view(moved, catalog, today, chosen), chosen)


@router.get("/tasks", response_model=list[Task])
def tasks(http: Request, who: Viewer, done: bool = False) -> list[Task]:
    """The organisation's open tasks (finished ones too with `done=true`)."""
    return _store(http).tasks(who, open_only=not done)


@router.post("/tasks/check", response_model=list[Task], responses=responses(403))
def check(http: Request, who: Member) -> list[Task]:
    """Compare this year's ledger counters with the open filings (`kuajing filing check`): the
    tasks newly raised, e.g. an assessment once a threshold is reached."""
    state = http.app.state
    return service.check_ledger(accounts(http), _store(http), state.ledger, who, state.catalog)


@router.post("/tasks/{task_id}/done", response_model=Task, responses=responses(403, 404))
def finish(
    task_id: Annotated[str, Path(min_length=1, max_length=64)], http: Request, who: Member
) -> Task:
    """Mark a task done (done once: finishing it again keeps the first time)."""
    return _store(http).finish_task(who, task_id)
