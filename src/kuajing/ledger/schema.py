"""Ledger tables. Persons appear only as 16-byte keyed hashes (HMAC-SHA256, truncated: 128 bits
leave a collision among 10^10 persons at odds below 10^-18). Days are day-of-year numbers, so
the per-person rows stay small."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kuajing.db.tables import metadata

processors = Table(
    "processors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(400), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("processor_id", Integer, ForeignKey("processors.id"), nullable=False, index=True),
    Column("digest", String(64), nullable=False),  # SHA-256 of the file: the batch's identity
    Column("export_date", String(10), nullable=False),
    Column("year", Integer, nullable=False),
    Column("scenario", String(400)),  # as the user named it
    Column("scopes", Text, nullable=False),  # catalogue scope keys it counts in, comma-separated
    Column("exemption", String(40)),
    Column("sensitive", Boolean, nullable=False),
    Column("recipient", String(400)),
    Column("source", String(400), nullable=False),  # the file's name, not its path
    Column("format", String(16), nullable=False),
    Column("key_columns", Text, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("persons", Integer, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    UniqueConstraint("processor_id", "digest", name="uq_batch_content"),
)

# Who was in each counted batch: needed to rebuild counts when a batch is removed, and to check
# them. Each part holds up to `record.PART` distinct hashes in byte order, concatenated; the
# parts of a batch follow each other in byte order too (migration 0013; one row per person
# before).
batch_members = Table(
    "batch_members",
    metadata,
    Column("batch_id", Integer, ForeignKey("batches.id"), primary_key=True),
    Column("part", Integer, primary_key=True),
    Column("persons", Integer, nullable=False),  # hashes in this part
    Column("hashes", LargeBinary, nullable=False),
)

# A pool: one processor, one calendar year, one scope ("*" = national, else a list scope key).
pools = Table(
    "pools",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("processor_id", Integer, ForeignKey("processors.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("scope", String(400), nullable=False),
    UniqueConstraint("processor_id", "year", "scope", name="uq_pool"),
)

# Each person of a pool once, with the first day their PI (p_day) and sensitive PI (s_day) left.
seen = Table(
    "seen",
    metadata,
    Column("pool_id", Integer, ForeignKey("pools.id"), primary_key=True),
    Column("hash", LargeBinary(16), primary_key=True),
    Column("p_day", Integer),
    Column("s_day", Integer),
    sqlite_with_rowid=False,
)

# Persons first counted on each day, per counter: the running sum gives any day's count.
daily = Table(
    "daily",
    metadata,
    Column("pool_id", Integer, ForeignKey("pools.id"), primary_key=True),
    Column("day", Integer, primary_key=True),
    Column("personal", Integer, nullable=False),
    Column("sensitive", Integer, nullable=False),
    Column("persons", Integer, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("action", String(40), nullable=False),
    Column("processor", String(400)),
    Column("batch", String(64)),
    Column("detail", Text, nullable=False),  # canonical JSON
    Column("prev", String(64), nullable=False),
    Column("mac", String(64), nullable=False),  # HMAC over prev and this entry
)
