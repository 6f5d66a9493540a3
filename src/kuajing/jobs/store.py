"""The Spark jobs kept in the service's database, per organisation (tenant): another
organisation's job is `NotFound`. The worker claims the oldest queued job (queued -> running in
one transaction, so two workers never run one job), then marks it done or failed."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from sqlalchemy import Engine, Row, select, update

from kuajing.accounts.models import Principal
from kuajing.catalog.base import Text
from kuajing.db.engine import reading, writing
from kuajing.errors import NotFound
from kuajing.jobs.models import INTERRUPTED, Job, JobKind
from kuajing.jobs.schema import spark_jobs

LIST_LIMIT = 200


def _now() -> str:
    # Microseconds: jobs sent within one second still run in the order they were sent.
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class JobStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, who: Principal, kind: JobKind, dataset: str, params: dict[str, Any]) -> Job:
        ident = secrets.token_hex(8)
        row = {
            "id": ident,
            "organisation_id": who.organisation.id,
            "who": who.user.email,
            "principal": who.model_dump_json(),
            "kind": kind,
            "dataset": dataset,
            "params": json.dumps(params, ensure_ascii=False, sort_keys=True),
            "status": "queued",
            "created_at": _now(),
        }
        with writing(self.engine) as conn:
            conn.execute(spark_jobs.insert().values(**row))
        return self.get(who, ident)

    def get(self, who: Principal, ident: str) -> Job:
        """The job of the caller's organisation; `NotFound` for any other."""
        query = select(spark_jobs).where(
            spark_jobs.c.id == ident, spark_jobs.c.organisation_id == who.organisation.id
        )
        with reading(self.engine) as conn:
            found = conn.execute(query).first()
        if found is None:
            raise NotFound(f"no Spark job {ident!r}", zh=f"没有 Spark 作业 {ident!r}")
        return _job(found)

    def all(self, who: Principal, limit: int = LIST_LIMIT) -> list[Job]:
        """The organisation's jobs, newest first."""
        query = (
            select(spark_jobs)
            .where(spark_jobs.c.organisation_id == who.organisation.id)
            .order_by(spark_jobs.c.created_at.desc(), spark_jobs.c.id)
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [_job(r) for r in conn.execute(query)]

    # -- the worker's side (every organisation's jobs: the worker acts for their senders) --
    def claim(self) -> tuple[Job, Principal] | None:
        """The oldest queued job, now running, and who sent it; None when none waits."""
        oldest = (
            select(spark_jobs)
            .where(spark_jobs.c.status == "queued")
            .order_by(spark_jobs.c.created_at, spark_jobs.c.id)
            .limit(1)
        )
        with writing(self.engine) as conn:
            found = conn.execute(oldest).first()
            if found is None:
                return None
            started = _now()
            conn.execute(
                update(spark_jobs)
                .where(spark_jobs.c.id == found.id)
                .values(status="running", started_at=started)
            )
        job = _job(found).model_copy(update={"status": "running", "started_at": started})
        return job, Principal.model_validate_json(found.principal)

    def finish(self, ident: str, result: dict[str, Any]) -> None:
        text = json.dumps(result, ensure_ascii=False)
        self._end(ident, status="done", result=text)

    def fail(self, ident: str, error: Text) -> None:
        self._end(ident, status="failed", error_en=error.en, error_zh=error.zh)

    def _end(self, ident: str, **values: str) -> None:
        with writing(self.engine) as conn:
            conn.execute(
                update(spark_jobs)
                .where(spark_jobs.c.id == ident)
                .values(**values, finished_at=_now())
            )

    def interrupted(self) -> int:
        """At start-up: jobs a stopped service left running are failed; how many."""
        with writing(self.engine) as conn:
            done = conn.execute(
                update(spark_jobs)
                .where(spark_jobs.c.status == "running")
                .values(
                    status="failed",
                    error_en=INTERRUPTED.en,
                    error_zh=INTERRUPTED.zh,
                    finished_at=_now(),
                )
            )
        return done.rowcount


def _job(row: Row[Any]) -> Job:
    error = Text(en=row.error_en, zh=row.error_zh or row.error_en) if row.error_en else None
    return Job(
        id=row.id,
        who=row.who,
        kind=row.kind,
        dataset=row.dataset,
        params=json.loads(row.params),
        status=row.status,
        error=error,
        result=json.loads(row.result) if row.result else None,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )
