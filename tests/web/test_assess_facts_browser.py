"""In a real browser (Debian's Chromium): the earlier exports typed by hand hide while the ledger
is chosen and show when typing them is chosen (a stylesheet, no script); a wrong count is said
beside its field; and the decision repeats the recipient, its country and the counts."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.web.support import add_user, sign_in_browser


def test_ledger_hides_the_manual_counts_and_the_decision_echoes_the_facts(
    page: Page, app_url: str, web_db: str
) -> None:
    add_user(web_db, "pharma", "analyst@pharma.example", "member")
    sign_in_browser(page, app_url, "analyst@pharma.example")
    page.goto(f"{app_url}/assess")
    manual = page.get_by_test_id("prior-manual-fields")
    expect(page.get_by_test_id("prior-ledger")).to_be_checked()
    expect(manual).to_be_hidden()
    page.get_by_test_id("prior-manual").check()
    expect(manual).to_be_visible()
    page.get_by_test_id("prior-ledger").check()
    expect(manual).to_be_hidden()
    page.get_by_test_id("prior-manual").check()

    page.locator("input[name=date]").fill("2026-03-01")
    page.get_by_role("button", name="Show this zone's scenarios").click()
    page.locator("select[name='transfers.0.scenario']").select_option("临床试验")
    page.locator("input[name='transfers.0.personal']").fill("12000")
    page.locator("input[name='transfers.0.persons']").fill("9000")
    page.locator("input[name='transfers.0.recipient.name']").fill("Sponsor GmbH")
    page.get_by_label("Recipient's country or region").select_option(label="Germany · 德国")
    page.locator("input[name='prior.personal']").fill("1500")
    page.get_by_role("button", name="Assess", exact=True).click()

    persons = page.locator("input[name='transfers.0.persons']")
    expect(persons).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("form-errors")).to_contain_text("Enter at least 12,000")
    page.get_by_test_id("form-errors").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#f-transfers-0-persons$"))
    persons.fill("")
    page.get_by_role("button", name="Assess", exact=True).click()

    expect(page).to_have_url(re.compile(r"/decisions/[0-9a-f]{32}$"))
    facts = page.get_by_test_id("transfer-fact")
    expect(facts).to_contain_text("Sponsor GmbH")
    expect(facts).to_contain_text("Germany")
    expect(facts).to_contain_text("12,000")
    expect(page.get_by_test_id("prior-fact")).to_contain_text("1,500")
