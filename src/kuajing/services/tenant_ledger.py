"""The export ledger as an organisation sees it through the service: only its own processor's
batches and counters. Another processor's batch is not found, and no message names one."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from pydantic import BaseModel

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.models import Exemption
from kuajing.errors import Forbidden, NotFound
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import (
    Batch,
    CounterProblem,
    HeadCheck,
    Recorded,
    Status,
)
from kuajing.services import ledger as book
from kuajing.services.recording import record_file
from kuajing.services.uploads import MAX_UPLOAD, saved
from kuajing.trail.batches import on_batch


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
            who=who,
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
    also = on_batch(ledger.keyring, who, "ledger.batch_removed")
    return ledger.remove(batch_id, who.organisation.processor, reason, also)


class TenantVerify(BaseModel):
    """The audit chain checked for one organisation. The chain is the installation's, shared by
    every organisation: its integrity is reported whole, its problems only where they name one
    of this organisation's batches (the others are counted, never shown)."""

    ok: bool  # the whole chain and every batch check out
    entries: int  # audit entries in the whole chain
    batches: int  # this organisation's live batches
    head: str  # the MAC of the chain's last entry: note it to detect a truncated log later
    problems: list[str]  # those naming this organisation's batches
    counters: list[CounterProblem]  # this organisation's counters its live batches do not give
    head_check: HeadCheck | None  # the head given, looked up in the (shared) chain
    other_problems: int  # problems elsewhere in the chain and other organisations' counters


def verify(ledger: Ledger, who: Principal, head: str | None = None) -> TenantVerify:
    if not who.may("admin"):
        raise Forbidden("only an admin verifies the ledger")
    report = ledger.verify(head)
    processor = who.organisation.processor
    ids = [b.id for b in ledger.batches(processor)]
    mine = [p for p in report.problems if any(i in p for i in ids)]
    counters = [c for c in report.counters if c.processor == processor]
    others = len(report.problems) - len(mine) + len(report.counters) - len(counters)
    return TenantVerify(
        ok=report.ok,
        entries=report.entries,
        batches=len(ids),
        head=report.head,
        problems=mine,
        counters=counters,
        head_check=report.head_check,
        other_problems=others,
    )
