"""`GET /v1/catalog/…`: the rules catalogue (lists, coverage, how much of the lists in force
kuajing decides, search, any item by its id)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from kuajing.accounts.models import Principal
from kuajing.api.auth import needs
from kuajing.api.errors import responses
from kuajing.catalog.base import Lang
from kuajing.services import catalog as rules
from kuajing.services.in_force import InForce, measured

router = APIRouter(prefix="/v1/catalog", tags=["catalog"], responses=responses(401, 422))
LangQuery = Annotated[Lang | None, Query(description="zh or en (default: yours)")]


def _lang(lang: Lang | None, who: Principal) -> Lang:
    return lang or who.user.lang


@router.get("/lists", response_model=list[rules.ListSummary])
def lists(
    http: Request, who: Annotated[Principal, Depends(needs("viewer"))], lang: LangQuery = None
) -> list[rules.ListSummary]:
    """Every zone list: zones, period in force, status, how much of it is encoded."""
    return rules.summaries(http.app.state.catalog, _lang(lang, who), dt.date.today())


@router.get("/coverage", response_model=list[rules.ListCoverage])
def coverage(
    http: Request, who: Annotated[Principal, Depends(needs("viewer"))], lang: LangQuery = None
) -> list[rules.ListCoverage]:
    """Each list with the scopes whose entries are not encoded (answered `needs_review`)."""
    return rules.coverage(http.app.state.catalog, _lang(lang, who), dt.date.today())


@router.get("/in-force", response_model=InForce)
def in_force(
    http: Request, who: Annotated[Principal, Depends(needs("viewer"))], lang: LangQuery = None
) -> InForce:
    """How much of the lists in force today kuajing decides: of the scenarios (and sub-classes)
    they publish, how many get a determined pathway at every line, and how many in part; per
    list, each scope with the fewest persons from which an export needs review."""
    return measured(http.app.state.catalog, dt.date.today(), _lang(lang, who))


@router.get("/search", response_model=list[rules.Hit])
def search(
    http: Request,
    who: Annotated[Principal, Depends(needs("viewer"))],
    q: Annotated[str, Query(min_length=1, max_length=200)],
    lang: LangQuery = None,
) -> list[rules.Hit]:
    """Scenarios, sectors, entries and fields whose names match `q`, in Chinese or English."""
    return rules.search(http.app.state.catalog, q, _lang(lang, who))


@router.get("/items/{ident:path}", responses=responses(404))
def item(
    ident: str,
    http: Request,
    who: Annotated[Principal, Depends(needs("viewer"))],
    lang: LangQuery = None,
) -> dict[str, Any]:
    """One list, sector, scenario, entry, zone or source by its id, with its citations."""
    return rules.show(http.app.state.catalog, ident, lang)
