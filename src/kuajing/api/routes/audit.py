"""`GET /v1/audit`: the organisation's audit trail (admins only), with its chain checked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.services.audit_trail import PAGE, trail_page
from kuajing.trail.models import TrailPage

router = APIRouter(prefix="/v1", tags=["audit"], responses=responses(401, 422))


@router.get("/audit", response_model=TrailPage, responses=responses(403))
def audit(
    http: Request,
    who: Annotated[Principal, Depends(needs("admin"))],
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE,
    before: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Entries older than this id")
    ] = None,
) -> TrailPage:
    """Who did what in the organisation, newest first: user and role changes, API tokens,
    ledger batches, list editions and reviews, each naming the user or API token that acted.
    `chain` says whether the organisation's whole trail verifies (no entry altered, removed
    or reordered since it was written), with the first problem if not."""
    return trail_page(accounts(http), who, limit, before)
