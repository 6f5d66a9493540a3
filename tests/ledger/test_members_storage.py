"""A batch's persons are kept as parts: sorted keyed hashes, up to `PART` in one blob. The parts
hold exactly the batch's persons, each once; a damaged part is caught by `verify`; and a ledger
made before migration 0013 (one row a person) converts in place, and back, on SQLite and
PostgreSQL, with every hash and count unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from kuajing.db.engine import MIGRATIONS
from kuajing.ledger import record
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import NATIONAL, BatchMeta, CounterCounts
from kuajing.ledger.runs import ordered

from .helpers import put

SCOPE = "beijing-2024/pharmaceuticals/clinical_trial"
END = dt.date(2026, 12, 31)


@pytest.fixture
def ledger(db_url: str, key_file: Path) -> Ledger:
    book = Ledger.open(db_url, key_file)
    yield book  # type: ignore[misc]
    book.close()


def _large(ledger: Ledger, hashes: np.ndarray, day: str, tag: str) -> None:
    batch = BatchMeta(
        processor="Acme", digest=tag * 64, date=dt.date.fromisoformat(day), scopes=[SCOPE],
        sensitive=False, source="big.csv", format="csv", key_columns=["id"], rows=len(hashes),
        persons=len(np.unique(hashes.view("V16"))),
    )  # fmt: skip
    ledger.record(batch, hashes)


def _members(ledger: Ledger) -> dict[int, bytes]:
    """Each batch's stored persons, concatenated in the order the ledger gives them."""
    with ledger.engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT id FROM batches ORDER BY id")).scalars().all()
        return {i: b"".join(c.tobytes() for c in record.stored_chunks(conn, i)) for i in ids}


def _fill(ledger: Ledger) -> np.ndarray:
    """A batch of more than two parts (some persons twice), and smaller ones that overlap it."""
    rng = np.random.default_rng(5)
    big = rng.integers(0, 256, size=(2 * record.PART + 1_000, 16), dtype=np.uint8)
    _large(ledger, np.concatenate([big, big[:500]]), "2026-02-01", "a")
    put(ledger, ["x", "y", "z"], "2026-01-15", sensitive=True, scopes=[SCOPE])
    put(ledger, ["y", "w"], "2026-03-01")
    put(ledger, ["q"], "2026-03-02", exemption="hr")
    return big


def test_parts_hold_each_person_once_in_byte_order(ledger: Ledger) -> None:
    big = _fill(ledger)
    stored = _members(ledger)
    expected = b"".join(c.tobytes() for c in ordered([big], record.CHUNK))
    assert stored[1] == expected and len(expected) == len(big) * 16
    with ledger.engine.connect() as conn:
        parts = conn.execute(
            sa.text("SELECT part, persons FROM batch_members WHERE batch_id = 1 ORDER BY part")
        ).all()
    assert [tuple(p) for p in parts] == [(0, record.PART), (1, record.PART), (2, 1_000)]
    assert stored[4] == b""  # an exempt batch stores nobody
    assert _national(ledger).personal == len(big) + 4
    assert ledger.verify().ok


def _national(ledger: Ledger) -> CounterCounts:
    return ledger.counts("Acme", 2026, END)[NATIONAL]


def test_hashes_out_of_order_are_refused_before_anything_is_written(ledger: Ledger) -> None:
    rng = np.random.default_rng(1)
    [rising] = ordered([rng.integers(0, 256, size=(10, 16), dtype=np.uint8)], record.CHUNK)
    batch = BatchMeta(
        processor="Acme", digest="b" * 64, date=dt.date(2026, 2, 1), sensitive=False,
        source="b.csv", format="csv", key_columns=["id"], rows=10, persons=10,
    )  # fmt: skip
    for given in ([rising[::-1].copy()], [rising[:6], rising[5:]]):  # backwards; one twice
        with pytest.raises(ValueError, match="byte order"):
            ledger.record(batch, record.Members(given))
    assert ledger.batches() == [] and ledger.processors() == []
    assert ledger.verify().ok


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE batch_members SET persons = persons - 1 WHERE batch_id = 1 AND part = 1",
        "DELETE FROM batch_members WHERE batch_id = 1 AND part = 1",
        "UPDATE batch_members SET hashes = (SELECT hashes FROM batch_members WHERE batch_id = 1 "
        "AND part = 0) WHERE batch_id = 1 AND part = 2",
    ],
    ids=["count", "part missing", "parts out of order"],
)
def test_a_damaged_part_is_caught(ledger: Ledger, damage: str) -> None:
    _fill(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(sa.text(damage))
    report = ledger.verify()
    assert not report.ok
    assert any(p.startswith("batch aaaaaaaaaaaa") for p in report.problems), report.problems


def _migrate(url: str, revision: str) -> None:
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        if revision == "head":
            command.upgrade(config, revision)
        else:
            command.downgrade(config, revision)
    engine.dispose()


def test_a_ledger_of_one_row_a_person_converts_in_place_and_back(
    db_url: str, key_file: Path
) -> None:
    with Ledger.open(db_url, key_file) as ledger:
        _fill(ledger)
        before, counts = _members(ledger), ledger.counts("Acme", 2026, END)
    _migrate(db_url, "0012")
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT batch_id, hash FROM batch_persons")).all()
    engine.dispose()
    old: dict[int, list[bytes]] = {}
    for batch_id, digest in rows:
        old.setdefault(batch_id, []).append(bytes(digest))
    assert {i: b"".join(sorted(h)) for i, h in old.items()} == {
        i: m for i, m in before.items() if m
    }
    _migrate(db_url, "head")
    with Ledger.open(db_url, key_file) as ledger:
        assert _members(ledger) == before
        assert ledger.counts("Acme", 2026, END) == counts
        report = ledger.verify()
        assert report.ok, report.problems
        ledger.remove("a" * 8)  # a recount from the converted parts
        assert _national(ledger) == CounterCounts(personal=4, sensitive=3, persons=4)
