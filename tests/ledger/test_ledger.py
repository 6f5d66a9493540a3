"""The ledger's counts, identity of batches, removal and audit chain, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import polars as pl
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from kuajing.db.engine import HEAD, MIGRATIONS
from kuajing.errors import LedgerError
from kuajing.ledger.hashing import hash_persons, person_hash
from kuajing.ledger.keys import load_keyring
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import NATIONAL, CounterCounts

from .helpers import put

SCOPE = "beijing-2024/pharmaceuticals/clinical_trial"
END = dt.date(2026, 12, 31)
BOTH2 = CounterCounts(personal=2, sensitive=2, persons=2)
MIXED3 = CounterCounts(personal=3, sensitive=2, persons=3)


@pytest.fixture
def ledger(db_url: str, key_file: Path) -> Ledger:
    book = Ledger.open(db_url, key_file)
    yield book  # type: ignore[misc]
    book.close()


def national(ledger: Ledger, through: dt.date = END, processor: str = "Acme") -> CounterCounts:
    return ledger.counts(processor, through.year, through).get(NATIONAL, CounterCounts())


def test_persons_are_counted_once_per_counter_across_batches(ledger: Ledger) -> None:
    put(ledger, ["a", "b", "c"], "2026-02-01")
    put(ledger, ["b", "c", "d", "d"], "2026-03-01")
    assert national(ledger) == CounterCounts(personal=4, sensitive=0, persons=4)


def test_a_sensitive_batch_counts_in_both_counters_amb_3(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-02-01")
    result = put(ledger, ["b", "c"], "2026-03-01", sensitive=True)
    assert result.added == CounterCounts(personal=1, sensitive=2, persons=1)
    assert national(ledger) == MIXED3


def test_counts_through_a_day_use_the_first_day_each_person_left(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-03-01")
    put(ledger, ["b", "c"], "2026-01-10", sensitive=True)  # recorded late, exported earlier
    assert national(ledger, dt.date(2026, 1, 9)) == CounterCounts()
    assert national(ledger, dt.date(2026, 1, 10)) == CounterCounts(
        personal=2, sensitive=2, persons=2
    )
    assert national(ledger, dt.date(2026, 2, 28)).personal == 2
    assert national(ledger, dt.date(2026, 3, 1)) == CounterCounts(
        personal=3, sensitive=2, persons=3
    )


def test_years_are_counted_apart(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2025-12-31")
    put(ledger, ["b", "c"], "2026-01-01")
    assert national(ledger, dt.date(2025, 12, 31)).personal == 2
    assert national(ledger, END).personal == 2
    spanning = ledger.distinct_between("Acme", dt.date(2025, 1, 1), END)
    assert spanning[NATIONAL].personal == 3


def test_scenario_scopes_are_counted_apart_from_the_national_counters(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-02-01", scopes=[SCOPE], sensitive=True)
    put(ledger, ["c"], "2026-02-02")
    counts = ledger.counts("Acme", 2026, END)
    assert counts[SCOPE] == BOTH2
    assert counts[NATIONAL] == MIXED3


def test_processors_are_counted_apart(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-02-01", processor="Acme")
    put(ledger, ["a", "b"], "2026-02-01", processor="Other")
    assert national(ledger).personal == 2
    assert national(ledger, processor="Other").personal == 2


def test_the_same_batch_twice_changes_nothing(ledger: Ledger) -> None:
    first = put(ledger, ["a", "b"], "2026-02-01")
    again = put(ledger, ["a", "b"], "2026-02-01")
    assert first.new and not again.new
    assert again.batch.id == first.batch.id
    assert national(ledger).personal == 2
    assert len(ledger.batches()) == 1
    assert [e["action"] for e in ledger.audit_entries()] == ["record"]


def test_exempt_batches_are_kept_but_not_counted_and_store_no_persons(ledger: Ledger) -> None:
    result = put(ledger, ["a", "b", "c"], "2026-02-01", exemption="hr")
    assert result.new and result.added is None
    assert national(ledger) == CounterCounts()
    assert [b.exemption for b in ledger.batches()] == ["hr"]
    with ledger.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM batch_members")).scalar() == 0


def test_removing_a_batch_rebuilds_the_counts_and_is_audited(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-01-05", sensitive=True)
    wrong = put(ledger, ["b", "c", "d"], "2026-01-02", tag="mistake")
    put(ledger, ["d", "e"], "2026-03-01")
    assert national(ledger, dt.date(2026, 1, 2)).personal == 3
    removed = ledger.remove(wrong.batch.id[:8], reason="recorded twice by mistake")
    assert removed.digest == wrong.batch.digest
    assert national(ledger, dt.date(2026, 1, 2)) == CounterCounts()
    assert national(ledger, dt.date(2026, 1, 5)) == CounterCounts(
        personal=2, sensitive=2, persons=2
    )
    assert national(ledger) == CounterCounts(personal=4, sensitive=2, persons=4)
    entries = ledger.audit_entries()
    assert [e["action"] for e in entries] == ["record", "record", "record", "remove"]
    assert entries[-1]["detail"]["reason"] == "recorded twice by mistake"
    assert ledger.verify().ok


def test_remove_needs_an_existing_unambiguous_batch(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="no such batch"):
        ledger.remove("abcdef")
    with pytest.raises(LedgerError, match="6 hex digits"):
        ledger.remove("xyz")


def test_verify_passes_on_an_untouched_ledger(ledger: Ledger) -> None:
    put(ledger, ["a", "b"], "2026-02-01")
    put(ledger, ["c"], "2026-02-02", exemption="contract")
    report = ledger.verify()
    assert report.ok and report.entries == 2 and report.batches == 2 and not report.problems


TAMPERING = {
    "altered detail": ["UPDATE audit SET detail = REPLACE(detail, '\"rows\":2', '\"rows\":9')"],
    "entry removed": ["DELETE FROM audit WHERE id = 1"],
    "batch deleted": [
        "DELETE FROM batch_members WHERE batch_id = 2",
        "DELETE FROM batches WHERE id = 2",
    ],
    "batch persons edited": ["UPDATE batches SET persons = 1 WHERE id = 1"],
    "counts edited": ["UPDATE daily SET personal = personal + 5"],
    "entry forged": [
        "INSERT INTO audit (at, action, processor, batch, detail, prev, mac) "
        "SELECT at, action, processor, batch, detail, mac, mac FROM audit WHERE id = 2"
    ],
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_verify_detects_tampering(ledger: Ledger, how: str) -> None:
    put(ledger, ["a", "b"], "2026-02-01")
    put(ledger, ["c", "d"], "2026-02-02")
    with ledger.engine.begin() as conn:
        for statement in TAMPERING[how]:
            conn.exec_driver_sql(statement)
    report = ledger.verify()
    assert not report.ok, how
    assert report.problems


def test_another_key_is_refused(db_url: str, tmp_path: Path) -> None:
    Ledger.open(db_url, tmp_path / "one.key").close()
    with pytest.raises(LedgerError, match="another secret"):
        Ledger.open(db_url, tmp_path / "two.key")


def test_the_key_is_created_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "ledger.key"
    first = load_keyring(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyring(path) == first
    os.chmod(path, 0o644)
    with pytest.raises(LedgerError, match="readable by others"):
        load_keyring(path)


def test_hashes_are_keyed(tmp_path: Path) -> None:
    people = pl.Series(["110101199003071234"])
    one = hash_persons(load_keyring(tmp_path / "a.key"), people)
    two = hash_persons(load_keyring(tmp_path / "b.key"), people)
    assert one.shape == (1, 16) and one.tobytes() != two.tobytes()


def test_the_head_revision_the_ledger_checks_is_alembics_newest() -> None:
    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == HEAD


def test_the_fast_hash_is_hmac_sha256(tmp_path: Path) -> None:
    keyring = load_keyring(tmp_path / "k.key")
    people = ["110101199003071234", "+8613800138000", "张三\x1f1990-03-07"]
    table = hash_persons(keyring, pl.Series(people))
    expected = sorted(person_hash(keyring, p) for p in people)
    assert [bytes(row) for row in table] == expected
