"""Group commit: rows of one table written by one thread, in batches.

Every row that arrives while a batch is being written goes into the next batch: one transaction
and one sync to disk for all of them. Under load this replaces dozens of writers, each waiting
for the write lock and each syncing, with one writer (bench/api.py: the decision log). A caller
waits until its row is committed, so nothing is acknowledged before it is on disk.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from typing import Any

from sqlalchemy import Engine, Table, insert

from kuajing.ledger.db import writing

MAX_BATCH = 256  # rows in one transaction: bounds how long one batch holds the write lock

_Item = tuple[dict[str, Any], "Future[None]"]


class GroupCommit:
    def __init__(self, engine: Engine, table: Table) -> None:
        self.engine = engine
        self.statement = insert(table)
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._taken = 0  # rows of the batch being written (the tests watch it)

    def write(self, row: dict[str, Any]) -> None:
        """Insert `row`; return once it is committed, or raise what the database raised."""
        done: Future[None] = Future()
        self._ensure_started()
        self._queue.put((row, done))
        done.result()

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
        try:
            with writing(self.engine) as conn:
                conn.execute(self.statement, [row for row, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
            else:  # one bad row must not fail the others: each again, alone
                for item in batch:
                    self._commit([item])
            return
        for _, done in batch:
            done.set_result(None)
