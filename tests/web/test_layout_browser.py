"""The pages on a phone (390 px), a tablet (768 px) and a desktop (1440 px) in Debian's
Chromium: nothing wider than the screen, the menu collapsed on the phone and on one row on the
desktop, red on a decision only for what needs action, "what is missing" said once, and sector
navigation on a zone's list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from tests.web.showcase import COMPANY, REVIEWER, Showcase, seed
from tests.web.support import fresh_page, sign_in_browser

PHONE: ViewportSize = {"width": 390, "height": 844}
TABLET: ViewportSize = {"width": 768, "height": 1024}
DESKTOP: ViewportSize = {"width": 1440, "height": 900}

# How much wider than the window the page is (0: it fits).
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def showcase(app_url: str, web_db: str, tmp_path: Path) -> Showcase:
    return seed(web_db, tmp_path / "ledger.key")


@pytest.fixture
def reviewer(browser: Browser) -> Iterator[Page]:
    with fresh_page(browser) as page:
        yield page


def _too_wide(page: Page, base: str, paths: list[str]) -> dict[str, int]:
    wide = {}
    for path in paths:
        page.goto(f"{base}{path}")
        if (extra := page.evaluate(OVERFLOW)) > 0:
            wide[path] = extra
    return wide


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["390px", "768px"])
def test_the_company_pages_fit_a_phone_and_a_tablet(
    page: Page, app_url: str, showcase: Showcase, size: ViewportSize
) -> None:
    page.set_viewport_size(size)
    sign_in_browser(page, app_url, COMPANY)
    paths = [
        "/dashboard",
        "/assess",
        f"/decisions/{showcase.assessment}",
        f"/decisions/{showcase.contract}",
        "/decisions",
        "/ledger/batches",
        "/filings",
        f"/filings/{showcase.filing}",
        f"/zone/submissions/{showcase.submission}",
        "/catalog/lists/beijing-2024",
    ]
    assert _too_wide(page, app_url, paths) == {}


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["390px", "768px"])
def test_the_reviewer_pages_fit_a_phone_and_a_tablet(
    reviewer: Page, app_url: str, showcase: Showcase, size: ViewportSize
) -> None:
    reviewer.set_viewport_size(size)
    sign_in_browser(reviewer, app_url, REVIEWER, "/zone/queue")
    paths = ["/zone/queue", f"/zone/submissions/{showcase.submission}"]
    assert _too_wide(reviewer, app_url, paths) == {}


def test_the_menu_is_collapsed_on_a_phone_and_opens_from_the_keyboard(
    page: Page, app_url: str, showcase: Showcase
) -> None:
    page.set_viewport_size(PHONE)
    sign_in_browser(page, app_url, COMPANY)
    menu = page.get_by_test_id("menu-button")
    links = page.locator("header.top nav a")
    expect(menu).to_be_visible()
    expect(links.first).to_be_hidden()
    assert page.evaluate("document.querySelector('header.top').offsetHeight") < 80
    menu.focus()
    page.keyboard.press("Enter")
    expect(links.first).to_be_visible()
    page.keyboard.press("Tab")  # into the menu: the first link
    assert page.evaluate("document.activeElement.closest('nav') !== null")
    page.get_by_role("navigation").get_by_role("link", name="Decisions").click()
    expect(page).to_have_url(f"{app_url}/decisions")
    expect(links.first).to_be_hidden()  # a new page starts with the menu closed


def test_the_menu_is_one_row_on_a_desktop(page: Page, app_url: str, showcase: Showcase) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in_browser(page, app_url, COMPANY)  # an admin in a zone: the longest menu
    expect(page.get_by_test_id("menu-button")).to_be_hidden()
    links = page.locator("header.top nav a")
    assert links.count() >= 12
    one_row = "document.querySelector('header.top').offsetHeight < 60"  # the account too
    assert _rows(links) == 1 and page.evaluate(one_row)
    page.get_by_test_id("lang-switch").click()
    assert _rows(links) == 1 and page.evaluate(one_row)


def _rows(links: Locator) -> int:
    """On how many rows the links lie."""
    return len({round(box["y"]) for a in links.all() if (box := a.bounding_box())})


def _red_texts(page: Page, scope: str) -> list[str]:
    """The texts in `scope` drawn in the colour that means "act" (--bad)."""
    texts: list[str] = page.evaluate(
        """scope => {
          const red = getComputedStyle(document.body).getPropertyValue('--bad').trim();
          const probe = document.createElement('span');
          probe.style.color = red; document.body.append(probe);
          const want = getComputedStyle(probe).color; probe.remove();
          return [...document.querySelectorAll(scope + ' *')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .filter(e => getComputedStyle(e).color === want)
            .map(e => e.textContent.trim());
        }""",
        scope,
    )
    return texts


def test_the_decision_header_is_red_only_for_what_needs_action(
    page: Page, app_url: str, showcase: Showcase
) -> None:
    sign_in_browser(page, app_url, COMPANY)
    page.goto(f"{app_url}/decisions/{showcase.assessment}")
    verdict = page.get_by_test_id("verdict")
    expect(verdict.get_by_role("heading", level=1)).to_have_text("security assessment")
    assert _red_texts(page, "[data-testid=verdict]") == ["security assessment"]
    # Every missing fact is asked for once, in the header.
    expect(page.get_by_text("What is missing")).to_have_count(1)
    expect(verdict.get_by_test_id("missing")).to_be_visible()


def test_a_reached_threshold_says_what_to_do(page: Page, app_url: str, showcase: Showcase) -> None:
    sign_in_browser(page, app_url, COMPANY)
    reached = page.get_by_test_id("gauge").filter(has_text="≥ 1 →")
    expect(reached).to_contain_text("standard contract")
    expect(reached.get_by_test_id("gauge-note")).to_contain_text("sign the standard contract")
    # Amber (something to do), not the red of a security assessment.
    assert _red_texts(page, "[data-testid=counters]") == []


def test_the_beijing_list_has_sector_navigation(
    page: Page, app_url: str, showcase: Showcase
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in_browser(page, app_url, COMPANY)
    page.goto(f"{app_url}/catalog/lists/beijing-2024")
    toc = page.get_by_test_id("sector-toc")
    sectors = page.get_by_test_id("sector")
    expect(toc.get_by_role("link")).to_have_count(sectors.count())
    assert sectors.count() >= 5
    # Folded, the list is a few screens long; a link opens and shows its sector.
    assert page.evaluate("document.documentElement.scrollHeight") < 6000
    pharma = page.locator("#sector-pharmaceuticals")
    expect(pharma.get_by_test_id("scenario-row").first).to_be_hidden()
    toc.get_by_role("link", name="Pharmaceuticals").click()
    expect(pharma.get_by_test_id("scenario-row").first).to_be_in_viewport()
