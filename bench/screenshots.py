"""Screenshots of the main pages for the README, remade after any change to the pages.

Seeds a throw-away database with the layout tests' showcase (tests/web/showcase.py: a company in
the Beijing zone with two decisions, filings, a zone submission and a recorded batch; the Beijing
centre's reviewer), serves the whole service on 127.0.0.1 and drives Debian's Chromium through
Playwright: each page at 1440 px (desktop) and 390 px (phone), in English and in Chinese, plus the
phone's menu opened. The first screen of each page is kept, as its reader first sees it.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots]

Files: <out>/<page>-<desktop|phone>-<en|zh>.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' showcase and browser settings

from tests.tenants import PASSWORD  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.web.showcase import COMPANY, REVIEWER, Showcase, seed  # noqa: E402
from tests.web.support import served  # noqa: E402

from kuajing.api.app import create_app  # noqa: E402
from kuajing.lang import Lang  # noqa: E402

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
LANGS: tuple[Lang, ...] = ("en", "zh")


def _pages(ids: Showcase) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, path) of the company's pages and of the reviewer's."""
    company = [
        ("dashboard", "/dashboard"),
        ("assess", "/assess"),
        ("decision", f"/decisions/{ids.assessment}"),
        ("batches", "/ledger/batches"),
        ("filing", f"/filings/{ids.filing}"),
        ("catalog-list", "/catalog/lists/beijing-2024"),
        ("register", "/register"),
        ("whatif", "/register/whatif"),
        ("forecast", "/forecast"),
    ]
    reviewer = [
        ("zone-queue", "/zone/queue"),
        ("zone-submission", f"/zone/submissions/{ids.submission}"),
    ]
    return company, reviewer


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()


@contextmanager
def _service(lang: Lang) -> Iterator[tuple[str, Showcase]]:
    """The service over a fresh database seeded with the showcase; yields (URL, its ids)."""
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "ledger.key"
        os.environ["KUAJING_KEY_FILE"] = str(key)
        os.environ["KUAJING_SIGNING_KEY_FILE"] = str(Path(tmp) / "signing.key")
        db = f"sqlite:///{Path(tmp) / 'screens.db'}"
        app = create_app(db, key_file=key)
        ids = seed(db, key, lang)
        with served(app) as base:
            yield base, ids


def _shoot(
    browser: Browser,
    base: str,
    who: str,
    pages: list[tuple[str, str]],
    out: Path,
    lang: str,
    menu: bool,
) -> list[Path]:
    saved = []
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        _sign_in(page, base, who, PASSWORD)
        for name, path in pages:
            page.goto(f"{base}{path}")
            saved.append(out / f"{name}-{size}-{lang}.png")
            page.screenshot(path=saved[-1])
        if size == "phone" and menu:
            page.get_by_test_id("menu-button").click()
            saved.append(out / f"menu-phone-{lang}.png")
            page.screenshot(path=saved[-1])
        context.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for lang in LANGS:
            with _service(lang) as (base, ids):
                company, reviewer = _pages(ids)
                for who, pages in ((COMPANY, company), (REVIEWER, reviewer)):
                    for path in _shoot(browser, base, who, pages, args.out, lang, who == COMPANY):
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        browser.close()


if __name__ == "__main__":
    main()
