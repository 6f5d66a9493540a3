"""A forecast notice is told once per organisation and key: a partial unique index on the
notifications of subject "forecast" (other subjects are told at each step of their subject).
Duplicates an earlier check could have left (two recordings at the same moment) are removed
first, keeping the oldest.

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

_FORECAST = sa.text("subject = 'forecast'")


def upgrade() -> None:
    op.execute(
        "DELETE FROM notifications WHERE subject = 'forecast' AND id NOT IN ("
        " SELECT MIN(id) FROM notifications WHERE subject = 'forecast'"
        " GROUP BY organisation_id, subject_id)"
    )
    op.create_index(
        "notifications_forecast_once",
        "notifications",
        ["organisation_id", "subject_id"],
        unique=True,
        sqlite_where=_FORECAST,
        postgresql_where=_FORECAST,
    )


def downgrade() -> None:
    op.drop_index("notifications_forecast_once", "notifications")
