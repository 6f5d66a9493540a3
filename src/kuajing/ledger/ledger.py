"""The ledger: one database and one installation key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from kuajing.db.engine import default_url, open_engine, reading, writing
from kuajing.db.tables import meta
from kuajing.errors import LedgerError, UnknownBatch
from kuajing.ledger import audit as audit_log
from kuajing.ledger import record as rec
from kuajing.ledger import recount
from kuajing.ledger.keys import Keyring, load_keyring
from kuajing.ledger.models import (
    HASH_BYTES,
    NATIONAL,
    Batch,
    BatchMeta,
    CounterCounts,
    Recorded,
    VerifyReport,
)
from kuajing.ledger.schema import batch_members, batches, daily, pools, processors

# Called with the write transaction and the batch recorded or removed (the audit trail).
BatchHook = Callable[[Connection, Batch], None]

if TYPE_CHECKING:  # numpy is only needed by callers that record
    import numpy as np


class Ledger:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self.engine = engine
        self.keyring = keyring
        self._check_key()

    @classmethod
    def open(cls, url: str | None = None, key_file: Path | None = None) -> Ledger:
        keyring = load_keyring(key_file)
        engine = open_engine(url or default_url())
        try:
            return cls(engine, keyring)
        except BaseException:
            engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------
    def record(
        self, batch: BatchMeta, hashes: np.ndarray | rec.Members, also: BatchHook | None = None
    ) -> Recorded:
        """Record a batch whole, or find it already recorded (same processor, same content).
        `also` runs in the same transaction when the batch is new (the audit trail's entry).
        `hashes` as `Members` are read while they are stored: the batch's rows and persons
        are then those counted, not `batch`'s."""
        with writing(self.engine) as conn:
            found = _find(conn, batch.processor, batch.digest)
            if found is not None:
                return Recorded(batch=found, new=False)
            processor_id = _processor(conn, batch.processor)
            now = _now()
            batch_id = _insert_batch(conn, processor_id, batch, now)
            added = None
            if batch.counted:
                persons, added = rec.record_members(
                    conn, batch, batch_id, processor_id, _chunks(hashes)
                )
                if isinstance(hashes, rec.Members):  # counted as they were read
                    batch = _counted(conn, batch_id, batch, hashes.rows, persons)
            audit_log.append(
                conn, self.keyring, "record", batch.processor, batch.id, _audited(batch)
            )
            stored = Batch(**batch.model_dump(), recorded_at=now)
            if also is not None:
                also(conn, stored)
        return Recorded(batch=stored, new=True, added=added)

    def remove(
        self,
        batch_id: str,
        processor: str | None = None,
        reason: str = "",
        also: BatchHook | None = None,
    ) -> Batch:
        with writing(self.engine) as conn:
            row = _resolve(conn, batch_id, processor)
            found = _batch(row)
            conn.execute(delete(batch_members).where(batch_members.c.batch_id == row.id))
            conn.execute(delete(batches).where(batches.c.id == row.id))
            if found.counted:
                rec.rebuild(conn, row.processor_id, row.year)
            detail = {"digest": found.digest, "reason": reason}
            audit_log.append(conn, self.keyring, "remove", found.processor, found.id, detail)
            if also is not None:
                also(conn, found)
        return found

    # -- reading -------------------------------------------------------------------------
    def find(self, processor: str, digest: str) -> Batch | None:
        with reading(self.engine) as conn:
            return _find(conn, processor, digest)

    def batches(self, processor: str | None = None, year: int | None = None) -> list[Batch]:
        query = _batch_query()
        if processor is not None:
            query = query.where(processors.c.name == processor)
        if year is not None:
            query = query.where(batches.c.year == year)
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(batches.c.export_date, batches.c.id)).all()
        return [_batch(r) for r in rows]

    def processors(self) -> list[str]:
        with reading(self.engine) as conn:
            return list(
                conn.execute(select(processors.c.name).order_by(processors.c.name)).scalars()
            )

    def counts(self, processor: str, year: int, through: dt.date) -> dict[str, CounterCounts]:
        """Distinct persons per scope exported from 1 January of `year` through `through`."""
        day = rec.day_of_year(through) if through.year == year else 366
        query = (
            select(
                pools.c.scope,
                func.sum(daily.c.personal),
                func.sum(daily.c.sensitive),
                func.sum(daily.c.persons),
            )
            .join(daily, daily.c.pool_id == pools.c.id)
            .join(processors, processors.c.id == pools.c.processor_id)
            .where((processors.c.name == processor) & (pools.c.year == year) & (daily.c.day <= day))
            .group_by(pools.c.scope)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return {
            scope: CounterCounts(personal=int(p), sensitive=int(s), persons=int(n))
            for scope, p, s, n in rows
        }

    def daily_national(self, processor: str, year: int) -> list[tuple[int, CounterCounts]]:
        """Persons first counted nationally on each day of the year, in day order."""
        query = (
            select(daily.c.day, daily.c.personal, daily.c.sensitive, daily.c.persons)
            .join(pools, daily.c.pool_id == pools.c.id)
            .join(processors, processors.c.id == pools.c.processor_id)
            .where(
                (processors.c.name == processor)
                & (pools.c.year == year)
                & (pools.c.scope == NATIONAL)
            )
            .order_by(daily.c.day)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return [(d, CounterCounts(personal=p, sensitive=s, persons=n)) for d, p, s, n in rows]

    def daily(self, processor: str, year: int) -> dict[str, list[tuple[int, CounterCounts]]]:
        """Persons first counted on each day of the year, per scope (national and lists)."""
        query = (
            select(pools.c.scope, daily.c.day, daily.c.personal, daily.c.sensitive, daily.c.persons)
            .join(pools, daily.c.pool_id == pools.c.id)
            .join(processors, processors.c.id == pools.c.processor_id)
            .where((processors.c.name == processor) & (pools.c.year == year))
            .order_by(pools.c.scope, daily.c.day)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        out: dict[str, list[tuple[int, CounterCounts]]] = {}
        for scope, d, p, s, n in rows:
            counts = CounterCounts(personal=p, sensitive=s, persons=n)
            out.setdefault(scope, []).append((d, counts))
        return out

    def distinct_between(
        self, processor: str, start: dt.date, end: dt.date
    ) -> dict[str, CounterCounts]:
        """Exact distinct persons per scope over any span of days (windows that cross a year,
        as the 2022 regime's does). Reads every stored hash of the span: slower than `counts`."""
        with reading(self.engine) as conn:
            rows = conn.execute(
                _batch_query().where(
                    (processors.c.name == processor)
                    & (batches.c.export_date >= start.isoformat())
                    & (batches.c.export_date <= end.isoformat())
                    & batches.c.exemption.is_(None)
                )
            ).all()
            by_scope: dict[str, list[Row[Any]]] = {}
            for r in rows:
                for scope in [NATIONAL, *filter(None, r.scopes.split(","))]:
                    by_scope.setdefault(scope, []).append(r)
            return {scope: _distinct(conn, found) for scope, found in by_scope.items()}

    def verify(self, head: str | None = None) -> VerifyReport:
        """The audit chain intact; the live batches exactly those it records; their members,
        seen-sets and daily counters exactly what those batches give. With `head` (noted from an
        earlier verify), that the chain still holds it: a chain cut back shows no other sign."""
        wanted = audit_log.parse_head(head) if head is not None else None
        with reading(self.engine) as conn:
            entries, problems = audit_log.check_chain(conn, self.keyring)
            live = [_batch(r) for r in conn.execute(_batch_query()).all()]
            problems += _replay(entries, live)
            problems += _consistent(conn, live)
            counters = recount.check(conn)
        last = entries[-1]["mac"] if entries else audit_log.GENESIS
        found = audit_log.find_head(entries, wanted) if wanted is not None else None
        return VerifyReport(
            ok=not problems and not counters and (found is None or found.found),
            entries=len(entries),
            batches=len(live),
            head=last,
            problems=problems,
            counters=counters,
            head_check=found,
        )

    def audit_entries(self) -> list[dict[str, Any]]:
        with reading(self.engine) as conn:
            return audit_log.check_chain(conn, self.keyring)[0]

    # -- the key -------------------------------------------------------------------------
    def _check_key(self) -> None:
        with reading(self.engine) as conn:
            stored = conn.execute(select(meta.c.value).where(meta.c.name == "key")).scalar()
        if stored is None:
            with writing(self.engine) as conn:
                stored = conn.execute(select(meta.c.value).where(meta.c.name == "key")).scalar()
                if stored is None:
                    conn.execute(insert(meta).values(name="key", value=self.keyring.fingerprint))
                    stored = self.keyring.fingerprint
        if stored != self.keyring.fingerprint:
            raise LedgerError(
                f"this ledger was keyed with another secret (fingerprint {stored}, this key "
                f"{self.keyring.fingerprint}); point KUAJING_KEY_FILE at the key used before: "
                "with another key no person would match an earlier batch"
            )


def _chunks(hashes: np.ndarray | rec.Members) -> Iterable[np.ndarray]:
    """The batch's persons as `record_members` takes them: hashes given as one array may come
    in any order and repeat, so they are sorted and freed of repeats first."""
    if isinstance(hashes, rec.Members):
        return hashes.chunks
    from kuajing.ledger.runs import ordered  # noqa: PLC0415 (numpy: only when recording)

    return ordered([hashes], rec.CHUNK)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _processor(conn: Connection, name: str) -> int:
    found = conn.execute(select(processors.c.id).where(processors.c.name == name)).scalar()
    if found is not None:
        return int(found)
    values = {"name": name, "created_at": _now()}
    return int(
        conn.execute(insert(processors).values(values).returning(processors.c.id)).scalar_one()
    )


def _insert_batch(conn: Connection, processor_id: int, b: BatchMeta, now: str) -> int:
    values = {
        "processor_id": processor_id,
        "digest": b.digest,
        "export_date": b.date.isoformat(),
        "year": b.date.year,
        "scenario": b.scenario,
        "scopes": ",".join(b.scopes),
        "exemption": b.exemption,
        "sensitive": b.sensitive,
        "recipient": b.recipient,
        "source": b.source,
        "format": b.format,
        "key_columns": ",".join(b.key_columns),
        "rows": b.rows,
        "persons": b.persons,
        "recorded_at": now,
    }
    return int(conn.execute(insert(batches).values(values).returning(batches.c.id)).scalar_one())


def _counted(conn: Connection, batch_id: int, b: BatchMeta, rows: int, persons: int) -> BatchMeta:
    values = {"rows": rows, "persons": persons}
    conn.execute(update(batches).where(batches.c.id == batch_id).values(values))
    return b.model_copy(update=values)


def _audited(b: BatchMeta) -> dict[str, Any]:
    fields = set(BatchMeta.model_fields) - {"processor"}
    return b.model_dump(mode="json", include=fields)


def _batch_query() -> Any:
    return select(batches, processors.c.name.label("processor_name")).join(
        processors, processors.c.id == batches.c.processor_id
    )


def _batch(r: Row[Any]) -> Batch:
    return Batch(
        processor=r.processor_name,
        digest=r.digest,
        date=dt.date.fromisoformat(r.export_date),
        scenario=r.scenario,
        scopes=[s for s in r.scopes.split(",") if s],
        exemption=r.exemption,
        sensitive=bool(r.sensitive),
        recipient=r.recipient,
        source=r.source,
        format=r.format,
        key_columns=r.key_columns.split(","),
        rows=r.rows,
        persons=r.persons,
        recorded_at=r.recorded_at,
    )


def _find(conn: Connection, processor: str, digest: str) -> Batch | None:
    row = conn.execute(
        _batch_query().where((processors.c.name == processor) & (batches.c.digest == digest))
    ).first()
    return _batch(row) if row is not None else None


def _resolve(conn: Connection, batch_id: str, processor: str | None) -> Row[Any]:
    """A batch by the start of its digest (at least 6 characters), like a git commit."""
    prefix = batch_id.strip().lower()
    if len(prefix) < 6 or any(c not in "0123456789abcdef" for c in prefix):
        raise LedgerError(
            f"batch {batch_id!r}: give at least 6 hex digits of its id",
            zh=f"批次 {batch_id!r}：请至少给出其编号的前 6 位十六进制数字",
        )
    query = _batch_query().where(batches.c.digest.like(f"{prefix}%"))
    if processor is not None:
        query = query.where(processors.c.name == processor)
    rows = conn.execute(query).all()
    if not rows:
        raise UnknownBatch(
            f"batch {batch_id!r}: no such batch in the ledger",
            zh=f"批次 {batch_id!r}：台账中没有该批次",
        )
    if len(rows) > 1:
        names = ", ".join(sorted(r.processor_name for r in rows))
        raise LedgerError(f"batch {batch_id!r} is ambiguous ({names}); add --processor")
    return rows[0]


def _distinct(conn: Connection, found: Sequence[Row[Any]]) -> CounterCounts:
    query = text("SELECT COUNT(DISTINCT hash) FROM member_rows WHERE batch_id IN :ids")
    query = query.bindparams(bindparam("ids", expanding=True))

    def count(ids: list[int]) -> int:
        return int(conn.execute(query, {"ids": ids}).scalar_one()) if ids else 0

    with rec.member_rows(conn, [r.id for r in found]):
        every = count([r.id for r in found])
        sensitive = count([r.id for r in found if r.sensitive])
    return CounterCounts(personal=every, sensitive=sensitive, persons=every)


def _replay(entries: list[dict[str, Any]], live: list[Batch]) -> list[str]:
    """The batches the audit log says exist must be exactly those in the ledger."""
    expected: dict[tuple[str, str], dict[str, Any]] = {}
    for e in entries:
        detail = e["detail"]
        if e["action"] == "record":
            expected[(e["processor"], detail.get("digest", ""))] = detail
        elif e["action"] == "remove":
            expected.pop((e["processor"], detail.get("digest", "")), None)
    problems = []
    actual = {(b.processor, b.digest): b for b in live}
    for key, detail in expected.items():
        b = actual.get(key)
        if b is None:
            problems.append(f"batch {key[1][:12]} is in the audit log but not in the ledger")
        elif _audited(b) != detail:
            problems.append(f"batch {b.id}: its record differs from the audit log")
    for key in actual.keys() - expected.keys():
        problems.append(f"batch {key[1][:12]} is in the ledger but not in the audit log")
    return problems


_POOL_TOTALS = """
SELECT p.id, p.scope,
  (SELECT COUNT(*) FROM seen s WHERE s.pool_id = p.id AND s.p_day IS NOT NULL),
  (SELECT COUNT(*) FROM seen s WHERE s.pool_id = p.id AND s.s_day IS NOT NULL),
  (SELECT COUNT(*) FROM seen s WHERE s.pool_id = p.id),
  (SELECT COALESCE(SUM(personal), 0) FROM daily d WHERE d.pool_id = p.id),
  (SELECT COALESCE(SUM(sensitive), 0) FROM daily d WHERE d.pool_id = p.id),
  (SELECT COALESCE(SUM(persons), 0) FROM daily d WHERE d.pool_id = p.id)
FROM pools p
"""


def _consistent(conn: Connection, live: list[Batch]) -> list[str]:
    """Stored persons match each batch's count, in byte order and each once; and each pool's
    daily counts its persons."""
    problems = []
    names = {
        batch_id: (name, digest)
        for batch_id, name, digest in conn.execute(
            select(batches.c.id, processors.c.name, batches.c.digest).join(
                processors, processors.c.id == batches.c.processor_id
            )
        )
    }
    stored: dict[tuple[str, str], int] = {}
    for batch_id, problem, persons in _members(conn):
        if batch_id not in names:
            orphans = f"{persons} stored persons belong to no batch (a batch row was deleted)"
            problems.append(orphans)
            continue
        stored[names[batch_id]] = persons
        if problem:
            problems.append(f"batch {names[batch_id][1][:12]}: {problem}")
    for b in live:
        n = stored.get((b.processor, b.digest), 0)
        if b.counted and n != b.persons:
            problems.append(f"batch {b.id}: {n} persons stored, not {b.persons}")
    for pool_id, scope, *totals in conn.execute(text(_POOL_TOTALS)):
        seen_counts, daily_counts = totals[:3], totals[3:]
        if [int(x) for x in seen_counts] != [int(x) for x in daily_counts]:
            problems.append(f"pool {pool_id} ({scope}): daily counts differ from stored persons")
    return problems


def _members(conn: Connection) -> Iterator[tuple[int, str, int]]:
    """Each batch's stored persons: its id, what is wrong with them ("" if nothing), how many.
    Read a few parts at a time (streamed on PostgreSQL too); only neighbours are compared."""
    import numpy as np  # noqa: PLC0415

    columns = batch_members.c
    query = (
        select(columns.batch_id, columns.part, columns.persons, columns.hashes)
        .order_by(columns.batch_id, columns.part)
        .execution_options(yield_per=8)
    )
    current, problem, count, last, expected = None, "", 0, b"", 0
    for batch_id, part, persons, blob in conn.execute(query):
        if batch_id != current:
            if current is not None:
                yield current, problem, count
            current, problem, count, last, expected = batch_id, "", 0, b"", 0
        data = bytes(blob)
        if part != expected or len(data) != persons * HASH_BYTES or not persons:
            problem = problem or f"stored part {part} is damaged or missing"
            expected = part + 1
            continue
        expected += 1
        count += persons
        table = np.frombuffer(data, dtype=np.uint8).reshape(-1, HASH_BYTES)
        if not rec.rising(table) or data[:HASH_BYTES] <= last:
            problem = problem or "stored persons out of order or repeated"
        last = data[-HASH_BYTES:]
    if current is not None:
        yield current, problem, count
