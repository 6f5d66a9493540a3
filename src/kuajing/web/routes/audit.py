"""The audit trail page (admins): who did what in the organisation, newest first, and whether
the trail still verifies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.services.audit_lines import lines
from kuajing.services.audit_trail import trail_page
from kuajing.web.i18n import phrases
from kuajing.web.render import page
from kuajing.web.session import accounts, lang_of, signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    session: Signed,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    who = session.principal
    found = trail_page(accounts(request), who, before=before)  # admins only
    people = {u.id: u.email for u in accounts(request).users(who)}
    lang = lang_of(request, session)
    titles = {i: zl.title.get(lang) for i, zl in request.app.state.catalog.lists.items()}
    shown = lines(found.entries, lang, phrases(), people, titles)
    return page(request, "audit.html", session, trail=found, lines=shown, before=before)
