"""The zone console: zone organisations, what companies submit to their zone's service centre,
consistency inspections, their history, notifications, and list editions a zone imports.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ORG = "organisations.id"


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("kind", sa.String(16), nullable=False, server_default="enterprise"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("filing_id", sa.String(32), sa.ForeignKey("filings.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey(_ORG), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("procedure", sa.String(80), nullable=False),
        sa.Column("step", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("clock_from", sa.String(10), nullable=False),
        sa.Column("opinion", sa.String(32)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
    )
    op.create_index("submissions_by_zone", "submissions", ["zone", "closed"])
    op.create_index("submissions_by_organisation", "submissions", ["organisation_id", "created_at"])
    op.create_table(
        "inspections",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("filing_id", sa.String(32), sa.ForeignKey("filings.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey(_ORG), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("declared", sa.Text, nullable=False),
        sa.Column("report", sa.Text),
        sa.Column("rectify_by", sa.String(10)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
    )
    op.create_index("inspections_by_zone", "inspections", ["zone", "closed"])
    op.create_index("inspections_by_organisation", "inspections", ["organisation_id", "created_at"])
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("on_date", sa.String(10), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey(_ORG), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("review_events_by_subject", "review_events", ["subject", "subject_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey(_ORG), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("read_at", sa.String(40)),
    )
    op.create_index("notifications_by_organisation", "notifications", ["organisation_id", "id"])
    op.create_table(
        "list_editions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey(_ORG), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("list_id", sa.String(80), nullable=False),
        sa.Column("edition", sa.String(80), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("replaces", sa.String(80)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("effective_from", sa.String(10)),
        sa.Column("published_at", sa.String(40)),
    )
    op.create_index("list_editions_by_zone", "list_editions", ["zone", "state"])


def downgrade() -> None:
    for table in ("list_editions", "notifications", "review_events", "inspections", "submissions"):
        op.drop_table(table)
    # Not a batch rebuild: on SQLite that drops `organisations`, which other tables reference.
    # SQLite has dropped columns itself since 3.35; PostgreSQL always has.
    op.execute("ALTER TABLE organisations DROP COLUMN kind")
