"""Recording an export batch from a file: read, normalise, hash, record. Kept apart from the
other ledger services because it needs the heavy readers (polars, numpy, openpyxl)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import numpy as np

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.models import Exemption
from kuajing.engine.resolve import scopes_named
from kuajing.errors import DatasetError, RequestError
from kuajing.ledger.hash_pool import Hasher
from kuajing.ledger.identity import person_keys
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import BatchMeta, Recorded, ScanDecision
from kuajing.ledger.record import CHUNK, Members
from kuajing.ledger.runs import ordered
from kuajing.scan.dataset import open_dataset
from kuajing.scan.models import ScanReport
from kuajing.scan.read import DatasetBatches, read_column_batches, read_directory_batches
from kuajing.services.forecast_notices import after_batch
from kuajing.trail.batches import on_batch

T = TypeVar("T")
CHUNK_ROWS = CHUNK  # rows read, normalised and hashed at a time: what bounds the memory used


def record_file(
    ledger: Ledger,
    catalog: Catalog,
    *,
    who: Principal | None,
    processor: str,
    date: dt.date,
    path: Path,
    key: Sequence[str] = (),
    sensitive: bool | None = None,
    scenario: str | None = None,
    exemption: Exemption | None = None,
    recipient: str | None = None,
    today: dt.date | None = None,
) -> Recorded:
    """Read, hash and record one export batch, a chunk of rows at a time (memory stays bounded
    whatever the file's size). The write is one transaction: a file found bad part-way (a row
    naming nobody, a malformed line) leaves the ledger as it was. Without `key` or
    `sensitive`, the scanner chooses the key column and decides whether the batch carries
    sensitive PI. The audit trail names `who` recorded it (None: the operator, at the command
    line). `path` may be a directory of Parquet or CSV files: one batch, named after it."""
    processor, scopes = batch_request(catalog, processor, date, scenario, today)
    decided = None
    if not _given(key) or sensitive is None:
        decided, sensitive = _scan(catalog, path, key, sensitive, date)
        key = decided.key
    columns = _columns(key)
    with _read(path, columns) as data:
        found = ledger.find(processor, data.digest)
        if found is not None:
            return Recorded(batch=found, new=False)
        members = Members(chunks=[])
        members.chunks = _prefetched(ordered(_hashed(ledger, data, columns, path, members), CHUNK))
        # An exempt batch stores nobody: its persons are only counted.
        persons = 0 if exemption is None else sum(map(len, members.chunks))
        batch = BatchMeta(
            processor=processor,
            digest=data.digest,
            date=date,
            scenario=scenario,
            scopes=sorted(scopes),
            exemption=exemption,
            sensitive=sensitive,
            recipient=recipient,
            source=path.resolve().name if path.is_dir() else path.name,
            format=data.format,
            key_columns=columns,
            rows=members.rows,
            persons=persons,
        )
        recorded = ledger.record(
            batch, members, also=on_batch(ledger.keyring, who, "ledger.batch_recorded")
        )
    if who is not None and recorded.new:  # a projected crossing may now be within its lead time
        after_batch(ledger, catalog, who, today or dt.date.today())
    return recorded.model_copy(update={"scan": decided}) if decided else recorded


def _read(path: Path, columns: list[str]) -> AbstractContextManager[DatasetBatches]:
    if path.is_dir():  # a dataset directory: checked before anything is read
        return read_directory_batches(open_dataset(path), columns, CHUNK_ROWS)
    return read_column_batches(path, columns, CHUNK_ROWS)


def batch_request(
    catalog: Catalog, processor: str, date: dt.date, scenario: str | None, today: dt.date | None
) -> tuple[str, list[str]]:
    """The processor's name and the scopes a batch counts in, once the request is checked."""
    processor = _name(processor, "processor")
    if date > (today or dt.date.today()):
        raise RequestError(
            "an export batch records data that has left: the date is in the future", path="date"
        )
    if catalog.regime_on(date) is None:
        raise RequestError(f"no national regime in the catalogue on {date}", path="date")
    # Counting scopes: an edition's scope that incorporates an earlier one counts in the earlier
    # one's pool, so a batch is recorded once per pool whichever edition names it.
    refs = scopes_named(catalog, scenario, ("scenario",)) if scenario else []
    return processor, list(dict.fromkeys(r.pool for r in refs))


