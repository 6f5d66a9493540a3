"""The service's one worker thread for Spark jobs: a process holds one Spark session at a time,
so jobs run one after another, oldest first. A job's failure is its one-line reason in both
languages; the worker goes on with the next."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from kuajing.accounts.models import Principal
from kuajing.catalog.base import Text
from kuajing.errors import KuajingError
from kuajing.jobs.models import Job
from kuajing.jobs.store import JobStore

log = logging.getLogger(__name__)

IDLE = 2.0  # seconds between looks for a job another process queued (a submit wakes it at once)
UNEXPECTED = Text(
    en="the job failed for a reason kuajing does not know; the service's log has it",
    zh="作业因未知原因失败；详见服务日志",
)

Run = Callable[[Job, Principal], dict[str, Any]]
Explain = Callable[[KuajingError], Text]


class JobWorker:
    def __init__(self, store: JobStore, run: Run, explain: Explain) -> None:
        self.store, self.run, self.explain = store, run, explain
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kuajing-spark-jobs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, wait: float = 5.0) -> None:
        """Stop after the running job (a Spark job cannot be cut short: a job still running
        when the process ends is marked failed at the next start)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(wait)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self.store.claim()
            except KuajingError:  # the database is away for a moment: look again later
                log.exception("cannot read the Spark jobs")
                claimed = None
            if claimed is None:
                self._wake.wait(IDLE)
                self._wake.clear()
                continue
            self._one(*claimed)

    def _one(self, job: Job, who: Principal) -> None:
        try:
            result = self.run(job, who)
        except KuajingError as exc:
            self.store.fail(job.id, self.explain(exc))
        except Exception:  # an unknown failure: logged, and the job failed, not the worker
            log.exception("Spark job %s failed", job.id)
            self.store.fail(job.id, UNEXPECTED)
        else:
            self.store.finish(job.id, result)
