"""Reading the key columns of a dataset file.

`read_columns` reads only the columns asked for, every value as text, so leading zeros and the X
of a resident ID survive: CSV and TSV in the encodings Chinese exports come in (UTF-8 with or
without a byte-order mark, GBK, GB18030, Excel's UTF-16 "Unicode text"), XLSX, Parquet and JSON
Lines. Every failure is a `DatasetError` naming the file and, where known, the line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl
from polars.exceptions import NoDataError, PanicException, PolarsError

from kuajing.errors import DatasetError
from kuajing.zipcheck import ZipLimits, check_zip

if TYPE_CHECKING:
    from kuajing.scan.dataset import Dataset as Directory

Format = Literal["csv", "xlsx", "parquet", "jsonl"]

# Extension -> format and, for CSV, the field separator.
_KINDS: dict[str, tuple[Format, str]] = {
    ".csv": ("csv", ","),
    ".txt": ("csv", ","),
    ".tsv": ("csv", "\t"),
    ".xlsx": ("xlsx", ""),
    ".parquet": ("parquet", ""),
    ".jsonl": ("jsonl", ""),
    ".ndjson": ("jsonl", ""),
}
_CHUNK = 1 << 20  # bytes per read: a file may be far larger than memory
_SAMPLE = 1000  # JSON Lines lines whose keys are learnt before a full pass is needed
_LISTED = 30  # header names quoted in an unknown-column message
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_POLARS_ERRORS = (PolarsError, PanicException, OSError)  # a Rust panic is a BaseException
# openpyxl and the XML parser beneath it raise these for damaged or foreign files.
_XLSX_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError, OSError)
# What an export batch in XLSX may unpack to, checked before openpyxl opens it (`zipcheck`).
# Excel's sheets stop at 1,048,576 rows; one that full, 40 columns wide, is about 2 GB of XML.
XLSX_LIMITS = ZipLimits(
    max_unpacked=4 << 30,  # the sheet, its shared strings and the rest
    max_member=2 << 30,
    max_rows=1_048_576,
)
_DEDUPED = re.compile(r"(.*)_duplicated_\d+")  # polars' name for a repeated CSV header
_GLOB = re.compile(r"[*?\[\]{}]")  # polars' NDJSON reader would expand these in a path

_Read = tuple[pl.DataFrame, str, str | None, int]  # frame, digest, encoding, first line


@dataclass(frozen=True)
class Dataset:
    """The requested columns of one file, as text, with what identifies and locates its rows."""

    frame: pl.DataFrame  # only the requested columns, all pl.String, in file row order
    rows: int
    digest: str  # SHA-256 hex of the file's raw bytes
    format: Format
    encoding: str | None  # CSV only: "utf-8", "utf-8-sig", "utf-16" or "gb18030"
    first_line: int  # line (CSV) or row (XLSX, Parquet, JSON Lines) of frame row 0


def read_columns(path: Path, columns: Sequence[str]) -> Dataset:
    """Read `columns` of the dataset at `path`, each as a String column, in file row order."""
    path = Path(path)
    kind, separator = _kind(path)
    wanted = _wanted(columns, path)
    try:
        _check_file(path)
        frame, digest, encoding, first_line = _read(kind, path, wanted, separator)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if frame.height == 0:
        raise _error(path, "no rows")
    return Dataset(
        frame=frame,
        rows=frame.height,
        digest=digest,
        format=kind,
        encoding=encoding,
        first_line=first_line,
    )


@dataclass(frozen=True)
class DatasetBatches:
    """The requested columns of one file in frames of at most a given number of rows, read as
    they are iterated (CSV; other formats are read whole first), with the file's identity."""

    frames: Iterator[pl.DataFrame]  # as in `Dataset.frame`; a file without rows raises at the end
    digest: str
    format: Format
    encoding: str | None
    first_line: int
    # A dataset directory's files, as they are reached: (their first row in the frames, path,
    # first line). Empty for one file.
    files: list[tuple[int, str, int]] = field(default_factory=list)

    def place(self, row: int) -> tuple[str | None, int]:
        """The file (None: the one file) and line of row `row` (from 0) of the frames."""
        start, path, first_line = next(
            (f for f in reversed(self.files) if f[0] <= row), (0, None, self.first_line)
        )
        return path, first_line + row - start


