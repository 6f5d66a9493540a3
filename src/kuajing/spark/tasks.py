"""What runs on Spark's executors: the local scanner's own functions on each Arrow batch.

Each batch arrives with the file it came from and the start of its split, which place every row
in its file: the sample rule ("the first N rows of each file") is the local engine's. Values
become text as the local Parquet reader makes them, the detectors tally them, and the person
keys are normalised and keyed-hashed here, so a raw identifier never leaves the executor. What
comes back is one table of three kinds of row: tallies, filled counts, and persons (a keyed
hash with its minor and sensitive flags, each person once per batch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from kuajing.ledger.hashing import truncated
from kuajing.ledger.hmac_batch import digests
from kuajing.ledger.models import HASH_BYTES
from kuajing.scan.detectors import KINDS

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from kuajing.scan.scanner import _PersonPlan

# Spark's DDL for what a task returns; `t` tells the kind of row.
PERSON, TALLY, FILLED, MISSING = 0, 1, 2, 3
OUTPUT = (
    "t byte, h binary, s boolean, m boolean, label string, kind string, n long, "
    "lo date, hi date, f int, r long"
)
FILE, SPLIT = "_kj_file", "_kj_split"  # the columns naming each row's file and split
PROPOSAL_ROWS = 2_000  # as the scanner's: the first rows of the first file propose kinds
# Keyed hashes per chunk the driver receives (4 MiB): with its copies on the way into SQLite,
# chunks of a million held the driver at 0.36 GiB at 10M rows, these at 0.26 (bench/spark.py).
HASHES_PER_CHUNK = 262_144


@dataclass(frozen=True)
class Task:
    """One pass over the dataset, with everything a task needs (pickled to the executors)."""

    columns: Sequence[str]  # the frame's data columns, in order
    labels: Sequence[str]  # their labels, as the scanner names them
    splits: Mapping[tuple[str, int], tuple[int, int]]  # (file, split start) -> file index, row
    propose: bool = False  # the proposal pass: every kind on the first rows of the first file
    limit: int | None = None  # rows of each file the detectors check (None: every row)
    wanted: Mapping[str, Sequence[str]] = field(default_factory=dict)  # kinds per label
    plan: _PersonPlan | None = None
    key: bytes = b""  # the persons' HMAC key: only ever in memory
    first: int = 0  # the proposal's file: the first with rows

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        seen: dict[tuple[str, int], int] = {}  # rows of each split read by earlier batches
        for batch in batches:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            placed = _placed(frame, self.splits, seen)
            values = _as_text(placed, self.columns, self.labels)
            parts = self._propose(values) if self.propose else self._count(values)
            out = pl.concat(parts, how="diagonal_relaxed") if parts else None
            if out is not None and out.height:
                yield from _arrow(out).to_batches()

    def _propose(self, values: pl.DataFrame) -> list[pl.DataFrame]:
        head = values.filter((pl.col(FILE) == self.first) & (pl.col("_kj_row") < PROPOSAL_ROWS))
        return [_tallies(head, dict.fromkeys(self.labels, KINDS))] if head.height else []

    def _count(self, values: pl.DataFrame) -> list[pl.DataFrame]:
        parts = [_filled(values, self.labels)]
        checked = values if self.limit is None else values.filter(pl.col("_kj_row") < self.limit)
        if checked.height:
            parts.append(_tallies(checked, self.wanted))
        if self.plan is not None:
            parts += _persons(self.plan, values, self.key)
        return parts


def _placed(
    frame: pl.DataFrame, splits: Mapping[tuple[str, int], tuple[int, int]], seen: dict[Any, int]
) -> pl.DataFrame:
    """The frame with each row's file index (FILE) and row in its file (_kj_row). A split's
    rows arrive in order, batch after batch, so its running count places them."""
    within = pl.int_range(pl.len()).over([FILE, SPLIT])
    frame = frame.with_columns(_kj_within=within)
    groups = frame.group_by([FILE, SPLIT], maintain_order=True).len()
    firsts = []
    for path, start, n in groups.iter_rows():
        if (path, start) not in splits:  # never expected: the passes read the same splits
            raise ValueError(f"{path}: the split at byte {start} was not counted beforehand")
        index, first = splits[(path, start)]
        firsts.append((path, start, index, first + seen.get((path, start), 0)))
        seen[(path, start)] = seen.get((path, start), 0) + n
    bases = pl.DataFrame(
        firsts,
        schema={FILE: pl.String, SPLIT: pl.Int64, "_kj_index": pl.Int32, "_kj_base": pl.Int64},
        orient="row",
    )
    joined = frame.with_columns(pl.col(SPLIT).cast(pl.Int64)).join(
        bases, on=[FILE, SPLIT], how="left", maintain_order="left"
    )
    return joined.with_columns(
        pl.col("_kj_index").alias(FILE),
        (pl.col("_kj_base") + pl.col("_kj_within")).alias("_kj_row"),
    ).drop("_kj_within", "_kj_index", "_kj_base", SPLIT)


def _as_text(frame: pl.DataFrame, columns: Sequence[str], labels: Sequence[str]) -> pl.DataFrame:
    """The data columns as the local readers give them (every value as text), named by label."""
    from kuajing.scan.stream import _text  # noqa: PLC0415  (the local reader's own conversion)

    schema = frame.schema
    exprs = [_text(c, schema[c]).alias(label) for c, label in zip(columns, labels, strict=True)]
    return frame.select(*exprs, FILE, "_kj_row")


def _tallies(frame: pl.DataFrame, wanted: Mapping[str, Sequence[str]]) -> pl.DataFrame:
    from kuajing.scan.scanner import _tally  # noqa: PLC0415

    rows: list[tuple[str, str | None, int, dt.date | None, dt.date | None]] = []
    for label, tally in _tally(frame, wanted).items():
        rows.append((label, None, tally.values, None, None))
        for kind, n in tally.matched.items():
            dates = (tally.earliest, tally.latest) if kind == "birth_date" else (None, None)
            rows.append((label, kind, n, *dates))
    schema = {"label": pl.String, "kind": pl.String, "n": pl.Int64, "lo": pl.Date, "hi": pl.Date}
    out = pl.DataFrame(rows, schema=schema, orient="row")
    return out.with_columns(t=pl.lit(TALLY, pl.Int8))


def _filled(frame: pl.DataFrame, labels: Sequence[str]) -> pl.DataFrame:
    # Empty fields read as null, so the null count gives the filled count (as the scanner's).
    nulls = frame.select(labels).null_count().row(0)
    filled = [frame.height - n for n in nulls]
    return pl.DataFrame({"label": list(labels), "n": filled}).with_columns(
        t=pl.lit(FILLED, pl.Int8), n=pl.col("n").cast(pl.Int64)
    )


def _persons(plan: _PersonPlan, frame: pl.DataFrame, key: bytes) -> list[pl.DataFrame]:
    from kuajing.scan.scanner import person_rows  # noqa: PLC0415

    persons, absent = person_rows(plan, frame)
    values = persons.get_column("key").cast(pl.Binary).to_list()
    out = [
        pl.DataFrame(
            {
                "h": _binary(truncated(digests(key, values))),
                "s": persons.get_column("sensitive"),
                "m": persons.get_column("minor"),
            }
        ).with_columns(t=pl.lit(PERSON, pl.Int8))
    ]
    if absent.any():
        missing = frame.filter(absent).select(FILE, "_kj_row").sort(FILE, "_kj_row").row(0)
        out.append(
            pl.DataFrame(
                {"n": [int(absent.sum())], "f": [missing[0]], "r": [missing[1]]},
                schema={"n": pl.Int64, "f": pl.Int32, "r": pl.Int64},
            ).with_columns(t=pl.lit(MISSING, pl.Int8))
        )
    return out


def _binary(hashes: np.ndarray) -> pl.Series:
    """(n, 16) hashes as a Binary column, without a Python object per hash."""
    import pyarrow as pa  # noqa: PLC0415

    data = pa.py_buffer(np.ascontiguousarray(hashes).tobytes())
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(HASH_BYTES), len(hashes), [None, data])
    series = pl.from_arrow(fixed.cast(pa.binary()))
    assert isinstance(series, pl.Series)
    return series.alias("h").cast(pl.Binary)


def _arrow(frame: pl.DataFrame) -> pa.Table:
    import pyarrow as pa  # noqa: PLC0415

    schema = pa.schema(
        [
            ("t", pa.int8()),
            ("h", pa.binary()),
            ("s", pa.bool_()),
            ("m", pa.bool_()),
            ("label", pa.string()),
            ("kind", pa.string()),
            ("n", pa.int64()),
            ("lo", pa.date32()),
            ("hi", pa.date32()),
            ("f", pa.int32()),
            ("r", pa.int64()),
        ]
    )
    table = frame.to_arrow()
    columns = [
        table.column(f.name).cast(f.type)
        if f.name in table.column_names
        else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def pack(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A partition's keyed hashes, in the order they come, as blobs of about HASHES_PER_CHUNK."""
    import pyarrow as pa  # noqa: PLC0415

    limit = HASHES_PER_CHUNK * HASH_BYTES
    pending: list[bytes] = []
    size = 0
    for batch in batches:
        column = batch.column(0)
        if not len(column):
            continue
        offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)
        first = offsets[column.offset]
        last = offsets[column.offset + len(column)]
        pending.append(column.buffers()[2].to_pybytes()[first:last])
        size += last - first
        if size >= limit:
            yield pa.record_batch([pa.array([b"".join(pending)], pa.binary())], names=["blob"])
            pending, size = [], 0
    if pending:
        yield pa.record_batch([pa.array([b"".join(pending)], pa.binary())], names=["blob"])
