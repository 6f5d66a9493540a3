"""Entries the services write for what a principal does, in the caller's write transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from kuajing.accounts.models import Principal
from kuajing.ledger.keys import Keyring
from kuajing.trail.chain import append
from kuajing.trail.models import Actor
from kuajing.zone.models import Edition


def record(
    conn: Connection,
    keyring: Keyring,
    who: Principal,
    action: str,
    subject: str | int,
    detail: dict[str, Any] | None = None,
) -> None:
    """An entry of the caller's organisation's trail naming the caller (user or token)."""
    append(conn, keyring, who.organisation.id, Actor.of(who), action, subject, detail)


def edition_action(
    conn: Connection, keyring: Keyring, who: Principal, edition: Edition, verb: str, **extra: Any
) -> None:
    """A zone's list edition (`edition.*`), or a company's own copy of its zone's list, which
    overlays the catalogue for that company only (`overlay.*`)."""
    kind = "overlay" if edition.private else "edition"
    detail = {"list_id": edition.list_id, "edition": edition.edition, **extra}
    record(conn, keyring, who, f"{kind}.{verb}", edition.id, detail)
