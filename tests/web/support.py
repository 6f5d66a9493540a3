"""Helpers for the web application's tests: accounts, a signed-in test client, and the service
served by uvicorn on 127.0.0.1 for the browser."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from kuajing.accounts.models import Role
from kuajing.api import serving
from kuajing.api.app import create_app
from kuajing.lang import Lang
from tests import tenants
from tests.tenants import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "trial-batch.csv"


def add_user(
    db_url: str,
    org: str,
    email: str,
    role: Role = "member",
    *,
    lang: Lang = "en",
    zone: str | None = "beijing",
    processor: str | None = None,
) -> None:
    """A user of organisation `org` (created if new, in `zone`, named "<Org> Co., Ltd.")."""
    tenants.add_user(
        db_url,
        org,
        email,
        role,
        name=f"{org.title()} Co., Ltd.",
        lang=lang,
        zone=zone,
        processor=processor,
    )


def form_csrf(html: str) -> str:
    """The page's CSRF token (the language switch of a signed-out page has an empty one)."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a browser does (HTTPS: the session cookie is Secure)."""
    form = client.get("/login")
    answer = client.post(
        "/login", data={"email": email, "password": password, "csrf": form_csrf(form.text)}
    )
    # A company lands on its dashboard; a zone's staff on their review queue.
    assert answer.url.path in ("/dashboard", "/zone/queue"), answer.text


def sign_in_browser(page: Page, base: str, email: str, lands_on: str = "/dashboard") -> None:
    """Sign in through the form in a real browser; `lands_on`: the page it must end on."""
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    expect(page).to_have_url(f"{base}{lands_on}")


# How long (ms) a browser action may wait before the test fails, instead of Playwright's 30 s.
TIMEOUT_MS = 10_000


@contextmanager
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A page in its own browser context (no cookies or storage shared with another page)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@contextmanager
def web_client(db_url: str, key_file: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=key_file), base_url="https://testserver") as c:
        yield c


@contextmanager
def served(app: FastAPI, forwarded_allow_ips: str | None = None) -> Iterator[str]:
    """`app` served by uvicorn on a free port of 127.0.0.1 in a thread, with the settings of
    `kuajing serve`; yields the base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        serving.config(app, log_level="warning", forwarded_allow_ips=forwarded_allow_ips)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
