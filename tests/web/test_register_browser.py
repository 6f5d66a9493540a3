"""The register on a phone (390 px) in Debian's Chromium: a flow added through the form shows in
the table, and neither the form nor the table is wider than the screen (the table scrolls
inside itself)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.showcase import COMPANY, seed
from tests.web.support import sign_in_browser

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.browser
def test_a_flow_added_on_a_phone_shows_in_the_register(
    page: Page, app_url: str, web_db: str, tmp_path: Path
) -> None:
    seed(web_db, tmp_path / "ledger.key")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_browser(page, app_url, COMPANY)
    page.get_by_test_id("menu-button").click()
    page.get_by_role("navigation").get_by_role("link", name="Register").click()
    expect(page).to_have_url(f"{app_url}/register")
    page.get_by_test_id("add-flow").click()
    expect(page).to_have_url(f"{app_url}/register/new")
    assert page.evaluate(OVERFLOW) <= 0
    page.locator("input[name=key]").fill("trial-data")
    page.locator("input[name=name]").fill("Clinical trial data to the sponsor, monthly")
    page.get_by_test_id("menu-scenario").select_option("临床试验")
    page.locator("input[name='recipient.name']").fill("Sponsor GmbH")
    page.get_by_test_id("country").fill("DE")
    page.get_by_test_id("save").click()
    # The frequency and status menus start on "Choose…": nothing is saved until they are chosen.
    expect(page.get_by_test_id("form-errors")).to_contain_text("Choose one from the menu.")
    page.get_by_test_id("menu-frequency").select_option("monthly")
    page.get_by_test_id("menu-status").select_option("active")
    page.locator("input[name=personal]").fill("1000")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(f"{app_url}/register/trial-data?done=saved")
    page.get_by_test_id("assess").locator("input[name=date]").fill("2026-03-01")
    page.get_by_test_id("assess-button").click()
    page.wait_for_url("**/decisions/*")
    page.goto(f"{app_url}/register")
    row = page.locator("[data-testid=flow-row][data-key=trial-data]")
    expect(row).to_be_visible()
    expect(row.get_by_test_id("pathway")).to_contain_text("standard contract filing")
    assert page.evaluate(OVERFLOW) <= 0


def _today_count(page: Page) -> int:
    """The national personal-information count on the forecast's day, as its table says it."""
    cell = page.get_by_test_id("forecast-panel").first.locator("tr.today td.num").first
    return int(cell.inner_text().replace(",", ""))


@pytest.mark.browser
def test_a_flow_added_assessed_and_recorded_moves_the_forecast(
    page: Page, app_url: str, web_db: str, tmp_path: Path
) -> None:
    """The whole round a compliance officer makes: add a flow, assess it, record this month's
    batch against it, and see the year's forecast count it."""
    seed(web_db, tmp_path / "ledger.key")
    sign_in_browser(page, app_url, COMPANY)
    page.goto(f"{app_url}/forecast")
    before = _today_count(page)
    page.goto(f"{app_url}/register/new")
    page.locator("input[name=key]").fill("crm-sync")
    page.locator("input[name=name]").fill("Customer records to the group CRM")
    page.locator("input[name='recipient.name']").fill("Group CRM Pte. Ltd.")
    page.get_by_test_id("country").fill("Singapore")
    page.get_by_test_id("menu-frequency").select_option("monthly")
    page.get_by_test_id("menu-status").select_option("active")
    page.locator("input[name=personal]").fill("5000")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(f"{app_url}/register/crm-sync?done=saved")
    page.get_by_test_id("assess-button").click()
    page.wait_for_url("**/decisions/*")
    expect(page.locator("body")).to_contain_text("crm-sync")  # the transfer is the flow
    page.goto(f"{app_url}/register/crm-sync")
    page.get_by_test_id("record-batch").click()
    batch = tmp_path / "crm-december.csv"
    phones = "\n".join(f"139{n:08d}" for n in range(120))
    batch.write_text(f"手机号\n{phones}\n", encoding="utf-8")
    page.get_by_test_id("batch-file").set_input_files(str(batch))
    page.locator("select[name=sensitive]").select_option("no")
    page.get_by_test_id("batch-button").click()
    page.wait_for_url("**/register/crm-sync*")
    expect(page.get_by_test_id("batch-row")).to_contain_text("crm-december.csv")
    page.goto(f"{app_url}/forecast")
    assert _today_count(page) == before + 120
