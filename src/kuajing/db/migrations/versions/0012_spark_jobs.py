"""Jobs the service sends to a Spark cluster (a scan or a recording of a data-lake dataset),
per organisation, with their status and result.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "spark_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("who", sa.String(320), nullable=False),
        sa.Column("principal", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("dataset", sa.String(1000), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_en", sa.Text, nullable=True),
        sa.Column("error_zh", sa.Text, nullable=True),
        sa.Column("result", sa.Text, nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("started_at", sa.String(40), nullable=True),
        sa.Column("finished_at", sa.String(40), nullable=True),
    )
    op.create_index("spark_jobs_by_organisation", "spark_jobs", ["organisation_id", "created_at"])
    op.create_index("spark_jobs_by_status", "spark_jobs", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("spark_jobs_by_status", "spark_jobs")
    op.drop_index("spark_jobs_by_organisation", "spark_jobs")
    op.drop_table("spark_jobs")
