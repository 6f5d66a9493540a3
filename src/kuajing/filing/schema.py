"""The filings' tables (migration 0005 creates them; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from kuajing.db.tables import metadata

filings = Table(
    "filings",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("procedure", String(80), nullable=False),
    Column("state", String(80)),  # NULL: the procedure is unknown
    Column("decision_id", String(32), ForeignKey("decisions.id")),
    Column("transfers", Text, nullable=False),  # JSON list of transfer ids
    Column("subject", String(400), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("closed", Boolean, nullable=False),
)
Index("filings_by_organisation", filings.c.organisation_id, filings.c.created_at)

filing_events = Table(
    "filing_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("filing_id", String(32), ForeignKey("filings.id"), nullable=False),
    Column("event", String(80), nullable=False),
    Column("on_date", String(10), nullable=False),  # when it happened, ISO date
    Column("recorded_at", String(40), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("note", Text),
    Column("state", String(80)),  # the state it led to
)
Index("filing_events_by_filing", filing_events.c.filing_id, filing_events.c.id)

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("kind", String(80), nullable=False),
    Column("rule", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("filing_id", String(32), ForeignKey("filings.id")),
    Column("decision_id", String(32), ForeignKey("decisions.id")),
    Column("created_at", String(40), nullable=False),
    Column("done_at", String(40)),
)
Index("tasks_by_organisation", tasks.c.organisation_id, tasks.c.created_at)
