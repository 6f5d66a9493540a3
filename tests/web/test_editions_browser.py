"""Loading an official document in a real browser (Debian's Chromium): the Beijing centre's
administrator loads the FICTIONAL two-page list as a PDF, opens the review, sees the row that
could not be read beside the image of its page region, corrects its description, confirms it
and the other rows, and publishes. A Beijing company then assesses through the edition and its
decision says which page and row of the document it rests on and who confirmed it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests import tenants
from tests.documents import fictional
from tests.documents.make_pdf import build_pdf
from tests.web.support import add_user, fresh_page, sign_in_browser

ADMIN, COMPANY = "a@bj.example", "analyst@pharma.example"
FIXED = (
    "自当年1月1日起累计向境外提供100万人以上个人信息（不含敏感个人信息）的，"
    "包括客户名称、联系人姓名、联系人电话等。"
)


def _load(page: Page, app_url: str, document: Path) -> None:
    page.goto(f"{app_url}/zone/editions")
    form = page.get_by_test_id("import-form")
    form.locator("input[name=file]").set_input_files(str(document))
    form.locator("input[name=list_id]").fill("fictional-test")
    form.locator("input[name=edition]").fill("测试版")
    form.locator("input[name=title_zh]").fill(fictional.TITLE)
    form.locator("input[name=published]").fill("2026-07-01")
    form.locator("input[name=source]").fill("FICTIONAL-DOC")
    form.locator("input[name=source_title]").fill("虚构测试清单")
    page.get_by_test_id("import").click()
    expect(page.get_by_test_id("edition-done")).to_be_visible()
    expect(page.get_by_test_id("document")).to_contain_text("1 needing review")


def _review(page: Page) -> None:
    page.get_by_test_id("review-link").click()
    expect(page.get_by_test_id("review-summary")).to_contain_text("12 rows")
    doubt = page.locator("section.review-row.doubt")
    expect(doubt).to_have_count(1)
    expect(doubt.get_by_test_id("row-why")).to_contain_text("two lower bounds")
    image = doubt.get_by_test_id("row-image")
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    width = image.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert width > 200  # the page region was rendered, not a broken image
    doubt.locator("textarea[data-column='基本特征与描述']").fill(FIXED)
    doubt.get_by_test_id("row-confirm").click()
    expect(page.get_by_test_id("review-done")).to_be_visible()
    expect(page.locator("section.review-row.doubt")).to_have_count(0)
    expect(page.get_by_test_id("correction")).to_have_count(1)
    expect(page.get_by_test_id("correction")).to_contain_text(ADMIN)
    page.get_by_test_id("confirm-read").click()
    expect(page.locator("section.review-row.confirmed")).to_have_count(len(fictional.BODY))


def test_load_review_correct_publish_and_assess(
    page: Page, browser: Browser, app_url: str, web_db: str, tmp_path: Path
) -> None:
    tenants.add_user(web_db, "bj-centre", ADMIN, "admin", zone="beijing", kind="zone")
    add_user(web_db, "pharma", COMPANY, "member")
    build_pdf(tmp_path / "list.pdf")
    sign_in_browser(page, app_url, ADMIN, lands_on="/zone/queue")
    _load(page, app_url, tmp_path / "list.pdf")
    _review(page)
    page.get_by_role("link", name="Back to the edition").click()
    today = dt.date.today().isoformat()
    page.get_by_test_id("publish-form").locator("input[name=effective_from]").fill(today)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("edition-state")).to_have_text("published")

    with fresh_page(browser) as company:
        sign_in_browser(company, app_url, COMPANY)
        company.get_by_role("navigation").get_by_role("link", name="Assess").click()
        company.locator("input[name=date]").fill(today)
        company.get_by_role("button", name="Show this zone's scenarios").click()
        company.locator("select[name='transfers.0.scenario']").select_option("示例仓储协同")
        company.locator("input[name='transfers.0.personal']").fill("2000000")
        company.locator("label.check", has_text="Enter earlier exports by hand").click()
        company.get_by_role("button", name="Assess", exact=True).click()
        expect(company).to_have_url(re.compile(r"/decisions/[0-9a-f]{32}$"))
        expect(company.get_by_test_id("verdict")).to_contain_text("security assessment")
        loaded = company.get_by_test_id("loaded-from").first
        expect(loaded).to_contain_text("page 2, table 2")
        expect(loaded).to_contain_text(f"reviewed by a ({ADMIN})")
