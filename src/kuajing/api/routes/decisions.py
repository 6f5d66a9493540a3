"""`GET /v1/decisions[/{id}]`: the organisation's decision log."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from kuajing.accounts.models import DecisionRecord, Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=responses(401, 422))


class LoggedDecision(BaseModel):
    id: str
    created_at: str
    user_id: int
    catalog_version: str
    catalog_digest: str
    request: dict[str, Any]
    decision: dict[str, Any]


def _shown(record: DecisionRecord) -> LoggedDecision:
    return LoggedDecision(
        id=record.id,
        created_at=record.created_at,
        user_id=record.user_id,
        catalog_version=record.catalog_version,
        catalog_digest=record.catalog_digest,
        request=json.loads(record.request),
        decision=json.loads(record.decision),
    )


@router.get("", response_model=list[LoggedDecision])
def recent(
    http: Request,
    who: Annotated[Principal, Depends(needs("viewer"))],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[LoggedDecision]:
    """The organisation's latest decisions, newest first."""
    return [_shown(r) for r in accounts(http).decisions(who, limit)]


@router.get("/{decision_id}", response_model=LoggedDecision, responses=responses(404))
def one(
    decision_id: str, http: Request, who: Annotated[Principal, Depends(needs("viewer"))]
) -> LoggedDecision:
    """One decision with its request; another organisation's is not found."""
    return _shown(accounts(http).decision(who, decision_id))
