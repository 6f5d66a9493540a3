"""Filings in the browser: the organisation's filings and open tasks, one filing with its
deadlines, materials and history, the form that records an event, the filings a decision
requires (made from its page), and the deadlines as an iCalendar file. Viewers read; members
change."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.errors import Forbidden, InvalidTransition
from kuajing.filing.required import Route
from kuajing.filing.store import Filings
from kuajing.services import filing_list
from kuajing.services import filings as service
from kuajing.web.forms import form_day
from kuajing.web.i18n import t
from kuajing.web.render import HEADERS, page
from kuajing.web.routes.zone import filing_zone
from kuajing.web.session import accounts, checked, signed_in
from kuajing.web.views import filing as pages

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Checked = Annotated[Session, Depends(checked)]
Id = Annotated[str, Path(min_length=1, max_length=64)]
AsOf = Annotated[dt.date | None, Query(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]
Count = Annotated[int | None, Query(ge=0, le=10_000)]
GRADES = ("H", "M", "L", "U")
_DONE = ("recorded", "task", "checked")


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def _store(request: Request) -> Filings:
    return Filings(accounts(request).engine)


def _member(session: Session) -> None:
    # The store refuses a viewer's filings and events, but not the tasks a decision raises:
    # checked first, so that a viewer's request changes nothing at all.
    if not session.principal.may("member"):
        raise Forbidden("a viewer cannot change filings")


@router.get("/filings", response_class=HTMLResponse)
def listing(
    request: Request,
    session: Signed,
    show: filing_list.Show = "open",
    date: AsOf = None,
    decision: Annotated[str | None, Query(max_length=64)] = None,
    created: Count = None,
    existing: Count = None,
    tasks: Count = None,
    done: str | None = None,
) -> Response:
    who = session.principal
    found = filing_list.listing(
        _store(request), who, _catalog(request), date or dt.date.today(), who.user.lang, show
    )
    made = {"decision": decision, "created": created, "existing": existing, "tasks": tasks}
    return page(
        request,
        "filings.html",
        session,
        listing=found,
        show=show,
        made=made if created is not None else None,
        done=done if done in _DONE else None,
    )


@router.post("/filings")
def create(
    request: Request,
    session: Checked,
    decision_id: Annotated[str, Form(min_length=1, max_length=64)],
    route: Annotated[Route | Literal[""], Form()] = "",
) -> Response:
    """The filings the decision requires; the list then says what was made. Where a transfer
    may go by standard contract or by certification, the route must be chosen: the menu starts
    on "Choose…", and sent so, the decision is shown again with the request to choose."""
    _member(session)
    who, store = session.principal, accounts(request)
    source = service.from_log(store, who, decision_id)
    if not route:
        if service.needs_route(source.decision):
            return RedirectResponse(f"/decisions/{decision_id}?choose=route", status_code=303)
        route = "standard_contract"  # no transfer in that band: the route changes nothing
    made = service.create_filings(
        store, _store(request), who, source, _catalog(request), who.user.lang, route
    )
    counts = f"created={len(made.filings)}&existing={len(made.existing)}&tasks={len(made.tasks)}"
    return RedirectResponse(f"/filings?decision={decision_id}&{counts}", status_code=303)


@router.get("/filings/calendar.ics")
def calendar(request: Request, session: Signed) -> Response:
    who = session.principal
    lang = who.user.lang
    items = service.due(_store(request), who, _catalog(request), dt.date.today(), None, lang)
    headers = {**HEADERS, "Content-Disposition": 'attachment; filename="kuajing-deadlines.ics"'}
    return Response(service.ical(items, lang), media_type="text/calendar", headers=headers)


def _filing_page(
    request: Request,
    session: Session,
    filing_id: str,
    as_of: dt.date,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
) -> Response:
    who, catalog = session.principal, _catalog(request)
    found = pages.detail(
        accounts(request), _store(request), who, catalog, filing_id, as_of, who.user.lang
    )
    blank = {"event": "", "date": dt.date.today().isoformat(), "note": ""}
    return page(
        request,
        "filing.html",
        session,
        status=status,
        d=found,
        as_of=as_of,
        form=form or blank,
        error=error,
        done=done,
        sources=catalog.sources,
        grades=GRADES,
        zone=filing_zone(request, who, found.view.filing, found.view.procedure),
    )


@router.get("/filings/{filing_id}", response_class=HTMLResponse)
def one(
    filing_id: Id, request: Request, session: Signed, date: AsOf = None, done: str | None = None
) -> Response:
    shown = done if done in _DONE else None
    return _filing_page(request, session, filing_id, date or dt.date.today(), done=shown)


@router.post("/filings/{filing_id}/events")
def record(
    filing_id: Id,
    request: Request,
    session: Checked,
    event: Annotated[str, Form(max_length=64)] = "",
    date: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record the event; a refusal shows the filing again with the reason and what was typed.
    The menu starts on "Choose…" (no event): sent so, it is refused and nothing changes."""
    _member(session)
    who = session.principal
    form = {"event": event, "date": date, "note": note}
    on, bad = form_day(date, who.user.lang)
    if not event:
        on, bad = None, t("filing_choose_event", who.user.lang)
    if on is None:
        today = dt.date.today()
        return _filing_page(request, session, filing_id, today, status=422, error=bad, form=form)
    try:
        service.record_event(
            _store(request), who, filing_id, event, on, _catalog(request), note, who.user.lang
        )
    except InvalidTransition as exc:
        today = dt.date.today()
        return _filing_page(
            request, session, filing_id, today, status=409, error=str(exc), form=form
        )
    return RedirectResponse(f"/filings/{filing_id}?done=recorded", status_code=303)


@router.post("/tasks/{task_id}/done")
def finish_task(task_id: Id, request: Request, session: Checked) -> Response:
    _member(session)
    _store(request).finish_task(session.principal, task_id)
    return RedirectResponse("/filings?done=task", status_code=303)


@router.post("/tasks/check")
def check_ledger(request: Request, session: Checked) -> Response:
    """Compare this year's ledger counters with the open filings; new tasks show on the list."""
    _member(session)
    state = request.app.state
    service.check_ledger(
        accounts(request), _store(request), state.ledger, session.principal, state.catalog
    )
    return RedirectResponse("/filings?done=checked", status_code=303)
