"""`/v1/spark/jobs`: send a scan or a recording of a data-lake dataset to the service's Spark
cluster, and follow it. Only when the service was started with a cluster; another
organisation's job is 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from kuajing.accounts.models import Principal
from kuajing.api.auth import needs
from kuajing.api.errors import responses
from kuajing.errors import NotFound
from kuajing.jobs.models import Job, JobRequest
from kuajing.services.spark_queue import SparkJobs, spark_jobs_of

router = APIRouter(prefix="/v1/spark", tags=["spark"], responses=responses(400, 401, 403, 404, 422))


def _jobs(http: Request) -> SparkJobs:
    found = spark_jobs_of(http.app.state)
    if found is None:
        raise NotFound("this service has no Spark cluster", zh="本服务未配置 Spark 集群")
    return found


@router.post("/jobs", response_model=Job, status_code=202)
async def send(
    http: Request, who: Annotated[Principal, Depends(needs("member"))], body: JobRequest
) -> Job:
    """Queue a scan or a recording of `dataset`; poll the job for its status and result."""
    return await run_in_threadpool(_jobs(http).submit, who, body)


@router.get("/jobs", response_model=list[Job])
def jobs(http: Request, who: Annotated[Principal, Depends(needs("viewer"))]) -> list[Job]:
    """The organisation's jobs, newest first."""
    return _jobs(http).store.all(who)


@router.get("/jobs/{job_id}", response_model=Job)
def job(http: Request, who: Annotated[Principal, Depends(needs("viewer"))], job_id: str) -> Job:
    """One job: its status, then the scan report or the recorded batch, or why it failed."""
    return _jobs(http).store.get(who, job_id)
