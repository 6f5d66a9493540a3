"""Alembic environment: kuajing passes an open connection; migrations never open their own."""

from __future__ import annotations

from alembic import context

# Every package's tables, so the target schema is the whole database's.
from kuajing.accounts import schema as _accounts  # noqa: F401
from kuajing.db.tables import metadata
from kuajing.filing import schema as _filing  # noqa: F401
from kuajing.ledger import schema as _ledger  # noqa: F401
from kuajing.register import schema as _register  # noqa: F401
from kuajing.trail import schema as _trail  # noqa: F401
from kuajing.zone import schema as _zone  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
context.run_migrations()
