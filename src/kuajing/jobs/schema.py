"""The jobs' table (migration 0012 creates it; a test checks the two agree)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from kuajing.db.tables import metadata

# One job of an organisation's user: a scan or a recording of a dataset on the Spark cluster.
spark_jobs = Table(
    "spark_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("who", String(320), nullable=False),  # the user's e-mail, as the audit trail names
    Column("principal", Text, nullable=False),  # JSON of the Principal the job runs as
    Column("kind", String(16), nullable=False),  # scan or record
    Column("dataset", String(1000), nullable=False),  # path under the datasets directory, or table
    Column("params", Text, nullable=False),  # JSON: date, scenario, key columns...
    Column("status", String(16), nullable=False),  # queued, running, done or failed
    Column("error_en", Text, nullable=True),  # one line, when failed
    Column("error_zh", Text, nullable=True),
    Column("result", Text, nullable=True),  # JSON: the scan report, or the recorded batch
    Column("created_at", String(40), nullable=False),
    Column("started_at", String(40), nullable=True),
    Column("finished_at", String(40), nullable=True),
)
Index("spark_jobs_by_organisation", spark_jobs.c.organisation_id, spark_jobs.c.created_at)
Index("spark_jobs_by_status", spark_jobs.c.status, spark_jobs.c.created_at)
