"""`POST /v1/assess`: the request and decision formats of `kuajing assess`, unchanged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.engine import Decision
from kuajing.engine import Request as AssessRequest
from kuajing.lang import Lang
from kuajing.services.decisions import assess_and_log, assess_and_log_async
from kuajing.services.zone_editions import catalog_for

router = APIRouter(prefix="/v1", tags=["assess"], responses=responses(400, 401, 403, 422))

# Up to this many transfers (about 2.5 ms, 0.15 ms a transfer) are assessed on the event loop:
# under the interpreter's 5 ms switch interval a worker thread would hold the GIL, and so the
# loop, as long, and the trip there and back costs more than a small assessment. A larger
# request goes to a worker thread, whose turns the loop's interleave with.
ON_LOOP = 16


@router.post("/assess", response_model=Decision, status_code=200)
async def assess(
    body: AssessRequest,
    http: Request,
    who: Annotated[Principal, Depends(needs("member"))],
    lang: Annotated[Lang | None, Query()] = None,
    explain: bool = False,
) -> Response:
    """Assess the exports in the request. The decision is logged: its id is in the
    `Kuajing-Decision-Id` header and `Location` points at it."""
    chosen = lang or who.user.lang
    catalog = catalog_for(accounts(http), http.app.state.catalog, who)
    if len(body.transfers) <= ON_LOOP:  # the log entry is awaited here: no thread waits
        record = await assess_and_log_async(accounts(http), who, body, catalog, chosen, explain)
    else:
        _, record = await run_in_threadpool(
            assess_and_log, accounts(http), who, body, catalog, chosen, explain
        )
    # The decision's JSON as logged: FastAPI would validate and serialise it a second time.
    return Response(
        record.decision,
        media_type="application/json",
        headers={"Kuajing-Decision-Id": record.id, "Location": f"/v1/decisions/{record.id}"},
    )
