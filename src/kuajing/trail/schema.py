"""The audit trail's table (migration 0008 creates it; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from kuajing.db.tables import metadata

audit_trail = Table(
    "audit_trail",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("at", String(40), nullable=False),  # UTC, ISO 8601 with microseconds
    # Who acted, as they were then: a user, a user's API token, or the operator (no user).
    Column("actor_kind", String(16), nullable=False),
    Column("actor_user_id", Integer),
    Column("actor_email", String(320)),
    Column("actor_name", String(200)),
    Column("actor_role", String(16)),
    Column("actor_token_id", Integer),
    Column("actor_token", String(200)),  # the token's name, never its secret
    Column("action", String(40), nullable=False),  # a stable code: user.created, …
    Column("subject", String(64), nullable=False),  # the id of what was acted on
    Column("detail", Text, nullable=False),  # canonical JSON, no personal identifiers
    Column("prev", String(64), nullable=False),  # the MAC of the organisation's entry before
    Column("mac", String(64), nullable=False),  # HMAC over prev and this entry
)
Index("audit_trail_by_organisation", audit_trail.c.organisation_id, audit_trail.c.id)
