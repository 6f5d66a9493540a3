"""Scan a dataset, review and correct the findings, record the batch in the export ledger; and
the organisation's recorded batches. The upload waits as a pending upload between the scan and
the recording (`services/pending.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.catalog.models import EXEMPTIONS
from kuajing.errors import (
    DatasetError,
    LocatedError,
    NotFound,
    RequestError,
    TooLarge,
)
from kuajing.i18n import COUNTERS
from kuajing.lang import Lang
from kuajing.services import tenant_ledger
from kuajing.services.pending import PendingUploads, pending_uploads
from kuajing.services.spark_queue import spark_jobs_of
from kuajing.services.uploads import SUFFIXES, EmptyUpload, WrongType
from kuajing.web.i18n import t
from kuajing.web.render import page
from kuajing.web.session import checked, lang_of, signed_in
from kuajing.web.views import scan as pages
from kuajing.web.views.scan import Corrections

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Checked = Annotated[Session, Depends(checked)]
Sensitivity = Literal["detected", "yes", "no"]
SPARK_FORM = {"dataset": "", "scenario": "", "keys": "", "sensitive": "detected"}
SPARK_FORM |= {"exemption": "", "recipient": ""}


def _store(request: Request) -> PendingUploads:
    return pending_uploads(request.app)


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def _refused(request: Request, session: Session, status: int, code: str, key: str) -> Response:
    """An error page whose message is a phrase in the user's language."""
    message = t(key, lang_of(request, session))
    return page(request, "error.html", session, status=status, code=code, message=message)


# -- upload ---------------------------------------------------------------------------------
def _upload_form(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    spark_error: str | None = None,
    spark_form: dict[str, Any] | None = None,
) -> Response:
    """The scan page; with a Spark cluster, its form to send a dataset there too."""
    limit: int = request.app.state.max_upload
    today = dt.date.today().isoformat()
    return page(
        request,
        "scan.html",
        session,
        status=status,
        error=error,
        form=form or {"date": today, "scenario": "", "keys": ""},
        groups=pages.scenario_choices(_catalog(request), session.principal),
        limit=pages.size_text(limit),
        discarded=request.query_params.get("discarded") == "1",
        accept=",".join(SUFFIXES),
        spark=spark_jobs_of(request.app.state) is not None,
        spark_error=spark_error,
        spark_form=spark_form or {**SPARK_FORM, "date": today},
        exemptions=EXEMPTIONS,
    )


@router.get("/scan", response_class=HTMLResponse)
def upload_form(request: Request, session: Signed) -> Response:
    return _upload_form(request, session)


