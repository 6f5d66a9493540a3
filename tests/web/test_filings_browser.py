"""Filings in a real browser (Debian's Chromium): from a logged decision's page create the
filings it requires, open the standard contract filing, record that the contract took effect,
see its deadline appear (SCC-7-1: 4 March 2026), and read the page in Chinese."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.services.decisions import assess_and_log
from tests.web.support import add_user, sign_in_browser

TRIAL = {
    "date": "2026-03-01",
    "processor": {"name": "Pharma", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
}


def _logged_decision(db: str, email: str) -> str:
    with Accounts.open(db) as store:
        who = store.principal_by_email(email)
        _, record = assess_and_log(store, who, Request.model_validate(TRIAL), default_catalog())
    return record.id


def test_create_filings_record_an_event_and_read_it_in_chinese(
    page: Page, app_url: str, web_db: str
) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    decision_id = _logged_decision(web_db, "ops@pharma.example")
    sign_in_browser(page, app_url, "ops@pharma.example")

    page.goto(f"{app_url}/decisions/{decision_id}")
    page.get_by_test_id("route").select_option("standard_contract")
    page.get_by_role("button", name="Create the filings for this decision").click()
    expect(page).to_have_url(re.compile(r"/filings\?decision="))
    expect(page.get_by_test_id("filings-created")).to_contain_text("Created 2 filings")

    page.locator("tr[data-procedure=scc-filing]").get_by_test_id("filing-link").click()
    expect(page.get_by_test_id("state")).to_have_text("Preparing (impact assessment and contract)")
    expect(page.get_by_test_id("next-deadline")).to_have_text("—")
    page.get_by_test_id("event").select_option("contract_effective")
    page.get_by_test_id("event-date").fill("2026-02-12")
    page.get_by_label("Note").fill("signed by both parties")
    page.get_by_test_id("record").click()

    expect(page.get_by_test_id("filing-done")).to_have_text("The event is recorded.")
    expect(page.get_by_test_id("state")).to_have_text("Contract in effect; to be filed")
    # 10 PRC working days after 12 February 2026, the Spring Festival not counted.
    expect(page.get_by_test_id("next-deadline")).to_contain_text("2026-03-04")
    expect(page.get_by_test_id("next-deadline")).to_contain_text("SCC-7-1")
    expect(page.get_by_test_id("history")).to_contain_text("signed by both parties")

    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("deadlines").get_by_role("heading")).to_contain_text("期限")
    expect(page.get_by_test_id("materials").get_by_role("heading")).to_have_text("材料清单")
    expect(page.get_by_test_id("state")).to_have_text("合同已生效、待备案")
    page.get_by_role("navigation").get_by_role("link", name="备案与申报").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("备案与申报")
