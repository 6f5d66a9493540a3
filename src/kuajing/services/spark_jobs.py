"""Scanning and recording a data-lake dataset on Spark (`--engine spark`): the local engine's
answers, computed on the executors. Apart from `scan` and `recording` because it needs pyspark,
an optional extra.

What the job reads: a directory of Parquet or CSV files (Hive partitions too) or one such file,
on a file system the executors share with the driver; or, for a name that is no file, a table
of the Spark session's catalog."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.models import Exemption
from kuajing.catalog.personal import PersonalData
from kuajing.errors import DatasetError
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import BatchMeta, Recorded
from kuajing.ledger.record import Members
from kuajing.scan.dataset import Dataset, file_dataset, file_sha256, open_dataset
from kuajing.scan.models import ScanReport
from kuajing.scan.scanner import SAMPLE, Options
from kuajing.services.forecast_notices import after_batch
from kuajing.services.recording import batch_request, scan_decision
from kuajing.services.scan import scan_with
from kuajing.spark.cluster import Cluster
from kuajing.spark.progress import Report, Step, quiet
from kuajing.trail.batches import on_batch

if TYPE_CHECKING:
    import numpy as np
    from pyspark.sql import SparkSession

    from kuajing.spark.scan import Input

_TABLE = re.compile(r"[\w`]+(\.[\w`]+){0,2}")  # a catalog table: [catalog.][database.]table


def scan_on_cluster(
    location: str,
    cluster: Cluster,
    catalog: Catalog | None = None,
    *,
    keys: Sequence[str] = (),
    sample: int = SAMPLE,
    as_of: dt.date | None = None,
    zone: str | None = None,
    scenario: str | None = None,
    report: Report = quiet,
) -> ScanReport:
    """`scan_datasets` on Spark, for one dataset or table; `report` hears its progress."""
    from kuajing.spark.scan import scan_on_spark  # noqa: PLC0415

    dataset = _dataset(location)

    def run(data: PersonalData, options: Options) -> ScanReport:
        with _session(cluster) as spark:
            source = _input(spark, dataset, location)
            # Any key counts persons alike: a fresh one keeps this scan's hashes its own.
            scanned = scan_on_spark(spark, source, data, options, os.urandom(32), report)
            if scanned.persons is not None:  # kept for a recording: a scan needs only counts
                scanned.persons.unpersist()
            return scanned.report

    return scan_with(
        run, catalog, keys=keys, sample=sample, as_of=as_of, zone=zone, scenario=scenario
    )


def record_on_cluster(
    ledger: Ledger,
    catalog: Catalog,
    cluster: Cluster,
    *,
    who: Principal | None,
    processor: str,
    date: dt.date,
    location: str,
    key: Sequence[str] = (),
    sensitive: bool | None = None,
    scenario: str | None = None,
    exemption: Exemption | None = None,
    recipient: str | None = None,
    today: dt.date | None = None,
    report: Report = quiet,
) -> Recorded:
    """`record_file` on Spark. The persons are keyed-hashed on the executors with the ledger's
    persons key (the key travels inside the job's function, in memory; it is never a Spark
    setting, so no event log or UI shows it) and reach the ledger as sorted ranges, one at a
    time; the ledger writes them in one transaction, so a crash leaves all or nothing."""
    from kuajing.services.scan import personal_data  # noqa: PLC0415
    from kuajing.spark.scan import hash_chunks, scan_on_spark  # noqa: PLC0415

    processor, scopes = batch_request(catalog, processor, date, scenario, today)
    dataset = _dataset(location)
    digest = _digest(location, dataset)
    if digest is not None and (found := ledger.find(processor, digest)) is not None:
        return Recorded(batch=found, new=False)
    with _session(cluster) as spark:
        source = _input(spark, dataset, location)
        digest = digest or _table_digest(spark, source)
        if (found := ledger.find(processor, digest)) is not None:
            return Recorded(batch=found, new=False)
        options = Options(keys=key, sample=SAMPLE, as_of=date)
        data = personal_data(catalog)
        scanned = scan_on_spark(spark, source, data, options, _persons_key(ledger), report)
        decided, sensitive = scan_decision(scanned.report, catalog, source.label, sensitive)
        _every_row_named(scanned.missing, decided.key)
        assert scanned.persons is not None  # a key was chosen
        distinct = scanned.report.persons.distinct or 0
        chunks = _counted(hash_chunks(scanned.persons, distinct), distinct, report)
        members = Members(chunks, rows=scanned.report.rows)
        batch = BatchMeta(
            processor=processor,
            digest=digest,
            date=date,
            scenario=scenario,
            scopes=sorted(scopes),
            exemption=exemption,
            sensitive=sensitive,
            recipient=recipient,
            source=_source(location, dataset),
            format=source.format,
            key_columns=decided.key,
            rows=scanned.report.rows,
            persons=0 if exemption is None else distinct,  # an exempt batch stores nobody
        )
        try:
            recorded = ledger.record(
                batch, members, also=on_batch(ledger.keyring, who, "ledger.batch_recorded")
            )
        finally:
            scanned.persons.unpersist()
    if who is not None and recorded.new:
        after_batch(ledger, catalog, who, today or dt.date.today())
    return recorded.model_copy(update={"scan": decided})


def _counted(chunks: Iterator[np.ndarray], total: int, report: Report) -> Iterator[np.ndarray]:
    """The chunks, each reported as it reaches the ledger."""
    done = 0
    report(Step("ledger", 0, total, "persons"))
    for chunk in chunks:
        yield chunk
        done += len(chunk)
        report(Step("ledger", done, total, "persons"))


def _digest(location: str, dataset: Dataset | None) -> str | None:
    """The batch's identity as the local engine gives it: a file's SHA-256, a folder's
    manifest; a table's is known once Spark has listed its files (None here)."""
    if dataset is None:
        return None
    return file_sha256(location) if Path(location).is_file() else dataset.digest()


