"""A batch's persons stored as parts (sorted keyed hashes, up to 65,536 in one blob) instead of
one row a person: recording 10M rows takes about a fifth less time, and the database a sixth
less room (388 against 468 MiB for 9.1 million persons). Existing ledgers are converted in
place, batch by batch; the hashes themselves are unchanged.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

PART = 65_536  # as `kuajing.ledger.record.PART` when this migration was written
HASH_BYTES = 16
FETCH = 100_000  # rows read at a time while converting


def upgrade() -> None:
    members = op.create_table(
        "batch_members",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True),
        sa.Column("persons", sa.Integer, nullable=False),
        sa.Column("hashes", sa.LargeBinary, nullable=False),
    )
    conn = op.get_bind()
    for batch_id, part, hashes in _parts(conn):
        values = {"batch_id": batch_id, "part": part, "persons": len(hashes)}
        conn.execute(sa.insert(members).values(**values, hashes=b"".join(hashes)))
    op.drop_table("batch_persons")


def _parts(conn: sa.Connection) -> Iterator[tuple[int, int, list[bytes]]]:
    """Each batch's hashes in byte order (the primary key's order: memcmp on both databases),
    cut into parts of PART."""
    query = sa.text("SELECT batch_id, hash FROM batch_persons ORDER BY batch_id, hash")
    # Per statement: the connection's own options would stream the DROP after it too.
    rows = conn.execute(query.execution_options(stream_results=True))
    current, part, held = None, 0, list[bytes]()
    while chunk := rows.fetchmany(FETCH):
        for batch_id, digest in chunk:
            if batch_id != current or len(held) == PART:
                if held:
                    yield current, part, held  # type: ignore[misc]
                part = part + 1 if batch_id == current else 0
                current, held = batch_id, []
            held.append(bytes(digest))
    if held:
        yield current, part, held  # type: ignore[misc]


def downgrade() -> None:
    persons = op.create_table(
        "batch_persons",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("hash", sa.LargeBinary(16), primary_key=True),
        sqlite_with_rowid=False,
    )
    conn = op.get_bind()
    parts = conn.execute(sa.text("SELECT batch_id, hashes FROM batch_members ORDER BY 1, part"))
    for batch_id, blob in parts.all():
        data = bytes(blob)
        rows = [
            {"batch_id": batch_id, "hash": data[i : i + HASH_BYTES]}
            for i in range(0, len(data), HASH_BYTES)
        ]
        conn.execute(sa.insert(persons), rows)
    op.drop_table("batch_members")
