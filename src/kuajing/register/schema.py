"""The register's tables (migration 0010 creates them; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from kuajing.db.tables import metadata

# One recurring export of an organisation. `key` is the organisation's own name for it
# ("trial-data"): the id a request's transfer takes when the flow is assessed.
flows = Table(
    "flows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("key", String(80), nullable=False),
    Column("version", Integer, nullable=False),  # 1 when added, +1 on each change
    Column("status", String(16), nullable=False),  # planned, active, paused or retired
    Column("data", Text, nullable=False),  # canonical JSON of register.models.Flow
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("organisation_id", "key", name="uq_flow_key"),
)

# Every version of every flow: who changed it, when, and what it became.
flow_history = Table(
    "flow_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("flow_id", Integer, ForeignKey("flows.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(320), nullable=False),  # a user's e-mail, a token's name, or "cli"
    Column("change", String(16), nullable=False),  # added, changed, imported or retired
    Column("data", Text, nullable=False),
    UniqueConstraint("flow_id", "version", name="uq_flow_version"),
)

# Ledger batches recorded against a flow, by the batch's content digest (its identity in the
# ledger). The register owns the link; the ledger's tables know nothing of flows, and a batch the
# ledger removes leaves a link that the register no longer shows (no key holds the removal up).
flow_batches = Table(
    "flow_batches",
    metadata,
    Column("flow_id", Integer, ForeignKey("flows.id"), primary_key=True),
    Column("digest", String(64), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("linked_at", String(40), nullable=False),
)
# A batch belongs to one flow of its organisation at most.
Index("flow_batches_by_batch", flow_batches.c.organisation_id, flow_batches.c.digest, unique=True)

# The logged decisions a flow was assessed in (alone, or with the whole register), and the
# flow's version then: its latest decision is the newest.
flow_decisions = Table(
    "flow_decisions",
    metadata,
    Column("flow_id", Integer, ForeignKey("flows.id"), primary_key=True),
    Column("decision_id", String(32), ForeignKey("decisions.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("at", String(40), nullable=False),
)
Index("flow_decisions_by_flow", flow_decisions.c.flow_id, flow_decisions.c.at)
