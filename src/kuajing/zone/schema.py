"""The zone console's tables (migration 0006 creates them; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from kuajing.accounts.schema import metadata

# What a company submitted to its zone's service centre: one step of a zone procedure's filing.
submissions = Table(
    "submissions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("filing_id", String(32), ForeignKey("filings.id"), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("zone", String(64), nullable=False),
    Column("procedure", String(80), nullable=False),
    Column("step", String(80), nullable=False),  # the filing event that submitted it
    Column("kind", String(16), nullable=False),  # application, filing or report
    Column("state", String(32), nullable=False),
    Column("clock_from", String(10), nullable=False),  # ISO date the centre's clock runs from
    Column("opinion", String(32)),  # the centre's opinion on whether the data is on the list
    Column("created_at", String(40), nullable=False),
    Column("closed", Boolean, nullable=False),
)
Index("submissions_by_zone", submissions.c.zone, submissions.c.closed)
Index("submissions_by_organisation", submissions.c.organisation_id, submissions.c.created_at)

# Consistency inspections of a filing: what was declared, what was observed, what was found.
inspections = Table(
    "inspections",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("filing_id", String(32), ForeignKey("filings.id"), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("zone", String(64), nullable=False),
    Column("state", String(32), nullable=False),
    Column("declared", Text, nullable=False),  # JSON (zone.consistency.Declared)
    Column("report", Text),  # JSON (zone.consistency.Report), once compared
    Column("rectify_by", String(10)),  # ISO date set by the centre's order
    Column("created_at", String(40), nullable=False),
    Column("closed", Boolean, nullable=False),
)
Index("inspections_by_zone", inspections.c.zone, inspections.c.closed)
Index("inspections_by_organisation", inspections.c.organisation_id, inspections.c.created_at)

# The history of submissions and inspections: who did what, when and why.
review_events = Table(
    "review_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(16), nullable=False),  # submission or inspection
    Column("subject_id", String(32), nullable=False),
    Column("action", String(40), nullable=False),
    Column("on_date", String(10), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("reason", Text),
    Column("state", String(32), nullable=False),  # the state it led to
    Column("detail", Text),  # JSON: an opinion, a deadline, the observed data's basis
)
Index("review_events_by_subject", review_events.c.subject, review_events.c.subject_id)

# What an organisation is told: a centre's answer, an inspection's step, a new list edition.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("subject", String(16), nullable=False),  # submission, inspection or edition
    Column("subject_id", String(32), nullable=False),
    Column("text", Text, nullable=False),  # JSON {zh, en}
    Column("created_at", String(40), nullable=False),
    Column("read_at", String(40)),
)
Index("notifications_by_organisation", notifications.c.organisation_id, notifications.c.id)

# List editions a zone administrator imported: a draft until published with an effective date.
list_editions = Table(
    "list_editions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("zone", String(64), nullable=False),
    Column("list_id", String(80), nullable=False),
    Column("edition", String(80), nullable=False),
    Column("data", Text, nullable=False),  # the list as catalogue YAML
    Column("sources", Text, nullable=False),  # JSON: new sources it cites
    Column("replaces", String(80)),  # the list id it supersedes
    Column("state", String(16), nullable=False),  # draft, published or discarded
    Column("created_at", String(40), nullable=False),
    Column("effective_from", String(10)),
    Column("published_at", String(40)),
)
Index("list_editions_by_zone", list_editions.c.zone, list_editions.c.state)
