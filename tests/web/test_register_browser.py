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
    row = page.get_by_test_id("flow-row").filter(has_text="Clinical trial data to the sponsor")
    expect(row).to_be_visible()
    expect(row.get_by_test_id("pathway")).to_contain_text("standard contract filing")
    assert page.evaluate(OVERFLOW) <= 0
