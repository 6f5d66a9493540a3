"""Scanning a data-lake dataset on Spark, by the local scanner's rules and with its functions.

Three passes over the data, each a Spark job: where each file's splits start (so every row is
placed in its file, and "the first N rows of each file" means what it means locally); the
detectors on the first rows of the first file, proposing each column's kind; then the count:
the detectors on each file's sample, filled values, and the persons, keyed-hashed on the
executors and counted distinct by Spark. The driver sees counts and keyed hashes, never a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from kuajing.errors import DatasetError
from kuajing.scan.classify import Counts, decide
from kuajing.scan.detectors import KINDS
from kuajing.scan.models import File, ScanReport
from kuajing.scan.names import name_evidence
from kuajing.scan.scanner import (
    Options,
    PersonCounts,
    _choose_key,
    _Column,
    _labels,
    _plan,
    _report,
    _Run,
    _span,
)
from kuajing.spark.progress import Report, quiet, watching
from kuajing.spark.tasks import (
    FILE,
    FILLED,
    HASHES_PER_CHUNK,
    MISSING,
    OUTPUT,
    PERSON,
    SPLIT,
    TALLY,
    Task,
)

if TYPE_CHECKING:
    import numpy as np
    from pyspark.sql import DataFrame, SparkSession

    from kuajing.catalog.personal import PersonalData
    from kuajing.scan.dataset import Dataset


@dataclass
class Input:
    """A dataset as Spark reads it: data columns renamed c0..cN, each row's file and split."""

    label: str  # what errors name
    frame: DataFrame
    header: list[str]  # the columns' names as written
    format: str
    files: list[str]  # file URIs in the dataset's order
    names: list[str]  # the same files as the report names them


def dataset_input(spark: SparkSession, dataset: Dataset) -> Input:
    """A directory of Parquet or CSV files, Hive partitions included, read by Spark."""
    reader = spark.read.format(dataset.format).option("basePath", str(dataset.root))
    if dataset.format == "csv":
        reader = reader.options(
            header="true",
            inferSchema="false",
            multiLine="true",  # a quoted field may hold a line break, as polars reads it
            escape='"',
            encoding="UTF-8",
            mode="FAILFAST",
            sep=_separator(dataset.files[0].path),
        )
    frame = reader.load([str(f.path) for f in dataset.files])
    return Input(
        label=str(dataset.root),
        frame=_located(frame),
        header=list(dataset.columns),
        format=dataset.format,
        files=[f.path.resolve().as_uri() for f in dataset.files],
        names=[str(f.path) for f in dataset.files],  # as the local engine names them
    )


def table_input(spark: SparkSession, table: str) -> Input:
    """A table of the session's catalog, read through its files (which give the rows' order)."""
    frame = spark.table(table)
    files = sorted(_uri(u) for u in frame.inputFiles())
    if not files:
        raise DatasetError(
            "the table has no files: kuajing reads tables stored as Parquet or CSV files",
            zh="该表没有文件：kuajing 读取以 Parquet 或 CSV 文件存储的表",
            file=table,
        )
    # As the local engine names files: their paths on this machine's disks, else their URIs.
    names = [unquote(urlsplit(u).path) if u.startswith("file:") else u for u in files]
    return Input(table, _located(frame), frame.columns, "table", files, names)


def file_digests(spark: SparkSession, files: list[str]) -> dict[str, str]:
    """Each file's SHA-256 (hex) by its URI, computed on the executors from the file's bytes:
    files on the cluster's storage (hdfs://, s3a://) need not be readable from this machine.
    Spark reads a file whole for this, so a file must be under 2 GiB (Parquet files of data
    lakes are typically 128 MiB to 1 GiB)."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    wanted = {_plain(f): f for f in files}  # Spark takes paths: no %-escapes
    read = spark.read.format("binaryFile").load(list(wanted))
    rows = read.select("path", F.sha2("content", 256).alias("sha")).collect()
    return {wanted[p]: row["sha"] for row in rows if (p := _plain(row["path"])) in wanted}


def _plain(uri: str) -> str:
    """A file's URI as a path Spark reads, in one form (file:/x and file:///x alike)."""
    parts = urlsplit(uri)
    if parts.scheme in ("", "file"):
        return "file://" + unquote(parts.path)
    return unquote(uri)


