"""Browsing the catalogue in a real browser: from the zones to a list, to an entry, to the source
it cites, and searching."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Page, expect

from kuajing.catalog import default_catalog
from tests.web.support import PASSWORD, add_user


def test_browse_list_entry_and_citation(page: Page, app_url: str, web_db: str) -> None:
    catalog = default_catalog()
    beijing, source = catalog.lists["beijing-2024"], catalog.sources["WANGXIN-BJ"]
    add_user(web_db, "pharma", "reader@pharma.example", "viewer")
    errors: list[str] = []  # a Content-Security-Policy violation shows up here
    page.on("console", lambda m: _keep_errors(m, errors))

    page.goto(f"{app_url}/catalog")
    expect(page).to_have_url(f"{app_url}/login?next=/catalog")
    page.get_by_label("E-mail").fill("reader@pharma.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{app_url}/catalog")

    page.get_by_role("link", name=beijing.title.en, exact=True).click()
    expect(page).to_have_url(f"{app_url}/catalog/lists/beijing-2024")
    expect(page.get_by_test_id("list-title")).to_have_text(beijing.title.en)
    expect(page.get_by_test_id("legend")).to_be_visible()

    # The sectors are folded: the table of contents opens one.
    page.get_by_test_id("sector-toc").get_by_role("link", name="Pharmaceuticals").click()
    page.locator("#entry-bj24-pharma-pi-sa-1 h4 a").click()
    expect(page).to_have_url(f"{app_url}/catalog/items/bj24-pharma-pi-sa-1")
    expect(page.get_by_test_id("entry-title")).to_contain_text("BJ24-PHARMA-PI-SA-1")
    crumbs = page.get_by_test_id("crumbs")
    expect(crumbs.get_by_role("link", name="Pharmaceuticals")).to_be_visible()

    page.get_by_test_id("cite-link").filter(has_text=source.title.en).click()
    expect(page).to_have_url(f"{app_url}/catalog/items/WANGXIN-BJ")
    expect(page.get_by_test_id("source-title")).to_have_text(source.title.en)
    cited_by = page.get_by_test_id("cited-by")
    expect(cited_by.locator('a[href="/catalog/items/bj24-pharma-pi-sa-1"]')).to_have_count(1)

    page.get_by_test_id("crumbs").get_by_role("link", name="Catalogue").click()
    expect(page).to_have_url(f"{app_url}/catalog")
    page.get_by_test_id("search-q").fill("临床试验")
    page.get_by_test_id("search-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/catalog/search\?q="))
    # found under both editions: the 2025 edition incorporates the 2024 scenario and its entries
    links = page.get_by_role("link", name="Clinical trials", exact=True)
    expect(links).to_have_count(2)
    page.locator('a[href="/catalog/items/beijing-2025/pharmaceuticals/clinical_trial"]').click()
    expect(page).to_have_url(f"{app_url}/catalog/items/beijing-2025/pharmaceuticals/clinical_trial")
    expect(page.locator("#entry-bj24-pharma-pi-sa-1")).to_be_visible()
    assert errors == []


def _keep_errors(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(message.text)
