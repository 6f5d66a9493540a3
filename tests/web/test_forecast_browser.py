"""The forecast in a real browser: from the dashboard to the year's charts, which move when a
batch is recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from kuajing.ledger.ledger import Ledger
from tests.ledger.helpers import put
from tests.web.support import add_user, sign_in_browser

TODAY = dt.date.today()


def test_the_forecast_moves_when_a_batch_is_recorded(
    page: Page, app_url: str, web_db: str, tmp_path: Path
) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "admin")
    with Ledger.open(web_db, tmp_path / "ledger.key") as ledger:
        put(ledger, [f"p{i}" for i in range(120)], f"{TODAY.year}-01-01",
            processor="Pharma Co., Ltd.")  # fmt: skip
    sign_in_browser(page, app_url, "ops@pharma.example")
    page.get_by_test_id("forecast-link").click()
    expect(page).to_have_url(f"{app_url}/forecast")
    charts = page.get_by_test_id("forecast-chart")
    expect(charts).to_have_count(2)
    expect(charts.first.locator("title")).to_have_text(
        "persons whose non-sensitive PI left: the year"
    )
    expect(page.get_by_test_id("forecast-table").first).to_contain_text("120")
    with Ledger.open(web_db, tmp_path / "ledger.key") as ledger:
        put(ledger, [f"q{i}" for i in range(380)], TODAY.isoformat(),
            processor="Pharma Co., Ltd.")  # fmt: skip
    page.reload()
    expect(page.get_by_test_id("forecast-table").first).to_contain_text("500")
