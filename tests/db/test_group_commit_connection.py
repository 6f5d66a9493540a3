"""The group commit's writer keeps its connection from batch to batch (no checkout from the pool
for each), and replaces one that went stale without failing the row, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from kuajing.db.group_commit import GroupCommit
from tests.db.scratch import rows, stored


def test_the_writer_keeps_its_connection_from_batch_to_batch(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    checkouts = 0

    @sa.event.listens_for(engine, "checkout")
    def _count(*_: object) -> None:
        nonlocal checkouts
        checkouts += 1

    for i in range(5):
        log.write({"id": i, "note": "x"})  # five batches, one after another
    log.close()
    assert checkouts == 1
    assert len(stored(engine)) == 5


def test_a_connection_that_went_stale_is_replaced_and_the_row_written(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    log.write({"id": 1, "note": "before"})
    assert log._conn is not None
    log._conn.connection.dbapi_connection.close()  # type: ignore[union-attr]  # e.g. a restart
    log.write({"id": 2, "note": "after"})
    log.close()
    assert stored(engine) == {1: "before", 2: "after"}
