"""Group commit (the decision log's writer) on SQLite and PostgreSQL: every caller's row is
committed before it returns, concurrent rows share transactions, and a bad row fails alone."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kuajing.db.engine import writing
from kuajing.db.group_commit import GroupCommit
from tests.db.scratch import rows, stored


def _until_waiting(log: GroupCommit, callers: int) -> None:
    """Until `callers` rows are queued or taken by the writer (which waits for the lock)."""
    while log._queue.qsize() + log._taken < callers:
        threading.Event().wait(0.01)


def test_each_row_is_committed_before_write_returns(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    for i in range(3):
        log.write({"id": i, "note": f"n{i}"})
        assert stored(engine)[i] == f"n{i}"  # read on another connection
    log.close()


def test_concurrent_writers_are_batched_and_all_committed(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    transactions = 0

    @sa.event.listens_for(engine, "commit")
    def _count(_: object) -> None:
        nonlocal transactions
        transactions += 1

    go = threading.Barrier(16)

    def writer(k: int) -> None:
        go.wait()
        for i in range(25):
            log.write({"id": k * 100 + i, "note": "x"})

    with writing(engine):  # the writer is held up: the rows queue and must share transactions
        threads = [threading.Thread(target=writer, args=(k,)) for k in range(16)]
        for t in threads:
            t.start()
        _until_waiting(log, 16)
    for t in threads:
        t.join()
    log.close()
    assert len(stored(engine)) == 16 * 25
    assert transactions < 16 * 25


def test_a_bad_row_fails_alone(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    log.write({"id": 1, "note": "first"})
    outcomes: dict[int, BaseException | None] = {}
    go = threading.Barrier(8)

    def writer(row_id: int) -> None:
        go.wait()
        try:
            log.write({"id": row_id, "note": "again"})
            outcomes[row_id] = None
        except IntegrityError as exc:
            outcomes[row_id] = exc

    with writing(engine):  # held until all eight are queued: they go in one batch
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(1, 9)]
        for t in threads:
            t.start()
        _until_waiting(log, 8)
    for t in threads:
        t.join()
    log.close()
    assert isinstance(outcomes[1], IntegrityError)  # id 1 exists already
    assert all(outcomes[i] is None for i in range(2, 9))
    assert stored(engine) == {1: "first", **{i: "again" for i in range(2, 9)}}


def test_close_writes_what_is_queued_and_a_closed_log_starts_again(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    log.write({"id": 1, "note": "a"})
    log.close()
    log.close()  # twice is harmless
    log.write({"id": 2, "note": "b"})
    log.close()
    assert stored(engine) == {1: "a", 2: "b"}
