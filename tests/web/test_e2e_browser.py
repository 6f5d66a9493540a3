"""The issue's scenarios in a real browser (Debian's Chromium): sign in, assess with the guided
form, read the decision and its citations, switch language, and a second organisation that
cannot see the first one's decisions."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.web.support import add_user, sign_in_browser


def test_assess_switch_language_and_stay_in_your_organisation(
    page: Page, app_url: str, web_db: str
) -> None:
    add_user(web_db, "pharma", "analyst@pharma.example", "member")
    add_user(web_db, "bank", "admin@bank.example", "admin", zone="shanghai")
    sign_in_browser(page, app_url, "analyst@pharma.example")

    page.get_by_role("navigation").get_by_role("link", name="Assess").click()
    page.locator("input[name=date]").fill("2026-03-01")
    page.get_by_role("button", name="Show this zone's scenarios").click()
    page.locator("select[name='transfers.0.scenario']").select_option("临床试验")
    page.locator("input[name='transfers.0.personal']").fill("12000")
    page.locator("label.check", has_text="Enter earlier exports by hand").click()
    page.get_by_role("button", name="Assess", exact=True).click()

    expect(page).to_have_url(re.compile(r"/decisions/[0-9a-f]{32}$"))
    decision_url = page.url
    expect(page.get_by_test_id("verdict")).to_contain_text(
        "standard contract filing or certification"
    )
    expect(page.get_by_test_id("transfer-decision")).to_contain_text("BJ24-PHARMA-PI-SCC-1")

    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("决定编号")
    # The reasons too: the same rules give the same decision in the other language.
    expect(page.get_by_test_id("transfer-decision")).to_contain_text(
        "适用清单 中国（北京）自由贸易试验区数据出境管理清单（负面清单）（2024版）"
    )
    page.get_by_role("navigation").get_by_role("link", name="概览").click()
    expect(page.get_by_test_id("recent-decisions")).to_contain_text("个人信息出境标准合同备案")
    page.get_by_role("button", name="退出").click()

    sign_in_browser(page, app_url, "admin@bank.example")
    expect(page.get_by_test_id("recent-decisions")).not_to_contain_text("2026-03-01")
    answer = page.goto(decision_url)
    assert answer is not None and answer.status == 404
    expect(page.get_by_test_id("error-code")).to_have_text("Not found")