def _hashed(
    ledger: Ledger, data: DatasetBatches, columns: list[str], path: Path, members: Members
) -> Iterator[np.ndarray]:
    """Each frame's persons as hashes (in any order, repeats possible: `ordered` sorts them
    out); `members.rows` counts the rows read. A row that names nobody fails the batch, once
    the rest of the file has been read to count such rows."""
    missing, first = 0, -1  # the first row (from 0) without a key
    jobs: deque[Callable[[], np.ndarray]] = deque()
    with Hasher(ledger.keyring) as hasher:
        for frame in data.frames:
            keys = person_keys(frame, columns)
            absent = keys.is_null()
            if absent.any():
                first = first if first >= 0 else members.rows + int(absent.arg_true()[0])
                missing += int(absent.sum())
            members.rows += frame.height
            if not missing:
                jobs.append(hasher.submit(keys))
            if len(jobs) > 1:  # one chunk is hashed while the next is read
                yield jobs.popleft()()
        while jobs and not missing:
            yield jobs.popleft()()
    if missing:
        where, line = data.place(first)
        raise DatasetError(
            f"{missing} rows have no value in the key column(s) {', '.join(columns)} "
            "(every exported row must name its person)",
            file=where or str(path),
            line=line,
        )


_END = object()


def _prefetched(items: Iterator[T]) -> Iterator[T]:
    """`items`, each made in a worker thread while the caller handles the one before: the next
    chunk is read and hashed while the database stores this one (both release the GIL)."""
    with ThreadPoolExecutor(1, thread_name_prefix="kuajing-record") as worker:
        ahead = worker.submit(next, items, _END)
        while (item := ahead.result()) is not _END:
            ahead = worker.submit(next, items, _END)
            yield item  # type: ignore[misc]


def _given(key: Sequence[str]) -> bool:
    return any(c.strip() for part in key for c in part.split(","))


def _scan(
    catalog: Catalog, path: Path, key: Sequence[str], sensitive: bool | None, date: dt.date
) -> tuple[ScanDecision, bool]:
    """The scanner's key and sensitivity for a batch; options given keep their value."""
    from kuajing.services.scan import scan_datasets  # noqa: PLC0415

    report = scan_datasets([str(path)], catalog, keys=key, as_of=date)
    return scan_decision(report, catalog, str(path), sensitive)


def scan_decision(
    report: ScanReport, catalog: Catalog, where: str, sensitive: bool | None
) -> tuple[ScanDecision, bool]:
    """What a batch's scan decided: its key columns and whether it carries sensitive PI
    (`sensitive` given keeps its value)."""
    from kuajing.services.scan import personal_data  # noqa: PLC0415

    if not report.persons.key:
        raise DatasetError(
            "no column identifies persons (resident ID, passport, mobile, e-mail): "
            "name the key column(s) with --key",
            file=where,
        )
    decision = ScanDecision(
        key=report.persons.key,
        key_detected=report.persons.basis == "detected",
        sensitive_detected=sensitive is None,
        sensitive_columns=[c.name for c in report.columns if c.sensitive and c.filled],
        sensitive_persons=report.persons.sensitive,
        minors=report.persons.minors or 0,
        minors_age=personal_data(catalog).minors.age_below,
    )
    return decision, report.sensitive if sensitive is None else sensitive


def _name(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise RequestError("must not be empty", path=field)
    return value


def _columns(key: Sequence[str]) -> list[str]:
    columns = [c.strip() for part in key for c in part.split(",") if c.strip()]
    if not columns:
        raise RequestError("name at least one key column", path="key")
    return columns
