"""Writing a batch's persons into its pools. Set-based SQL that runs unchanged on SQLite and
PostgreSQL; only the bulk load of hashes uses each driver's fastest path."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, insert, select, text

from kuajing.ledger.models import NATIONAL, CounterCounts
from kuajing.ledger.schema import batch_persons, batches, daily, pools, seen

if TYPE_CHECKING:  # numpy is only needed by callers that record
    import numpy as np

# The hashes go in as one blob per chunk and are cut into rows by the database itself: a
# row-by-row executemany is three times slower on SQLite. SQLite numbers the rows with a cross
# join of two 1,000-row lists (twice as fast as a recursive CTE). A person already stored by an
# earlier chunk of the same batch is skipped by the primary key. (WITH after INSERT: Python's
# sqlite3 counts the rows written only for statements that start with INSERT.)
_NUMBERS = ",".join(f"({n})" for n in range(1000))
_MEMBERS = {
    "sqlite": f"""
INSERT OR IGNORE INTO batch_persons (batch_id, hash)
WITH a(n) AS (VALUES {_NUMBERS})
SELECT :batch, substr(:blob, (hi.n * 1000 + lo.n) * 16 + 1, 16) FROM a AS hi, a AS lo
WHERE hi.n <= :last / 1000 AND hi.n * 1000 + lo.n <= :last
""",
    "postgresql": """
INSERT INTO batch_persons (batch_id, hash)
SELECT :batch, substring(CAST(:blob AS bytea) FROM n * 16 + 1 FOR 16)
FROM generate_series(0, :last) AS n
ON CONFLICT DO NOTHING
""",
}
CHUNK = 1_000_000  # hashes per statement; also the most the SQLite numbering gives


@dataclass
class Members:
    """A batch's persons as chunks of (n, 16) hashes, consumed as they are stored; in byte
    order they fill the B-trees fastest. A person may recur in later chunks. `rows` counts
    the rows read, once the chunks are done."""

    chunks: Iterable[np.ndarray]
    rows: int = 0


# Persons of the batch already in the pool whose first day in a counter this batch moves
# earlier. The persons new to the pool are the rest of those the upsert below writes.
_MOVED = """
SELECT s.p_day, s.s_day, COUNT(*) FROM batch_persons b
JOIN seen s ON s.pool_id = :pool AND s.hash = b.hash
WHERE b.batch_id = :batch AND ({moved})
GROUP BY s.p_day, s.s_day
"""

_UPSERT = """
INSERT INTO seen (pool_id, hash, p_day, s_day)
SELECT :pool, hash, CAST(:p AS INTEGER), CAST(:s AS INTEGER)
FROM batch_persons WHERE batch_id = :batch
ON CONFLICT (pool_id, hash) DO UPDATE SET
  p_day = CASE WHEN excluded.p_day < seen.p_day OR seen.p_day IS NULL
               THEN COALESCE(excluded.p_day, seen.p_day) ELSE seen.p_day END,
  s_day = CASE WHEN excluded.s_day < seen.s_day OR seen.s_day IS NULL
               THEN COALESCE(excluded.s_day, seen.s_day) ELSE seen.s_day END
WHERE excluded.p_day < seen.p_day OR (seen.p_day IS NULL AND excluded.p_day IS NOT NULL)
   OR excluded.s_day < seen.s_day OR (seen.s_day IS NULL AND excluded.s_day IS NOT NULL)
"""

_DAILY = """
INSERT INTO daily (pool_id, day, personal, sensitive, persons)
VALUES (:pool, :day, :personal, :sensitive, :persons)
ON CONFLICT (pool_id, day) DO UPDATE SET
  personal = daily.personal + excluded.personal,
  sensitive = daily.sensitive + excluded.sensitive,
  persons = daily.persons + excluded.persons
"""


def day_of_year(day: dt.date) -> int:
    return day.timetuple().tm_yday


def store_members(conn: Connection, batch_id: int, members: Members) -> int:
    """Load the batch's hashes into `batch_persons`; how many distinct persons it has."""
    sql = text(_MEMBERS[conn.dialect.name])
    stored = 0
    for hashes in members.chunks:
        for start in range(0, len(hashes), CHUNK):
            chunk = hashes[start : start + CHUNK]
            args = {"batch": batch_id, "blob": chunk.tobytes(), "last": len(chunk) - 1}
            stored += conn.execute(sql, args).rowcount
    return stored


