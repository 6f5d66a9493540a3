"""The transfer register: each organisation's recurring exports (flows), every version of each,
the ledger batches recorded against a flow, and the decisions a flow was assessed in.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "flows",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("organisation_id", "key", name="uq_flow_key"),
    )
    op.create_table(
        "flow_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("flow_id", sa.Integer, sa.ForeignKey("flows.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.UniqueConstraint("flow_id", "version", name="uq_flow_version"),
    )
    op.create_table(
        "flow_batches",
        sa.Column("flow_id", sa.Integer, sa.ForeignKey("flows.id"), primary_key=True),
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("linked_at", sa.String(40), nullable=False),
    )
    op.create_index(
        "flow_batches_by_batch", "flow_batches", ["organisation_id", "digest"], unique=True
    )
    op.create_table(
        "flow_decisions",
        sa.Column("flow_id", sa.Integer, sa.ForeignKey("flows.id"), primary_key=True),
        sa.Column("decision_id", sa.String(32), sa.ForeignKey("decisions.id"), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("flow_decisions_by_flow", "flow_decisions", ["flow_id", "at"])


def downgrade() -> None:
    op.drop_index("flow_decisions_by_flow", "flow_decisions")
    op.drop_table("flow_decisions")
    op.drop_index("flow_batches_by_batch", "flow_batches")
    op.drop_table("flow_batches")
    op.drop_table("flow_history")
    op.drop_table("flows")
