"""Recording batches straight from lists of identifiers, bypassing file reading."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

import polars as pl

from kuajing.ledger.hashing import hash_persons
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import BatchMeta, Recorded


def put(
    ledger: Ledger,
    people: Sequence[str],
    day: str,
    *,
    sensitive: bool = False,
    processor: str = "Acme",
    scopes: Sequence[str] = (),
    exemption: str | None = None,
    tag: str = "",
) -> Recorded:
    hashes = hash_persons(ledger.keyring, pl.Series(list(people), dtype=pl.String))
    content = "\n".join([day, str(sensitive), tag, *people]).encode()
    batch = BatchMeta(
        processor=processor,
        digest=hashlib.sha256(content).hexdigest(),
        date=dt.date.fromisoformat(day),
        scopes=list(scopes),
        exemption=exemption,
        sensitive=sensitive,
        source="batch.csv",
        format="csv",
        key_columns=["id"],
        rows=len(people),
        persons=len(hashes),
    )
    return ledger.record(batch, hashes)
