"""Spark Connect: a session on a Connect server whose jobs run on the standalone cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kuajing.errors import SparkError
from kuajing.services.scan import scan_datasets
from kuajing.services.spark_jobs import scan_on_cluster
from kuajing.spark.cluster import Cluster as Target
from kuajing.spark.progress import ConnectProgress, Step
from kuajing.spark.session import guarded, spark_session
from tests.spark.lake import write_lake


def _double(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        yield pa.RecordBatch.from_arrays([pc.multiply(batch.column(0), 2)], names=["id"])


def _boom(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        raise ValueError(f"no such column in {batch.num_rows} rows")
        yield batch


def test_a_connect_session_runs_an_arrow_job_and_reports_its_failure(spark_connect: str) -> None:
    with spark_session(remote=spark_connect) as spark:
        frame = spark.range(8, numPartitions=4)
        rows = frame.mapInArrow(_double, "id long").collect()
        assert sorted(row.id for row in rows) == [0, 2, 4, 6, 8, 10, 12, 14]
        assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
        with pytest.raises(SparkError) as raised, guarded():
            frame.mapInArrow(_boom, "id long").collect()
    line = str(raised.value)
    assert line.startswith("a Spark job failed on an executor: ValueError: no such column")
    assert "\n" not in line and "at org.apache" not in line


def test_a_scan_through_spark_connect_is_the_local_engines(
    spark_connect: str, tmp_path: Path
) -> None:
    """The engine's own jobs (mapInArrow, the file metadata columns, persist) on Connect."""
    lake = tmp_path / "lake"
    write_lake(lake, 5_000, files=2)
    day = dt.date(2026, 3, 2)
    steps: list[Step] = []
    target = Target(remote=spark_connect)
    over = scan_on_cluster(str(lake), target, sample=1_000, as_of=day, report=steps.append)
    assert over.model_dump() == scan_datasets([str(lake)], sample=1_000, as_of=day).model_dump()
    # Rows done come from the server's progress reports: more steps than each stage's first
    # (0 rows) and last (all of them), never more rows than there are.
    counted = [s for s in steps if s.stage in ("count", "persons")]
    assert len(counted) > 4, counted
    assert all(0 <= s.done <= 5_000 and s.total == 5_000 for s in counted)


def test_connect_progress_is_the_share_of_tasks_done() -> None:
    steps: list[Step] = []
    handler = ConnectProgress("count", 1_000, steps.append)
    stage = partial(SimpleNamespace, stage_id=1, num_bytes_read=0, done=False)
    handler([stage(num_tasks=4, num_completed_tasks=3)], 1, "op", False)
    handler(
        [stage(num_tasks=2, num_completed_tasks=0), stage(num_tasks=2, num_completed_tasks=1)],
        3,
        "op",
        False,
    )
    handler(None, 0, "op", True)  # a report without stages says nothing
    assert [(s.stage, s.done, s.total) for s in steps] == [
        ("count", 750, 1_000),
        ("count", 250, 1_000),
    ]
