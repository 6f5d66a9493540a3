"""The zone what-if of a logged decision's request: each option side by side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.i18n import PATHWAYS, STATUS
from kuajing.services.decisions import logged_request
from kuajing.services.whatif import whatif_request
from kuajing.services.zone_editions import catalog_for
from kuajing.web.render import page
from kuajing.web.session import accounts, lang_of, signed_in
from kuajing.web.views.whatif import readable

router = APIRouter(include_in_schema=False)


@router.get("/decisions/{decision_id}/whatif", response_class=HTMLResponse)
def whatif(
    decision_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    who, store = session.principal, accounts(request)
    asked = logged_request(store, who, decision_id)  # another organisation's: 404
    catalog = catalog_for(store, request.app.state.catalog, who)
    lang = lang_of(request, session)
    found = readable(whatif_request(asked, catalog, lang), catalog, lang)
    return page(
        request,
        "whatif.html",
        session,
        w=found,
        decision_id=decision_id,
        home=next((o.zone_name for o in found.options if o.actual and o.zone), None),
        pathways=PATHWAYS,
        statuses=STATUS,
    )
