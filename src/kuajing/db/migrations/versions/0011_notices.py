"""Notices to an organisation's admins, kept until read.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("due", sa.String(10)),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("read_at", sa.String(40)),
        sa.Column("read_by", sa.String(320)),
        sa.UniqueConstraint("organisation_id", "key", name="uq_notice_key"),
    )
    op.create_index("notices_by_organisation", "notices", ["organisation_id", "read_at"])


def downgrade() -> None:
    op.drop_index("notices_by_organisation", "notices")
    op.drop_table("notices")
