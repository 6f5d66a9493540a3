"""The incremental counts always equal a count from scratch, whatever the order of recording,
back-dating and removal (SQLite; the SQL is the same on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import NATIONAL, CounterCounts

from .helpers import put

PEOPLE = [f"p{i}" for i in range(8)]
YEAR_START = dt.date(2026, 1, 1)

batch = st.tuples(
    st.frozensets(st.sampled_from(PEOPLE), min_size=1),
    st.integers(0, 364),  # day offset
    st.booleans(),  # sensitive
    st.booleans(),  # exempt
)
step = st.one_of(
    st.tuples(st.just("record"), batch),
    st.tuples(st.just("remove"), st.integers(0, 20)),
)


@pytest.fixture(scope="module")
def book() -> Iterator[Ledger]:
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger.open(f"sqlite:///{tmp}/ledger.sqlite3", Path(tmp) / "key")
        yield ledger
        ledger.close()


def expected(batches: list[tuple[frozenset[str], int, bool, bool]], through: int) -> CounterCounts:
    personal: set[str] = set()
    sensitive: set[str] = set()
    for people, day, is_sensitive, exempt in batches:
        if exempt or day > through:
            continue
        personal |= people
        if is_sensitive:
            sensitive |= people
    return CounterCounts(
        personal=len(personal), sensitive=len(sensitive), persons=len(personal | sensitive)
    )


_names = itertools.count()


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(step, min_size=1, max_size=8), probes=st.lists(st.integers(0, 364), max_size=4)
)
def test_counts_match_a_count_from_scratch(book: Ledger, steps: list, probes: list[int]) -> None:  # type: ignore[type-arg]
    processor = f"P{next(_names)}"
    live: list[tuple[str, tuple[frozenset[str], int, bool, bool]]] = []
    for n, (action, arg) in enumerate(steps):
        if action == "record":
            people, offset, sensitive, exempt = arg
            day = (YEAR_START + dt.timedelta(days=offset)).isoformat()
            result = put(
                book,
                sorted(people),
                day,
                sensitive=sensitive,
                processor=processor,
                exemption="hr" if exempt else None,
                tag=str(n),
            )
            live.append((result.batch.id, arg))
        elif live:
            batch_id, _ = live.pop(arg % len(live))
            book.remove(batch_id, processor)
    batches = [b for _, b in live]
    for probe in [*probes, 364]:
        through = YEAR_START + dt.timedelta(days=probe)
        got = book.counts(processor, 2026, through).get(NATIONAL, CounterCounts())
        assert got == expected(batches, probe)
