"""Recording an export batch from a file: read, normalise, hash, record. Kept apart from the
other ledger services because it needs the heavy readers (polars, numpy, openpyxl)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from kuajing.catalog import Catalog
from kuajing.catalog.models import Exemption
from kuajing.engine.resolve import scopes_named
from kuajing.errors import DatasetError, RequestError
from kuajing.ledger.hashing import hash_persons
from kuajing.ledger.identity import person_keys
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import BatchMeta, Recorded
from kuajing.scan.read import read_columns


def record_file(
    ledger: Ledger,
    catalog: Catalog,
    *,
    processor: str,
    date: dt.date,
    path: Path,
    key: Sequence[str],
    sensitive: bool,
    scenario: str | None = None,
    exemption: Exemption | None = None,
    recipient: str | None = None,
    today: dt.date | None = None,
) -> Recorded:
    """Read, hash and record one export batch. Everything is checked before anything is
    written; the write itself is one transaction."""
    processor = _name(processor, "processor")
    if date > (today or dt.date.today()):
        raise RequestError(
            "an export batch records data that has left: the date is in the future", path="date"
        )
    if catalog.regime_on(date) is None:
        raise RequestError(f"no national regime in the catalogue on {date}", path="date")
    scopes = [r.key for r in scopes_named(catalog, scenario, ("scenario",))] if scenario else []
    columns = _columns(key)
    data = read_columns(path, columns)
    found = ledger.find(processor, data.digest)
    if found is not None:
        return Recorded(batch=found, new=False)
    keys = person_keys(data.frame, columns)
    missing = keys.is_null()
    if missing.any():
        first = int(missing.arg_true()[0]) + data.first_line
        raise DatasetError(
            f"{int(missing.sum())} rows have no value in the key column(s) {', '.join(columns)} "
            "(every exported row must name its person)",
            file=str(path),
            line=first,
        )
    hashes = hash_persons(ledger.keyring, keys)
    batch = BatchMeta(
        processor=processor,
        digest=data.digest,
        date=date,
        scenario=scenario,
        scopes=sorted(scopes),
        exemption=exemption,
        sensitive=sensitive,
        recipient=recipient,
        source=path.name,
        format=data.format,
        key_columns=columns,
        rows=data.rows,
        persons=len(hashes),
    )
    return ledger.record(batch, hashes)


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