def _located(frame: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F  # noqa: PLC0415

    data = [F.col(f"`{c}`").alias(f"c{i}") for i, c in enumerate(frame.columns)]
    where = [
        F.col("_metadata.file_path").alias(FILE),
        F.col("_metadata.file_block_start").alias(SPLIT),
    ]
    return frame.select(*data, *where)


def _uri(value: str) -> str:
    """A file URI as Spark writes it (file:/x, file:///x) in one form."""
    parts = urlsplit(value)
    if parts.scheme in ("", "file"):
        return Path(unquote(parts.path)).resolve().as_uri()
    return value


def _separator(path: Path) -> str:
    from kuajing.scan.read import _separator as detected  # noqa: PLC0415

    return detected(path, ",")


@dataclass(frozen=True)
class Layout:
    """Where each split of each file starts, in rows; each file's rows."""

    splits: dict[tuple[str, int], tuple[int, int]]
    rows: list[int]


def layout(frame: DataFrame, files: list[str]) -> Layout:
    """Rows per split of the files `frame` reads, so each task can place its rows in their
    file. Spark sizes splits by the files a query reads (and the split count asked for, fixed
    by `_fixed_splits`): a query reading fewer files needs its own layout."""
    found = frame.groupBy(FILE, SPLIT).count().collect()
    index = {uri: i for i, uri in enumerate(files)}
    per_file: dict[int, list[tuple[int, str, int]]] = {}
    for row in found:
        uri = _uri(row[FILE])
        if uri not in index:
            raise DatasetError(f"Spark read a file the dataset does not list: {uri}", file=uri)
        per_file.setdefault(index[uri], []).append((int(row[SPLIT]), row[FILE], int(row["count"])))
    splits: dict[tuple[str, int], tuple[int, int]] = {}
    rows = [0] * len(files)
    for i, parts in per_file.items():
        for start, raw, n in sorted(parts):
            splits[(raw, start)] = (i, rows[i])
            rows[i] += n
    return Layout(splits, rows)


@dataclass
class Scanned:
    """A finished scan, and the persons Spark holds for a recording to fetch."""

    report: ScanReport
    persons: DataFrame | None  # each person's keyed hash once (column h), persisted
    missing: tuple[int, str, int] | None  # rows naming nobody: count, first file, its row


def scan_on_spark(
    spark: SparkSession,
    source: Input,
    data: PersonalData,
    options: Options,
    key: bytes,
    report: Report = quiet,
) -> Scanned:
    """The scan report of `source`, as the local scanner gives it for the same files. `key`
    keys the persons' hashes (the ledger's to record them; any, to count them)."""
    with _fixed_splits(spark):
        return _scan(spark, source, data, options, key, report)


SPLITS = 64  # splits asked for a dataset (Spark's minPartitionNum): each split <= 128 MiB


@contextmanager
def _fixed_splits(spark: SparkSession) -> Iterator[None]:
    """The same splits in every pass, whatever executors join meanwhile: left to itself, Spark
    asks for as many splits as the cores it has at the time (its default parallelism)."""
    name = "spark.sql.files.minPartitionNum"
    if spark.conf.get(name, None) is not None:  # the user's choice
        yield
        return
    spark.conf.set(name, str(SPLITS))
    try:
        yield
    finally:
        spark.conf.unset(name)


def _scan(
    spark: SparkSession,
    source: Input,
    data: PersonalData,
    options: Options,
    key: bytes,
    report: Report,
) -> Scanned:
    with watching(spark, "layout", None, report):
        found = layout(source.frame, source.files)
    rows = sum(found.rows)
    if not rows:
        raise DatasetError("no rows", zh="没有数据行", file=source.label)
    run = _Run(data, options)
    labels = _labels(source.header)
    for label in labels:
        run.columns[label] = _Column(label, name_evidence(label, data.kinds))
    columns = [f"c{i}" for i in range(len(labels))]
    base = Task(columns=columns, labels=labels, splits=found.splits)
    first = next(i for i, n in enumerate(found.rows) if n)  # as locally: files with rows
    with watching(spark, "propose", found.rows[first], report):
        _propose(run, source, base, labels, first)
    _choose_key(run, labels, source.label)
    plan = _plan(run, labels, source.label)
    wanted = {label: run.columns[label].kinds for label in labels}
    task = Task(columns, labels, found.splits, False, options.sample, wanted, plan, key)
    out = source.frame.mapInArrow(task, OUTPUT).persist()
    try:
        with watching(spark, "count", rows, report):
            missing = _count(run, out, source)
        with watching(spark, "persons", rows, report):
            persons, counts = _persons(out) if plan is not None else (None, PersonCounts(0, 0, 0))
    finally:
        out.unpersist()
    run.files = [  # as the local engine lists them: files without rows are left out
        File(source=name, format=_format(source), encoding=_encoding(source), rows=n)
        for name, n in zip(source.names, found.rows, strict=True)
        if n
    ]
    return Scanned(_report(run, counts), persons, missing)


def _format(source: Input) -> str:
    return "parquet" if source.format == "table" else source.format


def _encoding(source: Input) -> str | None:
    return "utf-8" if source.format == "csv" else None


def _propose(run: _Run, source: Input, base: Task, labels: list[str], first: int) -> None:
    """Every detector on the first rows of the first file with rows, read alone."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    raw = sorted({path for (path, _), (i, _) in base.splits.items() if i == first})
    head = source.frame.where(F.col(FILE).isin(raw))
    own = layout(head, source.files)
    task = Task(base.columns, base.labels, own.splits, propose=True, first=first)
    tallies = _tallies(head.mapInArrow(task, OUTPUT))
    for label in labels:
        col = run.columns[label]
        values, matched, span = tallies.get(label, (0, {}, None))
        col.proposal = decide(col.hint, Counts(values, matched, span), run.data.kinds)


def _tallies(out: DataFrame) -> dict[str, tuple[int, dict[str, int], float | None]]:
    """Per label: values checked, matches per kind, the span of birth dates."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    rows = (
        out.where(F.col("t") == TALLY)
        .groupBy("label", "kind")
        .agg(F.sum("n").alias("n"), F.min("lo").alias("lo"), F.max("hi").alias("hi"))
        .collect()
    )
    found: dict[str, tuple[int, dict[str, int], float | None]] = {}
    for row in sorted(rows, key=lambda r: (r["label"], r["kind"] or "")):
        values, matched, span = found.get(row["label"], (0, {}, None))
        if row["kind"] is None:
            values = int(row["n"])
        else:
            matched[row["kind"]] = int(row["n"])
            if row["kind"] == "birth_date":
                span = _span(row["lo"], row["hi"])
        found[row["label"]] = (values, matched, span)
    order = {k: i for i, k in enumerate(KINDS)}  # the order the scanner's tally gives
    return {
        label: (v, dict(sorted(m.items(), key=lambda kv: order[kv[0]])), span)
        for label, (v, m, span) in found.items()
    }


