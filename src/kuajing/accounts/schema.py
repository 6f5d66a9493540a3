"""The accounts' tables (migration 0002 creates them; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kuajing.db.tables import metadata

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(400), nullable=False),
    Column("processor", String(400), nullable=False),  # its name in the export ledger
    Column("zone", String(64)),
    Column("ciio", Boolean, nullable=False),
    Column("sector", String(200)),
    Column("created_at", String(40), nullable=False),
    Column("kind", String(16), nullable=False, server_default="enterprise"),  # migration 0006
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("created_at", String(40), nullable=False),
    # Migration 0004: set when an admin removes the user. Kept, not deleted: decisions name them.
    Column("disabled_at", String(40)),
    # Migration 0009: unique in the organisation, not across the service (so that adding a user
    # does not tell an admin whether another organisation uses the address).
    UniqueConstraint("organisation_id", "email", name="users_organisation_email"),
)
Index("users_by_email", users.c.email)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),  # shown in lists, to tell tokens apart
    Column("hash", LargeBinary(32), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("catalog_version", String(40), nullable=False),
    Column("catalog_digest", String(40), nullable=False),
    Column("request", Text, nullable=False),
    Column("decision", Text, nullable=False),
)
Index("decisions_by_organisation", decisions.c.organisation_id, decisions.c.created_at)

# Migration 0003: the web application's sign-in sessions and failed sign-ins (rate limit).
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hash", LargeBinary(32), nullable=False, unique=True),  # SHA-256 of the cookie
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),  # the token every form must send back
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False),
    Column("address", String(64), nullable=False),  # the client's IP address
    Column("at", String(40), nullable=False),
)
Index("login_failures_by_email", login_failures.c.email, login_failures.c.at)
Index("login_failures_by_address", login_failures.c.address, login_failures.c.at)
