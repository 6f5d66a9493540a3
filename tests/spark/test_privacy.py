"""What a Spark recording leaves behind holds no identifier and no key: the driver's event log
(what Spark's history server and UI show) and everything the cluster wrote (its daemons' logs,
the executors' work directories with their stdout and stderr) are searched for the persons key,
the installation secret, and the identifiers of the batch as written and as normalised."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from pyspark.sql import SparkSession

from kuajing.catalog.loader import default_catalog
from kuajing.ledger.identity import normalise
from kuajing.ledger.ledger import Ledger
from kuajing.services.spark_jobs import record_on_cluster
from kuajing.spark.cluster import Cluster as Target
from kuajing.spark.session import spark_session, wait_for_executors
from tests.spark.conftest import CLUSTER_CONF, WORKERS, Cluster
from tests.spark.lake import write_lake
from tests.spark.support import event_log_dir, grep_logs

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("events")


@pytest.fixture(scope="module")
def logged(spark_cluster: Cluster, events: Path) -> Iterator[SparkSession]:
    conf = {**CLUSTER_CONF, **event_log_dir(events)}
    with spark_session(master=spark_cluster.master, conf=conf) as session:
        wait_for_executors(session, WORKERS, 60)
        yield session


def test_no_identifier_and_no_key_in_logs(
    logged: SparkSession, spark_cluster: Cluster, events: Path, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    write_lake(lake, 20_000, files=2)
    secret = os.urandom(32)
    key = tmp_path / "ledger.key"
    key.write_text(secret.hex())
    key.chmod(0o600)
    with Ledger.open(f"sqlite:///{tmp_path / 'l.db'}", key) as ledger:
        recorded = record_on_cluster(
            ledger,
            default_catalog(),
            Target(master=spark_cluster.master),
            who=None,
            processor="P",
            date=dt.date(2026, 3, 2),
            location=str(lake),
        )
        persons_key = ledger.keyring.persons
    assert recorded.new and recorded.batch.persons > 0
    logged.stop()  # the event log is complete once its application ends
    written = pl.read_parquet(sorted(lake.rglob("*.parquet"))[0]).get_column("身份证号").head(20)
    ids = [v.encode() for v in written.to_list()]
    ids += [v.encode() for v in normalise(written).to_list()]
    found = grep_logs([events, spark_cluster.root], [persons_key, secret, *ids])
    assert list(events.rglob("*")), "Spark wrote no event log: the search proves nothing"
    assert found == []
