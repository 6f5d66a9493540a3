"""`/v1/decisions/{id}/documents…` and `/v1/decisions/{id}/evidence`: a logged decision's filing
documents and its signed evidence archive."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.services import documents, evidence

router = APIRouter(prefix="/v1/decisions", tags=["evidence"], responses=responses(401, 422))
Viewer = Annotated[Principal, Depends(needs("viewer"))]
MEDIA = {**documents.DOCUMENT_MEDIA, "zip": "application/zip"}
_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in MEDIA.values()}}
}  # documented as files, not JSON


def _download(body: bytes, name: str) -> Response:
    kind = name.rsplit(".", 1)[-1]
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=MEDIA[kind], headers=headers)


@router.get("/{decision_id}/documents", response_model=list[str], responses=responses(404))
def listing(decision_id: str, http: Request, who: Viewer) -> list[str]:
    """The documents the decision's filings need, by file name (Chinese and English, PDF and
    DOCX)."""
    catalog = http.app.state.catalog
    source, filings = evidence.logged_documents(accounts(http), who, decision_id, catalog)
    return documents.listed(source, who.organisation, catalog, filings)


@router.get(
    "/{decision_id}/documents/{name}",
    response_class=Response,
    responses={**responses(404), **_FILE},
)
def document(
    decision_id: str,
    name: Annotated[str, Path(max_length=120, pattern=r"^[a-z0-9_.-]+$")],
    http: Request,
    who: Viewer,
) -> Response:
    """One of the decision's documents, filled from the decision, its request and its filing."""
    catalog = http.app.state.catalog
    source, filings = evidence.logged_documents(accounts(http), who, decision_id, catalog)
    now = dt.datetime.now(dt.UTC)
    body = documents.one(source, who.organisation, catalog, filings, name, now)
    return _download(body, name)


@router.get(
    "/{decision_id}/evidence", response_class=Response, responses={**responses(404), **_FILE}
)
def pack(
    decision_id: str,
    http: Request,
    who: Viewer,
    fmt: Annotated[list[Literal["pdf", "docx"]] | None, Query(alias="format")] = None,
) -> Response:
    """The signed evidence archive: request, decision, catalogue version, the organisation's
    ledger of that year, the filings and their documents, and a signed manifest."""
    body = evidence.logged_pack(
        accounts(http),
        http.app.state.ledger,
        who,
        decision_id,
        http.app.state.catalog,
        http.app.state.signing_key_file,
        dt.datetime.now(dt.UTC),
        tuple(dict.fromkeys(fmt or ["pdf"])),
    )
    return _download(body, f"kuajing-evidence-{decision_id}.zip")
