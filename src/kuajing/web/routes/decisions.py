"""The decision log in the browser: the list, one decision with its reasons and citations, a
printable page, the JSON export, and two decisions compared."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kuajing.accounts.models import DecisionRecord
from kuajing.accounts.sessions import Session
from kuajing.i18n import PATHWAYS, STATUS
from kuajing.services import documents, evidence
from kuajing.services.decisions import compare, in_language
from kuajing.services.documents import DOCUMENT_MEDIA
from kuajing.web.render import HEADERS, page
from kuajing.web.session import accounts, lang_of, signed_in
from kuajing.web.views.names import catalog_names
from kuajing.web.views.request_fields import field_label, field_value

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Query(min_length=1, max_length=64)]


def _shown(record: DecisionRecord) -> dict[str, Any]:
    return {
        "record": record,
        "asked": json.loads(record.request),
        "decision": json.loads(record.decision),
    }


def _in_language(request: Request, session: Session, record: DecisionRecord) -> dict[str, Any]:
    lang = session.principal.user.lang
    return {**_shown(record), "decision": in_language(record, request.app.state.catalog, lang)}


@router.get("/decisions", response_class=HTMLResponse)
def listing(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    records = accounts(request).decisions(session.principal, 200)
    return page(
        request,
        "decisions.html",
        session,
        items=[_shown(r) for r in records],
        pathways=PATHWAYS,
        statuses=STATUS,
    )


@router.get("/decisions/compare", response_class=HTMLResponse)
def compared(
    request: Request, session: Annotated[Session, Depends(signed_in)], a: Id, b: Id
) -> Response:
    found = compare(accounts(request), session.principal, a, b)
    lang = lang_of(request, session)
    labels = {d.path: field_label(d.path, lang) for d in found.request}
    values = {v: field_value(v, lang) for d in found.request for v in (d.a, d.b)}
    return page(
        request,
        "compare.html",
        session,
        c=found,
        labels=labels,
        values=values,
        pathways=PATHWAYS,
        statuses=STATUS,
    )


@router.get("/decisions/{decision_id}.json")
def exported(
    decision_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    """The request, the decision and the catalogue's version: enough to reproduce it."""
    record = accounts(request).decision(session.principal, decision_id)
    body = {
        "id": record.id,
        "created_at": record.created_at,
        "catalog_version": record.catalog_version,
        "catalog_digest": record.catalog_digest,
        "request": json.loads(record.request),
        "decision": json.loads(record.decision),
    }
    headers = {
        **HEADERS,
        "Content-Disposition": f'attachment; filename="kuajing-decision-{record.id}.json"',
    }
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers=headers,
    )


@router.get("/decisions/{decision_id}/evidence.zip")
def evidence_pack(
    decision_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    """The signed evidence archive (`kuajing evidence verify` checks it)."""
    state = request.app.state
    body = evidence.logged_pack(
        accounts(request),
        state.ledger,
        session.principal,
        decision_id,
        state.catalog,
        state.signing_key_file,
        dt.datetime.now(dt.UTC),
    )
    return _file(body, f"kuajing-evidence-{decision_id}.zip", "application/zip")


@router.get("/decisions/{decision_id}/documents/{name}")
def document(
    decision_id: str,
    name: Annotated[str, Path(max_length=120, pattern=r"^[a-z0-9_.-]+$")],
    request: Request,
    session: Annotated[Session, Depends(signed_in)],
) -> Response:
    catalog, who = request.app.state.catalog, session.principal
    source, filings = evidence.logged_documents(accounts(request), who, decision_id, catalog)
    body = documents.one(source, who.organisation, catalog, filings, name, dt.datetime.now(dt.UTC))
    return _file(body, name, DOCUMENT_MEDIA[name.rsplit(".", 1)[-1]])


def _file(body: bytes, name: str, media: str) -> Response:
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


@router.get("/decisions/{decision_id}", response_class=HTMLResponse)
def one(
    decision_id: str,
    request: Request,
    session: Annotated[Session, Depends(signed_in)],
    printable: Annotated[bool, Query(alias="print")] = False,
    choose: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    store, catalog, who = accounts(request), request.app.state.catalog, session.principal
    shown = _in_language(request, session, store.decision(who, decision_id))
    others = [r for r in store.decisions(who, 50) if r.id != decision_id]
    source, filings = evidence.logged_documents(store, who, decision_id, catalog)
    return page(
        request,
        "decision_print.html" if printable else "decision.html",
        session,
        **shown,
        others=others,
        documents=documents.offered(source, who.organisation, catalog, filings),
        pathways=PATHWAYS,
        statuses=STATUS,
        route_missing=choose == "route",  # "Create the filings" sent without a route
        names=catalog_names(catalog),
    )
