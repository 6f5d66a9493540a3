"""How far a Spark job has got: its stage, and rows (or persons) done out of how many.

The share of the stage's tasks finished, applied to the rows the first pass counted. A classic
session is watched from a thread that reads Spark's status tracker; a Spark Connect session has
no tracker on the client, but its server sends the running query's stages and their tasks, which
a progress handler receives."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from pyspark.sql.connect.shell.progress import ProgressHandler

STAGES = ("layout", "propose", "count", "persons", "ledger")


@dataclass(frozen=True)
class Step:
    stage: str  # one of STAGES
    done: int
    total: int | None  # None: not known yet
    unit: str = "rows"  # rows, or persons for the ledger stage


Report = Callable[[Step], None]


def quiet(_: Step) -> None:
    """No progress shown."""


@contextmanager
def watching(
    spark: SparkSession, stage: str, total: int | None, report: Report, every: float = 0.5
) -> Iterator[None]:
    """Report `stage` while the block runs, with rows done estimated from finished tasks."""
    report(Step(stage, 0, total))
    tracker = _tracker(spark) if total else None
    stop = threading.Event()
    thread = None
    handler = None
    if tracker is not None and total:
        thread = threading.Thread(
            target=_poll, args=(tracker, stage, total, report, stop, every), daemon=True
        )
        thread.start()
    elif total:  # Spark Connect
        # The client calls any callable of this signature; no pyspark import before it runs.
        handler = cast("ProgressHandler", ConnectProgress(stage, total, report))
        spark.registerProgressHandler(handler)
    try:
        yield
    finally:
        stop.set()
        if thread is not None:
            thread.join()
        if handler is not None:
            spark.removeProgressHandler(handler)
    report(Step(stage, total or 0, total))


class ConnectProgress:
    """A Spark Connect progress handler: the server's report on the running query's stages,
    as rows done. Called by the client as the query's results stream in."""

    def __init__(self, stage: str, total: int, report: Report) -> None:
        self.stage, self.total, self.report = stage, total, report

    def __call__(
        self,
        stages: Iterable[Any] | None,
        inflight_tasks: int,
        operation_id: str | None,
        done: bool,
    ) -> None:
        tasks = finished = 0
        for info in stages or ():
            tasks += info.num_tasks
            finished += info.num_completed_tasks
        if tasks:
            self.report(Step(self.stage, self.total * finished // tasks, self.total))


def _tracker(spark: SparkSession) -> object | None:
    try:
        return spark.sparkContext.statusTracker()
    except Exception:  # Spark Connect: no SparkContext on the client
        return None


def _poll(
    tracker: object, stage: str, total: int, report: Report, stop: threading.Event, every: float
) -> None:
    while not stop.wait(every):
        done = tasks = 0
        for stage_id in tracker.getActiveStageIds():  # type: ignore[attr-defined]
            info = tracker.getStageInfo(stage_id)  # type: ignore[attr-defined]
            if info is not None:
                done += info.numCompletedTasks
                tasks += info.numTasks
        if tasks:
            report(Step(stage, total * done // tasks, total))
