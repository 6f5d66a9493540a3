"""A directory of Parquet or CSV files read as one dataset, as data lakes (and Spark) keep them.

The files are found as Spark finds them: recursively, skipping names that start with `_` or `.`
(`_SUCCESS`, `.crc` files, `_temporary` directories), in the order of their relative paths,
which is the dataset's row order. Directories named `key=value` (Hive partitions) add text
columns after the data columns. The checks here are cheap (file footers, header lines), so a
bad directory is refused before any data is read. Both the local engine and the Spark engine
use this module: the digest, and the file hash it is built from, are the batch's identity
whichever engine reads the data.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import unquote

import polars as pl

from kuajing.errors import DatasetError

DatasetFormat = Literal["parquet", "csv"]
_FORMATS: dict[str, DatasetFormat] = {".parquet": "parquet", ".csv": "csv"}
_BLOCK = 1 << 20  # bytes hashed at a time
_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's and Spark's name for a null value
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class DataFile:
    """One data file of a dataset: where it is, its path under the dataset's directory (POSIX),
    and the Hive partition values its directories give (None: null)."""

    path: Path
    relative: str
    partitions: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Dataset:
    """A directory of data files of one format and one set of columns."""

    root: Path
    format: DatasetFormat
    files: tuple[DataFile, ...]  # in row order: sorted by relative path
    columns: tuple[str, ...]  # the data columns, then the partition columns
    partition_columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.root.resolve().name

    @property
    def data_columns(self) -> tuple[str, ...]:
        return self.columns[: len(self.columns) - len(self.partition_columns)]

    def digest(self) -> str:
        """SHA-256 (hex) of the manifest: one line "relative path, tab, SHA-256 of the file's
        bytes" per file, in order. Renaming, adding, dropping or changing a file changes it."""
        manifest = hashlib.sha256()
        for file in self.files:
            manifest.update(f"{file.relative}\t{file_sha256(file.path)}\n".encode())
        return manifest.hexdigest()


def file_sha256(source: str | os.PathLike[str] | BinaryIO) -> str:
    """SHA-256 (hex) of a file's bytes, read a block at a time (a Spark executor runs it too,
    on a stream it opened)."""
    digest = hashlib.sha256()
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            _feed(digest, stream)
    else:
        _feed(digest, source)
    return digest.hexdigest()


def _feed(digest: hashlib._Hash, stream: BinaryIO) -> None:
    while block := stream.read(_BLOCK):
        digest.update(block)


def open_dataset(path: Path) -> Dataset:
    """The dataset in directory `path`, checked: one format, the same columns and partition
    keys in every file, and rows in at least one. Raises `DatasetError` naming the path."""
    path = Path(path)
    if not path.is_dir():
        raise _error(path, "not a directory", "不是文件夹")
    files = list(_walk(path))
    if not files:
        raise _error(
            path,
            "no data files (Parquet or CSV) in the directory",
            "文件夹中没有数据文件（Parquet 或 CSV）",
        )
    fmt = _one_format(path, files)
    partitions = _partition_keys(path, files)
    columns = _same_columns(files, fmt)
    clash = next((key for key in partitions if key in columns), None)
    if clash is not None:
        raise _error(
            path,
            f"partition column '{clash}' is also a column of the files",
            f"分区列 '{clash}' 也是文件中的列",
        )
    if not any(has_rows(file, fmt) for file in files):
        raise _error(path, "no rows in any file of the directory", "文件夹中的文件都没有数据行")
    return Dataset(path, fmt, tuple(files), (*columns, *partitions), partitions)


