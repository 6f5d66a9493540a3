"""The notices table (migration 0011 creates it; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from kuajing.db.tables import metadata

notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("kind", String(40), nullable=False),  # e.g. "threshold_lead_time"
    # What makes two notices the same (kind, scope, threshold rule, year): one notice each.
    Column("key", String(400), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("due", String(10)),  # ISO date by which to act, when there is one
    Column("detail", Text, nullable=False),  # canonical JSON: the figures and texts in zh and en
    Column("read_at", String(40)),
    Column("read_by", String(320)),
    UniqueConstraint("organisation_id", "key", name="uq_notice_key"),
)
Index("notices_by_organisation", notices.c.organisation_id, notices.c.read_at)
