"""The zone statistics page, on SQLite and PostgreSQL: a Beijing centre's reviewer sees its
submissions and inspections as SVG bar charts with a table each, in English and in Chinese; a
company's user gets the 403 page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.services import zone_review as review
from tests.tenants import add_user
from tests.web.support import form_csrf, web_client
from tests.zone.test_inspections import declared_filing
from tests.zone.test_review import who

D = dt.date


def enter(client: TestClient, email: str, where: str = "/zone/statistics?year=2026") -> str:
    """Sign in through the form and come back to `where` (a zone's staff land on their queue,
    not the dashboard, so `support.sign_in` does not fit them)."""
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={"email": email, "password": "correct horse battery", "csrf": form_csrf(form.text)},
    )
    assert answer.history and answer.history[0].status_code == 303, answer.text
    return where


@pytest.fixture
def history(db_url: str) -> None:
    """Two Beijing applications in September 2026: one approved at once, one rejected late."""
    with Accounts.open(db_url) as store:
        store.create_organisation(
            "pharma", "Pharma Co., Ltd.", zone="beijing", sector="pharmaceuticals"
        )
    pharma = who(db_url, "pharma", "m@pharma.example", "beijing")
    biotech = who(db_url, "biotech", "m@biotech.example", "beijing")
    centre = who(db_url, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone")
    add_user(db_url, "bj-centre", "zh@bj.example", "viewer", lang="zh", kind="zone")
    cat = default_catalog()
    with Accounts.open(db_url) as store:
        fast = review.submit(store, pharma, declared_filing(store, pharma), D(2026, 9, 1), cat)
        review.act(store, centre, fast.id, "approve", D(2026, 9, 2), cat)
        slow = review.submit(store, biotech, declared_filing(store, biotech), D(2026, 9, 1), cat)
        review.act(store, centre, slow.id, "reject", D(2026, 9, 15), cat, "incomplete")


def test_the_figures_as_svg_charts_and_tables(db_url: str, tmp_path: Path, history: None) -> None:
    with web_client(db_url, tmp_path / "ledger.key") as client:
        enter(client, "r@bj.example")
        shown = client.get("/zone/statistics", params={"year": 2026})
        assert shown.status_code == 200, shown.text
        html = shown.text
        # Submissions by sector, scenario, kind, state and timing; no inspection yet: no chart.
        assert html.count('<svg class="chart"') == 5
        assert 'data-testid="chart-findings"' in html and "Nothing yet." in html
        assert "style=" not in html  # the CSP forbids inline styles
        assert re.search(r'data-testid="stats-submissions">2<', html)
        assert re.search(r'data-testid="stats-decided">2<', html)
        assert "China (Beijing) Pilot Free Trade Zone, 2026" in html
        assert "median 5.5 working days" in html and "longest 10 working days" in html
        assert "pharmaceuticals" in html and "Unspecified" in html and "临床试验" in html
        assert "Decided late" in html and "Decided on time" in html
        # Each chart's table: the sector chart's rows, whole.
        assert re.search(r'<th scope="row">pharmaceuticals</th><td class="num">1</td>', html)
        assert shown.headers["content-security-policy"].startswith("default-src 'self'")
        assert client.get("/static/zone_stats.css").status_code == 200

        empty = client.get("/zone/statistics", params={"year": 2025})
        assert empty.status_code == 200 and '<svg class="chart"' not in empty.text
        assert client.get("/zone/statistics", params={"year": 1800}).status_code == 422


def test_in_chinese(db_url: str, tmp_path: Path, history: None) -> None:
    with web_client(db_url, tmp_path / "ledger.key") as client:
        enter(client, "zh@bj.example")
        html = client.get("/zone/statistics", params={"year": 2026}).text
        assert "自贸区统计" in html and "按行业" in html and "超时办结" in html
        assert "中国（北京）自由贸易试验区 2026 年" in html
        assert "用时中位数 5.5 个工作日" in html and "清单使用申请" in html


def test_a_company_gets_the_403_page(db_url: str, tmp_path: Path, history: None) -> None:
    with web_client(db_url, tmp_path / "ledger.key") as client:
        enter(client, "m@pharma.example")
        refused = client.get("/zone/statistics")
        assert refused.status_code == 403
        assert (
            '<svg class="chart"' not in refused.text and 'data-testid="error-code"' in refused.text
        )


def test_a_year_with_nothing_decided_says_so(db_url: str, tmp_path: Path, history: None) -> None:
    """No decided submission: the page says there is no processing time yet, not "— days"."""
    with web_client(db_url, tmp_path / "ledger.key") as client:
        enter(client, "zh@bj.example")
        html = client.get("/zone/statistics", params={"year": 2025}).text
        assert "尚无已办结事项，暂无用时数据" in html
        assert "— 个工作日" not in html


def test_the_403_page_in_chinese(db_url: str, tmp_path: Path, history: None) -> None:
    add_user(db_url, "pharma", "zh@pharma.example", lang="zh")
    with web_client(db_url, tmp_path / "ledger.key") as client:
        enter(client, "zh@pharma.example")
        refused = client.get("/zone/statistics")
        assert refused.status_code == 403
        assert "统计数据仅供自贸区服务中心查看" in refused.text
        assert "statistics are for" not in refused.text