@contextmanager
def read_column_batches(path: Path, columns: Sequence[str], rows: int) -> Iterator[DatasetBatches]:
    """`read_columns` for files larger than memory: CSV is parsed batch by batch (any other
    format is read whole). Iterate the frames inside the `with`: a transcoded copy lives there."""
    path = Path(path)
    kind, separator = _kind(path)
    wanted = _wanted(columns, path)
    if kind != "csv":
        data = read_columns(path, wanted)
        frames = iter(data.frame.iter_slices(rows))
        yield DatasetBatches(frames, data.digest, kind, data.encoding, data.first_line)
        return
    with ExitStack() as stack:
        try:
            _check_file(path)
            scan = _scan(path)
            source, encoding = stack.enter_context(_utf8_source(path, scan))
        except OSError as exc:
            raise _unreadable(path, exc) from None
        query, width = _csv_query(source, path, wanted, separator)
        frames = _csv_batches(query, (path, source, separator, width), rows)
        yield DatasetBatches(frames, scan.digest, "csv", encoding, 2)  # the header is line 1


@contextmanager
def read_directory_batches(
    directory: Directory, columns: Sequence[str], rows: int
) -> Iterator[DatasetBatches]:
    """`read_column_batches` for a dataset directory: its files that hold rows, one after
    another, each read as one file is (so memory stays bounded by the largest file's key
    columns); a partition column's value comes from the file's path. The digest is the
    directory's (`Dataset.digest`)."""
    from kuajing.scan.dataset import has_rows  # noqa: PLC0415  (it imports nothing of this)

    wanted = _wanted(columns, directory.root)
    names = [name.replace("\ufeff", "").strip() for name in directory.columns]
    for name in wanted:
        if name.strip() not in names:
            en, zh = _unknown(name.strip(), names)
            raise _error(directory.root, en, zh=zh)
    partitioned = {
        name: name.strip() for name in wanted if name.strip() in directory.partition_columns
    }
    read = [name for name in wanted if name not in partitioned] or [directory.columns[0]]
    files = [f for f in directory.files if has_rows(f, directory.format)]
    reached: list[tuple[int, str, int]] = []

    def frames() -> Generator[pl.DataFrame]:
        done = 0
        for file in files:
            values = dict(file.partitions)
            filled = [pl.lit(values[k], dtype=pl.String).alias(n) for n, k in partitioned.items()]
            with read_column_batches(file.path, read, rows) as batches:
                reached.append((done, str(file.path), batches.first_line))
                for frame in batches.frames:
                    done += frame.height
                    yield frame.with_columns(filled).select(wanted)

    digest = directory.digest()
    with closing(frames()) as each:
        yield DatasetBatches(each, digest, directory.format, None, 1, reached)


def _read(kind: Format, path: Path, wanted: list[str], separator: str) -> _Read:
    if kind == "csv":
        return _read_csv(path, wanted, separator)
    digest = _digest(path)
    if kind == "xlsx":
        frame, first_line = _read_xlsx(path, wanted)
    elif kind == "parquet":
        frame, first_line = _read_parquet(path, wanted), 1
    else:
        frame, first_line = _read_jsonl(path, wanted), 1
    return frame, digest, None, first_line


# --- checks shared by every format ----------------------------------------------------------


def _error(
    path: Path, message: str, line: int | None = None, zh: str | None = None
) -> DatasetError:
    return DatasetError(_one_line(message), zh=zh and _one_line(zh), file=str(path), line=line)


def _unreadable(path: Path, exc: OSError) -> DatasetError:
    why = exc.strerror or str(exc)
    return _error(path, f"cannot read the file: {why}", zh=f"无法读取文件：{why}")


def _one_line(text: str) -> str:
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _kind(path: Path) -> tuple[Format, str]:
    suffix = path.suffix.lower()
    if suffix not in _KINDS:
        shown = f"'{suffix}'" if suffix else "(no extension)"
        raise _error(path, f"unsupported file type {shown}; use CSV, XLSX, Parquet or JSON Lines")
    return _KINDS[suffix]


def _wanted(columns: Sequence[str], path: Path) -> list[str]:
    names = [columns] if isinstance(columns, str) else list(columns)
    if not names:
        raise _error(path, "no key columns given")
    seen: set[str] = set()
    for name in names:
        key = name.strip()
        if not key:
            raise _error(path, "a key column name is empty")
        if key in seen:
            raise _error(path, f"key column '{key}' is given more than once")
        seen.add(key)
    return names


