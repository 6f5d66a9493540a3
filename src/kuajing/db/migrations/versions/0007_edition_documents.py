"""List editions loaded from official documents: the document, its rows as read and corrected,
and every correction with who made it and when; and editions private to a company.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_EDITION = "list_editions.id"


def upgrade() -> None:
    op.add_column(
        "list_editions",
        sa.Column("private", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "edition_documents",
        sa.Column("edition_id", sa.String(32), sa.ForeignKey(_EDITION), primary_key=True),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("columns", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_table(
        "edition_rows",
        sa.Column("edition_id", sa.String(32), sa.ForeignKey(_EDITION), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("table_no", sa.Integer, nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.Column("box", sa.Text),
        sa.Column("ocr", sa.Boolean, nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("original", sa.Text, nullable=False),
        sa.Column("cells", sa.Text, nullable=False),
        sa.Column("confirmed_by", sa.String(200)),
        sa.Column("confirmed_at", sa.String(40)),
    )
    op.create_table(
        "edition_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("edition_id", sa.String(32), sa.ForeignKey(_EDITION), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("column_name", sa.String(40), nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("edition_corrections_by_edition", "edition_corrections", ["edition_id", "idx"])


def downgrade() -> None:
    op.drop_index("edition_corrections_by_edition", "edition_corrections")
    op.drop_table("edition_corrections")
    op.drop_table("edition_rows")
    op.drop_table("edition_documents")
    op.drop_column("list_editions", "private")
