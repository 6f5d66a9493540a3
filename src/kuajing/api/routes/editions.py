"""`/v1/editions`: the list editions a zone's administrator imports (the official table, as a
draft), reviews (diff against the list it replaces, decisions it would change) and publishes
with an effective date. Zone staff only: a company is refused (403), another zone's edition is
not found (404); a zone's reviewers and viewers read, its administrators write."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from kuajing.accounts.models import Principal
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses
from kuajing.catalog import Catalog
from kuajing.catalog.base import Confidence, Text
from kuajing.catalog.importers.formats import SUFFIXES as DOCUMENT_SUFFIXES
from kuajing.services import zone_editions as service
from kuajing.services.diff import ListDiff
from kuajing.services.uploads import saved
from kuajing.zone.editions import zone_list
from kuajing.zone.models import Edition, EditionState

router = APIRouter(prefix="/v1", tags=["editions"], responses=responses(401, 403, 422))

Staff = Annotated[Principal, Depends(needs("viewer"))]
Admin = Annotated[Principal, Depends(needs("admin"))]
EditionId = Annotated[str, Path(min_length=1, max_length=64)]
# Days far from now are refused as input: a list's dates are checked against the calendar.
Day = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]
DayQ = Annotated[dt.date, Query(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]


class EditionOut(BaseModel):
    id: str
    zone: str
    list_id: str
    edition: str
    title: Text
    state: EditionState
    replaces: str | None  # the list it supersedes, as imported
    created_at: str
    effective_from: dt.date | None
    published_at: str | None
    private: bool = False  # a company's own copy: it governs that company's decisions only


class EditionDetail(EditionOut):
    diff: ListDiff  # against the list it replaces (`diff.a`; empty when there is none)


class Publish(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: Day
    # Loaded from a document: publish with the rows not confirmed left as needs review.
    leave_unconfirmed: bool = False


class Published(BaseModel):
    edition: EditionOut
    impact: list[service.Impact]  # the changed transfers; their companies were notified


def _catalog(http: Request) -> Catalog:
    found: Catalog = http.app.state.catalog
    return found


def _out(e: Edition) -> EditionOut:
    return EditionOut(
        id=e.id,
        private=e.private,
        zone=e.zone,
        list_id=e.list_id,
        edition=e.edition,
        title=zone_list(e).title,
        state=e.state,
        replaces=e.replaces,
        created_at=e.created_at,
        effective_from=e.effective_from,
        published_at=e.published_at,
    )


@router.get("/editions", response_model=list[EditionOut])
def listing(http: Request, who: Staff) -> list[EditionOut]:
    """The zone's list editions, newest first: drafts, published and discarded."""
    return [_out(e) for e in service.editions(accounts(http), who)]


@router.post(
    "/editions",
    response_model=EditionOut,
    status_code=201,
    responses=responses(400, 413),
)
def create(
    http: Request,
    who: Admin,
    file: Annotated[UploadFile, File(description="The official list table: CSV or XLSX")],
    list_id: Annotated[str, Form(min_length=1, max_length=64, description="e.g. beijing-2026")],
    edition: Annotated[str, Form(min_length=1, max_length=80, description="e.g. 2026版")],
    title_zh: Annotated[str, Form(min_length=1, max_length=400)],
    published: Annotated[Day, Form()],
    source: Annotated[str, Form(min_length=1, max_length=80, description="Source id cited")],
    title_en: Annotated[str | None, Form(max_length=400)] = None,
    source_title: Annotated[str | None, Form(max_length=400)] = None,
    source_url: Annotated[str | None, Form(max_length=2000)] = None,
    confidence: Annotated[Confidence, Form()] = "H",
    supersedes: Annotated[str | None, Form(max_length=64)] = None,
    kind: Annotated[Literal["negative", "general"], Form()] = "negative",
) -> EditionOut:
    """Import a new edition of the zone's list from its official document (PDF, scan, page
    image, DOCX, HTML) or table (CSV, XLSX), as a draft; a company's administrator imports the
    company's own copy, which governs its decisions only. Refused (422, naming the row or key)
    when the file or the resulting catalogue is invalid."""
    name, limit = file.filename or "upload.csv", http.app.state.max_upload
    with saved(file.file, name, limit, tuple(DOCUMENT_SUFFIXES)) as path:
        made = service.import_edition(
            accounts(http), who, path, list_id=list_id, edition=edition,
            title=Text(zh=title_zh, en=title_en or title_zh), published=published,
            source=source, source_title=source_title or None, source_url=source_url or None,
            confidence=confidence, supersedes=supersedes or None, kind=kind,
            table_name=path.name,
        )  # fmt: skip
    return _out(made)


@router.get("/editions/{edition_id}", response_model=EditionDetail, responses=responses(404))
def one(edition_id: EditionId, http: Request, who: Staff) -> EditionDetail:
    """One edition with its diff against the list it replaces."""
    catalog = service.catalog_for(accounts(http), _catalog(http), who)
    view = service.diff_edition(accounts(http), who, edition_id, catalog, dt.date.today())
    return EditionDetail(**_out(view.edition).model_dump(), diff=view.diff)


@router.get(
    "/editions/{edition_id}/impact",
    response_model=list[service.Impact],
    responses=responses(404, 409),
)
def impact(
    edition_id: EditionId, http: Request, who: Staff, effective_from: DayQ
) -> list[service.Impact]:
    """The zone's companies' logged decisions whose transfers would change if the draft took
    effect on `effective_from` (assessed as of the later of their date and that day)."""
    catalog = service.catalog_for(accounts(http), _catalog(http), who)
    return service.impact(accounts(http), who, edition_id, catalog, effective_from)


@router.post(
    "/editions/{edition_id}/publish",
    response_model=Published,
    responses=responses(400, 404, 409),
)
def publish(edition_id: EditionId, body: Publish, http: Request, who: Admin) -> Published:
    """Publish a draft in force from `effective_from`: the companies whose decisions change
    are notified and the service's catalogue includes it from now on."""
    state = http.app.state
    made, impacts = service.publish(
        accounts(http),
        who,
        edition_id,
        body.effective_from,
        service.catalog_for(accounts(http), state.catalog, who),
        leave_unconfirmed=body.leave_unconfirmed,
    )
    state.catalog = service.current(accounts(http), state.base_catalog)
    return Published(edition=_out(made), impact=impacts)


@router.post(
    "/editions/{edition_id}/discard",
    response_model=EditionOut,
    responses=responses(404, 409),
)
def discard(edition_id: EditionId, http: Request, who: Admin) -> EditionOut:
    """Discard a draft (kept, marked discarded; its list id may be used again)."""
    return _out(service.discard(accounts(http), who, edition_id))
