"""`POST /v1/whatif`: the body of `POST /v1/assess`, compared across zones (`kuajing whatif`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.engine import Request as AssessRequest
from kuajing.lang import Lang
from kuajing.services.whatif import whatif_request
from kuajing.services.zone_editions import catalog_for
from kuajing.whatif import WhatIf

router = APIRouter(prefix="/v1", tags=["assess"], responses=responses(400, 401, 403, 422))


@router.post("/whatif", response_model=WhatIf, status_code=200)
async def whatif(
    body: AssessRequest,
    http: Request,
    who: Annotated[Principal, Depends(needs("member"))],
    lang: Annotated[Lang | None, Query()] = None,
    route: Literal["standard_contract", "certification"] = "standard_contract",
) -> WhatIf:
    """The pathway and procedures each option would need (national rules only, registered in
    each zone whose list covers the exports, each list usable through adoption), ranked by
    burden; the `ranking` field says how. Nothing is logged."""
    catalog = catalog_for(accounts(http), http.app.state.catalog, who)
    chosen = lang or who.user.lang
    # Each option is one assessment: off the event loop, as a large `assess` is.
    return await run_in_threadpool(whatif_request, body, catalog, chosen, route)
