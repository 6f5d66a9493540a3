"""The export ledger: processors, batches, pools of persons, daily counts, audit chain.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "processors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(400), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "processor_id", sa.Integer, sa.ForeignKey("processors.id"), nullable=False, index=True
        ),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("export_date", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("scenario", sa.String(400)),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("exemption", sa.String(40)),
        sa.Column("sensitive", sa.Boolean, nullable=False),
        sa.Column("recipient", sa.String(400)),
        sa.Column("source", sa.String(400), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("key_columns", sa.Text, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("persons", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("processor_id", "digest", name="uq_batch_content"),
    )
    op.create_table(
        "batch_persons",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("hash", sa.LargeBinary(16), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pools",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("processor_id", sa.Integer, sa.ForeignKey("processors.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("scope", sa.String(400), nullable=False),
        sa.UniqueConstraint("processor_id", "year", "scope", name="uq_pool"),
    )
    op.create_table(
        "seen",
        sa.Column("pool_id", sa.Integer, sa.ForeignKey("pools.id"), primary_key=True),
        sa.Column("hash", sa.LargeBinary(16), primary_key=True),
        sa.Column("p_day", sa.Integer),
        sa.Column("s_day", sa.Integer),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "daily",
        sa.Column("pool_id", sa.Integer, sa.ForeignKey("pools.id"), primary_key=True),
        sa.Column("day", sa.Integer, primary_key=True),
        sa.Column("personal", sa.Integer, nullable=False),
        sa.Column("sensitive", sa.Integer, nullable=False),
        sa.Column("persons", sa.Integer, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("processor", sa.String(400)),
        sa.Column("batch", sa.String(64)),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit", "daily", "seen", "pools", "batch_persons", "batches", "processors"):
        op.drop_table(table)
    op.drop_table("meta")
