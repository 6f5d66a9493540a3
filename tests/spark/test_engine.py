"""The Spark engine gives the local engine's answers, on a real standalone cluster: the same
scan report (column verdicts from the same sample rule, the same distinct persons, sensitive
persons and minors) and the same ledger, recorded once however often it is asked."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import polars as pl
import pytest
from pyspark.sql import SparkSession

from kuajing.catalog import Catalog
from kuajing.catalog.loader import default_catalog
from kuajing.errors import DatasetError
from kuajing.ledger.ledger import Ledger
from kuajing.scan.models import ScanReport
from kuajing.services.recording import record_file
from kuajing.services.scan import scan_datasets
from kuajing.services.spark_jobs import record_on_cluster, scan_on_cluster
from kuajing.spark.cluster import Cluster
from tests.spark.conftest import Cluster as Standalone
from tests.spark.lake import write_lake

pytestmark = pytest.mark.spark

DAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four Parquet files in two partitions, small row groups: each file is read in several
    splits, by both executors."""
    root = tmp_path_factory.mktemp("lake") / "visits"
    write_lake(root, 24_000, files=4, persons=9_000, row_group=2_000)
    return root


@pytest.fixture
def on(spark: SparkSession, spark_cluster: Standalone) -> Iterator[Cluster]:
    # Splits of 64 KiB: every file is cut into several, so rows are placed across tasks.
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(64 << 10))
    yield Cluster(master=spark_cluster.master)
    spark.conf.unset("spark.sql.files.maxPartitionBytes")


def _same(local: ScanReport, spark: ScanReport) -> None:
    assert spark.model_dump() == local.model_dump()


@pytest.mark.parametrize("sample", [500, 0])
def test_scan_reports_are_the_local_engines(lake: Path, on: Cluster, sample: int) -> None:
    local = scan_datasets([str(lake)], sample=sample, as_of=DAY)
    spark = scan_on_cluster(str(lake), on, sample=sample, as_of=DAY)
    _same(local, spark)
    assert spark.persons.key == ["身份证号"]
    assert 0 < (spark.persons.minors or 0) < (spark.persons.sensitive or 0) < 9_000


def test_a_csv_directory_and_one_file(tmp_path: Path, on: Cluster) -> None:
    root = tmp_path / "csv"
    write_lake(root, 6_000, files=3, fmt="csv")
    _same(scan_datasets([str(root)], as_of=DAY), scan_on_cluster(str(root), on, as_of=DAY))
    one = next(root.rglob("*.csv"))
    _same(scan_datasets([str(one)], as_of=DAY), scan_on_cluster(str(one), on, as_of=DAY))


def test_a_catalog_table(
    spark: SparkSession, lake: Path, on: Cluster, catalog: Catalog, tmp_path: Path
) -> None:
    stored = tmp_path / "table"
    rows = spark.read.parquet(str(lake)).repartition(3)
    rows.write.partitionBy("region").option("path", str(stored)).saveAsTable("visits")
    try:
        with pytest.raises(DatasetError, match="no such file, directory or table"):
            scan_on_cluster("no_such_table", on, as_of=DAY)
        report = scan_on_cluster("visits", on, as_of=DAY)
        with _ledger(tmp_path, "l.db") as ledger:
            record = partial(
                record_on_cluster, ledger, catalog, on, who=None, processor="P", date=DAY
            )
            first, again = record(location="visits"), record(location="visits")
    finally:
        spark.sql("DROP TABLE visits")
    _same(scan_datasets([str(stored)], as_of=DAY), report)
    assert first.new and first.batch.source == "visits" and first.batch.rows == 24_000
    assert first.batch.persons == report.persons.distinct and not again.new
    # Its identity: the manifest of its files, hashed by the executors from their bytes.
    files = sorted(stored.rglob("*.parquet"), key=lambda f: f.as_uri())
    manifest = "".join(f"{f}\t{hashlib.sha256(f.read_bytes()).hexdigest()}\n" for f in files)
    assert first.batch.digest == hashlib.sha256(manifest.encode()).hexdigest()


def _ledger(tmp: Path, name: str) -> Ledger:
    key = tmp / "ledger.key"
    if not key.exists():
        key.write_text(os.urandom(32).hex())
        key.chmod(0o600)
    return Ledger.open(f"sqlite:///{tmp / name}", key)


def _seen(ledger: Ledger) -> list[bytes]:
    url = ledger.engine.url.database
    with sqlite3.connect(str(url)) as db:
        return [h for (h,) in db.execute("SELECT hash FROM seen ORDER BY pool_id, hash")]


