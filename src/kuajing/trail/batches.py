"""Who recorded or removed a ledger batch, for the audit trail. The ledger's own audit chain
(ledger/audit.py) keeps what the batch is; the trail keeps who acted, in the same transaction."""

from __future__ import annotations

from sqlalchemy import Connection, select

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import organisations
from kuajing.ledger.keys import Keyring
from kuajing.ledger.ledger import BatchHook
from kuajing.ledger.models import Batch
from kuajing.trail.chain import append
from kuajing.trail.models import Actor


def on_batch(keyring: Keyring, who: Principal | None, action: str) -> BatchHook:
    """What `Ledger.record` / `Ledger.remove` call inside their write transaction. A user's
    batch goes in their organisation's trail; the operator's (command line) in the trail of
    each organisation whose ledger name is the batch's processor, if any."""

    def write(conn: Connection, batch: Batch) -> None:
        if who is not None:
            targets = [who.organisation.id]
        else:
            targets = list(
                conn.execute(
                    select(organisations.c.id).where(organisations.c.processor == batch.processor)
                ).scalars()
            )
        detail = {
            "processor": batch.processor,
            "export_date": batch.date.isoformat(),
            "rows": batch.rows,
            "persons": batch.persons,
        }
        for organisation_id in targets:
            append(conn, keyring, organisation_id, Actor.of(who), action, batch.id, detail)

    return write
