"""The web application's sign-in sessions (the cookie's SHA-256 hash, never the cookie) and
failed sign-ins, which rate-limit further attempts.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hash", sa.LargeBinary(32), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("login_failures_by_email", "login_failures", ["email", "at"])
    op.create_index("login_failures_by_address", "login_failures", ["address", "at"])


def downgrade() -> None:
    op.drop_index("login_failures_by_address", "login_failures")
    op.drop_index("login_failures_by_email", "login_failures")
    op.drop_table("login_failures")
    op.drop_table("web_sessions")
