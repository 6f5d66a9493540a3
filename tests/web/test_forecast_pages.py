"""The forecast page, its download and `GET /v1/ledger/forecast`, on SQLite and PostgreSQL: the
organisation's counters as charts with tables in both languages, linked from the dashboard; each
organisation sees its own ledger only; a zone's centre has no forecast."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.ledger.ledger import Ledger
from kuajing.register.models import Flow
from kuajing.register.store import FlowStore
from kuajing.services import register
from tests.ledger.helpers import put
from tests.tenants import add_user, api_token
from tests.web.support import sign_in, web_client

TODAY = dt.date.today()
PROCESSOR = "pharma Co., Ltd."


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    add_user(db_url, "pharma", "a@pharma.example", "admin")
    add_user(db_url, "pharma", "zh@pharma.example", "viewer", lang="zh")
    add_user(db_url, "bank", "a@bank.example", "admin")
    add_user(db_url, "bj-centre", "r@bj.example", "reviewer", zone="beijing", kind="zone")
    with Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        first = dt.date(TODAY.year, 1, 1)
        put(ledger, [f"p{i}" for i in range(400)], first.isoformat(), processor=PROCESSOR)
        put(ledger, [f"s{i}" for i in range(40)], TODAY.isoformat(), sensitive=True,
            processor=PROCESSOR)  # fmt: skip
    with web_client(db_url, tmp_path / "ledger.key") as test:
        yield test


def test_the_page_in_english_charts_each_counter_with_its_table(client: TestClient) -> None:
    sign_in(client, "a@pharma.example")
    assert 'href="/forecast"' in client.get("/dashboard").text
    page = client.get("/forecast")
    assert page.status_code == 200, page.text
    html = page.text
    assert html.count('data-testid="forecast-chart"') == 2  # national: personal, sensitive
    assert html.count('data-testid="forecast-table"') == 2
    assert "security assessment · 10,000" in html and "<title" in html
    assert "The year&#39;s pace so far" in html or "The year's pace so far" in html
    assert "440" in html  # the personal counter: 400 + 40


def test_the_page_in_chinese(client: TestClient) -> None:
    sign_in(client, "zh@pharma.example")
    html = client.get("/forecast").text
    assert "出境人数预测" in html and "数据出境安全评估 · 10,000 人" in html
    assert "12月" in html and "security assessment" not in html


def test_the_figures_download_as_csv_and_xlsx(client: TestClient) -> None:
    sign_in(client, "a@pharma.example")
    csv = client.get("/forecast.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Scope,Counter,Date,Counted")
    assert any(f"{TODAY.year}-12-31" in line for line in lines)
    xlsx = client.get("/forecast.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["A1"].value == "Scope"


def test_each_organisation_sees_its_own_forecast(client: TestClient, db_url: str) -> None:
    sign_in(client, "a@bank.example")
    html = client.get("/forecast").text
    assert "440" not in html  # pharma's count is not shown to the bank
    mine = api_token(db_url, "pharma", "t@pharma.example", "viewer")
    theirs = api_token(db_url, "bank", "t@bank.example", "viewer")
    answer = client.get("/v1/ledger/forecast", headers={"Authorization": f"Bearer {mine}"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["processor"] == PROCESSOR and body["method"] == "rate"
    assert body["counters"][0]["count"] == 440
    other = client.get("/v1/ledger/forecast", headers={"Authorization": f"Bearer {theirs}"})
    assert other.json()["processor"] == "bank Co., Ltd."
    assert all(c["count"] == 0 for c in other.json()["counters"])


def test_the_expected_method_needs_flows_in_the_register(client: TestClient, db_url: str) -> None:
    token = api_token(db_url, "pharma", "t@pharma.example", "viewer")
    answer = client.get(
        "/v1/ledger/forecast",
        params={"method": "expected"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422 and "register" in answer.text


def test_a_zone_centre_has_no_forecast(client: TestClient, db_url: str) -> None:
    token = api_token(db_url, "bj-centre", "t@bj.example", "viewer", zone="beijing", kind="zone")
    answer = client.get("/v1/ledger/forecast", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404
    sign_in(client, "r@bj.example")
    assert client.get("/forecast").status_code == 404


def test_the_registers_flows_give_the_expected_volumes(client: TestClient, db_url: str) -> None:
    with Accounts.open(db_url) as store:
        admin = store.principal_by_email("a@pharma.example")
        flow = Flow(key="trial-data", name="Trial data", personal=1_000, frequency="monthly")
        register.add(FlowStore(store.engine), admin, flow)
    token = api_token(db_url, "pharma", "t@pharma.example", "viewer")
    body = client.get("/v1/ledger/forecast", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["method"] == "expected"
    personal = body["counters"][0]
    if TODAY.month < 12 or TODAY.day < 31:  # a month's 1,000 new persons, spread over the days
        assert personal["year_end"]["mid"] > personal["count"]
    sign_in(client, "a@pharma.example")
    assert "The register&#39;s expected volumes" in client.get("/forecast").text
