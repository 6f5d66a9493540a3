"""`/v1/flows`: the transfer register, the organisation's recurring exports, as `kuajing flow`
keeps them. Viewers read; members add, change, retire, import and assess. Another
organisation's flow is 404, as one that does not exist. The register as a file is under
`/v1/register/` (export, import): beside `/v1/flows/{key}`, "export" would read as a flow's key."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.api.routes.filings import FilingOut
from kuajing.api.routes.filings import _out as filing_out
from kuajing.catalog.base import Lang
from kuajing.engine import Decision
from kuajing.errors import FilingError
from kuajing.filing.store import Filings
from kuajing.ledger.models import Batch, Recorded
from kuajing.register.models import KEY_PATTERN, Flow, FlowStatus
from kuajing.register.store import FlowStore, Stored
from kuajing.services import register
from kuajing.services.filings import view as filing_view
from kuajing.services.whatif import whatif_request
from kuajing.services.zone_editions import catalog_for
from kuajing.whatif import WhatIf

router = APIRouter(prefix="/v1", tags=["flows"], responses=responses(401, 422))

Viewer = Annotated[Principal, Depends(needs("viewer"))]
Member = Annotated[Principal, Depends(needs("member"))]
Key = Annotated[str, Path(pattern=KEY_PATTERN, description="The flow's key, e.g. trial-data")]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Latest(BaseModel):
    """The flow's latest decision: its pathway and status for the flow."""

    decision_id: str
    pathway: str | None
    status: str | None


class FlowOut(BaseModel):
    key: str
    version: int  # give it back to change the flow
    created_at: str
    updated_at: str
    flow: Flow
    latest_decision: Latest | None = None


class FlowChange(BaseModel):
    """The flow as it becomes, and the version it was read at (a change made meanwhile by
    someone else is refused with 409)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, strict=True)
    flow: Flow


class VersionOut(BaseModel):
    version: int
    at: str
    actor: str
    change: Literal["added", "changed", "imported", "retired"]
    flow: Flow


class ImportOut(BaseModel):
    added: list[str]
    changed: list[str]
    unchanged: int  # flows already as the file gives them: no new version


class Assessed(BaseModel):
    decision_id: str
    decision: Decision


def _store(http: Request) -> FlowStore:
    return FlowStore(accounts(http).engine)


def _out(s: Stored, latest: Latest | None = None) -> FlowOut:
    return FlowOut(key=s.key, version=s.version, created_at=s.created_at,
                   updated_at=s.updated_at, flow=s.flow, latest_decision=latest)  # fmt: skip


@router.get("/flows", response_model=list[FlowOut])
def listing(
    http: Request,
    who: Viewer,
    status: Annotated[list[FlowStatus] | None, Query(description="Only these")] = None,
) -> list[FlowOut]:
    """The organisation's flows by key."""
    return [_out(s) for s in register.listing(_store(http), who, status)]


@router.post("/flows", response_model=FlowOut, status_code=201, responses=responses(400, 403, 409))
def add(body: Flow, http: Request, who: Member) -> FlowOut:
    """Add a flow (version 1). A key already in the register is 409."""
    return _out(register.add(_store(http), who, body))


