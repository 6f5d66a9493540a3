"""Datasets uploaded to the service: written to a private temporary folder, used there, and
deleted whatever happens. Only what is derived from them (a scan report, a ledger batch of keyed
hashes) outlives the request; raw identifiers are never stored."""

from __future__ import annotations

import datetime as dt
import os
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


class WrongType(DatasetError):
    """The upload is not a dataset the scanner reads (by its name's suffix)."""


class EmptyUpload(DatasetError):
    """The upload has no bytes."""


@contextmanager
def saved(
    stream: BinaryIO,
    filename: str,
    max_bytes: int = MAX_UPLOAD,
    suffixes: Sequence[str] = SUFFIXES,
) -> Iterator[Path]:
    """The upload as a file named as uploaded (the name only, never a path the caller chose)
    in a private temporary folder, removed on leaving. `suffixes`: what may be uploaded."""
    name = upload_name(filename, suffixes)
    with tempfile.TemporaryDirectory(prefix="kuajing-upload-") as folder:
        path = Path(folder) / name
        copy_limited(stream, path, max_bytes, name)
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


def upload_name(filename: str, suffixes: Sequence[str] = SUFFIXES) -> str:
    """The uploaded file's name without any folder, if its suffix is one of `suffixes` (by
    default, a dataset the scanner reads)."""
    name = PurePath((filename or "upload").replace("\\", "/")).name
    if any(ord(ch) < 32 for ch in name) or len(name.encode()) > 200:
        raise WrongType(f"{name[:60]!r}: give the file a shorter, plain name")
    if PurePath(name).suffix.lower() not in suffixes:
        what = "CSV, XLSX, Parquet or JSON Lines" if suffixes == SUFFIXES else "a list table"
        raise WrongType(f"{name}: upload {what} ({', '.join(suffixes)})")
    return name


def copy_limited(stream: BinaryIO, path: Path, max_bytes: int, name: str) -> None:
    """Copy the upload to a new private file, refusing it past `max_bytes`."""
    written = 0
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while chunk := stream.read(1 << 20):
            written += len(chunk)
            if written > max_bytes:
                raise TooLarge(f"{name}: larger than {max_bytes:,} bytes")
            out.write(chunk)
    if written == 0:
        raise EmptyUpload(f"{name}: the upload is empty")
