"""Reading every column of a dataset in batches of rows, so files larger than memory can be
scanned: CSV (UTF-8 with or without BOM, GBK/GB18030, UTF-16), XLSX, Parquet, JSON Lines, and
database tables through SQLAlchemy. Every value is text; every failure is a `DatasetError`.

UTF-8 CSV goes straight to polars. Only when polars meets bytes that are not UTF-8 is the file
transcoded from GB18030 (a superset of GBK) into a temporary file and read again: checking the
encoding up front would cost a pass over the file in Python.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from kuajing.errors import DatasetError
from kuajing.scan import read as _read
from kuajing.scan.dataset import Member
from kuajing.scan.read import _POLARS_ERRORS, _error, _first_line, _unreadable
from kuajing.scan.source import Batches, Source, frame


class NotUtf8(Exception):
    """Polars met bytes that are not UTF-8: the caller reads the file again, transcoded."""


def is_database_url(text: str) -> bool:
    return re.match(r"^[a-z][a-z0-9+]*://", text) is not None


@contextmanager
def open_source(
    location: str, *, table: str | None, batch_rows: int, transcode: bool = False
) -> Iterator[Source]:
    """The dataset at `location` (a file path, or with `table` a SQLAlchemy database URL)."""
    if isinstance(location, Member):  # a file of a dataset directory
        with open_source(
            str(location), table=table, batch_rows=batch_rows, transcode=transcode
        ) as source:
            yield _partitioned(source, location)
        return
    if is_database_url(location):
        with _database(location, table, batch_rows) as source:
            yield source
        return
    path = Path(location)
    if table is not None:
        raise _error(path, "--table is for a database URL, not a file")
    kind, separator = _read._kind(path)
    try:
        _read._check_file(path)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if kind == "csv":
        with _csv(path, separator, batch_rows, transcode) as source:
            yield source
    elif kind == "xlsx":
        with _xlsx(path, batch_rows) as source:
            yield source
    elif kind == "parquet":
        yield _parquet(path, batch_rows)
    else:
        with _jsonl(path, batch_rows) as source:
            yield source


def _partitioned(source: Source, member: Member) -> Source:
    """The file's rows with its Hive partition values as text columns after its own."""
    if not member.partition_columns:
        return source
    width = len(source.header)
    values = [
        pl.lit(value, dtype=pl.String).alias(f"c{width + i}")
        for i, (_, value) in enumerate(member.file.partitions)
    ]
    batches = ((batch.with_columns(values), line) for batch, line in source.batches)
    header = [*source.header, *member.partition_columns]
    return dataclasses.replace(source, header=header, batches=batches)


# --- CSV ------------------------------------------------------------------------------------


@contextmanager
def _csv(path: Path, separator: str, batch_rows: int, transcode: bool) -> Iterator[Source]:
    with path.open("rb") as file:
        head = file.read(4)
    bom = next((codec for mark, codec in _read._BOMS if head.startswith(mark)), None)
    if bom == "utf-8-sig" or (bom is None and not transcode):
        yield _csv_source(path, path, separator, batch_rows, bom or "utf-8", strict_utf8=True)
        return
    codec = bom or "gb18030"
    with _read._temporary(".csv") as target:
        failed = _read._transcode(path, codec, 2 if bom else 0, target)
        if failed is not None:
            line = _read._line_at(path, failed, "utf-16" if bom else codec)
            raise _error(path, f"not UTF-8, GBK or GB18030 text ({codec} fails here)", line)
        yield _csv_source(target, path, separator, batch_rows, "utf-16" if bom else codec)


def _csv_source(
    source: Path,
    path: Path,
    separator: str,
    batch_rows: int,
    encoding: str,
    *,
    strict_utf8: bool = False,
) -> Source:
    separator = _read._separator(source, separator)
    header: list[str] = []

    def by_position(names: list[str]) -> list[str]:
        header[:] = _read._original_names(names)
        return [f"c{i}" for i in range(len(names))]

    scan = pl.scan_csv(
        source, separator=separator, infer_schema=False, with_column_names=by_position, glob=False
    )
    try:
        scan.collect_schema()
    except pl.exceptions.NoDataError:
        raise _error(path, "no rows", zh="没有数据行") from None
    except _POLARS_ERRORS as exc:
        raise _read._malformed(path, source, separator, 0, exc) from None
    if strict_utf8 and any("\ufffd" in name for name in header):
        raise NotUtf8  # polars decodes the header leniently
    failed = _csv_failure(path, source, separator, len(header), strict_utf8)
    return Source(str(path), "csv", header, _batches(scan, batch_rows, 2, failed), encoding)


