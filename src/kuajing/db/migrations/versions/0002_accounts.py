"""Accounts of the service: organisations (tenants), their users, API tokens, and the log of
decisions the service made. Passwords are argon2 hashes; tokens are stored as SHA-256 hashes.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("processor", sa.String(400), nullable=False),
        sa.Column("zone", sa.String(64)),
        sa.Column("ciio", sa.Boolean, nullable=False),
        sa.Column("sector", sa.String(200)),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("revoked_at", sa.String(40)),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("catalog_version", sa.String(40), nullable=False),
        sa.Column("catalog_digest", sa.String(40), nullable=False),
        sa.Column("request", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
    )
    op.create_index("decisions_by_organisation", "decisions", ["organisation_id", "created_at"])


def downgrade() -> None:
    op.drop_index("decisions_by_organisation", "decisions")
    for table in ("decisions", "api_tokens", "users", "organisations"):
        op.drop_table(table)