def _source(location: str, dataset: Dataset | None) -> str:
    """What the ledger names the batch by, as the local engine does: the file's or the
    folder's name; a table's name."""
    if dataset is None:
        return location
    return Path(location).name if Path(location).is_file() else dataset.name


def _persons_key(ledger: Ledger) -> bytes:
    """The persons sub-key only: the executors never hold the secret or the audit key."""
    return ledger.keyring.persons


def _every_row_named(missing: tuple[int, str, int] | None, key: Sequence[str]) -> None:
    if missing is None:
        return
    count, file, row = missing
    raise DatasetError(
        f"{count} rows have no value in the key column(s) {', '.join(key)} "
        f"(every exported row must name its person; the first is row {row + 1} of the file)",
        zh=f"有 {count} 行的关键列（{'、'.join(key)}）为空（每一行出境数据都须指明其个人；"
        f"第一处为该文件第 {row + 1} 行）",
        file=file,
    )


def _dataset(location: str) -> Dataset | None:
    """The files at `location` as a dataset; None for a name that is no file (a table)."""
    path = Path(location)
    if path.is_dir():
        return _utf8(open_dataset(path))
    if path.is_file():
        one = file_dataset(path)
        if one is None:
            raise DatasetError(
                "the Spark engine reads Parquet or CSV files, or a directory of them",
                zh="Spark 引擎读取 Parquet 或 CSV 文件，或其所在的文件夹",
                file=location,
            )
        return _utf8(one)
    if not _TABLE.fullmatch(location):
        raise DatasetError("no such file or directory", zh="没有该文件或文件夹", file=location)
    return None


def _utf8(dataset: Dataset) -> Dataset:
    """Spark reads CSV as UTF-8 only (the local engine also reads GB18030 and UTF-16): a file
    that is not would be read as replacement characters, so it is refused."""
    if dataset.format != "csv":
        return dataset
    for file in dataset.files:
        with file.path.open("rb") as stream:
            head = stream.read(1 << 20)
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not a character cut at the end of the block
                raise DatasetError(
                    "not UTF-8: the Spark engine reads UTF-8 CSV files (convert the file, or "
                    "use --engine local, which also reads GB18030 and UTF-16)",
                    zh="不是 UTF-8：Spark 引擎只读取 UTF-8 编码的 CSV 文件（请转换编码，"
                    "或使用 --engine local，它也读取 GB18030 与 UTF-16）",
                    file=str(file.path),
                ) from None
    return dataset


def _input(spark: SparkSession, dataset: Dataset | None, location: str) -> Input:
    from kuajing.spark.scan import dataset_input, table_input  # noqa: PLC0415
    from kuajing.spark.session import guarded  # noqa: PLC0415

    with guarded():
        if dataset is not None:
            return dataset_input(spark, dataset)
        if not spark.catalog.tableExists(location):
            raise DatasetError(
                "no such file, directory or table in the Spark session's catalog",
                zh="没有该文件、文件夹，Spark 会话的目录中也没有该表",
                file=location,
            )
        return table_input(spark, location)


def _table_digest(spark: SparkSession, source: Input) -> str:
    """A table's identity: its files' manifest (name and SHA-256, in path order), as a
    directory's. The files are hashed where they are stored, on the executors."""
    import hashlib  # noqa: PLC0415

    from kuajing.spark.scan import file_digests  # noqa: PLC0415

    digests = file_digests(spark, list(source.files))
    manifest = hashlib.sha256()
    for uri, name in zip(source.files, source.names, strict=True):
        if uri not in digests:  # Spark listed it but did not read it back
            raise DatasetError(
                f"its file {name} could not be read to fingerprint the table",
                zh=f"无法读取其文件 {name}，因此无法计算该表的指纹",
                file=source.label,
            )
        manifest.update(f"{name}\t{digests[uri]}\n".encode())
    return manifest.hexdigest()


@contextmanager
def _session(cluster: Cluster) -> Iterator[SparkSession]:
    from kuajing.spark.session import guarded, spark_session  # noqa: PLC0415

    with spark_session(cluster.master, cluster.remote, conf=cluster.conf) as spark, guarded():
        yield spark
