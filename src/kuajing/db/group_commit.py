"""Group commit: rows of one table written by one thread, in batches.

Every row that arrives while a batch is being written goes into the next batch: one transaction
and one sync to disk for all of them. Under load this replaces dozens of writers, each waiting
for the write lock and each syncing, with one writer (bench/api.py: the decision log). A caller
waits until its row is committed, so nothing is acknowledged before it is on disk: a thread in
`write`, a coroutine in `write_async`. A batch's coroutines are answered in one wake-up of their
event loop, and no worker thread is held while they wait (the API's decision log: bench/api.py).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections import defaultdict
from concurrent.futures import Future
from contextlib import suppress
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert

from kuajing.db.engine import connect, writing_on

MAX_BATCH = 256  # rows in one transaction: bounds how long one batch holds the write lock

# Who waits for a row: a thread (its future) or a coroutine (its loop and its asyncio future).
_Waiter = Future[None] | tuple[asyncio.AbstractEventLoop, "asyncio.Future[None]"]
_Item = tuple[dict[str, Any], _Waiter]
_Outcome = tuple["asyncio.Future[None]", Exception | None]


class GroupCommit:
    def __init__(self, engine: Engine, table: Table) -> None:
        self.engine = engine
        self.statement = insert(table)
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._taken = 0  # rows of the batch being written (the tests watch it)
        self._conn: Connection | None = None  # the writer's own, kept from batch to batch

    def write(self, row: dict[str, Any]) -> None:
        """Insert `row`; return once it is committed, or raise what the database raised."""
        done: Future[None] = Future()
        self._ensure_started()
        self._queue.put((row, done))
        done.result()

    async def write_async(self, row: dict[str, Any]) -> None:
        """`write` for a coroutine: its event loop goes on serving while the row is written."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._ensure_started()
        self._queue.put((row, (loop, done)))
        await done

    def close(self) -> None:
        """Write what is queued, then stop the writer."""
        with self._start:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _ensure_started(self) -> None:
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._write_batches()
        finally:
            self._disconnect()

    def _write_batches(self) -> None:
        while (first := self._queue.get()) is not None:
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._taken = len(batch)
            self._commit(batch)
            self._taken = 0

    def _commit(self, batch: list[_Item]) -> None:
        waiting: defaultdict[asyncio.AbstractEventLoop, list[_Outcome]] = defaultdict(list)
        for (_, waiter), exc in zip(batch, self._insert(batch), strict=True):
            if isinstance(waiter, Future):
                if exc is None:
                    waiter.set_result(None)
                else:
                    waiter.set_exception(exc)
            else:
                waiting[waiter[0]].append((waiter[1], exc))
        for loop, outcomes in waiting.items():
            with suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(_answer, outcomes)  # one wake-up for the batch

    def _insert(self, batch: list[_Item], again: bool = True) -> list[Exception | None]:
        """Each row's error, or None: committed."""
        try:
            if self._conn is None:
                self._conn = connect(self.engine)
            with writing_on(self._conn) as conn:
                conn.execute(self.statement, [row for row, _ in batch])
        except Exception as exc:
            self._disconnect()  # the next batch takes another connection
            if again and getattr(exc, "connection_invalidated", False):
                return self._insert(batch, again=False)  # it had gone stale (a server restart)
            if len(batch) == 1:
                return [exc]
            # one bad row must not fail the others: each again, alone
            return [self._insert([item])[0] for item in batch]
        return [None] * len(batch)

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):  # a broken one may not close cleanly: dropped all the same
                conn.close()


def _answer(outcomes: list[_Outcome]) -> None:
    """On the waiters' loop. A waiter that went away (its request cancelled) is skipped: its
    row is written all the same."""
    for done, exc in outcomes:
        if done.done():
            continue
        if exc is None:
            done.set_result(None)
        else:
            done.set_exception(exc)
