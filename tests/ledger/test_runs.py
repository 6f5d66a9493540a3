"""The external sort of a batch's hashes: all of them, in byte order, each once, whatever the
runs and their repeats; a batch of one run needs no temporary file."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.ledger import runs
from kuajing.ledger.hashing import sort_hashes

# Few distinct first bytes and words, so runs repeat hashes and share ranges.
hash_row = st.tuples(st.sampled_from([0, 1, 127, 255]), st.integers(0, 3)).map(
    lambda t: bytes([t[0], *([0] * 14), t[1]])
)


def table(rows: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(-1, 16)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(hash_row, max_size=12), max_size=5), st.integers(1, 6))
def test_runs_come_back_in_order_each_once(batches: list[list[bytes]], chunk: int) -> None:
    out = list(runs.ordered([table(b) for b in batches], chunk))
    rows = [bytes(r) for part in out for r in part]
    assert rows == sorted({r for b in batches for r in b})
    assert all(len(part) for part in out)


def test_random_hashes_in_many_runs() -> None:
    rng = np.random.default_rng(3)
    whole = rng.integers(0, 256, size=(50_000, 16), dtype=np.uint8)
    parts = [sort_hashes(whole[i : i + 7_000]) for i in range(0, 50_000, 5_000)]  # overlapping
    out = np.concatenate(list(runs.ordered(parts, 10_000)))
    assert (out == sort_hashes(whole)).all()


def test_one_run_needs_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "_merged", None)  # the spill path would call it
    one = np.arange(32, dtype=np.uint8).reshape(2, 16)[[1, 0, 1]]
    assert [r.tolist() for r in runs.ordered([one], 10)] == [one[[1, 0]].tolist()]