def test_recording_gives_the_local_ledger_once(
    lake: Path, on: Cluster, catalog: Catalog, tmp_path: Path
) -> None:
    with _ledger(tmp_path, "local.db") as local, _ledger(tmp_path, "spark.db") as spark:
        mine = record_file(local, catalog, who=None, processor="P", date=DAY, path=lake)
        theirs = record_on_cluster(
            spark, catalog, on, who=None, processor="P", date=DAY, location=str(lake)
        )
        assert theirs.new and theirs.batch.digest == mine.batch.digest
        assert theirs.batch.persons == mine.batch.persons > 0
        assert theirs.batch.rows == mine.batch.rows == 24_000
        assert theirs.scan == mine.scan
        assert spark.counts("P", 2026, DAY) == local.counts("P", 2026, DAY)
        assert _seen(spark) == _seen(local)
        again = record_on_cluster(
            spark, catalog, on, who=None, processor="P", date=DAY, location=str(lake)
        )
        assert not again.new
        # The local engine finds the same batch: one identity whichever engine reads it.
        assert not record_file(spark, catalog, who=None, processor="P", date=DAY, path=lake).new
        assert len(spark.batches()) == 1 and spark.verify().ok
        # One file: the file's own identity and name, as the local engine records it.
        one = next(lake.rglob("*.parquet"))
        alone = record_on_cluster(
            spark, catalog, on, who=None, processor="Q", date=DAY, location=str(one)
        )
        assert alone.batch.source == one.name
        assert not record_file(spark, catalog, who=None, processor="Q", date=DAY, path=one).new


def test_rows_naming_nobody_record_nothing(tmp_path: Path, on: Cluster, catalog: Catalog) -> None:
    root = tmp_path / "blank"
    write_lake(root, 4_000, files=2, blank=3)
    with _ledger(tmp_path, "l.db") as ledger:
        with pytest.raises(DatasetError) as caught:
            record_on_cluster(
                ledger, catalog, on, who=None, processor="P", date=DAY, location=str(root)
            )
        message = str(caught.value)
        assert "3 rows have no value in the key column(s) 身份证号" in message
        assert "part-00001.parquet" in message and "\n" not in message
        assert ledger.batches() == [] and ledger.verify().ok


def test_mixed_schemas_are_refused(tmp_path: Path, on: Cluster) -> None:
    root = tmp_path / "mixed"
    write_lake(root, 2_000, files=2)
    odd = next(root.rglob("part-00001.parquet"))
    pl.read_parquet(odd).rename({"姓名": "name"}).write_parquet(odd)
    with pytest.raises(DatasetError, match="columns differ from those of") as caught:
        scan_on_cluster(str(root), on, as_of=DAY)
    assert str(root) in str(caught.value)


def test_a_million_rows(tmp_path: Path, on: Cluster, catalog: Catalog, spark: SparkSession) -> None:
    """The issue's check: several files, a million rows, identical reports and counts."""
    spark.conf.unset("spark.sql.files.maxPartitionBytes")
    root = tmp_path / "million"
    write_lake(root, 1_000_000, files=5)
    _same(scan_datasets([str(root)], as_of=DAY), scan_on_cluster(str(root), on, as_of=DAY))
    with _ledger(tmp_path, "local.db") as local, _ledger(tmp_path, "spark.db") as lake_ledger:
        record_file(local, catalog, who=None, processor="P", date=DAY, path=root)
        record_on_cluster(
            lake_ledger, catalog, on, who=None, processor="P", date=DAY, location=str(root)
        )
        assert lake_ledger.counts("P", 2026, DAY) == local.counts("P", 2026, DAY)
        assert _seen(lake_ledger) == _seen(local)


def test_a_key_column_the_dataset_lacks(lake: Path, on: Cluster) -> None:
    with pytest.raises(DatasetError) as caught:
        scan_on_cluster(str(lake), on, keys=["护照号"], as_of=DAY)
    assert "护照号" in str(caught.value) and "\n" not in str(caught.value)
    assert str(lake) in str(caught.value)


def test_splits_sized_by_the_files_each_pass_reads(
    spark: SparkSession, spark_cluster: Standalone, tmp_path: Path
) -> None:
    """Spark sizes splits by the bytes a query reads: the proposal, reading the first file
    alone, cuts it where the full passes do not (bench/spark.py found it at 10M rows)."""
    root = tmp_path / "splits"
    write_lake(root, 80_000, files=4, row_group=2_000)
    spark.conf.set("spark.sql.files.openCostInBytes", str(16 << 10))
    try:
        spark_scan = scan_on_cluster(str(root), Cluster(master=spark_cluster.master), as_of=DAY)
    finally:
        spark.conf.unset("spark.sql.files.openCostInBytes")
    _same(scan_datasets([str(root)], as_of=DAY), spark_scan)