def _check_file(path: Path) -> None:
    if not path.exists():
        raise _error(path, "no such file", zh="文件不存在")
    if path.is_dir():
        raise _error(path, "a directory, not a file", zh="是文件夹，不是文件")
    if not path.is_file():
        raise _error(path, "not a regular file", zh="不是普通文件")
    if path.stat().st_size == 0:
        raise _error(path, "empty file", zh="文件为空")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _match(header: Sequence[str], wanted: list[str], path: Path, line: int | None) -> list[int]:
    """The position in `header` of each wanted column; names compare without edge white space."""
    names = [name.replace("\ufeff", "").strip() for name in header]
    positions = []
    for name in wanted:
        key = name.strip()
        found = [i for i, have in enumerate(names) if have == key]
        if not found:
            en, zh = _unknown(key, names)
            raise _error(path, en, line, zh=zh)
        if len(found) > 1:
            raise _error(path, f"the header has {len(found)} columns named '{key}'", line)
        positions.append(found[0])
    return positions


def _unknown(key: str, names: list[str], what: str = "key column") -> tuple[str, str]:
    """The message, in English and Chinese, for a column the file does not have."""
    listed = [name for name in names if name]
    shown = ", ".join(listed[:_LISTED])
    if len(listed) > _LISTED:
        shown += f", … ({len(listed) - _LISTED} more)"
    # Case-insensitive, as exports differ mostly in case: sfzh against SFZH.
    lowered = {name.lower(): name for name in listed}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=1)
    hint = f" (did you mean '{lowered[close[0]]}'?)" if close else ""
    hint_zh = f"（是否指 '{lowered[close[0]]}'？）" if close else ""
    what_zh = "键列" if what == "key column" else f" {what.removesuffix(' column')} 列"
    return (
        f"unknown {what} '{key}'{hint}; the file has: {shown or 'no named columns'}",
        f"未知的{what_zh} '{key}'{hint_zh}；文件中的列为：{shown or '无列名'}",
    )


@contextmanager
def _temporary(suffix: str) -> Iterator[Path]:
    """A temporary file's path, deleted afterwards whatever happens."""
    handle, name = tempfile.mkstemp(prefix="kuajing-", suffix=suffix)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


# --- CSV ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    digest: str
    bom: str | None  # the codec a byte-order mark names
    not_utf8: int | None  # byte offset of the first byte that is not UTF-8


def _read_csv(path: Path, wanted: list[str], separator: str) -> _Read:
    scan = _scan(path)
    with _utf8_source(path, scan) as (source, encoding):
        frame = _csv_frame(source, path, wanted, separator)
    return frame, scan.digest, encoding, 2  # the header is line 1


def _scan(path: Path) -> _Scan:
    """One pass over the raw bytes: their digest, any byte-order mark, and whether it is UTF-8."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    bom: str | None = None
    not_utf8: int | None = None
    offset = 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            if offset == 0:
                bom = next((codec for mark, codec in _BOMS if chunk.startswith(mark)), None)
            if not_utf8 is None and not (bom or "").startswith("utf-16"):
                not_utf8 = _undecodable(decoder, chunk, offset, final=False)
            offset += len(chunk)
    if not_utf8 is None and not (bom or "").startswith("utf-16"):
        not_utf8 = _undecodable(decoder, b"", offset, final=True)
    return _Scan(digest.hexdigest(), bom, not_utf8)


def _undecodable(
    decoder: codecs.IncrementalDecoder, chunk: bytes, offset: int, *, final: bool
) -> int | None:
    """Feed `chunk` (which starts at byte `offset`) to `decoder`; where it fails, or None."""
    pending = decoder.getstate()[0]
    if chunk.isascii() and not pending and not final:
        return None  # most of most files: no need to build the text
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError as exc:
        return offset - len(pending) + exc.start  # exc.start counts from the pending bytes
    return None


@contextmanager
def _utf8_source(path: Path, scan: _Scan) -> Iterator[tuple[Path, str]]:
    """A UTF-8 file with the content of `path` for polars, and the encoding `path` is in.

    UTF-8 is read in place. Anything else is transcoded chunk by chunk into a temporary file.
    """
    if scan.bom == "utf-8-sig" and scan.not_utf8 is not None:
        line = _line_at(path, scan.not_utf8, "utf-8")
        raise _error(path, "not UTF-8 text, though it starts with a UTF-8 byte-order mark", line)
    if scan.bom == "utf-8-sig" or (scan.bom is None and scan.not_utf8 is None):
        yield path, scan.bom or "utf-8"
        return
    codec = scan.bom or "gb18030"  # GB18030 is a superset of GBK and GB2312
    with _temporary(".csv") as target:
        failed = _transcode(path, codec, 2 if scan.bom else 0, target)
        if failed is not None and scan.bom:
            line = _line_at(path, failed, "utf-16")
            raise _error(
                path, "not UTF-16 text, though it starts with a UTF-16 byte-order mark", line
            )
        if failed is not None:
            # The encoding that decodes further is the likelier one; name its first bad line.
            offset = max(failed, scan.not_utf8 or 0)
            raise _error(path, "not UTF-8, GBK or GB18030 text", _line_at(path, offset, codec))
        yield target, "utf-16" if scan.bom else codec


def _transcode(path: Path, codec: str, skip: int, target: Path) -> int | None:
    """Write `path` from byte `skip` on as UTF-8 to `target`; where decoding fails, or None."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = skip
    with path.open("rb") as source, target.open("wb") as out:
        source.seek(skip)
        while chunk := source.read(_CHUNK):
            pending = decoder.getstate()[0]
            try:
                out.write(decoder.decode(chunk).encode("utf-8"))
            except UnicodeDecodeError as exc:
                return offset - len(pending) + exc.start
            offset += len(chunk)
        pending = decoder.getstate()[0]
        try:
            out.write(decoder.decode(b"", True).encode("utf-8"))
        except UnicodeDecodeError:
            return offset - len(pending)
    return None


