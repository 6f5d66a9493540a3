"""The append-only audit log. Each entry carries an HMAC over the previous entry's MAC and its
own content, keyed by the installation secret: an entry altered, removed from the middle,
reordered or forged without the key breaks the chain, and `verify` says where."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, insert, select

from kuajing.ledger.keys import Keyring, audit_mac
from kuajing.ledger.schema import audit

GENESIS = "0" * 64


def canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def append(
    conn: Connection,
    keyring: Keyring,
    action: str,
    processor: str | None,
    batch: str | None,
    detail: dict[str, Any],
) -> str:
    """Add one entry; the caller holds the ledger's write lock, so the head cannot move."""
    prev = conn.execute(select(audit.c.mac).order_by(audit.c.id.desc()).limit(1)).scalar()
    prev = prev or GENESIS
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    body = _body(at, action, processor, batch, detail)
    mac = audit_mac(keyring, prev, canonical(body))
    conn.execute(
        insert(audit).values(
            at=at,
            action=action,
            processor=processor,
            batch=batch,
            detail=canonical(detail).decode(),
            prev=prev,
            mac=mac,
        )
    )
    return mac


def _body(
    at: str, action: str, processor: str | None, batch: str | None, detail: dict[str, Any]
) -> dict[str, Any]:
    return {"at": at, "action": action, "processor": processor, "batch": batch, "detail": detail}


def check_chain(conn: Connection, keyring: Keyring) -> tuple[list[dict[str, Any]], list[str]]:
    """Every entry in order, and the problems found in the chain."""
    problems: list[str] = []
    entries: list[dict[str, Any]] = []
    prev = GENESIS
    for row in conn.execute(select(audit).order_by(audit.c.id)):
        try:
            detail = json.loads(row.detail)
        except ValueError:
            problems.append(f"audit entry {row.id}: its detail is not valid JSON")
            detail = {}
        body = _body(row.at, row.action, row.processor, row.batch, detail)
        if row.prev != prev:
            problems.append(f"audit entry {row.id}: chain broken (an earlier entry was removed)")
        if audit_mac(keyring, row.prev, canonical(body)) != row.mac:
            problems.append(f"audit entry {row.id}: altered (its MAC does not match)")
        prev = row.mac
        entries.append({"id": row.id, **body, "mac": row.mac})
    return entries, problems
