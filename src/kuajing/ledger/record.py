"""Writing a batch's persons into its pools. Set-based SQL that runs unchanged on SQLite and
PostgreSQL; only the way a blob of hashes is cut into rows differs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, text

from kuajing.ledger.models import HASH_BYTES, NATIONAL, BatchMeta, CounterCounts
from kuajing.ledger.schema import batch_members, batches, daily, pools, seen

if TYPE_CHECKING:  # numpy is only needed by callers that record
    import numpy as np

# A batch's persons are stored as parts: up to PART sorted, distinct 16-byte hashes in one
# blob, the parts in byte order. One row per person (as until migration 0013) cost as much to
# write as the seen-set itself (3.7 s of 18.8 at 10M rows) and a sixth of the database's size.
PART = 65_536  # hashes a part holds at most (1 MiB)
CHUNK = 1_000_000  # hashes applied to the pools per statement; the most `_CUT` below gives

# A chunk of hashes goes into the pools as one blob that the database cuts into rows itself: a
# row-by-row executemany is three times slower on SQLite. SQLite numbers the rows with a cross
# join of two 1,000-row lists (twice as fast as a recursive CTE), in order, so the seen-set's
# B-tree fills at its right edge. (WITH after INSERT: Python's sqlite3 counts the rows written
# only for statements that start with INSERT.)
_NUMBERS = ",".join(f"({n})" for n in range(1000))
_CUT = {
    "sqlite": f"""WITH a(n) AS (VALUES {_NUMBERS}), h(hash) AS (
  SELECT substr(:blob, (hi.n * 1000 + lo.n) * 16 + 1, 16) FROM a AS hi, a AS lo
  WHERE hi.n <= :last / 1000 AND hi.n * 1000 + lo.n <= :last)""",
    "postgresql": """WITH h(hash) AS (
  SELECT substring(CAST(:blob AS bytea) FROM n * 16 + 1 FOR 16)
  FROM generate_series(0, :last) AS n)""",
}

# The checks and counts that read members (recount, `distinct_between`) are set-based SQL over
# rows (batch_id, hash). Cutting the parts into rows inside such a query is slow on both
# databases (SQLite copies a 1 MiB part for every row it cuts; a COUNT(DISTINCT) of computed
# values needs a temporary index): they read a temporary table filled here, in byte order
# within each batch, whose primary key gives the same order the rows had before 0013.
_TEMP = {
    "sqlite": "CREATE TEMP TABLE member_rows (batch_id INTEGER NOT NULL, hash BLOB NOT NULL, "
    "PRIMARY KEY (batch_id, hash)) WITHOUT ROWID",
    "postgresql": "CREATE TEMP TABLE member_rows (batch_id INTEGER NOT NULL, hash BYTEA NOT NULL, "
    "PRIMARY KEY (batch_id, hash))",
}
# A damaged ledger may repeat a person within a batch: `verify` reports that (the parts' order),
# and the rows here keep each person once rather than fail the check.
_FILL = {
    "sqlite": f"INSERT OR IGNORE INTO member_rows (batch_id, hash)\n{_CUT['sqlite']}\n"
    "SELECT :batch, hash FROM h",
    "postgresql": f"INSERT INTO member_rows (batch_id, hash)\n{_CUT['postgresql']}\n"
    "SELECT :batch, hash FROM h ON CONFLICT DO NOTHING",
}


@contextmanager
def member_rows(conn: Connection, batch_ids: Iterable[int]) -> Iterator[None]:
    """The stored persons of `batch_ids` as rows of the temporary table `member_rows(batch_id,
    hash)` while the block runs. An error in the block ends the transaction, and the table
    with it (both databases roll back DDL)."""
    dialect = conn.dialect.name
    conn.execute(text(_TEMP[dialect]))
    fill = text(_FILL[dialect])
    for batch_id in batch_ids:
        for chunk in stored_chunks(conn, batch_id):  # at most CHUNK hashes: what _CUT cuts
            conn.execute(fill, {"batch": batch_id, "blob": chunk.tobytes(), "last": len(chunk) - 1})
    yield
    conn.execute(text("DROP TABLE member_rows"))


@dataclass
class Members:
    """A batch's persons as chunks of (n, 16) hashes, consumed as they are stored: in byte
    order across the chunks, each person once. `rows` counts the rows read, once the chunks
    are done."""

    chunks: Iterable[np.ndarray]
    rows: int = 0


# Persons of the chunk already in the pool whose first day in a counter this batch moves
# earlier. The persons new to the pool are the rest of those the upsert below writes.
_MOVED = """{cut}
SELECT s.p_day, s.s_day, COUNT(*) FROM h
JOIN seen s ON s.pool_id = :pool AND s.hash = h.hash
WHERE {moved}
GROUP BY s.p_day, s.s_day
"""

_UPSERT = {
    dialect: f"""INSERT INTO seen (pool_id, hash, p_day, s_day)
{cut}
SELECT :pool, hash, CAST(:p AS INTEGER), CAST(:s AS INTEGER) FROM h WHERE true
ON CONFLICT (pool_id, hash) DO UPDATE SET
  p_day = CASE WHEN excluded.p_day < seen.p_day OR seen.p_day IS NULL
               THEN COALESCE(excluded.p_day, seen.p_day) ELSE seen.p_day END,
  s_day = CASE WHEN excluded.s_day < seen.s_day OR seen.s_day IS NULL
               THEN COALESCE(excluded.s_day, seen.s_day) ELSE seen.s_day END
