"""Appending to an organisation's audit trail, reading it, and checking its chain.

One chain per organisation: an admin checks their organisation's whole chain without anyone
reading another organisation's entries, and the check costs what the organisation has done. The
entry's organisation is inside its MAC, so an entry moved to another chain breaks both. Appends
happen in the caller's write transaction (`db.engine.writing`), which serialises them: the head
cannot move between reading it and writing the next entry, and an action is stored with its
entry or not at all. The MAC and the canonical JSON are the ledger audit log's (ledger/audit.py),
keyed by the same installation secret."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, insert, select

from kuajing.db.tables import meta
from kuajing.errors import LedgerError
from kuajing.ledger.audit import GENESIS, canonical
from kuajing.ledger.keys import Keyring, audit_mac
from kuajing.trail.models import Actor, ChainCheck, Entry, Problem, ProblemKind
from kuajing.trail.schema import audit_trail

_ACTOR_COLUMNS = {
    "kind": "actor_kind",
    "user_id": "actor_user_id",
    "email": "actor_email",
    "name": "actor_name",
    "role": "actor_role",
    "token_id": "actor_token_id",
    "token": "actor_token",
}


def append(
    conn: Connection,
    keyring: Keyring,
    organisation_id: int,
    actor: Actor,
    action: str,
    subject: str | int,
    detail: dict[str, Any] | None = None,
) -> str:
    """Add one entry to the organisation's chain; returns its MAC. The caller holds the write
    lock (`writing`), so nothing else appends between reading the head and writing."""
    _claim(conn, keyring)
    prev = conn.execute(
        select(audit_trail.c.mac)
        .where(audit_trail.c.organisation_id == organisation_id)
        .order_by(audit_trail.c.id.desc())
        .limit(1)
    ).scalar()
    prev = prev or GENESIS
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    body = _body(organisation_id, at, actor.model_dump(), action, str(subject), detail or {})
    mac = audit_mac(keyring, prev, canonical(body))
    columns = {_ACTOR_COLUMNS[k]: v for k, v in actor.model_dump().items()}
    conn.execute(
        insert(audit_trail).values(
            organisation_id=organisation_id,
            at=at,
            action=action,
            subject=str(subject),
            detail=canonical(detail or {}).decode(),
            prev=prev,
            mac=mac,
            **columns,
        )
    )
    return mac


def _claim(conn: Connection, keyring: Keyring) -> None:
    """The trail is keyed by the ledger's secret: refuse another one (its entries would never
    verify), and claim the database for this one if nothing has yet."""
    if _same_key(conn, keyring) is None:
        conn.execute(insert(meta).values(name="key", value=keyring.fingerprint))


def _same_key(conn: Connection, keyring: Keyring) -> str | None:
    """The database's key fingerprint (None before any), refused unless it is `keyring`'s."""
    stored = conn.execute(select(meta.c.value).where(meta.c.name == "key")).scalar()
    if stored is not None and stored != keyring.fingerprint:
        raise LedgerError(
            f"this database was keyed with another secret (fingerprint {stored}, this key "
            f"{keyring.fingerprint}); point KUAJING_KEY_FILE at the key used before"
        )
    return stored


def _body(
    organisation_id: int, at: str, actor: dict[str, Any], action: str, subject: str, detail: Any
) -> dict[str, Any]:
    """What the MAC covers: everything but the row's id (its place is the chain's)."""
    return {
        "organisation": organisation_id,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "detail": detail,
    }


def _actor(row: Any) -> dict[str, Any]:
    return {k: getattr(row, column) for k, column in _ACTOR_COLUMNS.items()}


def _detail(row: Any) -> Any:
    try:
        return json.loads(row.detail)
    except ValueError:
        return None


def entries(
    conn: Connection, organisation_id: int, limit: int, before: int | None = None
) -> list[Entry]:
    """The organisation's entries, newest first, older than entry `before` if given."""
    query = select(audit_trail).where(audit_trail.c.organisation_id == organisation_id)
    if before is not None:
        query = query.where(audit_trail.c.id < before)
    rows = conn.execute(query.order_by(audit_trail.c.id.desc()).limit(limit)).all()
    return [
        Entry(
            id=r.id,
            at=r.at,
            actor=Actor(**_actor(r)),
            action=r.action,
            subject=r.subject,
            detail=d if isinstance(d := _detail(r), dict) else {},
        )
        for r in rows
    ]


def check(conn: Connection, keyring: Keyring, organisation_id: int) -> ChainCheck:
    """The organisation's chain walked from its first entry: each entry must name the MAC of
    the one before (else one was removed or moved) and carry its own (else it was altered).
    Under another key every entry would look altered: that is refused as what it is."""
    _same_key(conn, keyring)
    prev, count, found = GENESIS, 0, []
    query = (
        select(audit_trail)
        .where(audit_trail.c.organisation_id == organisation_id)
        .order_by(audit_trail.c.id)
    )
    for row in conn.execute(query):
        count += 1
        detail = _detail(row)
        if detail is None:
            found.append(_problem(row.id, "unreadable"))
        elif row.prev != prev:
            found.append(_problem(row.id, "broken"))
        else:
            body = _body(organisation_id, row.at, _actor(row), row.action, row.subject, detail)
            if audit_mac(keyring, row.prev, canonical(body)) != row.mac:
                found.append(_problem(row.id, "altered"))
        prev = row.mac
    return ChainCheck(
        ok=not found,
        entries=count,
        head=prev,
        problem=found[0] if found else None,
        problems=len(found),
    )


def _problem(entry: int, kind: ProblemKind) -> Problem:
    return Problem(entry=entry, kind=kind, message=f"audit trail entry {entry}: {_WHY[kind]}")


_WHY = {
    "unreadable": "its detail is not valid JSON",
    "broken": "the chain is broken before it (an entry was removed or moved)",
    "altered": "it was altered (its MAC does not match)",
}
