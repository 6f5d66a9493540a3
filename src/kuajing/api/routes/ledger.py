"""`/v1/ledger/…`: the organisation's export batches and this year's counters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from kuajing.accounts.models import Principal
from kuajing.api.auth import needs
from kuajing.api.errors import responses
from kuajing.catalog.models import Exemption
from kuajing.ledger.forecast import Forecast, Method
from kuajing.ledger.models import Batch, Recorded, Status
from kuajing.services import forecast as forecasting
from kuajing.services import tenant_ledger

router = APIRouter(prefix="/v1/ledger", tags=["ledger"], responses=responses(401, 422))


@router.get("/status", response_model=Status, responses=responses(404))
def status(
    http: Request,
    who: Annotated[Principal, Depends(needs("viewer"))],
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Status:
    """The year's distinct persons against each threshold, with headroom and projections."""
    return tenant_ledger.status(http.app.state.ledger, http.app.state.catalog, who, year)


@router.get("/forecast", response_model=Forecast, responses=responses(404))
def forecast(
    http: Request,
    who: Annotated[Principal, Depends(needs("viewer"))],
    method: Annotated[
        Method | None,
        Query(
            description="rate (the year's pace) or expected (the register's volumes); "
            "default: expected when the register holds flows, else rate"
        ),
    ] = None,
) -> Forecast:
    """Each counter's year: counted to date, then projected to 31 December with a range, the
    day each national threshold would be reached, and the action it needs started by when."""
    state = http.app.state
    flows = forecasting.flows_of(state.accounts.engine, who)
    return forecasting.tenant_forecast(state.ledger, state.catalog, who, method=method, flows=flows)


@router.get("/batches", response_model=list[Batch])
def batches(
    http: Request,
    who: Annotated[Principal, Depends(needs("viewer"))],
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[Batch]:
    return tenant_ledger.batches(http.app.state.ledger, who, year)


@router.post(
    "/batches",
    response_model=Recorded,
    status_code=201,
    responses=responses(400, 403, 413),
)
def record(
    http: Request,
    who: Annotated[Principal, Depends(needs("member"))],
    file: Annotated[UploadFile, File(description="CSV, XLSX, Parquet or JSON Lines")],
    date: Annotated[dt.date, Form(description="Export date")],
    key: Annotated[list[str] | None, Form(description="Key column(s); default: scanner's")] = None,
    sensitive: Annotated[bool | None, Form(description="Default: the scanner decides")] = None,
    scenario: Annotated[str | None, Form()] = None,
    exemption: Annotated[Exemption | None, Form()] = None,
    recipient: Annotated[str | None, Form()] = None,
) -> Recorded:
    """Record an export batch: persons kept only as keyed hashes; the file is deleted."""
    return tenant_ledger.record_upload(
        http.app.state.ledger,
        http.app.state.catalog,
        who,
        file.file,
        file.filename or "upload",
        date=date,
        key=key,
        sensitive=sensitive,
        scenario=scenario,
        exemption=exemption,
        recipient=recipient,
        max_bytes=http.app.state.max_upload,
    )


@router.delete("/batches/{batch_id}", response_model=Batch, responses=responses(403, 404))
def remove(
    batch_id: str,
    http: Request,
    who: Annotated[Principal, Depends(needs("admin"))],
    reason: Annotated[str, Query(min_length=1, max_length=500)],
) -> Batch:
    """Remove a batch recorded in error (kept in the audit chain, with the reason)."""
    return tenant_ledger.remove(http.app.state.ledger, who, batch_id, reason)


@router.get("/verify", response_model=tenant_ledger.TenantVerify, responses=responses(403))
def verify(
    http: Request,
    who: Annotated[Principal, Depends(needs("admin"))],
    head: Annotated[
        str | None,
        Query(
            pattern="^[0-9a-fA-F]{64}$",
            description="A chain head an earlier verify returned: not ok if the chain no longer "
            "holds it (its newest entries were cut off or rewritten).",
        ),
    ] = None,
) -> tenant_ledger.TenantVerify:
    """Check the audit chain, every batch against it and the counters against the batches.
    The chain is the installation's: its integrity is reported whole, problems only where they
    name this organisation's batches or counters (the others are counted)."""
    return tenant_ledger.verify(http.app.state.ledger, who, head)
