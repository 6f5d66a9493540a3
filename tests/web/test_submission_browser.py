"""A submission's page in Debian's Chromium, for the company and the Beijing centre, in English
and in Chinese: right after the company submits a filing whose transfer declared 30,000 persons'
sensitive PI, both sides see that figure (it once read "Persons —"), and the menus that act start
on "Choose…": sent unchanged, they are refused with the reason and nothing changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.submission_case import (
    COMPANY,
    COMPANY_ZH,
    REVIEWER,
    REVIEWER_ZH,
    decision,
    people,
)
from tests.web.support import fresh_page, sign_in_browser


@pytest.fixture
def other(browser: Browser) -> Iterator[Page]:
    """Another user's own browser context (no cookies shared with `page`)."""
    with fresh_page(browser) as fresh:
        yield fresh


def _persons_and_menu(page: Page, heading: str, label: str, choose: str, error: str) -> None:
    persons = page.get_by_test_id("persons")
    expect(persons.get_by_role("heading")).to_have_text(heading)
    expect(persons).to_contain_text(label)
    expect(persons.get_by_test_id("persons-sensitive")).to_have_text("30,000")
    expect(persons.get_by_test_id("persons-earlier")).to_contain_text("5,000")
    expect(page.get_by_test_id("decision-persons")).to_contain_text("30,000")
    menu = page.get_by_test_id("action")
    expect(menu).to_have_value("")
    expect(menu.locator("option:checked")).to_have_text(choose)
    page.get_by_test_id("act").click()
    expect(page.get_by_test_id("zone-error")).to_contain_text(error)
    expect(page.get_by_test_id("submission-state")).to_have_attribute("data-state", "submitted")
    expect(page.get_by_test_id("history-line")).to_have_count(1)


def test_both_sides_see_the_persons_and_menus_that_do_nothing_by_default(
    page: Page, other: Page, app_url: str, web_db: str
) -> None:
    people(web_db)
    decision_id = decision(web_db)
    sign_in_browser(page, app_url, COMPANY)
    page.goto(f"{app_url}/decisions/{decision_id}")
    page.get_by_test_id("route").select_option("standard_contract")
    page.get_by_role("button", name="Create the filings for this decision").click()
    expect(page).to_have_url(re.compile(r"/filings\?decision="))
    page.locator("tr[data-procedure=beijing-list-use]").get_by_test_id("filing-link").click()
    menu = page.get_by_test_id("event")
    if menu.count():  # the filing's own event menu does nothing by default either
        expect(menu).to_have_value("")
    page.get_by_role("button", name="Submit to the zone").click()
    expect(page.get_by_test_id("zone-done")).to_have_text("Submitted to the zone's service centre.")
    url = page.url.split("?")[0]
    english = ("Persons declared", "Persons (sensitive PI)", "Choose…")
    _persons_and_menu(page, *english, "choose an action from the menu first")

    sign_in_browser(other, app_url, REVIEWER, "/zone/queue")
    other.goto(url)
    _persons_and_menu(other, *english, "choose an action from the menu first")

    chinese = ("申报出境人数", "敏感个人信息人数", "请选择…", "请先在菜单中选择一项操作")
    for email, lands_on in ((COMPANY_ZH, "/dashboard"), (REVIEWER_ZH, "/zone/queue")):
        other.context.clear_cookies()
        sign_in_browser(other, app_url, email, lands_on)
        other.goto(url)
        _persons_and_menu(other, *chinese)
