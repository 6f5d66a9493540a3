"""The zone what-if page on a phone (390 px) in Debian's Chromium: reached from the decision
page, its options stacked without anything wider than the screen."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.showcase import COMPANY, seed
from tests.web.support import sign_in_browser

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_the_zone_options_fit_a_phone(
    page: Page, app_url: str, web_db: str, tmp_path: Path
) -> None:
    showcase = seed(web_db, tmp_path / "ledger.key")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_browser(page, app_url, COMPANY)
    page.goto(f"{app_url}/decisions/{showcase.contract}")
    page.get_by_test_id("whatif").click()
    expect(page).to_have_url(f"{app_url}/decisions/{showcase.contract}/whatif")
    options = page.get_by_test_id("option")
    expect(options.first).to_be_visible()
    assert options.count() >= 2
    expect(page.get_by_text("Your situation today")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