@router.get("/register/export", responses={200: {"content": {m: {} for m in MEDIA.values()}}})
def export(
    http: Request,
    who: Viewer,
    format: Annotated[Literal["csv", "xlsx"], Query(description="File format")] = "csv",
    header: Annotated[Literal["en", "zh"], Query(description="Column names")] = "en",
) -> Response:
    """The register as a CSV or XLSX file, one row per flow, as the import reads it."""
    body = register.export(_store(http), who, format, header)
    name = f"register.{format}"
    return Response(body, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.post("/register/import", response_model=ImportOut, responses=responses(400, 403, 413))
def import_(
    http: Request,
    who: Member,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one row per flow")],
) -> ImportOut:
    """Add or change the file's flows, all or none: a bad row refuses the file (422, each bad
    row and column one line). Flows already as given get no new version."""
    done = register.import_upload(
        _store(http), who, file.file, file.filename or "upload.csv", http.app.state.max_upload
    )
    return ImportOut(added=done.added, changed=done.changed, unchanged=done.unchanged)


@router.get("/flows/{key}", response_model=FlowOut, responses=responses(404))
def get(key: Key, http: Request, who: Viewer) -> FlowOut:
    """One flow, with its latest decision."""
    store = _store(http)
    stored = register.get(store, who, key)
    record = register.latest_decision(accounts(http), store, who, key)
    latest = None
    if record is not None:
        found: dict[str, Any] = register.transfer_of(record, stored.key) or {}
        latest = Latest(decision_id=record.id, pathway=found.get("pathway"),
                        status=found.get("status"))  # fmt: skip
    return _out(stored, latest)


@router.put("/flows/{key}", response_model=FlowOut, responses=responses(400, 403, 404, 409))
def change(key: Key, body: FlowChange, http: Request, who: Member) -> FlowOut:
    """Replace the flow (its key cannot change). Unchanged: the same version back."""
    return _out(register.change(_store(http), who, key, body.flow, body.version))


@router.delete("/flows/{key}", response_model=FlowOut, responses=responses(403, 404, 409))
def retire(
    key: Key,
    http: Request,
    who: Member,
    version: Annotated[int | None, Query(ge=1, description="Refused if changed since")] = None,
) -> FlowOut:
    """Retire the flow: kept, with its history, out of the register's request."""
    return _out(register.retire(_store(http), who, key, version))


@router.get("/flows/{key}/history", response_model=list[VersionOut], responses=responses(404))
def history(key: Key, http: Request, who: Viewer) -> list[VersionOut]:
    """Every version of the flow, the first first: when, by whom, what it became."""
    return [
        VersionOut(version=v.version, at=v.at, actor=v.actor, change=v.change, flow=v.flow)
        for v in register.history(_store(http), who, key)
    ]


@router.post("/flows/{key}/assess", response_model=Assessed, responses=responses(403, 404))
def assess(
    key: Key,
    http: Request,
    who: Member,
    date: Annotated[dt.date | None, Query(description="Default: today")] = None,
    lang: Annotated[Lang | None, Query(description="Default: the caller's")] = None,
) -> Response:
    """Assess the flow: one transfer with the persons it is expected to export in the date's
    year, for the organisation's processor, with the ledger's prior counts when it has
    batches. The decision is logged (`Kuajing-Decision-Id`, `Location`) and linked to the flow."""
    state = http.app.state
    catalog = catalog_for(accounts(http), state.catalog, who)
    decision, record = register.assess(
        accounts(http), _store(http), who, key, catalog, date or dt.date.today(),
        lang or who.user.lang, state.ledger,
    )  # fmt: skip
    body = Assessed(decision_id=record.id, decision=decision)
    return Response(
        body.model_dump_json(),
        media_type="application/json",
        headers={"Kuajing-Decision-Id": record.id, "Location": f"/v1/decisions/{record.id}"},
    )


# --- a flow's batches and filings; the register's what-if -------------------------------------


@router.post(
    "/flows/{key}/batches",
    response_model=Recorded,
    status_code=201,
    responses=responses(400, 403, 404, 409, 413),
)
def record_batch(
    key: Key,
    http: Request,
    who: Member,
    file: Annotated[UploadFile, File(description="CSV, XLSX, Parquet or JSON Lines")],
    date: Annotated[dt.date, Form(description="Export date")],
    key_column: Annotated[
        list[str] | None, Form(alias="key", description="Key column(s); default: scanner's")
    ] = None,
    sensitive: Annotated[bool | None, Form(description="Default: the scanner decides")] = None,
) -> Recorded:
    """Record an export batch of the flow, as `POST /v1/ledger/batches` does, with the flow's
    scenario, exemption and recipient, and link it to the flow. A retired flow records nothing
    (422); a batch already linked to another flow is 409."""
    state = http.app.state
    return register.record_batch(
        state.ledger, state.catalog, _store(http), who, key, file.file,
        file.filename or "upload", date=date, columns=key_column, sensitive=sensitive,
        max_bytes=state.max_upload,
    )  # fmt: skip


@router.get("/flows/{key}/batches", response_model=list[Batch], responses=responses(404))
def batches(key: Key, http: Request, who: Viewer) -> list[Batch]:
    """The ledger batches recorded against the flow, by export date."""
    return register.batches(http.app.state.ledger, _store(http), who, key)


@router.get("/flows/{key}/filings", response_model=list[FilingOut], responses=responses(404))
def filings(
    key: Key,
    http: Request,
    who: Viewer,
    closed: Annotated[bool, Query(description="Closed ones too")] = False,
    lang: Annotated[Lang | None, Query(description="Default: the caller's")] = None,
) -> list[FilingOut]:
    """The filings made from the flow's decisions that cover it (open ones unless `closed`)."""
    chosen = lang or who.user.lang
    found = register.filings_of(
        Filings(accounts(http).engine), _store(http), who, key, open_only=not closed
    )
    out = []
    for f in found:
        try:
            shown = filing_view(f, http.app.state.catalog, dt.date.today(), chosen)
        except FilingError:  # made under a catalogue that no longer has its procedure
            continue
        out.append(filing_out(shown, chosen))
    return out


@router.get("/register/whatif", response_model=WhatIf, responses=responses(403))
async def whatif(
    http: Request,
    who: Viewer,
    date: Annotated[dt.date | None, Query(description="Default: today")] = None,
    lang: Annotated[Lang | None, Query(description="Default: the caller's")] = None,
    route: Literal["standard_contract", "certification"] = "standard_contract",
) -> WhatIf:
    """The zone what-if (as `POST /v1/whatif`) of the whole register: every planned or active
    flow one transfer (its key the transfer's id), with the persons it is expected to export in
    the date's year. A register without such a flow is 422. Nothing is logged."""
    catalog = catalog_for(accounts(http), http.app.state.catalog, who)
    asked = register.register_request(_store(http), who, date or dt.date.today())
    chosen = lang or who.user.lang
    return await run_in_threadpool(whatif_request, asked, catalog, chosen, route)
