"""A large file is recorded chunk by chunk: read, hashed in worker processes, sorted through
temporary runs. Chunks are made small here so that a small file takes every one of those paths,
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from kuajing.catalog.loader import default_catalog
from kuajing.errors import DatasetError
from kuajing.ledger import hash_pool
from kuajing.ledger.hashing import person_hash
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import Recorded
from kuajing.ledger.schema import batch_members
from kuajing.services import recording

from .test_ledger_cli import write_csv

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recording, "CHUNK_ROWS", 700)  # rows read and hashed at a time
    monkeypatch.setattr(hash_pool, "POOLED", 100)  # chunks this large go to the workers


def record(ledger: Ledger, path: Path) -> Recorded:
    return recording.record_file(
        ledger, default_catalog(), who=None, processor="Acme", date=DAY, path=path,
        key=["id"], sensitive=False, today=DAY,
    )  # fmt: skip


@pytest.mark.usefixtures("small_chunks")
def test_chunks_store_each_person_once_with_the_reference_hash(
    db_url: str, key_file: Path, tmp_path: Path
) -> None:
    ids = [f"{i:018d}" for i in range(3_000)]
    rows = ids + ids[::7] + ids[:50]  # people recur in later chunks
    path = write_csv(tmp_path / "big.csv", [[i, "x"] for i in rows])
    with Ledger.open(db_url, key_file) as ledger:
        done = record(ledger, path)
        assert (done.batch.rows, done.batch.persons) == (len(rows), 3_000)
        assert done.added is not None and done.added.personal == 3_000
        with ledger.engine.connect() as conn:
            parts = conn.execute(select(batch_members.c.hashes).order_by(batch_members.c.part))
            data = b"".join(bytes(p) for p in parts.scalars())
        stored = [data[i : i + 16] for i in range(0, len(data), 16)]
        assert stored == sorted(person_hash(ledger.keyring, i) for i in ids)  # in byte order
        assert ledger.counts("Acme", 2026, DAY)["*"].personal == 3_000
        assert ledger.verify().ok


@pytest.mark.usefixtures("small_chunks")
def test_a_row_without_a_person_in_a_late_chunk_leaves_nothing_written(
    db_url: str, key_file: Path, tmp_path: Path
) -> None:
    rows = [[f"{i:018d}", "x"] for i in range(3_000)]
    rows[2_500][0] = rows[2_900][0] = ""
    path = write_csv(tmp_path / "gap.csv", rows)
    with Ledger.open(db_url, key_file) as ledger:
        with pytest.raises(DatasetError) as caught:
            record(ledger, path)
        assert caught.value.message.startswith("2 rows have no value")
        assert caught.value.line == 2_502  # the header is line 1
        assert ledger.batches() == [] and ledger.processors() == []
        assert ledger.verify().ok
