"""The export ledger as an organisation sees it through the service: only its own processor's
batches and counters. Another processor's batch is not found, and no message names one."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.models import Exemption
from kuajing.errors import Forbidden, NotFound
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import Batch, Recorded, Status
from kuajing.services import ledger as book
from kuajing.services.recording import record_file
from kuajing.services.uploads import MAX_UPLOAD, saved


def status(ledger: Ledger, catalog: Catalog, who: Principal, year: int | None = None) -> Status:
    processor = who.organisation.processor
    if processor not in ledger.processors():
        raise NotFound(f"no batches recorded yet for {processor!r}")
    return book.status(ledger, catalog, processor, year)


def batches(ledger: Ledger, who: Principal, year: int | None = None) -> list[Batch]:
    return ledger.batches(who.organisation.processor, year)


def record_upload(
    ledger: Ledger,
    catalog: Catalog,
    who: Principal,
    stream: BinaryIO,
    filename: str,
    *,
    date: dt.date,
    key: list[str] | None = None,
    sensitive: bool | None = None,
    scenario: str | None = None,
    exemption: Exemption | None = None,
    recipient: str | None = None,
    max_bytes: int = MAX_UPLOAD,
) -> Recorded:
    if not who.may("member"):
        raise Forbidden("a viewer cannot record batches")
    with saved(stream, filename, max_bytes) as path:
        return record_file(
            ledger,
            catalog,
            processor=who.organisation.processor,
            date=date,
            path=path,
            key=key or (),
            sensitive=sensitive,
            scenario=scenario,
            exemption=exemption,
            recipient=recipient,
        )


def remove(ledger: Ledger, who: Principal, batch_id: str, reason: str) -> Batch:
    if not who.may("admin"):
        raise Forbidden("only an admin removes batches")
    # Another processor's batch is an UnknownBatch (a NotFound) like one that never was.
    return ledger.remove(batch_id, who.organisation.processor, reason)
