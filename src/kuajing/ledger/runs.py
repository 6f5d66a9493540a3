"""A batch's hashes in byte order, each once, in memory bounded by a chunk: an external sort.

Each chunk of hashes is a run, written to a temporary file grouped by first byte; the runs are
then read back one range of first bytes at a time, each range sorted and freed of repeats.
Keyed hashes are uniform, so each of the 256 ranges holds about 1/256 of the batch. Persons in
byte order fill the database's B-trees at their right edge: a third of the cost of inserts
spread over them (3.5 s against 8.6 s of CPU for 9.1M persons on SQLite)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

import numpy as np

from kuajing.ledger.hashing import sort_hashes, take_rows
from kuajing.ledger.models import HASH_BYTES

_RANGES = np.arange(257)  # bounds of the ranges of first bytes; 256 is past every byte


def ordered(runs: Iterable[np.ndarray], chunk: int) -> Iterator[np.ndarray]:
    """The hashes of all `runs` ((n, 16) each, in any order, repeats allowed) in byte order
    without repeats, in chunks of about `chunk` or more rows."""
    first: np.ndarray | None = None
    with tempfile.TemporaryFile(prefix="kuajing-runs-") as spill:
        bounds: list[tuple[int, np.ndarray]] = []  # each run's first row in the file, its ranges
        stored = 0
        for run in runs:
            if first is None:  # a batch of one run needs no file
                first = run
                continue
            for table in (first, run) if not bounds else (run,):
                # Grouped by first byte (a radix sort of one byte): each range is a slice.
                grouped = take_rows(table, np.argsort(table[:, 0], kind="stable"))
                spill.write(grouped.tobytes())
                bounds.append((stored, np.searchsorted(grouped[:, 0], _RANGES)))
                stored += len(grouped)
        if not bounds:
            if first is not None and len(first):
                yield _once(sort_hashes(first))
            return
        yield from _merged(spill, bounds, chunk)


def _merged(
    spill: IO[bytes], bounds: list[tuple[int, np.ndarray]], chunk: int
) -> Iterator[np.ndarray]:
    pending: list[np.ndarray] = []
    for r in range(len(_RANGES) - 1):
        parts = [_read(spill, start + ends[r], ends[r + 1] - ends[r]) for start, ends in bounds]
        pending.append(_once(sort_hashes(np.concatenate(parts))))
        if sum(map(len, pending)) >= chunk:
            yield np.concatenate(pending)
            pending = []
    if pending and sum(map(len, pending)):
        yield np.concatenate(pending)


def _once(table: np.ndarray) -> np.ndarray:
    """Sorted hashes without the repeats."""
    words = table.view(np.uint64)
    keep = np.ones(len(table), dtype=bool)
    keep[1:] = (words[1:] != words[:-1]).any(axis=1)
    return table[keep]


def _read(spill: IO[bytes], row: int, rows: int) -> np.ndarray:
    spill.seek(row * HASH_BYTES)
    data = spill.read(rows * HASH_BYTES)
    return np.frombuffer(data, dtype=np.uint8).reshape(-1, HASH_BYTES)
