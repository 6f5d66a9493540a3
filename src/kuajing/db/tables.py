"""The schema every package's tables join, and the installation's own settings table."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, Text

# One MetaData for the whole database: a table's foreign keys name tables of other packages
# (organisations, users), which resolve only within one MetaData.
metadata = MetaData()

# Settings of the installation, not of any one package: the fingerprint of the key the ledger's
# hashes and the audit trail's chain were made with (migration 0001 creates it).
meta = Table(
    "meta",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