def _line_at(path: Path, offset: int, codec: str) -> int:
    """The line holding byte `offset` of `path`."""
    newlines = 0
    # UTF-16 has NUL bytes beside each newline; count decoded ones. In UTF-8 and GB18030 byte
    # 0x0A is only ever a newline, so the bytes can be counted as they are.
    decoder = codecs.getincrementaldecoder("utf-16")("replace") if codec == "utf-16" else None
    with path.open("rb") as file:
        remaining = offset
        while remaining > 0 and (chunk := file.read(min(_CHUNK, remaining))):
            if decoder is None:
                newlines += chunk.count(b"\n")
            else:
                newlines += decoder.decode(chunk).count("\n")
            remaining -= len(chunk)
    return newlines + 1


# Without projection pushdown polars parses every field, and so notices rows with more fields
# than the header.
_EVERY_FIELD = pl.QueryOptFlags(projection_pushdown=False)


def _csv_frame(source: Path, path: Path, wanted: list[str], separator: str) -> pl.DataFrame:
    query, width = _csv_query(source, path, wanted, separator)
    try:
        # Streaming keeps only the wanted columns in memory.
        return query.collect(engine="streaming", optimizations=_EVERY_FIELD)
    except _POLARS_ERRORS as exc:
        raise _malformed(path, source, separator, width, exc) from None


def _csv_batches(
    query: pl.LazyFrame, where: tuple[Path, Path, str, int], rows: int
) -> Iterator[pl.DataFrame]:
    """The query's frames of at most `rows` rows; `where` locates a malformed line."""
    # Polars' streaming CSV reader runs ahead of a slow consumer by a number of its chunks;
    # 1 MiB chunks (its own knob, read per query) keep that under 0.1 GiB where the default
    # held 0.35 GiB of a 181 MiB file, at the same speed.
    os.environ.setdefault("POLARS_CSV_CHUNK_SIZE", str(1 << 20))
    read = 0
    try:
        for frame in query.collect_batches(
            chunk_size=rows, engine="streaming", optimizations=_EVERY_FIELD
        ):
            read += frame.height
            if frame.height:
                yield frame
    except _POLARS_ERRORS as exc:
        raise _malformed(*where, exc) from None
    if not read:
        raise _error(where[0], "no rows")


def _csv_query(
    source: Path, path: Path, wanted: list[str], separator: str
) -> tuple[pl.LazyFrame, int]:
    """The wanted columns of the CSV, as a query, and how many fields the header has."""
    header: list[str] = []
    separator = _separator(source, separator)

    def by_position(names: list[str]) -> list[str]:
        header[:] = _original_names(names)
        return [f"c{i}" for i in range(len(names))]  # header names may repeat or be empty

    try:
        scan = pl.scan_csv(
            source,
            separator=separator,
            infer_schema=False,  # every column String: leading zeros and X stay
            with_column_names=by_position,
            glob=False,
        )
        scan.collect_schema()
    except NoDataError:
        raise _error(path, "no rows") from None
    except _POLARS_ERRORS as exc:
        raise _malformed(path, source, separator, 0, exc) from None
    positions = _match(header, wanted, path, 1)
    query = scan.select(
        pl.col(f"c{i}").alias(name) for i, name in zip(positions, wanted, strict=True)
    )
    return query, len(header)


