"""`kuajing ledger forecast` as a user runs it: text in both languages, JSON, and `--notify`,
which tells the admins of the organisation keeping that ledger once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kuajing.ledger.ledger import Ledger
from tests.tenants import add_user

from .test_forecast_notices import PROCESSOR, every_ten_days
from .test_ledger_cli import CLI

DAY = "2026-09-11"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """The accounts' key (KUAJING_KEY_FILE, tests/conftest.py): organisations are made here."""
    return tmp_path / "ledger.key"


@pytest.fixture
def cli(db_url: str, key_file: Path) -> CLI:
    with Ledger.open(db_url, key_file) as ledger:
        every_ten_days(ledger, dt.date.fromisoformat(DAY))
    return CLI(db_url, key_file)


def forecast(cli: CLI, *extra: str, ok: bool = True):  # type: ignore[no-untyped-def]
    return cli("ledger", "forecast", "--processor", PROCESSOR, "--date", DAY, *extra, ok=ok)


def test_json_and_text_in_both_languages(cli: CLI) -> None:
    body = json.loads(forecast(cli, "--format", "json").stdout)
    assert body["method"] == "rate" and body["as_of"] == DAY
    sensitive = next(c for c in body["counters"] if c["counter"] == "sensitive")
    sa = next(x for x in sensitive["crossings"] if x["bound"] == 10_000)
    assert sa["action"]["due"] is True and sa["action"]["lead"] == 52
    en = forecast(cli, "--lang", "en").stdout
    assert "[ACT NOW] security assessment must be applied for by" in en
    zh = forecast(cli, "--lang", "zh").stdout
    assert "【现在就要办理】须于" in zh and "申报数据出境安全评估" in zh


def test_notify_tells_the_organisations_admins_once(cli: CLI, db_url: str) -> None:
    refused = forecast(cli, "--notify", ok=False)
    assert refused.returncode != 0 and "no organisation" in refused.stderr
    assert "Traceback" not in refused.stderr
    add_user(db_url, "pharma", "a@pharma.example", "admin")
    assert "Admins notified: 1 new" in forecast(cli, "--notify", "--lang", "en").stdout
    assert "Admins notified: 0 new" in forecast(cli, "--notify", "--lang", "en").stdout


def test_the_expected_method_needs_volumes(cli: CLI) -> None:
    run = forecast(cli, "--method", "expected", ok=False)
    assert run.returncode != 0 and "no expected volumes" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_the_national_caveat_and_the_lists_bands_in_both_languages(
    db_url: str, key_file: Path
) -> None:
    from .test_forecast_notices import TRIALS, trials_every_ten_days  # noqa: PLC0415

    with Ledger.open(db_url, key_file) as ledger:
        trials_every_ten_days(ledger, dt.date.fromisoformat(DAY), 1_500)
    cli = CLI(db_url, key_file)
    en = forecast(cli, "--lang", "en").stdout
    assert "The national counters include batches exported under a free-trade-zone list" in en
    assert "BJ24-PHARMA-PI-SA-1 ≥ 50,000 → security assessment" in en and "Clinical trials" in en
    zh = forecast(cli, "--lang", "zh").stdout
    assert "全国计数器包含按自贸试验区清单出境的批次" in zh and "临床试验" in zh
    body = json.loads(forecast(cli, "--format", "json").stdout)
    trials = next(c for c in body["counters"] if c["scope"] == TRIALS)
    assert any(x["entry"] == "bj24-pharma-pi-sa-1" for x in trials["crossings"])
