"""The audit trail: each organisation's chain of who did what (users, tokens, ledger batches,
list editions, reviews), every entry MAC-chained to the one before.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_trail",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_user_id", sa.Integer),
        sa.Column("actor_email", sa.String(320)),
        sa.Column("actor_name", sa.String(200)),
        sa.Column("actor_role", sa.String(16)),
        sa.Column("actor_token_id", sa.Integer),
        sa.Column("actor_token", sa.String(200)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_index("audit_trail_by_organisation", "audit_trail", ["organisation_id", "id"])


def downgrade() -> None:
    op.drop_index("audit_trail_by_organisation", "audit_trail")
    op.drop_table("audit_trail")
