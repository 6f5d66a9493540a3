"""The zone console's tables (migrations 0006 and 0007 create them; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    false,
)

from kuajing.db.tables import metadata

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
    Column("subject", String(16), nullable=False),  # submission, inspection, edition or forecast
    Column("subject_id", String(32), nullable=False),
    Column("text", Text, nullable=False),  # JSON {zh, en}
    Column("created_at", String(40), nullable=False),
    Column("read_at", String(40)),
)
Index("notifications_by_organisation", notifications.c.organisation_id, notifications.c.id)
# A forecast notice is told once per organisation and key, even when two recordings check at
# the same moment (migration 0011): other subjects repeat per step and are not constrained.
Index(
    "notifications_forecast_once",
    notifications.c.organisation_id,
    notifications.c.subject_id,
    unique=True,
    sqlite_where=notifications.c.subject == "forecast",
    postgresql_where=notifications.c.subject == "forecast",
)

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
    # A company's own copy of an official list: it governs that company's decisions only.
    Column("private", Boolean, nullable=False, server_default=false()),
)
Index("list_editions_by_zone", list_editions.c.zone, list_editions.c.state)

# The official document an edition was loaded from: kept whole, so that the review shows each
# row beside the region of the page it was read from (an official list holds no personal data).
edition_documents = Table(
    "edition_documents",
    metadata,
    Column("edition_id", String(32), ForeignKey("list_editions.id"), primary_key=True),
    Column("file_name", String(200), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("format", String(16), nullable=False),  # pdf, scan, image, docx or html
    Column("pages", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("columns", Text, nullable=False),  # JSON: the official columns the table has
    Column("notes", Text, nullable=False),  # JSON: what the reader said (pages read by OCR)
)

# Each row of the document's list table, as read and as corrected, and whether a person
# confirmed it against the page.
edition_rows = Table(
    "edition_rows",
    metadata,
    Column("edition_id", String(32), ForeignKey("list_editions.id"), primary_key=True),
    Column("idx", Integer, primary_key=True),  # the row's place in the list, from 0
    Column("page", Integer, nullable=False),
    Column("table_no", Integer, nullable=False),
    Column("row_no", Integer, nullable=False),
    Column("box", Text),  # JSON [x0, y0, x1, y1] as fractions of the page, if it has pages
    Column("ocr", Boolean, nullable=False),
    Column("confidence", Float),
    Column("original", Text, nullable=False),  # JSON: the cells as read
    Column("cells", Text, nullable=False),  # JSON: the cells as corrected
    Column("confirmed_by", String(200)),
    Column("confirmed_at", String(40)),
)

# Every correction of a cell: who, when, from what to what.
edition_corrections = Table(
    "edition_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("edition_id", String(32), ForeignKey("list_editions.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("column_name", String(40), nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("by", String(200), nullable=False),
    Column("at", String(40), nullable=False),
)
Index("edition_corrections_by_edition", edition_corrections.c.edition_id, edition_corrections.c.idx)
