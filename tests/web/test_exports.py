"""Downloads (issue item 11): every table a user can filter as CSV (UTF-8 with BOM) and XLSX, in
the page's language, with the page's filters and only the organisation's own rows; no cell a
spreadsheet would run; and a decision as a real PDF in the reader's language."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pdfplumber
import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.services import zone_review as review
from tests import tenants
from tests.web.support import add_user, form_csrf, sign_in, web_client
from tests.web.test_filings_pages import TRIAL, _create, _decide
from tests.web.test_scan_pages import _pending, _record
from tests.web.test_zone_stats_page import enter
from tests.zone.test_inspections import declared_filing
from tests.zone.test_review import who

YEAR = dt.date.today().year
HOSTILE = '=HYPERLINK("http://evil.example","x")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(client: TestClient, url: str, **params: Any) -> list[list[str]]:
    got = client.get(url, params=params)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    assert got.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese
    return list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))


def _xlsx(client: TestClient, url: str, **params: Any) -> list[list[Any]]:
    got = client.get(url, params=params)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(got.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def _switch(client: TestClient, email: str) -> None:
    client.cookies.clear()
    sign_in(client, email)


# --- ledger batches --------------------------------------------------------------------------


def test_batches_download_with_the_pages_columns_year_and_tenant(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    add_user(web_db, "bank", "ops@bank.example", "member", lang="zh")
    sign_in(client, "ops@pharma.example")
    _record(client, _pending(client), key=["身份证号"], recipient=HOSTILE)
    page = client.get("/ledger/batches").text
    assert f'href="/ledger/batches.csv?year={YEAR}"' in page or 'href="/ledger/batches.csv"' in page

    rows = _csv(client, "/ledger/batches.csv", year=YEAR)
    assert rows[0][:5] == ["Export date", "Batch", "Source file", "Rows", "Persons"]
    assert len(rows) == 2 and rows[1][0] == dt.date.today().isoformat()
    assert "trial-batch.csv" in rows[1] and "240" in rows[1] and "yes" in rows[1]
    assert "'" + HOSTILE in rows[1]  # neutralised: text, never a formula
    sheet = _xlsx(client, "/ledger/batches.xlsx", year=YEAR)
    assert sheet[0] == rows[0] and 240 in sheet[1] and HOSTILE in sheet[1]
    assert _csv(client, "/ledger/batches.csv", year=YEAR - 1)[1:] == []  # the page's filter

    _switch(client, "ops@bank.example")
    theirs = _csv(client, "/ledger/batches.csv", year=YEAR)
    assert theirs == [
        ["出境日期", "批次", "源文件", "行数", "人数", "敏感", "场景", "接收方", "豁免"]
    ]


# --- decisions -------------------------------------------------------------------------------


def test_decisions_download_with_pathways_in_words(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    add_user(web_db, "pharma", "zh@pharma.example", "viewer", lang="zh")
    add_user(web_db, "bank", "ops@bank.example", "member")
    hostile = {**TRIAL, "processor": {"name": HOSTILE, "zone": "beijing"}}
    mine = _decide(web_db, "ops@pharma.example", hostile)
    theirs = _decide(web_db, "ops@bank.example")
    sign_in(client, "ops@pharma.example")
    assert 'href="/decisions.csv"' in client.get("/decisions").text

    rows = _csv(client, "/decisions.csv")
    assert rows[0][:3] == ["Reference", "Made (UTC)", "Export date"]
    assert len(rows) == 2 and rows[1][0] == mine and rows[1][2] == "2026-03-01"
    assert "standard contract filing or certification" in rows[1]
    assert "'" + HOSTILE in rows[1] and theirs not in str(rows)
    assert _xlsx(client, "/decisions.xlsx")[1][0] == mine

    _switch(client, "zh@pharma.example")
    zh = _csv(client, "/decisions.csv")
    assert zh[0][:3] == ["编号", "时间（UTC）", "出境日期"]
    assert "个人信息出境标准合同备案或个人信息保护认证" in zh[1]


# --- filings ---------------------------------------------------------------------------------


def test_filings_download_honours_show_and_tenant(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "member@pharma.example", "member")
    add_user(web_db, "bank", "ops@bank.example", "member", lang="zh")
    sign_in(client, "member@pharma.example")
    csrf = form_csrf(client.get("/filings").text)
    _create(client, csrf, _decide(web_db, "member@pharma.example"))
    assert 'href="/filings.csv?show=all"' in client.get("/filings?show=all").text

    rows = _csv(client, "/filings.csv", show="open")
    assert rows[0][:3] == ["Procedure", "Subject", "State"]
    assert len(rows) > 1 and all(r[0] and not r[0].startswith("beijing-") for r in rows[1:])
    assert len(_xlsx(client, "/filings.xlsx", show="all")) == len(rows)
    assert _csv(client, "/filings.csv", show="closed")[1:] == []

    _switch(client, "ops@bank.example")
    theirs = _csv(client, "/filings.csv", show="all")
    assert theirs[0][:3] == ["程序", "事项", "状态"] and theirs[1:] == []


# --- the zone: queue, a company's submissions, statistics ------------------------------------


@pytest.fixture
def zone_history(web_db: str) -> str:
    """Two Beijing submissions (one approved, one open), the centre's reviewers in two languages
    and a Shanghai centre that must see none of it."""
    pharma = who(web_db, "pharma", "m@pharma.example", "beijing")
    biotech = who(web_db, "biotech", "m@biotech.example", "beijing")
    centre = who(web_db, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone")
    tenants.add_user(web_db, "bj-centre", "zh@bj.example", "viewer", lang="zh", kind="zone")
    who(web_db, "sh-centre", "r@sh.example", "shanghai", "reviewer", "zone")
    with Accounts.open(web_db) as store:
        cat = default_catalog()
        done = review.submit(store, pharma, declared_filing(store, pharma), D(2026, 9, 1), cat)
        review.act(store, centre, done.id, "approve", D(2026, 9, 2), cat)
        review.submit(store, biotech, declared_filing(store, biotech), D(2026, 9, 3), cat)
    return web_db


D = dt.date


def test_the_queue_downloads_with_its_filter(zone_history: str, tmp_path: Path) -> None:
    with web_client(zone_history, tmp_path / "ledger.key") as client:
        enter(client, "r@bj.example")
        assert 'href="/zone/queue.csv?show=all"' in client.get("/zone/queue?show=all").text
        everything = _csv(client, "/zone/queue.csv", show="all")
        assert everything[0][:2] == ["Company", "Kind"]
        assert sorted(r[0] for r in everything[1:]) == ["biotech Co., Ltd.", "pharma Co., Ltd."]
        assert "2026-09-01" in everything[1] + everything[2]
        assert [r[0] for r in _csv(client, "/zone/queue.csv", show="open")[1:]] == [
            "biotech Co., Ltd."
        ]
        assert len(_xlsx(client, "/zone/queue.xlsx", show="all")) == 3
    with web_client(zone_history, tmp_path / "ledger.key") as client:
        enter(client, "r@sh.example")
        assert _csv(client, "/zone/queue.csv", show="all")[1:] == []
    with web_client(zone_history, tmp_path / "ledger.key") as client:
        enter(client, "m@pharma.example")
        assert client.get("/zone/queue.csv").status_code == 403
        assert 'href="/zone/submissions.csv"' in client.get("/zone/submissions").text
        own = _csv(client, "/zone/submissions.csv")
        assert own[0][:2] == ["Kind", "Procedure"] and len(own) == 2
        assert "Approved" in own[1] and "biotech" not in str(own)


def test_the_statistics_download_by_year_in_chinese(zone_history: str, tmp_path: Path) -> None:
    with web_client(zone_history, tmp_path / "ledger.key") as client:
        enter(client, "zh@bj.example")
        page = client.get("/zone/statistics", params={"year": 2026}).text
        assert 'href="/zone/statistics.csv?year=2026"' in page
        rows = _csv(client, "/zone/statistics.csv", year=2026)
        assert rows[0] == ["图表", "类别", "数量"]
        assert ["按事项类型", "清单使用申请", "2"] in rows
        assert _csv(client, "/zone/statistics.csv", year=2025)[1:] == []
        assert _xlsx(client, "/zone/statistics.xlsx", year=2026)[0] == rows[0]
    with web_client(zone_history, tmp_path / "ledger.key") as client:
        enter(client, "m@pharma.example")
        assert client.get("/zone/statistics.csv").status_code == 403


# --- the decision as a PDF -------------------------------------------------------------------


def _pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["standard contract filing or certification", "Reasons and sources", "Pharma"]),
        ("zh", ["个人信息出境标准合同备案或个人信息保护认证", "理由与依据", "临床试验"]),
    ],
)
def test_a_decision_as_pdf(client: TestClient, web_db: str, lang: str, expected: list[str]) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member", lang=lang)  # type: ignore[arg-type]
    add_user(web_db, "bank", "ops@bank.example", "member")
    decision = _decide(web_db, "ops@pharma.example")
    sign_in(client, "ops@pharma.example")
    assert f'href="/decisions/{decision}.pdf"' in client.get(f"/decisions/{decision}").text
    got = client.get(f"/decisions/{decision}.pdf")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    text = _pdf_text(got.content)
    for phrase in expected:
        assert phrase in text, phrase
    assert "{" not in text and '"pathway"' not in text  # never a JSON dump
    zone = default_catalog().zones["beijing"].name.get(lang)  # type: ignore[arg-type]
    assert "12,000" in text and zone in text  # the request's facts, the zone by its name

    _switch(client, "ops@bank.example")
    assert client.get(f"/decisions/{decision}.pdf").status_code == 404
