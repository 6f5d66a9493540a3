"""Filings: the procedures a decision leads to, their recorded events, and the tasks a change
raises (a new or supplementary filing).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "filings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("procedure", sa.String(80), nullable=False),
        sa.Column("state", sa.String(80)),
        sa.Column("decision_id", sa.String(32), sa.ForeignKey("decisions.id")),
        sa.Column("transfers", sa.Text, nullable=False),
        sa.Column("subject", sa.String(400), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
    )
    op.create_index("filings_by_organisation", "filings", ["organisation_id", "created_at"])
    op.create_table(
        "filing_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("filing_id", sa.String(32), sa.ForeignKey("filings.id"), nullable=False),
        sa.Column("event", sa.String(80), nullable=False),
        sa.Column("on_date", sa.String(10), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("note", sa.Text),
        sa.Column("state", sa.String(80)),
    )
    op.create_index("filing_events_by_filing", "filing_events", ["filing_id", "id"])
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("filing_id", sa.String(32), sa.ForeignKey("filings.id")),
        sa.Column("decision_id", sa.String(32), sa.ForeignKey("decisions.id")),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("done_at", sa.String(40)),
    )
    op.create_index("tasks_by_organisation", "tasks", ["organisation_id", "created_at"])


def downgrade() -> None:
    op.drop_table("tasks")
    op.drop_table("filing_events")
    op.drop_table("filings")