def _count(run: _Run, out: DataFrame, source: Input) -> tuple[int, str, int] | None:
    from pyspark.sql import functions as F  # noqa: PLC0415

    rows = (
        out.where(F.col("t") != PERSON)
        .groupBy("t", "label", "kind")
        .agg(
            F.sum("n").alias("n"),
            F.min("lo").alias("lo"),
            F.max("hi").alias("hi"),
            F.min(F.struct("f", "r")).alias("at"),
        )
        .collect()
    )
    missing = None
    for row in rows:
        if row["t"] == FILLED:
            run.columns[row["label"]].filled += int(row["n"])
        elif row["t"] == MISSING:
            at = row["at"]
            missing = (int(row["n"]), source.names[at["f"]], int(at["r"]))
            run.missing = int(row["n"])
        elif row["t"] == TALLY:
            _add_tally(run.columns[row["label"]], row)
    for col in run.columns.values():  # in the order the scanner's own tally gives
        col.matched = {k: col.matched[k] for k in col.kinds if k in col.matched}
    return missing


def _add_tally(col: _Column, row: Any) -> None:
    if row["kind"] is None:
        col.checked += int(row["n"])
        return
    col.matched[row["kind"]] = col.matched.get(row["kind"], 0) + int(row["n"])
    if row["kind"] == "birth_date":
        col.earliest = _min(col.earliest, row["lo"])
        col.latest = _max(col.latest, row["hi"])


def _min(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _persons(out: DataFrame) -> tuple[DataFrame, PersonCounts]:
    """Each person once (a person is a minor, or has sensitive data, if any row says so)."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    persons = (
        out.where(F.col("t") == PERSON)
        .groupBy("h")
        .agg(F.max("s").alias("s"), F.max("m").alias("m"))
        .persist()
    )
    row = persons.agg(
        F.count("*").alias("n"),
        F.sum(F.col("s").cast("long")).alias("s"),
        F.sum(F.col("m").cast("long")).alias("m"),
    ).first()
    assert row is not None
    counts = PersonCounts(int(row["n"]), int(row["s"] or 0), int(row["m"] or 0))
    return persons, counts


def hash_chunks(persons: DataFrame, total: int) -> Iterator[np.ndarray]:
    """The persons' keyed hashes in byte order, each once, as (n, 16) arrays of at most
    HASHES_PER_CHUNK: one range of hashes at a time reaches the driver, so its memory stays
    flat however many persons there are."""
    import numpy as np  # noqa: PLC0415

    from kuajing.spark.tasks import pack  # noqa: PLC0415

    parts = max(1, -(-total // HASHES_PER_CHUNK))
    ordered = persons.select("h").repartitionByRange(parts, "h").sortWithinPartitions("h")
    for row in ordered.mapInArrow(pack, "blob binary").toLocalIterator():
        blob = row["blob"]
        if blob:
            yield np.frombuffer(blob, dtype=np.uint8).reshape(-1, 16)