def _separator(source: Path, separator: str) -> str:
    """Tab for a header with tabs and no commas: Excel's "Unicode text" is tab-separated."""
    with source.open("rb") as file:
        head = file.readline(_CHUNK)
    return "\t" if separator == "," and b"\t" in head and b"," not in head else separator


def _original_names(names: list[str]) -> list[str]:
    """Undo polars' renaming of a repeated header name, so the repetition can be reported."""
    original: list[str] = []
    for name in names:
        renamed = _DEDUPED.fullmatch(name)
        original.append(renamed.group(1) if renamed and renamed.group(1) in original else name)
    return original


def _malformed(
    path: Path, source: Path, separator: str, width: int, exc: BaseException
) -> DatasetError:
    """Polars says the CSV is malformed but rarely where: find the line with Python's reader."""
    line, problem = _csv_problem(source, separator, width)
    if problem:
        return _error(path, problem, line)
    return _error(path, f"malformed CSV: {_first_line(exc)}")


def _csv_problem(source: Path, separator: str, width: int) -> tuple[int | None, str]:
    """The first line Python's strict CSV reader rejects, or with more fields than `width`."""
    start = 1  # line on which the current record starts
    with source.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file, delimiter=separator, strict=True)
        try:
            for row in reader:
                if width and len(row) > width:
                    return start, f"{len(row)} fields, but the header has {width}"
                start = reader.line_num + 1
        except csv.Error as exc:
            message = str(exc)
            if "unexpected end of data" in message:
                message = "a quoted field is never closed"
            return start, message
    return None, ""


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(path: Path, wanted: list[str]) -> tuple[pl.DataFrame, int]:
    with workbook_rows(path) as rows:
        return _sheet_frame(rows, path, wanted)