def _csv_failure(
    path: Path, source: Path, separator: str, width: int, strict_utf8: bool
) -> Callable[[BaseException], Exception]:
    def failed(exc: BaseException) -> Exception:
        if strict_utf8 and "utf-8" in str(exc).lower():
            return NotUtf8()
        return _read._malformed(path, source, separator, width, exc)

    return failed


def _batches(
    scan: pl.LazyFrame, batch_rows: int, first: int, failed: Callable[[BaseException], Exception]
) -> Batches:
    line = first
    try:
        # Without projection pushdown polars parses every field, and so notices ragged rows.
        for batch in scan.collect_batches(
            chunk_size=batch_rows,
            engine="streaming",
            optimizations=pl.QueryOptFlags(projection_pushdown=False),
        ):
            if batch.height:
                yield batch, line
                line += batch.height
    except _POLARS_ERRORS as exc:
        raise failed(exc) from None


# --- XLSX -----------------------------------------------------------------------------------


@contextmanager
def _xlsx(path: Path, batch_rows: int) -> Iterator[Source]:
    with _read.workbook_rows(path) as rows:
        header, number = _sheet_header(rows, path)
        batches = _sheet_batches(rows, len(header), number, batch_rows)
        yield Source(str(path), "xlsx", header, batches)


def _sheet_header(rows: Iterator[Any], path: Path) -> tuple[list[str], int]:
    for number, row in enumerate(rows, start=1):
        if any(_read._filled(value) for value in row):
            return [_read._cell_text(value) or "" for value in row], number
    raise _error(path, "no rows: the first worksheet is empty")


def _sheet_batches(rows: Iterator[Any], width: int, header_row: int, batch_rows: int) -> Batches:
    columns: list[list[str | None]] = [[] for _ in range(width)]
    first = header_row + 1
    pending_empty = 0  # empty rows are held back: those at the end of a sheet are not data
    for row in rows:
        if not any(_read._filled(value) for value in row):
            pending_empty += 1
            continue
        for _ in range(pending_empty):
            for values in columns:
                values.append(None)
        pending_empty = 0
        for i, values in enumerate(columns):
            values.append(_read._cell_text(row[i]) if i < len(row) else None)
        if len(columns[0]) >= batch_rows:
            yield frame(columns), first
            first += len(columns[0])
            columns = [[] for _ in range(width)]
    if columns and columns[0]:
        yield frame(columns), first


# --- Parquet and JSON Lines -----------------------------------------------------------------


def _parquet(path: Path, batch_rows: int) -> Source:
    try:
        scan = pl.scan_parquet(path, glob=False, hive_partitioning=False)
        schema = scan.collect_schema()
    except _POLARS_ERRORS as exc:
        raise _error(path, f"not a readable Parquet file ({_first_line(exc)})") from None
    return _typed_source(path, "parquet", scan, schema, batch_rows)


@contextmanager
def _jsonl(path: Path, batch_rows: int) -> Iterator[Source]:
    with _read._readable_jsonl(path) as source:
        try:
            scan = pl.scan_ndjson(source, infer_schema_length=None)
            schema = scan.collect_schema()
        except _POLARS_ERRORS as exc:
            _read._jsonl_keys(source, path, None)  # raises naming the line when it finds it
            raise _error(path, f"malformed JSON Lines: {_first_line(exc)}") from None
        if not schema.names():
            raise _error(path, "no rows", zh="没有数据行")
        yield _typed_source(path, "jsonl", scan, schema, batch_rows)


def _typed_source(
    path: Path, format_: str, scan: pl.LazyFrame, schema: pl.Schema, batch_rows: int
) -> Source:
    """Typed columns as text. Nested values (lists, structs) are encoded as JSON text."""
    names = schema.names()
    exprs = [_text(name, schema[name]).alias(f"c{i}") for i, name in enumerate(names)]

    def failed(exc: BaseException) -> Exception:
        return _error(path, f"cannot read the data ({_first_line(exc)})")

    return Source(str(path), format_, names, _batches(scan.select(exprs), batch_rows, 1, failed))


def _text(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.Struct):
        return column.struct.json_encode()
    if isinstance(dtype, pl.List | pl.Array):
        return pl.concat_str(
            pl.lit("["), column.cast(pl.List(pl.String)).list.join(","), pl.lit("]")
        )
    if dtype == pl.Binary:
        return column.bin.encode("hex")
    return _read._as_text(name, dtype, Path(name))


# --- database tables ------------------------------------------------------------------------


@contextmanager
def _database(url: str, table: str | None, batch_rows: int) -> Iterator[Source]:
    from kuajing.scan.database import table_source  # noqa: PLC0415  (SQLAlchemy only if needed)

    with table_source(url, table, batch_rows) as source:
        yield source


__all__ = ["DatasetError", "NotUtf8", "open_source"]
