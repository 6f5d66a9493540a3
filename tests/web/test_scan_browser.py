"""Scan, review, correct and record with a real browser: the file input, the key checkboxes, the
result page and the dashboard's counters."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.web.support import PASSWORD, SAMPLE, add_user


def test_upload_review_correct_and_record(page: Page, app_url: str, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    page.goto(f"{app_url}/scan")
    page.get_by_label("E-mail").fill("ops@pharma.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{app_url}/scan")

    page.get_by_label("Dataset file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Upload and scan").click()
    expect(page).to_have_url(re.compile(re.escape(app_url) + r"/scan/[A-Za-z0-9_-]{20,}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review the scan")
    expect(page.get_by_test_id("distinct")).to_have_text("240")
    columns = page.get_by_test_id("column")
    expect(columns).to_have_count(4)
    expect(columns.nth(1)).to_contain_text("resident ID number")
    expect(columns.nth(3)).to_have_class("scan-sensitive")

    by_id = page.get_by_role("checkbox", name="Use 身份证号 to identify persons")
    by_mobile = page.get_by_role("checkbox", name="Use 手机号 to identify persons")
    expect(by_id).to_be_checked()
    expect(by_mobile).not_to_be_checked()
    by_id.uncheck()
    by_mobile.check()
    page.get_by_label("Overseas recipient (optional)").fill("Pharma GmbH")
    page.get_by_test_id("record").click()

    expect(page.get_by_test_id("recorded-title")).to_have_text("Recorded")
    expect(page.get_by_test_id("batch")).to_contain_text("手机号")
    expect(page.get_by_test_id("added-persons")).to_have_text("+240")
    page.get_by_test_id("to-dashboard").click()
    expect(page).to_have_url(f"{app_url}/dashboard")
    expect(page.get_by_test_id("counters")).to_contain_text("240")
    page.goto(f"{app_url}/ledger/batches")
    expect(page.get_by_test_id("batch-row")).to_contain_text("trial-batch.csv")
