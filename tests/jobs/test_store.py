"""The Spark jobs' store on SQLite and PostgreSQL: its table as the migration creates it, a job's
life (queued, running, done or failed), one organisation's jobs hidden from another, and jobs a
stopped service left running failed at the next start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog.base import Text
from kuajing.db.engine import open_engine
from kuajing.db.tables import metadata
from kuajing.errors import NotFound
from kuajing.jobs import schema as _jobs  # noqa: F401
from kuajing.jobs.models import INTERRUPTED
from kuajing.jobs.store import JobStore
from tests.tenants import add_user

PARAMS = {"date": "2025-03-01", "keys": ["sfzh"], "scenario": None}


def _who(db_url: str, org: str, email: str) -> Principal:
    add_user(db_url, org, email)
    with Accounts.open(db_url) as accounts:
        return accounts.principal_by_email(email)


@pytest.fixture
def store(db_url: str) -> Iterator[JobStore]:
    engine = open_engine(db_url)
    yield JobStore(engine)
    engine.dispose()


def test_the_table_matches_its_migration(db_url: str) -> None:
    engine = open_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if "spark_jobs" in repr(d)] == []
    engine.dispose()


def test_a_job_is_claimed_once_then_done_or_failed(db_url: str, store: JobStore) -> None:
    who = _who(db_url, "pharma", "ops@pharma.example")
    first = store.create(who, "scan", "trips/2024", PARAMS)
    second = store.create(who, "record", "sales", PARAMS)
    assert (first.status, first.params, first.who) == ("queued", PARAMS, "ops@pharma.example")

    claimed = store.claim()
    assert claimed is not None
    job, runs_as = claimed
    assert (job.id, job.status, runs_as) == (first.id, "running", who)
    assert store.get(who, first.id).status == "running"
    store.finish(first.id, {"rows": 3})
    done = store.get(who, first.id)
    assert (done.status, done.result, done.error) == ("done", {"rows": 3}, None)
    assert done.finished_at is not None

    claimed = store.claim()
    assert claimed is not None and claimed[0].id == second.id
    assert store.claim() is None  # nothing else waits
    store.fail(second.id, Text(en="trips: no rows", zh="trips：没有数据行"))
    failed = store.get(who, second.id)
    assert failed.status == "failed" and failed.error == Text(
        en="trips: no rows", zh="trips：没有数据行"
    )


def test_another_organisation_sees_no_job(db_url: str, store: JobStore) -> None:
    ours = _who(db_url, "pharma", "ops@pharma.example")
    theirs = _who(db_url, "bank", "ops@bank.example")
    job = store.create(ours, "scan", "trips", PARAMS)
    assert [j.id for j in store.all(ours)] == [job.id]
    assert store.all(theirs) == []
    try:
        store.get(theirs, job.id)
    except NotFound:
        pass
    else:
        raise AssertionError("another organisation's job was found")


def test_jobs_left_running_are_failed_at_start_up(db_url: str, store: JobStore) -> None:
    who = _who(db_url, "pharma", "ops@pharma.example")
    running = store.create(who, "record", "trips", PARAMS)
    queued_job = store.create(who, "scan", "trips", PARAMS)
    assert store.claim() is not None  # `running` runs when the service stops

    assert store.interrupted() == 1
    failed = store.get(who, running.id)
    assert (failed.status, failed.error) == ("failed", INTERRUPTED)
    assert store.get(who, queued_job.id).status == "queued"  # still to run
