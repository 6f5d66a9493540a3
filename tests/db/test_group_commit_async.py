"""Group commit for coroutines (the API's decision log), on SQLite and PostgreSQL: a row is
committed before `write_async` returns, concurrent rows share transactions and each batch
answers its event loop in one wake-up, a bad row fails alone, and a waiter that went away is
skipped."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kuajing.db.engine import writing
from kuajing.db.group_commit import GroupCommit
from tests.db.scratch import rows, stored


async def _held_up(engine: sa.Engine, log: GroupCommit, callers: int, *writes: Any) -> list[Any]:
    """Run `writes` while another writer holds the lock, until `callers` rows wait: they go in
    one batch. Their outcomes, in order."""
    hold, held = threading.Event(), threading.Event()

    def holder() -> None:
        with writing(engine):
            held.set()
            hold.wait()

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait()
    tasks = [asyncio.ensure_future(w) for w in writes]
    while log._queue.qsize() + log._taken < callers:
        await asyncio.sleep(0.01)
    hold.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    thread.join()
    return outcomes


def test_a_coroutines_row_is_committed_before_it_returns(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)

    async def main() -> None:
        for i in range(3):
            await log.write_async({"id": i, "note": f"n{i}"})
            assert stored(engine)[i] == f"n{i}"  # read on another connection

    asyncio.run(main())
    log.close()


def test_a_batch_shares_one_transaction_and_wakes_its_loop_once(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    transactions = 0

    @sa.event.listens_for(engine, "commit")
    def _count(_: object) -> None:
        nonlocal transactions
        transactions += threading.current_thread().name == "group-commit"  # not the holder's

    async def main() -> list[Any]:
        loop = asyncio.get_running_loop()
        wake_ups: list[object] = []
        real = loop.call_soon_threadsafe

        def counted(callback: Any, *args: Any, **kwargs: Any) -> asyncio.Handle:
            wake_ups.append(callback)
            return real(callback, *args, **kwargs)

        loop.call_soon_threadsafe = counted  # type: ignore[method-assign,assignment]
        writes = [log.write_async({"id": i, "note": "x"}) for i in range(16)]
        outcomes = await _held_up(engine, log, 16, *writes)
        return [outcomes, len(wake_ups)]

    outcomes, wake_ups = asyncio.run(main())
    log.close()
    assert outcomes == [None] * 16
    assert len(stored(engine)) == 16
    assert (transactions, wake_ups) == (1, 1)  # all 16 were waiting: one batch


def test_a_bad_row_fails_alone(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    log.write({"id": 1, "note": "first"})

    async def main() -> list[Any]:
        writes = [log.write_async({"id": i, "note": "again"}) for i in range(1, 9)]
        return await _held_up(engine, log, 8, *writes)

    outcomes = asyncio.run(main())
    log.close()
    assert isinstance(outcomes[0], IntegrityError)  # id 1 exists already
    assert outcomes[1:] == [None] * 7
    assert stored(engine) == {1: "first", **{i: "again" for i in range(2, 9)}}


def test_a_waiter_that_went_away_is_skipped_and_its_row_kept(engine: sa.Engine) -> None:
    log = GroupCommit(engine, rows)
    errors: list[dict[str, Any]] = []

    async def went_away() -> None:
        waiter = asyncio.ensure_future(log.write_async({"id": 1, "note": "gone"}))
        await asyncio.sleep(0)  # queued
        waiter.cancel()  # e.g. the client hung up

    async def main() -> list[Any]:
        asyncio.get_running_loop().set_exception_handler(lambda _, context: errors.append(context))
        kept = log.write_async({"id": 2, "note": "kept"})
        return await _held_up(engine, log, 2, went_away(), kept)

    assert asyncio.run(main()) == [None, None]
    log.close()
    assert errors == []  # answering the cancelled waiter raised nothing on the loop
    assert stored(engine) == {1: "gone", 2: "kept"}
