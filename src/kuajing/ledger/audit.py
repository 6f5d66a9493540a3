"""The append-only audit log. Each entry carries an HMAC over the previous entry's MAC and its
own content, keyed by the installation secret: an entry altered, removed from the middle,
reordered or forged without the key breaks the chain, and `verify` says where. Entries cut
from the end leave a valid chain: a head noted earlier (`verify --head`) shows the cut."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, insert, select

from kuajing.catalog.base import Text
from kuajing.errors import LedgerError
from kuajing.ledger.keys import Keyring, audit_mac
from kuajing.ledger.models import HeadCheck
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


def parse_head(head: str) -> str:
    """A chain head as `verify` prints it: 64 hex digits."""
    wanted = head.strip().lower()
    if len(wanted) != 64 or any(c not in "0123456789abcdef" for c in wanted):
        raise LedgerError(
            f"head {head!r}: expected the 64 hex digits of a chain head that verify printed"
        )
    return wanted


def find_head(entries: list[dict[str, Any]], head: str) -> HeadCheck:
    """Where a head noted earlier stands in the chain. Entries cut from the chain's end leave a
    valid, shorter chain: only a head noted before the cut shows it, by being gone."""
    macs = [GENESIS, *(e["mac"] for e in entries)]
    short = head[:12]
    if head not in macs:
        return HeadCheck(
            head=head,
            found=False,
            message=Text(
                zh=f"给定的链尾 {short}… 不在审计链中：记下它之后，审计日志末尾的条目被删除或"
                "被改写（或它来自另一个账本）。",
                en=f"The head you gave ({short}…) is not in the audit chain: entries at the end "
                "of the log were removed or rewritten since it was noted (or it is from another "
                "ledger).",
            ),
        )
    entry = macs.index(head)
    since = len(entries) - entry
    return HeadCheck(
        head=head,
        found=True,
        entry=entry,
        since=since,
        message=Text(
            zh=f"给定的链尾 {short}… 是审计日志第 {entry} 条，其后又添加了 {since} 条。",
            en=f"The head you gave ({short}…) is audit entry {entry}; {since} entries were "
            "added after it.",
        ),
    )
