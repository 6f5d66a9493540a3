"""Spark Connect: a session on a Connect server whose jobs run on the standalone cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kuajing.errors import SparkError
from kuajing.services.scan import scan_datasets
from kuajing.services.spark_jobs import scan_on_cluster
from kuajing.spark.cluster import Cluster as Target
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
    over = scan_on_cluster(str(lake), Target(remote=spark_connect), sample=1_000, as_of=day)
    assert over.model_dump() == scan_datasets([str(lake)], sample=1_000, as_of=day).model_dump()