WHERE excluded.p_day < seen.p_day OR (seen.p_day IS NULL AND excluded.p_day IS NOT NULL)
   OR excluded.s_day < seen.s_day OR (seen.s_day IS NULL AND excluded.s_day IS NOT NULL)
"""
    for dialect, cut in _CUT.items()
}

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


@dataclass
class _Batch:
    """What counting a batch needs to know of it."""

    id: int
    processor_id: int
    year: int
    day: int
    sensitive: bool
    scopes: list[str]


def record_members(
    conn: Connection,
    batch: BatchMeta,
    batch_id: int,
    processor_id: int,
    chunks: Iterable[np.ndarray],
) -> tuple[int, CounterCounts]:
    """Store a new batch's persons and count them in each pool its scopes name: how many
    distinct persons it has, and what it added nationally. `chunks` must be in byte order
    across the batch, each person once (`runs.ordered` gives that)."""
    counted = _Batch(
        batch_id, processor_id, batch.date.year, day_of_year(batch.date), batch.sensitive,
        list(batch.scopes),
    )  # fmt: skip
    return _count(conn, counted, chunks, store=True)


def count_batch(conn: Connection, batch_id: int, year: int, processor_id: int) -> CounterCounts:
    """Count a stored batch again in each pool its scopes name (a rebuild after a removal)."""
    row = conn.execute(
        select(batches.c.export_date, batches.c.sensitive, batches.c.scopes).where(
            batches.c.id == batch_id
        )
    ).one()
    day = day_of_year(dt.date.fromisoformat(row.export_date))
    scopes = list(filter(None, row.scopes.split(",")))
    counted = _Batch(batch_id, processor_id, year, day, bool(row.sensitive), scopes)
    return _count(conn, counted, stored_chunks(conn, batch_id), store=False)[1]


def _count(
    conn: Connection, batch: _Batch, chunks: Iterable[np.ndarray], *, store: bool
) -> tuple[int, CounterCounts]:
    p_day, s_day = batch.day, (batch.day if batch.sensitive else None)
    pools = [_pool(conn, batch.processor_id, batch.year, s) for s in [NATIONAL, *batch.scopes]]
    # In a pool with nobody yet, nobody can move: no lookup of each person before the upsert
    # (the batch's own persons are distinct, so later chunks find none of the earlier ones).
    empty = [_empty(conn, pool) for pool in pools]
    changes: list[Counter[tuple[int, str]]] = [Counter() for _ in pools]
    persons, parts, last = 0, 0, None
    for chunk in chunks:
        if not len(chunk):
            continue
        last = _check_order(chunk, last)
        if store:
            parts = _store_parts(conn, batch.id, parts, chunk)
        persons += len(chunk)
        for start in range(0, len(chunk), CHUNK):
            blob = chunk[start : start + CHUNK]
            args = {"blob": blob.tobytes(), "last": len(blob) - 1, "p": p_day, "s": s_day}
            for pool, was_empty, changed in zip(pools, empty, changes, strict=True):
                _apply(conn, {**args, "pool": pool}, was_empty, changed)
    for pool, changed in zip(pools, changes, strict=True):
        _add_daily(conn, pool, changed)
    national = changes[0]
    return persons, CounterCounts(  # net: a person moved to an earlier day adds nobody
        **{c: sum(n for (_, k), n in national.items() if k == c) for c in _COUNTERS}
    )


def _apply(
    conn: Connection, args: dict[str, Any], empty: bool, changes: Counter[tuple[int, str]]
) -> None:
    dialect = conn.dialect.name
    p_day, s_day = args["p"], args["s"]
    moved = "s.p_day IS NULL OR s.p_day > :p"
    if s_day is not None:
        moved += " OR s.s_day IS NULL OR s.s_day > :s"
    sql = _MOVED.format(cut=_CUT[dialect], moved=moved)
    groups = [] if empty else conn.execute(text(sql), args).all()
    written = conn.execute(text(_UPSERT[dialect]), args).rowcount  # new persons and moved ones
    new = written - sum(n for _, _, n in groups)
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


_COUNTERS = ("personal", "sensitive", "persons")


def _empty(conn: Connection, pool: int) -> bool:
    return conn.execute(select(seen.c.hash).where(seen.c.pool_id == pool).limit(1)).first() is None


def _check_order(chunk: np.ndarray, last: bytes | None) -> bytes:
    """Refuse hashes out of byte order or repeated: the parts and the counts rest on both."""
    if not rising(chunk) or (last is not None and chunk[0].tobytes() <= last):
        raise ValueError("a batch's hashes must come in byte order, each once")
    return bytes(chunk[-1].tobytes())


def rising(table: np.ndarray) -> bool:
    """Whether (n, 16) hashes are in byte order, each once (compared as two big-endian words)."""
    words = table.view(">u8")
    hi, lo = words[:, 0], words[:, 1]
    return bool(((hi[1:] > hi[:-1]) | ((hi[1:] == hi[:-1]) & (lo[1:] > lo[:-1]))).all())


def _store_parts(conn: Connection, batch_id: int, parts: int, chunk: np.ndarray) -> int:
    rows = [
        {"batch_id": batch_id, "part": parts + i, "persons": len(part), "hashes": part.tobytes()}
        for i, part in enumerate(chunk[s : s + PART] for s in range(0, len(chunk), PART))
    ]
    conn.execute(insert(batch_members), rows)
    return parts + len(rows)


def stored_chunks(conn: Connection, batch_id: int) -> Iterator[np.ndarray]:
    """A stored batch's persons in byte order, a few parts (about CHUNK hashes) at a time: the
    parts are read in groups, so memory stays bounded on PostgreSQL too (its driver fetches a
    statement's rows whole)."""
    import numpy as np  # noqa: PLC0415

    step = CHUNK // PART
    parts = batch_members.c.part
    count = select(func.count()).where(batch_members.c.batch_id == batch_id)
    for first in range(0, int(conn.execute(count).scalar_one()), step):
        query = (
            select(batch_members.c.hashes)
            .where((batch_members.c.batch_id == batch_id) & parts.between(first, first + step - 1))
            .order_by(parts)
        )
        data = b"".join(bytes(blob) for blob in conn.execute(query).scalars())
        yield np.frombuffer(data, dtype=np.uint8).reshape(-1, HASH_BYTES)


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
