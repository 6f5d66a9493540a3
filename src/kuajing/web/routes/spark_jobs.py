"""Spark jobs from the scan page: send a scan or a recording of a data-lake dataset to the
service's Spark cluster, follow the job (its page refreshes itself while it waits or runs),
see its scan report or recorded batch; and the organisation's jobs. Without a configured
cluster these pages are not found, and the scan page shows nothing about Spark."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.errors import NotFound, RequestError
from kuajing.jobs.models import Job, JobRequest
from kuajing.scan.models import ScanReport
from kuajing.services.spark_queue import SparkJobs, spark_jobs_of
from kuajing.web.i18n import t
from kuajing.web.render import page
from kuajing.web.routes.scan import _upload_form
from kuajing.web.session import checked, lang_of, signed_in
from kuajing.web.views import scan as pages

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Checked = Annotated[Session, Depends(checked)]
REFRESH = 3  # seconds between a waiting job's page's reloads


def _jobs(request: Request, session: Session) -> SparkJobs | Response:
    found = spark_jobs_of(request.app.state)
    if found is None:
        return _not_found(request, session)
    return found


def _not_found(request: Request, session: Session) -> Response:
    message = t("spark_job_gone", lang_of(request, session))
    return page(request, "error.html", session, status=404, code="not_found", message=message)


@router.post("/spark/jobs")
def send(
    request: Request,
    session: Checked,
    kind: Annotated[Literal["scan", "record"], Form()],
    dataset: Annotated[str, Form(max_length=1000)],
    date: Annotated[dt.date, Form()],
    scenario: Annotated[str, Form(max_length=300)] = "",
    keys: Annotated[str, Form(max_length=2000)] = "",
    sensitive: Annotated[Literal["detected", "yes", "no"], Form()] = "detected",
    exemption: Annotated[str, Form(max_length=50)] = "",
    recipient: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    jobs = _jobs(request, session)
    if isinstance(jobs, Response):
        return jobs
    lang, who = lang_of(request, session), session.principal
    if not who.may("member"):
        message = t("scan_viewer", lang)
        return page(request, "error.html", session, status=403, code="forbidden", message=message)
    form = {"dataset": dataset, "date": date.isoformat(), "scenario": scenario, "keys": keys}
    form |= {"sensitive": sensitive, "exemption": exemption, "recipient": recipient}
    try:
        asked = JobRequest(
            kind=kind,
            dataset=dataset,
            date=date,
            scenario=pages.chosen_scenario(_catalog(request), who, scenario),
            keys=[k.strip() for k in keys.split(",") if k.strip()],
            sensitive={"yes": True, "no": False}.get(sensitive),
            exemption=pages.exemption_of(exemption),
            recipient=recipient.strip() or None,
        )
        job = jobs.submit(who, asked)
    except RequestError as exc:
        error = t("spark_refused", lang, reason=exc.in_lang(lang))
        return _upload_form(request, session, status=422, spark_error=error, spark_form=form)
    return RedirectResponse(f"/spark/jobs/{job.id}", status_code=303)


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


@router.get("/spark/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, session: Signed) -> Response:
    jobs = _jobs(request, session)
    if isinstance(jobs, Response):
        return jobs
    listed = jobs.store.all(session.principal)
    waiting = any(j.waiting for j in listed)
    return page(
        request, "spark_jobs.html", session, jobs=listed, refresh=REFRESH if waiting else None
    )


@router.get("/spark/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, session: Signed, job_id: str) -> Response:
    jobs = _jobs(request, session)
    if isinstance(jobs, Response):
        return jobs
    try:
        job = jobs.store.get(session.principal, job_id)
    except NotFound:
        return _not_found(request, session)
    return page(
        request,
        "spark_job.html",
        session,
        job=job,
        refresh=REFRESH if job.waiting else None,
        **_result(_catalog(request), job),
    )


def _result(catalog: Catalog, job: Job) -> dict[str, Any]:
    """What the page shows of a finished job: the scan report as the scan page shows an
    upload's, or the recorded batch."""
    if job.status != "done" or job.result is None or job.kind != "scan":
        return {"report": None, "review": None}
    report = ScanReport.model_validate(job.result)
    return {"report": report, "review": pages.findings(catalog, report, job.params.get("scenario"))}