def file_dataset(path: Path) -> Dataset | None:
    """One Parquet or CSV file as a dataset of one file (None for another kind of file), for
    a reader that takes datasets only (the Spark engine). Raises `DatasetError` if it has no
    rows."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    file = DataFile(path, path.name, ())
    if not has_rows(file, fmt):
        raise _error(path, "no rows", "没有数据行")
    return Dataset(path.parent, fmt, (file,), _columns(file, fmt), ())


def has_rows(file: DataFile, fmt: DatasetFormat) -> bool:
    """Whether the file holds a row, from its footer (Parquet) or first lines (CSV)."""
    if file.path.stat().st_size == 0:
        return False
    if fmt == "parquet":
        return _parquet_rows(file.path) > 0
    with file.path.open("rb") as stream:
        stream.readline()  # the header; polars reads even a blank line after it as a row
        return bool(stream.read(1))


def _walk(root: Path) -> Iterable[DataFile]:
    found: list[DataFile] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not _hidden(d)]  # pruned: os.walk does not enter them
        for name in names:
            if _hidden(name):
                continue
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            found.append(DataFile(path, relative, _partitions(relative)))
    return sorted(found, key=lambda f: f.relative)


def _hidden(name: str) -> bool:
    return name.startswith(("_", "."))


def _partitions(relative: str) -> tuple[tuple[str, str | None], ...]:
    pairs = []
    for part in relative.split("/")[:-1]:
        key, equals, value = part.partition("=")
        if equals and key:
            text = unquote(value)
            pairs.append((unquote(key), None if text == _NULL_PARTITION else text))
    return tuple(pairs)


def _one_format(root: Path, files: Sequence[DataFile]) -> DatasetFormat:
    formats: dict[DatasetFormat, DataFile] = {}
    for file in files:
        fmt = _FORMATS.get(file.path.suffix.lower())
        if fmt is None:
            raise _error(
                file.path,
                "not a Parquet or CSV file (every file of a dataset directory is read as data)",
                "不是 Parquet 或 CSV 文件（数据集文件夹中的每个文件都作为数据读取）",
            )
        formats.setdefault(fmt, file)
    if len(formats) > 1:
        a, b = formats["parquet"].relative, formats["csv"].relative
        raise _error(
            root,
            f"files of two formats: Parquet ({a}) and CSV ({b}); a dataset has one",
            f"文件有两种格式：Parquet（{a}）和 CSV（{b}）；一个数据集只能有一种",
        )
    return next(iter(formats))


def _partition_keys(root: Path, files: Sequence[DataFile]) -> tuple[str, ...]:
    first = files[0]
    keys = tuple(key for key, _ in first.partitions)
    for file in files[1:]:
        other = tuple(key for key, _ in file.partitions)
        if other != keys:
            raise _error(
                root,
                f"inconsistent partition directories: {first.relative} has "
                f"{_keys(keys)}, {file.relative} has {_keys(other)}",
                f"分区目录不一致：{first.relative} 为 {_keys(keys)}，"
                f"{file.relative} 为 {_keys(other)}",
            )
    if len(set(keys)) < len(keys):
        raise _error(
            root, f"a partition key repeats in {first.relative}", f"{first.relative} 中分区键重复"
        )
    return keys


def _keys(keys: Sequence[str]) -> str:
    return "(" + ", ".join(keys) + ")" if keys else "()"


def _same_columns(files: Sequence[DataFile], fmt: DatasetFormat) -> tuple[str, ...]:
    """The first file's columns, once every other file is found to have the same ones: the same
    names in the same order for CSV (read by position); the same names for Parquet (by name)."""
    readable = [file for file in files if file.path.stat().st_size > 0]
    if not readable:
        return ()
    first, columns = readable[0], _columns(readable[0], fmt)
    for file in readable[1:]:
        other = _columns(file, fmt)
        same = other == columns if fmt == "csv" else sorted(other) == sorted(columns)
        if not same:
            column = _first_difference(columns, other, fmt)
            raise _error(
                file.path,
                f"its columns differ from those of {first.relative}, the first file: "
                f"column '{column}'",
                f"其列与第一个文件 {first.relative} 的列不同：列 '{column}'",
            )
    return columns


def _first_difference(first: Sequence[str], other: Sequence[str], fmt: DatasetFormat) -> str:
    if fmt == "csv":
        for a, b in zip(first, other, strict=False):
            if a != b:
                return a
        longer = first if len(first) > len(other) else other
        return longer[min(len(first), len(other))]
    missing = [name for name in first if name not in other]
    return (missing or [name for name in other if name not in first])[0]


def _columns(file: DataFile, fmt: DatasetFormat) -> tuple[str, ...]:
    return _parquet_columns(file.path) if fmt == "parquet" else _csv_header(file.path)


def _parquet_columns(path: Path) -> tuple[str, ...]:
    try:
        return tuple(pl.read_parquet_schema(path))  # the footer only
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _error(path, f"not a readable Parquet file ({_first_line(exc)})") from None


def _parquet_rows(path: Path) -> int:
    try:
        scan = pl.scan_parquet(path, glob=False, hive_partitioning=False)
        return int(scan.select(pl.len()).collect().item())  # from the footer's row counts
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _error(path, f"not a readable Parquet file ({_first_line(exc)})") from None


def _csv_header(path: Path) -> tuple[str, ...]:
    """The header's names as the CSV reader takes them: UTF-8 (with or without byte-order mark),
    else GB18030; split on commas, or on tabs when the line has tabs and no commas."""
    with path.open("rb") as stream:
        head = stream.read(_BLOCK)
    codec = next((codec for mark, codec in _BOMS if head.startswith(mark)), None)
    text = _decoded(head, codec) if codec else _decoded(head, "utf-8") or _decoded(head, "gb18030")
    line = (text or "").splitlines()[0] if (text or "").strip() else ""
    separator = "\t" if "\t" in line and "," not in line else ","
    names = next(csv.reader([line], delimiter=separator), [])
    return tuple(name.replace("\ufeff", "") for name in names)


def _decoded(head: bytes, codec: str) -> str | None:
    try:
        return codecs.getincrementaldecoder(codec)().decode(head, final=False)
    except UnicodeDecodeError:
        return None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class Member(str):
    """One data file of a dataset, as a location for the scanner: the file's path, carrying its
    partition values for `open_source` to add as columns. A `str` because the scanner passes
    its locations, as given, to `open_source`."""

    file: DataFile
    partition_columns: tuple[str, ...]

    def __new__(cls, file: DataFile, partition_columns: tuple[str, ...]) -> Member:
        member = super().__new__(cls, str(file.path))
        member.file, member.partition_columns = file, partition_columns
        return member


def scan_locations(locations: Sequence[str]) -> list[str]:
    """`locations` with each dataset directory replaced by its files that hold rows, in order:
    the scanner reads them as one dataset, and its sample rule (the first rows of each file)
    stays that of files named one by one."""
    expanded: list[str] = []
    for location in locations:
        if isinstance(location, Member) or not Path(location).is_dir():
            expanded.append(location)
            continue
        dataset = open_dataset(Path(location))
        expanded += [
            Member(file, dataset.partition_columns)
            for file in dataset.files
            if has_rows(file, dataset.format)
        ]
    return expanded


def _error(path: Path, message: str, zh: str | None = None) -> DatasetError:
    return DatasetError(message, zh=zh, file=str(path))
