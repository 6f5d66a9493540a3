"""Users are disabled, not deleted: decisions and tokens keep naming them. A disabled user
cannot sign in, and their tokens and sessions stop working.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("disabled_at", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:  # SQLite rebuilds the table
        batch.drop_column("disabled_at")
