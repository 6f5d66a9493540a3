"""The service's Spark jobs: users send a scan or a recording of a data-lake dataset to the
cluster `kuajing serve --spark-master/--spark-remote` names; the jobs queue in the database and
the service's worker thread runs them one at a time (`services/spark_jobs.py` does the work, as
for `--engine spark` at the command line). A recording is like any batch's: the ledger's, with
the audit trail naming the user who sent the job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Engine

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.base import Text
from kuajing.errors import Forbidden, KuajingError
from kuajing.jobs.datasets import Datasets
from kuajing.jobs.models import Job, JobRequest
from kuajing.jobs.store import JobStore
from kuajing.jobs.worker import JobWorker
from kuajing.ledger.ledger import Ledger
from kuajing.spark.cluster import Cluster


@dataclass(frozen=True)
class SparkSetup:
    """What `kuajing serve` was told: the cluster, and the directory datasets are named under."""

    cluster: Cluster
    datasets: Path | None = None


class SparkJobs:
    def __init__(
        self, setup: SparkSetup, engine: Engine, ledger: Ledger, catalog: Callable[[], Catalog]
    ) -> None:
        self.setup = setup
        self.store = JobStore(engine)
        self.datasets = Datasets(setup.datasets)
        self.ledger = ledger
        self.catalog = catalog  # the service's catalogue now (zones publish editions)
        self.worker = JobWorker(self.store, self._run, self._explain)

    def start(self) -> int:
        """Fail the jobs a stopped service left running, then start the worker; how many."""
        interrupted = self.store.interrupted()
        self.worker.start()
        return interrupted

    def stop(self) -> None:
        self.worker.stop()

    def submit(self, who: Principal, request: JobRequest) -> Job:
        """Queue the job; a dataset name that leads out of the datasets directory, or names
        nothing, is refused here (`RequestError`), before anything is queued."""
        if not who.may("member"):
            raise Forbidden("a viewer cannot scan or record batches", zh="查看者不能扫描或登记批次")
        self.datasets.locate(request.dataset)
        name = str(PurePosixPath(request.dataset.strip()))
        job = self.store.create(who, request.kind, name, request.params())
        self.worker.wake()
        return job

    def _run(self, job: Job, who: Principal) -> dict[str, Any]:
        from kuajing.services.spark_jobs import record_on_cluster, scan_on_cluster  # noqa: PLC0415

        asked = JobRequest(kind=job.kind, dataset=job.dataset, **job.params)
        location = self.datasets.locate(job.dataset)  # again: the disk may have changed
        catalog, cluster = self.catalog(), self.setup.cluster
        scenario = (asked.scenario or "").strip() or None
        if job.kind == "scan":
            zone = who.organisation.zone
            report = scan_on_cluster(
                location,
                cluster,
                catalog,
                keys=asked.keys,
                as_of=asked.date,
                zone=catalog.zone_id(zone) if scenario and zone else None,
                scenario=scenario,
            )
            return self.datasets.private_json(report.model_dump(mode="json"))
        recorded = record_on_cluster(
            self.ledger,
            catalog,
            cluster,
            who=who,
            processor=who.organisation.processor,
            date=asked.date,
            location=location,
            key=asked.keys,
            sensitive=asked.sensitive,
            scenario=scenario,
            exemption=asked.exemption,
            recipient=(asked.recipient or "").strip() or None,
            today=dt.date.today(),
        )
        batch = recorded.batch
        return {
            "batch": batch.id,
            "digest": batch.digest,
            "new": recorded.new,
            "date": batch.date.isoformat(),
            "rows": batch.rows,
            "persons": batch.persons,
            "added": recorded.added.model_dump() if recorded.added else None,
        }

    def _explain(self, exc: KuajingError) -> Text:
        return Text(en=self.datasets.private(str(exc)), zh=self.datasets.private(exc.in_lang("zh")))


def spark_jobs_of(state: Any) -> SparkJobs | None:
    """The application's Spark jobs; None when no cluster is configured."""
    found: SparkJobs | None = getattr(state, "spark_jobs", None)
    return found
