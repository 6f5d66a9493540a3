"""An e-mail address is unique within an organisation, no longer across the service: an admin
adding an address that another organisation uses gets a user, as for a new address, so that
the answer does not tell them the address is in use elsewhere. Sign-in goes to the oldest
enabled user with the address (`Accounts.authenticate`).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_PER_ORGANISATION = "users_organisation_email"
_GLOBAL = "users_email_key"  # PostgreSQL's name for 0002's unnamed UNIQUE (email)


def upgrade() -> None:
    if _sqlite():
        _rebuild(sa.UniqueConstraint("organisation_id", "email", name=_PER_ORGANISATION))
    else:
        op.drop_constraint(_GLOBAL, "users", type_="unique")
        op.create_unique_constraint(_PER_ORGANISATION, "users", ["organisation_id", "email"])
    op.create_index("users_by_email", "users", ["email"])


def downgrade() -> None:  # fails while an address has users in two organisations
    op.drop_index("users_by_email", "users")
    if _sqlite():
        _rebuild(sa.UniqueConstraint("email"))
    else:
        op.drop_constraint(_PER_ORGANISATION, "users", type_="unique")
        op.create_unique_constraint(_GLOBAL, "users", ["email"])


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _columns() -> list[sa.Column[object]]:
    """`users` as 0002 and 0004 made it."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("disabled_at", sa.String(40)),
    ]


def _rebuild(unique: sa.UniqueConstraint) -> None:
    """SQLite cannot drop a UNIQUE: the table is made again with `unique`. Tokens, sessions,
    decisions and the audit trail refer to `users`, and PRAGMA foreign_keys cannot change in
    the migration's transaction; deferred, their keys are checked at commit, when every row is
    back under its old id. (Alembic's batch copies the rows before the drop, which SQLite then
    counts as broken keys.)"""
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute("CREATE TABLE users_copy AS SELECT * FROM users")
    op.drop_table("users")
    columns = _columns()
    op.create_table("users", *columns, unique)
    names = ", ".join(c.name for c in columns)
    op.execute(f"INSERT INTO users ({names}) SELECT {names} FROM users_copy")
    op.drop_table("users_copy")