@contextmanager
def workbook_rows(
    path: Path, limits: ZipLimits = XLSX_LIMITS
) -> Iterator[Iterator[Sequence[object]]]:
    """The rows of the workbook's first sheet, read as they stream past, once the package is
    within `limits`."""
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415  (a quarter second; XLSX only)

    _check_package(path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl has no common error class; this call reads only the file
        raise _error(path, f"not a readable XLSX workbook ({_first_line(exc)})") from None
    try:
        if not book.worksheets:
            raise _error(path, "the workbook has no worksheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read what is there
        # Closed explicitly: a half-read sheet would otherwise hold the file open.
        with closing(_rows(sheet, path, limits.max_rows)) as rows:
            yield rows
    finally:
        book.close()


def _check_package(path: Path, limits: ZipLimits) -> None:
    try:
        check_zip(path, limits, lambda message: _error(path, message), "XLSX")
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _error(path, f"not a readable XLSX workbook ({_first_line(exc)})") from None
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _rows(sheet: Any, path: Path, max_rows: int | None) -> Generator[Sequence[object]]:
    # min_row=1: row numbers hold. openpyxl yields an empty row for each number a sheet skips,
    # so a row numbered 999,999,999 alone would be a billion rows: counted here as they come.
    try:
        with closing(sheet.iter_rows(min_row=1, values_only=True)) as rows:  # and its file
            for number, row in enumerate(rows, start=1):
                if max_rows is not None and number > max_rows:
                    raise _error(
                        path, f"the first worksheet has more than {max_rows:,} rows, the limit"
                    )
                yield row
    except _XLSX_ERRORS as exc:
        raise _error(path, f"not a readable XLSX worksheet ({_first_line(exc)})") from None


def _sheet_frame(
    rows: Iterator[Sequence[object]], path: Path, wanted: list[str]
) -> tuple[pl.DataFrame, int]:
    """The wanted columns under the first non-empty row, the header; and the first data row."""
    header_row = 0
    for number, row in enumerate(rows, start=1):
        if any(_filled(value) for value in row):
            header = [_cell_text(value) or "" for value in row]
            header_row = number
            break
    else:
        raise _error(path, "no rows: the first worksheet is empty")
    positions = _match(header, wanted, path, header_row)
    columns: list[list[str | None]] = [[] for _ in wanted]
    last = 0  # the last row with any value: empty rows at the end don't count
    for count, row in enumerate(rows, start=1):
        if any(_filled(value) for value in row):
            last = count
        for values, i in zip(columns, positions, strict=True):
            values.append(_cell_text(row[i]) if i < len(row) else None)
    frame = pl.DataFrame(
        [
            pl.Series(name, values[:last], dtype=pl.String)
            for name, values in zip(wanted, columns, strict=True)
        ]
    )
    return frame, header_row + 1


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> str | None:
    """A cell as the text it shows: a phone typed as a number is 13812345678, not 13812345678.0."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.tzinfo is None and value.time() == dt.time():
        return value.date().isoformat()  # a date cell; Excel has no separate date type
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- Parquet --------------------------------------------------------------------------------


def _read_parquet(path: Path, wanted: list[str]) -> pl.DataFrame:
    try:
        scan = pl.scan_parquet(path, glob=False, hive_partitioning=False)
        schema = scan.collect_schema()
    except _POLARS_ERRORS as exc:
        raise _error(path, f"not a readable Parquet file ({_first_line(exc)})") from None
    names = schema.names()
    positions = _match(names, wanted, path, None)
    exprs = [
        _as_text(names[i], schema[names[i]], path).alias(name)
        for i, name in zip(positions, wanted, strict=True)
    ]
    try:
        return scan.select(exprs).collect()
    except _POLARS_ERRORS as exc:
        raise _error(path, f"cannot read the Parquet data ({_first_line(exc)})") from None


def _as_text(name: str, dtype: pl.DataType, path: Path) -> pl.Expr:
    column = pl.col(name)
    if dtype.is_nested():
        raise _error(path, f"key column '{name}' holds {dtype} values, not single values")
    if dtype.is_float():
        # As in XLSX: a whole number without ".0", so 13812345678.0 reads as a phone number.
        whole = column.is_finite() & (column.round(0) == column) & (column.abs() < 1e18)
        as_int = column.cast(pl.Int64, strict=False).cast(pl.String)
        return pl.when(whole).then(as_int).otherwise(column.cast(pl.String))
    return column.cast(pl.String)


# --- JSON Lines -----------------------------------------------------------------------------


def _read_jsonl(path: Path, wanted: list[str]) -> pl.DataFrame:
    with _readable_jsonl(path) as source:
        keys = _jsonl_keys(source, path, _SAMPLE)
        if any(name.strip() not in keys for name in wanted):
            keys = _jsonl_keys(source, path, None)  # a key may first appear late in the file
        positions = _match(keys, wanted, path, None)
        # A schema of only the wanted keys, as String: polars then reads just those, numbers
        # and nested values included, as text.
        schema = {keys[i]: pl.String for i in positions}
        try:
            frame = pl.read_ndjson(source, schema=schema)
        except _POLARS_ERRORS as exc:
            _jsonl_keys(source, path, None)  # raises with the line number when it finds the line
            raise _error(path, f"malformed JSON Lines: {_first_line(exc)}") from None
    return frame.select(
        pl.col(keys[i]).alias(name) for i, name in zip(positions, wanted, strict=True)
    )


@contextmanager
def _readable_jsonl(path: Path) -> Iterator[Path]:
    """`path`, or a copy without what polars trips on: a UTF-8 BOM, glob characters in the name."""
    with path.open("rb") as file:
        bom = file.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    if not bom and not _GLOB.search(str(path)):
        yield path
        return
    with _temporary(".jsonl") as copy:
        with path.open("rb") as source, copy.open("wb") as out:
            source.seek(len(codecs.BOM_UTF8) if bom else 0)
            shutil.copyfileobj(source, out, _CHUNK)
        yield copy


def _jsonl_keys(source: Path, path: Path, limit: int | None) -> list[str]:
    """The keys of the objects on the first `limit` lines (all lines if None), each checked."""
    keys: dict[str, None] = {}
    objects = 0
    with source.open("rb") as file:
        for number, raw in enumerate(file, start=1):
            if limit is not None and number > limit:
                return list(keys)
            if not raw.strip():
                continue  # blank lines are allowed, and skipped by polars too
            keys.update(dict.fromkeys(_json_object(raw, path, number)))
            objects += 1
    if not objects:
        raise _error(path, "no rows")
    return list(keys)


def _json_object(raw: bytes, path: Path, number: int) -> dict[str, object]:
    try:
        value = json.loads(raw.decode("utf-8").rstrip("\r\n"))
    except UnicodeDecodeError:
        raise _error(path, "not UTF-8 text", number) from None
    except json.JSONDecodeError as exc:
        raise _error(path, f"not valid JSON: {exc.msg} (column {exc.colno})", number) from None
    if not isinstance(value, dict):
        kind = _JSON_KINDS.get(type(value), "value")
        raise _error(path, f"a JSON {kind}, not an object", number)
    return value


_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}
