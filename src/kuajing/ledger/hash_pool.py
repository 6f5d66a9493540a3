"""Hashing a large batch on every core. The HMAC loop holds the GIL, so worker processes run it
(`python -m kuajing.ledger.hmac_batch`, which imports only the standard library) on slices of
each chunk while the caller reads and normalises the next chunk. Plain subprocesses, not
multiprocessing: nothing of the caller's program is imported or run again in them."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import IO

import numpy as np
import polars as pl

from kuajing.errors import LedgerError
from kuajing.ledger.hashing import hash_persons, truncated
from kuajing.ledger.keys import Keyring

POOLED = 200_000  # chunks of fewer keys are hashed in the calling thread: no processes


class Hasher:
    """`hash_persons` for one chunk after another, the large ones in worker processes."""

    def __init__(self, keyring: Keyring, workers: int | None = None) -> None:
        self._keyring = keyring
        self._count = workers or _cores()
        self._workers: list[subprocess.Popen[bytes]] = []
        self._pending: tuple[list[subprocess.Popen[bytes]], list[bytes]] | None = None

    def __enter__(self) -> Hasher:
        return self

    def __exit__(self, *_: object) -> None:
        for worker in self._workers:
            if self._pending is not None:  # abandoned work (an error): no need to wait for it
                worker.kill()
            _pipe(worker.stdin).close()  # the worker's loop ends at the end of its input
            worker.wait()
            _pipe(worker.stdout).close()

    def submit(self, keys: pl.Series) -> Callable[[], np.ndarray]:
        """Start hashing `keys`; the call returned waits for their hashes, as `hash_persons`
        gives them but in any order and with a person's repeats."""
        values = keys.drop_nulls()  # repeats and all: dropped later by the sort (cheaper)
        if len(values) < max(POOLED, 1) or self._count < 2:
            return lambda: hash_persons(self._keyring, keys)
        if not self._workers:
            command = [sys.executable, "-m", "kuajing.ledger.hmac_batch"]
            self._workers = [
                subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                for _ in range(self._count)
            ]
        self._collect()  # a worker answers before it reads again: take the last answers first
        step = -(-len(values) // self._count)
        busy = []
        for worker, start in zip(self._workers, range(0, len(values), step), strict=False):
            part = values.slice(start, step)
            ends = part.str.len_bytes().cast(pl.UInt64).cum_sum().to_numpy()
            data = part.str.join("").item().encode()  # UTF-8, as str.encode() gives
            request = pickle.dumps((self._keyring.persons, data, ends.tobytes()), protocol=5)
            stdin = _pipe(worker.stdin)
            stdin.write(len(request).to_bytes(8, "little"))
            stdin.write(request)
            stdin.flush()
            busy.append(worker)
        answers: list[bytes] = []
        self._pending = (busy, answers)
        return lambda: truncated(b"".join(answers or self._collect()))

    def _collect(self) -> list[bytes]:
        if self._pending is None:
            return []
        busy, answers = self._pending
        answers.extend(_answer(worker) for worker in busy)
        self._pending = None
        return answers


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may run on (Linux)
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _answer(worker: subprocess.Popen[bytes]) -> bytes:
    stdout = _pipe(worker.stdout)
    size = int.from_bytes(stdout.read(8), "little")
    out = stdout.read(size)
    if not size or len(out) != size:
        raise LedgerError(f"a hashing worker stopped (exit status {worker.poll()})")
    return out


def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
    assert stream is not None  # opened with subprocess.PIPE
    return stream
