"""`verify` recounts the counters from the live batches and checks a noted chain head: a batch
removed with its audit entry behind the ledger's back, and a cut-back chain, are caught. On
SQLite and PostgreSQL (the `db_url` fixture)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete

from kuajing.errors import LedgerError
from kuajing.ledger import record as rec
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import NATIONAL, CounterCounts
from kuajing.ledger.schema import seen

from .helpers import put

SCOPE = "beijing-2024/pharmaceuticals/clinical_trial"


@pytest.fixture
def ledger(db_url: str, key_file: Path) -> Iterator[Ledger]:
    book = Ledger.open(db_url, key_file)
    yield book
    book.close()


def _two_batches(ledger: Ledger) -> str:
    """Two batches of one processor; returns the chain head after the first."""
    put(ledger, ["a", "b"], "2026-02-01")
    head = ledger.verify().head
    put(ledger, ["c", "d", "e"], "2026-02-02", sensitive=True, scopes=[SCOPE])
    return head


def _drop_last_batch(conn: Connection) -> None:
    """What someone with write access to the database deletes to hide the newest batch: its
    audit entry, its row and its members. The counters and seen-set are left as they were."""
    conn.exec_driver_sql("DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)")
    conn.exec_driver_sql("DELETE FROM batch_members WHERE batch_id = (SELECT MAX(id) FROM batches)")
    conn.exec_driver_sql("DELETE FROM batches WHERE id = (SELECT MAX(id) FROM batches)")


def test_a_batch_removed_with_its_audit_entry_is_caught(ledger: Ledger) -> None:
    _two_batches(ledger)
    with ledger.engine.begin() as conn:
        _drop_last_batch(conn)
    # The finding: status still counts the removed persons.
    counts = ledger.counts("Acme", 2026, dt.date(2026, 12, 31))
    assert counts[NATIONAL] == CounterCounts(personal=5, sensitive=3, persons=5)
    report = ledger.verify()
    assert not report.ok and not report.problems  # the chain and batch checks see nothing
    assert report.batches == 1 and report.entries == 1
    days = {(c.processor, c.year, c.scope, c.day) for c in report.counters}
    assert ("Acme", 2026, NATIONAL, dt.date(2026, 2, 2)) in days
    assert ("Acme", 2026, SCOPE, dt.date(2026, 2, 2)) in days
    national = next(c for c in report.counters if c.scope == NATIONAL and c.day)
    assert national.stored == CounterCounts(personal=3, sensitive=3, persons=3)
    assert national.live == CounterCounts()
    assert "Acme" in national.message.en and "2026-02-02" in national.message.en
    assert "Acme" in national.message.zh and "2026-02-02" in national.message.zh
    assert any(c.day is None for c in report.counters)  # and the seen-set holds them too


def test_a_seen_set_edited_with_its_daily_counts_is_caught(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-02-01")
    with ledger.engine.begin() as conn:  # one person forgotten, consistently with `daily`
        first = conn.exec_driver_sql("SELECT hash FROM seen ORDER BY hash LIMIT 1").scalar()
        conn.execute(delete(seen).where(seen.c.hash == first))
        conn.exec_driver_sql("UPDATE daily SET personal = 1, persons = 1")
    report = ledger.verify()
    assert not report.ok and not report.problems  # the old checks saw nothing wrong
    assert {(c.scope, c.day) for c in report.counters} == {
        (NATIONAL, dt.date(2026, 2, 1)),
        (NATIONAL, None),
    }


def test_a_cut_back_chain_is_caught_with_a_noted_head(ledger: Ledger) -> None:
    earlier = _two_batches(ledger)
    noted = ledger.verify().head
    with ledger.engine.begin() as conn:  # and the counters rebuilt to match: consistent
        _drop_last_batch(conn)
        rec.rebuild(conn, 1, 2026)
    assert ledger.verify().ok  # without a noted head, a cut tail cannot be seen
    assert ledger.verify(head=earlier).ok
    report = ledger.verify(head=noted)
    assert not report.ok and report.head_check is not None
    assert not report.head_check.found
    assert noted[:12] in report.head_check.message.en
    assert "removed" in report.head_check.message.en
    assert noted[:12] in report.head_check.message.zh


def test_a_good_ledger_verifies_with_its_current_and_earlier_heads(ledger: Ledger) -> None:
    earlier = _two_batches(ledger)
    current = ledger.verify()
    assert current.ok and not current.counters and current.head_check is None
    now = ledger.verify(head=current.head)
    assert now.ok and now.head_check is not None
    assert now.head_check.found and now.head_check.entry == 2 and now.head_check.since == 0
    before = ledger.verify(head=earlier.upper())
    assert before.ok and before.head_check is not None and before.head_check.since == 1
    assert ledger.verify(head="0" * 64).ok  # the empty chain's head


def test_counts_rebuilt_after_a_removal_still_verify(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-03-01", scopes=[SCOPE])
    wrong = put(ledger, ["b", "c"], "2026-01-10", sensitive=True, tag="x")
    put(ledger, ["c", "d"], "2026-01-20", scopes=[SCOPE], sensitive=True)
    put(ledger, ["e"], "2025-06-01", exemption="contract")
    assert ledger.verify().ok
    ledger.remove(wrong.batch.id)
    report = ledger.verify()
    assert report.ok, report


def test_a_malformed_head_is_refused(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="64 hex digits"):
        ledger.verify(head="abc")


def test_members_left_by_a_deleted_batch_row_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    with Ledger.open(f"sqlite:///{path}", tmp_path / "k.key") as ledger:
        put(ledger, ["a", "b"], "2026-02-01")
    db = sqlite3.connect(path)  # SQLite enforces foreign keys only if asked to
    with db:
        db.execute("DELETE FROM audit")
        db.execute("DELETE FROM batches")
    db.close()
    with Ledger.open(f"sqlite:///{path}", tmp_path / "k.key") as ledger:
        report = ledger.verify()
    assert not report.ok
    assert "2 stored persons belong to no batch (a batch row was deleted)" in report.problems