@router.post("/scan")
def upload(
    request: Request,
    session: Checked,
    file: Annotated[UploadFile, File()],
    date: Annotated[dt.date, Form()],
    scenario: Annotated[str, Form(max_length=300)] = "",
    keys: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Keep the upload as a pending upload, scan it, and show the review page."""
    if not session.principal.may("member"):
        return _refused(request, session, 403, "forbidden", "scan_viewer")
    lang = lang_of(request, session)
    form = {"date": date.isoformat(), "scenario": scenario, "keys": keys}
    name = file.filename or "upload"
    try:
        pending = pages.scan_to_pending(
            _store(request),
            _catalog(request),
            session.principal,
            file.file,
            name,
            date=date,
            scenario=scenario,
            keys=keys,
            max_bytes=request.app.state.max_upload,
        )
    except TooLarge:
        limit = pages.size_text(request.app.state.max_upload)
        error = t("scan_too_large", lang, limit=limit)
        return _upload_form(request, session, status=413, error=error, form=form)
    except (WrongType, EmptyUpload) as exc:
        key = "scan_empty" if isinstance(exc, EmptyUpload) else "scan_wrong_type"
        error = t(key, lang, name=name)
        return _upload_form(request, session, status=422, error=error, form=form)
    except (DatasetError, RequestError) as exc:
        error = _problem(exc, lang)
        return _upload_form(request, session, status=422, error=error, form=form)
    return RedirectResponse(f"/scan/{pending.id}", status_code=303)


def _problem(exc: LocatedError, lang: Lang) -> str:
    key = "scan_unreadable" if isinstance(exc, DatasetError) else "scan_invalid"
    return t(key, lang, reason=str(exc))


# -- review -----------------------------------------------------------------------------------
def _review_page(
    request: Request,
    session: Session,
    review: pages.Review,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    pending = review.pending
    return page(
        request,
        "scan_review.html",
        session,
        status=status,
        review=review,
        report=pending.report,
        error=error,
        form=form
        or {
            "date": pending.date.isoformat(),
            "key": pending.report.persons.key,
            "sensitive": "detected",
            "scenario": pending.scenario or "",
            "exemption": "",
            "recipient": "",
        },
        groups=pages.scenario_choices(_catalog(request), session.principal),
        exemptions=EXEMPTIONS,
        until=pending.expires.strftime("%H:%M"),
    )


@router.get("/scan/{pending_id}", response_class=HTMLResponse)
def show_review(request: Request, session: Signed, pending_id: str) -> Response:
    try:
        pending = _store(request).find(pending_id, session.principal)
    except NotFound:
        return _refused(request, session, 404, "not_found", "scan_gone")
    return _review_page(request, session, pages.review(_catalog(request), pending))


@router.post("/scan/{pending_id}/record", response_class=HTMLResponse)
def record(
    request: Request,
    session: Checked,
    pending_id: str,
    date: Annotated[dt.date, Form()],
    key: Annotated[list[str] | None, Form()] = None,
    sensitive: Annotated[Sensitivity, Form()] = "detected",
    scenario: Annotated[str, Form(max_length=300)] = "",
    exemption: Annotated[str, Form(max_length=50)] = "",
    recipient: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record the batch with the user's corrections; on a refusal, the review page again with
    the reason and the corrections kept."""
    if not session.principal.may("member"):
        return _refused(request, session, 403, "forbidden", "scan_viewer")
    store, catalog, who = _store(request), _catalog(request), session.principal
    form = {
        "date": date.isoformat(),
        "key": key or [],
        "sensitive": sensitive,
        "scenario": scenario,
        "exemption": exemption,
        "recipient": recipient,
    }
    try:
        fix = Corrections(
            date=date,
            key=key or [],
            sensitive={"yes": True, "no": False}.get(sensitive),
            scenario=scenario,
            exemption=pages.exemption_of(exemption),
            recipient=recipient,
        )
        ledger = request.app.state.ledger
        recorded = pages.record_pending(store, ledger, catalog, who, pending_id, fix)
    except NotFound:
        return _refused(request, session, 404, "not_found", "scan_gone")
    except (DatasetError, RequestError) as exc:
        return _review_again(
            request, session, pending_id, _problem(exc, lang_of(request, session)), form
        )
    return page(
        request,
        "scan_recorded.html",
        session,
        recorded=recorded,
        batch=recorded.batch,
        scenario=pages.scope_name(catalog, recorded.batch.scenario),
        counters=COUNTERS,
    )


def _review_again(
    request: Request, session: Session, pending_id: str, error: str, form: dict[str, Any]
) -> Response:
    """The review page with what the ledger refused, and the user's corrections as given."""
    try:
        pending = _store(request).find(pending_id, session.principal)
    except NotFound:
        return _refused(request, session, 404, "not_found", "scan_gone")
    review = pages.review(_catalog(request), pending)
    return _review_page(request, session, review, status=422, error=error, form=form)


@router.post("/scan/{pending_id}/discard")
def discard(request: Request, session: Checked, pending_id: str) -> Response:
    try:
        _store(request).discard(pending_id, session.principal)
    except NotFound:
        return _refused(request, session, 404, "not_found", "scan_gone")
    return RedirectResponse("/scan?discarded=1", status_code=303)


# -- recorded batches -------------------------------------------------------------------------
@router.get("/ledger/batches", response_class=HTMLResponse)
def batches(
    request: Request,
    session: Signed,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The organisation's batches of a year (this year by default); an admin may remove one."""
    chosen = year or dt.date.today().year
    lines = pages.batch_lines(
        request.app.state.ledger, _catalog(request), session.principal, chosen
    )
    return page(
        request,
        "batches.html",
        session,
        year=chosen,
        this_year=dt.date.today().year,
        lines=lines,
        exemptions=EXEMPTIONS,
        removed=request.query_params.get("removed", ""),
    )


@router.post("/ledger/batches/{batch_id}/remove")
def remove(
    request: Request,
    session: Checked,
    batch_id: str,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
    year: Annotated[int | None, Form(ge=2000, le=2100)] = None,
) -> Response:
    """Remove a batch recorded in error (kept in the audit chain with the reason)."""
    if not session.principal.may("admin"):
        return _refused(request, session, 403, "forbidden", "batches_admin_only")
    try:
        gone = tenant_ledger.remove(request.app.state.ledger, session.principal, batch_id, reason)
    except NotFound:
        return _refused(request, session, 404, "not_found", "batches_gone")
    back = f"/ledger/batches?year={year or gone.date.year}&removed={quote(gone.id)}"
    return RedirectResponse(back, status_code=303)
