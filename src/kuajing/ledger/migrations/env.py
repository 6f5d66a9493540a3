"""Alembic environment: kuajing passes an open connection; migrations never open their own."""

from __future__ import annotations

from alembic import context

from kuajing.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
context.run_migrations()
