"""The audit trail is tamper-evident, on SQLite and PostgreSQL: whoever can write to the database
but lacks the installation secret cannot change, delete, reorder, move or forge an entry without
`GET /v1/audit` saying so, and naming the first entry that does not verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from kuajing.trail.schema import audit_trail
from tests.tenants import PASSWORD, add_user, api_token

_CONTENT = [c.name for c in audit_trail.columns if c.name != "id"]


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _ids(engine: sa.Engine, org: str) -> list[int]:
    """The organisation's entries, oldest first."""
    with engine.connect() as conn:
        org_id = conn.execute(sa.text("SELECT id FROM organisations WHERE slug = :s"), {"s": org})
        return list(
            conn.execute(
                sa.select(audit_trail.c.id)
                .where(audit_trail.c.organisation_id == org_id.scalar_one())
                .order_by(audit_trail.c.id)
            ).scalars()
        )


def _swap(conn: sa.Connection, a: int, b: int) -> None:
    rows = {
        r.id: r._mapping
        for r in conn.execute(sa.select(audit_trail).where(audit_trail.c.id.in_([a, b])))
    }
    for one, other in ((a, b), (b, a)):
        values = {c: rows[other][c] for c in _CONTENT}
        conn.execute(sa.update(audit_trail).where(audit_trail.c.id == one).values(**values))


def _move(conn: sa.Connection, entry: int, bank: int) -> None:
    conn.execute(
        sa.update(audit_trail).where(audit_trail.c.id == entry).values(organisation_id=bank)
    )


def _forge(conn: sa.Connection, last: int) -> None:
    row = conn.execute(sa.select(audit_trail).where(audit_trail.c.id == last)).one()._mapping
    forged = {"prev": row["mac"], "mac": "ab" * 32, "action": "user.created", "subject": "99"}
    conn.execute(sa.insert(audit_trail).values({c: row[c] for c in _CONTENT} | forged))


# How: (what is done to pharma's entries [oldest first], the entry the check names, the kind).
Tamper = Callable[[sa.Connection, list[int], int], None]
TAMPERING: dict[str, tuple[Tamper, Callable[[list[int]], int], str]] = {
    "a detail changed": (
        lambda conn, ids, _: conn.execute(
            sa.update(audit_trail)
            .where(audit_trail.c.id == ids[2])
            .values(detail='{"role":"admin"}')
        ),
        lambda ids: ids[2],
        "altered",
    ),
    "the actor changed": (
        lambda conn, ids, _: conn.execute(
            sa.update(audit_trail).where(audit_trail.c.id == ids[2]).values(actor_email="x@y.z")
        ),
        lambda ids: ids[2],
        "altered",
    ),
    "an entry deleted from the middle": (
        lambda conn, ids, _: conn.execute(sa.delete(audit_trail).where(audit_trail.c.id == ids[2])),
        lambda ids: ids[3],
        "broken",
    ),
    "two entries reordered": (
        lambda conn, ids, _: _swap(conn, ids[2], ids[3]),
        lambda ids: ids[2],
        "broken",
    ),
    "an entry moved to another organisation": (
        lambda conn, ids, bank: _move(conn, ids[2], bank),
        lambda ids: ids[3],
        "broken",
    ),
    "an entry forged without the key": (
        lambda conn, ids, _: _forge(conn, ids[-1]),
        lambda ids: ids[-1] + 1,
        "altered",
    ),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_breaks_the_chain_and_the_api_says_where(
    client: TestClient, db_url: str, how: str
) -> None:
    token = api_token(db_url, "pharma", "a@pharma.example", "admin")
    add_user(db_url, "bank", "a@bank.example", "admin")  # its entries come between pharma's
    with Accounts.open(db_url) as store:
        admin = store.principal_by_email("a@pharma.example")
        for n in range(3):
            store.add_user(admin, f"u{n}@pharma.example", PASSWORD)
        intact: dict[str, Any] = client.get("/v1/audit", headers=_auth(token)).json()
        assert intact["chain"]["ok"] and intact["chain"]["entries"] == 6
        ids, bank = _ids(store.engine, "pharma"), store.organisation("bank").id
        change, named, kind = TAMPERING[how]
        with store.engine.begin() as conn:
            change(conn, ids, bank)
    found = client.get("/v1/audit", headers=_auth(token))
    assert found.status_code == 200, found.text
    chain = found.json()["chain"]
    assert not chain["ok"], how
    assert chain["problem"]["entry"] == named(ids) and chain["problem"]["kind"] == kind, chain
    assert f"entry {named(ids)}" in chain["problem"]["message"]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
