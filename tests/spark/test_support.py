"""The privacy check finds a value wherever a job leaves it: the driver's event log and the
executors' stderr on the workers, raw, hex or base64."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterable
from pathlib import Path

from pyspark.sql import functions as F

from kuajing.spark.session import spark_session
from tests.spark.conftest import CLUSTER_CONF, Cluster
from tests.spark.support import event_log_dir, grep_logs

PHONE = b"13800138000"


def test_every_form_of_a_value_is_found_at_any_offset(tmp_path: Path) -> None:
    (tmp_path / "raw.log").write_bytes(b"x" + PHONE)
    (tmp_path / "hex.log").write_bytes(b"id=" + PHONE.hex().upper().encode())
    for skew in range(3):
        encoded = base64.b64encode(b"k" * skew + PHONE + b"tail")
        (tmp_path / f"b64-{skew}.log").write_bytes(encoded)
    (tmp_path / "clean.log").write_bytes(b"nothing here 1380013")
    found = grep_logs([tmp_path], [PHONE])
    assert {Path(line.split(":")[0]).name for line in found} == {
        "raw.log",
        "hex.log",
        "b64-0.log",
        "b64-1.log",
        "b64-2.log",
    }


def _leak(rows: Iterable[int]) -> Iterable[int]:
    print(f"processing {PHONE.decode()}", file=sys.stderr)  # what an executor must never do
    return rows


def test_a_leak_in_the_event_log_and_an_executors_stderr_is_found(
    spark_cluster: Cluster, tmp_path: Path
) -> None:
    conf = {**CLUSTER_CONF, **event_log_dir(tmp_path)}
    with spark_session(master=spark_cluster.master, conf=conf) as spark:
        spark.sparkContext.parallelize(range(4), 2).mapPartitions(_leak).count()
        spark.range(1).where(F.lit("FLAGVALUE-42") == F.col("id").cast("string")).count()
    found = grep_logs([tmp_path, spark_cluster.root], [PHONE, b"FLAGVALUE-42"])
    assert any("stderr" in line and "needle 0" in line for line in found), found
    assert any("spark-events" in line and "needle 1" in line for line in found), found
