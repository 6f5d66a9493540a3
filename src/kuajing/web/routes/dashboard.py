"""The organisation's dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.i18n import COUNTERS, PATHWAYS, STATUS
from kuajing.web.render import page
from kuajing.web.session import accounts, current, signed_in
from kuajing.web.views.dashboard import dashboard
from kuajing.web.views.names import sector_name

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse("/dashboard" if current(request) else "/login", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def show(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    if session.principal.zone_staff:  # a zone's centre works from its review queue
        return RedirectResponse("/zone/queue", status_code=303)
    state = request.app.state
    board = dashboard(accounts(request), state.ledger, state.catalog, session.principal)
    return page(
        request,
        "dashboard.html",
        session,
        board=board,
        sector=sector_name(state.catalog, session.principal.organisation.sector),
        counters=COUNTERS,
        pathways=PATHWAYS,
        statuses=STATUS,
    )
