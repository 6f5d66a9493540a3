"""The forecast page with batches exported under zone lists, on SQLite and PostgreSQL: the Beijing
list's clinical-trial bands with the list's name, the sum of two pools said to be an upper bound,
the Fujian list (known by its headers only) said to need review, and the national counters'
caveat, in English and Chinese; another organisation sees none of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kuajing.ledger.ledger import Ledger
from tests.ledger.helpers import put
from tests.tenants import add_user
from tests.web.support import sign_in, web_client

TODAY = dt.date.today()
PROCESSOR = "pharma Co., Ltd."
TRIALS = "beijing-2024/pharmaceuticals/clinical_trial"
DRUG_RD = "beijing-2024/pharmaceuticals/drug_rd"
FUJIAN = "fujian-2025/pharmaceuticals/*"


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    add_user(db_url, "pharma", "a@pharma.example", "admin")
    add_user(db_url, "pharma", "zh@pharma.example", "viewer", lang="zh")
    add_user(db_url, "bank", "a@bank.example", "admin")
    first = dt.date(TODAY.year, 1, 1).isoformat()
    with Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        for scope, n in ((TRIALS, 12_000), (DRUG_RD, 300), (FUJIAN, 50)):
            people = [f"{scope}-{i}" for i in range(n)]
            put(ledger, people, first, sensitive=True, processor=PROCESSOR, scopes=[scope])
    with web_client(db_url, tmp_path / "ledger.key") as test:
        yield test


def test_the_lists_bands_and_notes_in_english(client: TestClient) -> None:
    sign_in(client, "a@pharma.example")
    html = client.get("/forecast").text
    assert "Clinical trials" in html and "Beijing" in html
    assert "10,000 → standard contract" in html and "50,000 → security assessment" in html
    assert "counted for this threshold: 12,300" in html  # trials and drug R&D summed
    assert 'data-testid="upper-bound"' in html and "an upper bound" in html
    assert "The list&#39;s thresholds for this scope are not encoded: needs review" in html
    assert "The national counters include batches exported under a free-trade-zone list" in html
    assert TRIALS not in html and "BJ24-PHARMA" not in html  # names, not ids


def test_the_lists_bands_and_notes_in_chinese(client: TestClient) -> None:
    sign_in(client, "zh@pharma.example")
    html = client.get("/forecast").text
    assert "临床试验" in html and "10,000 人 → 个人信息出境标准合同备案" in html
    assert "该门槛计数：12,300 人" in html and "这是上限" in html
    assert "该清单对这一范围的人数门槛尚未录入：需人工复核" in html
    assert "全国计数器包含按自贸试验区清单出境的批次" in html
    assert "needs review" not in html and "free-trade-zone" not in html


def test_another_organisation_sees_no_list_counter(client: TestClient) -> None:
    sign_in(client, "a@bank.example")
    html = client.get("/forecast").text
    assert "Clinical trials" not in html and "12,000" not in html
    assert "free-trade-zone list" not in html  # its ledger has no list scope
