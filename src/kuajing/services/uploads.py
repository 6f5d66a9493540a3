"""Datasets uploaded to the service: written to a private temporary folder, used there, and
deleted whatever happens. Only what is derived from them (a scan report, a ledger batch of keyed
hashes) outlives the request; raw identifiers are never stored."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import BinaryIO

from kuajing.catalog import Catalog
from kuajing.errors import DatasetError, TooLarge
from kuajing.scan.models import ScanReport
from kuajing.services.scan import scan_datasets

MAX_UPLOAD = 200 * 2**20  # bytes; larger datasets are scanned with the CLI where they lie
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".jsonl", ".ndjson")


@contextmanager
def saved(stream: BinaryIO, filename: str, max_bytes: int = MAX_UPLOAD) -> Iterator[Path]:
    """The upload as a file named as uploaded (the name only, never a path the caller chose)
    in a private temporary folder, removed on leaving."""
    name = PurePath(filename or "upload").name
    if PurePath(name).suffix.lower() not in SUFFIXES:
        raise DatasetError(
            f"{name}: upload CSV, XLSX, Parquet or JSON Lines ({', '.join(SUFFIXES)})"
        )
    with tempfile.TemporaryDirectory(prefix="kuajing-upload-") as folder:
        path = Path(folder) / name
        _copy(stream, path, max_bytes, name)
        yield path


def scan_upload(
    stream: BinaryIO,
    filename: str,
    catalog: Catalog,
    *,
    keys: Sequence[str] = (),
    sample: int = 10_000,
    as_of: dt.date | None = None,
    zone: str | None = None,
    scenario: str | None = None,
    max_bytes: int = MAX_UPLOAD,
) -> ScanReport:
    """Scan an uploaded file; the report names it by its uploaded name."""
    with saved(stream, filename, max_bytes) as path:
        report = scan_datasets(
            [str(path)],
            catalog,
            keys=keys,
            sample=sample,
            as_of=as_of,
            zone=zone,
            scenario=scenario,
        )
    files = [f.model_copy(update={"source": path.name}) for f in report.files]
    return report.model_copy(update={"sources": [path.name], "files": files})


def _copy(stream: BinaryIO, path: Path, max_bytes: int, name: str) -> None:
    written = 0
    with path.open("wb") as out:
        while chunk := stream.read(1 << 20):
            written += len(chunk)
            if written > max_bytes:
                raise TooLarge(f"{name}: larger than {max_bytes / 2**20:g} MiB")
            out.write(chunk)
    if written == 0:
        raise DatasetError(f"{name}: the upload is empty")
