"""Spark Connect: a session on a Connect server whose jobs run on the standalone cluster."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kuajing.errors import SparkError
from kuajing.spark.session import guarded, spark_session


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
