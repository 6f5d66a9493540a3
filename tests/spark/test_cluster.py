"""Jobs on the standalone cluster of conftest.py: two executors in processes of their own, and
a failure on one of them reaching the caller as one line."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from pyspark.sql import SparkSession

from kuajing.errors import SparkError
from kuajing.spark.session import guarded, job_error
from tests.spark.conftest import Cluster


def _where(rows: Iterable[int]) -> Iterable[tuple[str, int]]:
    time.sleep(0.5)  # so that one executor cannot take every task
    return iter([(os.getcwd(), os.getpid()) for _ in rows])


def test_a_job_runs_on_two_executors_of_two_workers(
    spark: SparkSession, spark_cluster: Cluster
) -> None:
    places = spark.sparkContext.parallelize(range(4), 4).mapPartitions(_where).collect()
    assert len(places) == 4
    assert len({pid for _, pid in places}) >= 2
    assert os.getpid() not in {pid for _, pid in places}
    # an executor works in <worker dir>/<application>/<executor id>: both workers ran some
    workers = {Path(cwd).parent.parent for cwd, _ in places}
    assert workers == set(spark_cluster.worker_dirs)


def _boom(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        raise ValueError(f"no such column in {batch.num_rows} rows")
        yield batch


def test_a_python_error_on_an_executor_is_one_line(spark: SparkSession) -> None:
    frame = spark.range(10, numPartitions=2).mapInArrow(_boom, "id long")
    with pytest.raises(Exception) as raised:
        frame.collect()
    error = job_error(raised.value)
    assert str(error).startswith("a Spark job failed on an executor: ValueError: no such column")
    assert "\n" not in str(error) and "at org.apache" not in str(error)
    with pytest.raises(SparkError, match="ValueError"), guarded():
        frame.count()