def count_batch(conn: Connection, batch_id: int, year: int, processor_id: int) -> CounterCounts:
    """Apply a stored batch to each pool its scopes name; returns what it added nationally."""
    row = conn.execute(
        select(batches.c.export_date, batches.c.sensitive, batches.c.scopes).where(
            batches.c.id == batch_id
        )
    ).one()
    day = day_of_year(dt.date.fromisoformat(row.export_date))
    p_day, s_day = day, (day if row.sensitive else None)
    added = CounterCounts()
    for scope in [NATIONAL, *filter(None, row.scopes.split(","))]:
        pool = _pool(conn, processor_id, year, scope)
        delta = _apply(conn, pool, batch_id, p_day, s_day)
        if scope == NATIONAL:
            added = delta
    return added


def _apply(
    conn: Connection, pool: int, batch_id: int, p_day: int, s_day: int | None
) -> CounterCounts:
    moved = "s.p_day IS NULL OR s.p_day > :p"
    if s_day is not None:
        moved += " OR s.s_day IS NULL OR s.s_day > :s"
    args = {"pool": pool, "batch": batch_id, "p": p_day, "s": s_day}
    # In a pool with nobody yet, nobody can move: no lookup of each person before the upsert.
    empty = conn.execute(select(seen.c.hash).where(seen.c.pool_id == pool).limit(1)).first()
    groups = [] if empty is None else conn.execute(text(_MOVED.format(moved=moved)), args).all()
    written = conn.execute(text(_UPSERT), args).rowcount  # new persons and moved ones
    new = written - sum(n for _, _, n in groups)
    changes: Counter[tuple[int, str]] = Counter()
    for old_p, old_s, n in [(None, None, new), *groups]:
        new_p = _earliest(old_p, p_day)
        new_s = _earliest(old_s, s_day)
        for counter, old, new_day in (
            ("personal", old_p, new_p),
            ("sensitive", old_s, new_s),
            ("persons", _earliest(old_p, old_s), _earliest(new_p, new_s)),
        ):
            if old != new_day and new_day is not None:  # days only move earlier: new is set
                changes[(new_day, counter)] += n
                if old is not None:
                    changes[(old, counter)] -= n
    _add_daily(conn, pool, changes)
    return CounterCounts(  # net: a person moved to an earlier day adds nobody
        **{c: sum(n for (_, k), n in changes.items() if k == c) for c in _COUNTERS}
    )


_COUNTERS = ("personal", "sensitive", "persons")


def _earliest(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _add_daily(conn: Connection, pool: int, changes: Counter[tuple[int, str]]) -> None:
    days = sorted({d for d, _ in changes})
    for d in days:
        values = {c: changes.get((d, c), 0) for c in _COUNTERS}
        if any(values.values()):
            conn.execute(text(_DAILY), {"pool": pool, "day": d, **values})


def _pool(conn: Connection, processor_id: int, year: int, scope: str) -> int:
    where = (pools.c.processor_id == processor_id) & (pools.c.year == year)
    found = conn.execute(select(pools.c.id).where(where & (pools.c.scope == scope))).scalar()
    if found is not None:
        return int(found)
    values = {"processor_id": processor_id, "year": year, "scope": scope}
    return int(conn.execute(insert(pools).values(values).returning(pools.c.id)).scalar_one())


def rebuild(conn: Connection, processor_id: int, year: int) -> None:
    """Recount a processor's year from the batches it still has (after a removal)."""
    ids = select(pools.c.id).where((pools.c.processor_id == processor_id) & (pools.c.year == year))
    conn.execute(delete(seen).where(seen.c.pool_id.in_(ids)))
    conn.execute(delete(daily).where(daily.c.pool_id.in_(ids)))
    conn.execute(delete(pools).where(pools.c.id.in_(ids.scalar_subquery())))
    remaining = conn.execute(
        select(batches.c.id)
        .where(
            (batches.c.processor_id == processor_id)
            & (batches.c.year == year)
            & batches.c.exemption.is_(None)
        )
        .order_by(batches.c.export_date, batches.c.id)
    ).scalars()
    for batch_id in list(remaining):
        count_batch(conn, batch_id, year, processor_id)


def forget_members(conn: Connection, batch_id: int) -> None:
    conn.execute(delete(batch_persons).where(batch_persons.c.batch_id == batch_id))
