"""`kuajing ledger verify [--head HASH]` end to end: a batch deleted behind the ledger's back, and
a chain cut back, named in both languages with exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from .test_ledger_cli import CLI, people, write_csv
from .test_verify_counters import _drop_last_batch


@pytest.fixture
def cli(db_url: str, key_file: Path) -> CLI:
    return CLI(db_url, key_file)


def _head(cli: CLI, *extra: str) -> str:
    return str(json.loads(cli("ledger", "verify", "--format", "json", *extra).stdout)["head"])


def test_verify_names_a_deleted_batch_and_a_cut_chain(
    cli: CLI, tmp_path: Path, db_url: str
) -> None:
    cli.record(write_csv(tmp_path / "a.csv", people(0, 10)))
    first = _head(cli)
    cli.record(write_csv(tmp_path / "b.csv", people(10, 15)), date="2026-03-02")
    noted = _head(cli)
    good = cli("ledger", "verify", "--head", first, "--lang", "en").stdout
    assert "OK" in good and "audit entry 1; 1 entries were added after it" in good
    assert "第 1 条" in cli("ledger", "verify", "--head", first, "--lang", "zh").stdout
    engine = create_engine(db_url)
    with engine.begin() as conn:
        _drop_last_batch(conn)
    engine.dispose()
    assert cli.status()["national"]["personal"] == 15  # status still counts the deleted batch
    en = cli("ledger", "verify", "--lang", "en", ok=False)
    assert en.returncode == 1
    assert "Acme, 2026, national counters, 2026-03-02: the daily counters hold personal 5" in (
        en.stdout
    )
    zh = cli("ledger", "verify", "--lang", "zh", ok=False)
    assert zh.returncode == 1 and "Acme，2026 年，全国计数器，2026-03-02" in zh.stdout
    cut = cli("ledger", "verify", "--head", noted, "--lang", "en", ok=False)
    assert cut.returncode == 1 and f"({noted[:12]}…) is not in the audit chain" in cut.stdout
    report = json.loads(
        cli("ledger", "verify", "--head", noted, "--format", "json", ok=False).stdout
    )
    assert report["head_check"]["found"] is False and report["counters"]


def test_a_malformed_head_is_a_one_line_error(cli: CLI) -> None:
    run = cli("ledger", "verify", "--head", "not-a-head", ok=False)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "kuajing: error: --head: expected the 64 hex digits of a chain head that "
        "`kuajing ledger verify` printed, got 'not-a-head'"
    ]
