"""Fixtures for end-to-end browser tests: Debian's Chromium driven by Playwright.

The browser is always /usr/bin/chromium from Debian's `chromium` package, which `make test`
installs (`make system-deps`); Playwright's own browsers are never downloaded. Without it the
browser tests fail: they never skip.

`live_server` serves a directory with the standard library for now; a web application's tests can
replace it with a fixture of the same shape (a factory returning a base URL) that runs uvicorn."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from kuajing.api.app import create_app
from tests.web.support import fresh_page, served, web_client

CHROMIUM = Path("/usr/bin/chromium")

# The machine's network may be closed: these keep Chromium from reaching out on its own
# (update checks, sync, field trials) and flooding the logs with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests may run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # CI containers often give /dev/shm only 64 MB
]

LiveServer = Callable[[Path], str]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the whole test session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium package)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own browser context (no cookies or storage shared between tests)."""
    with fresh_page(browser) as fresh:
        yield fresh


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def live_server() -> Iterator[LiveServer]:
    """A factory: `live_server(directory)` serves that directory over HTTP on 127.0.0.1, on a
    free port, in a background thread, and returns the base URL (no trailing slash). Every
    server it started is shut down after the test."""
    started: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(directory: Path) -> str:
        if not directory.is_dir():
            raise NotADirectoryError(directory)
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: the OS picks a free one
        thread = threading.Thread(target=server.serve_forever, name="live_server", daemon=True)
        thread.start()
        started.append((server, thread))
        host, port = server.server_address[:2]
        return f"http://{host!s}:{port}"

    try:
        yield serve
    finally:
        for server, thread in started:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


@pytest.fixture
def web_db(tmp_path: Path) -> str:
    """A fresh SQLite database for one web test (the browser tests run on SQLite, the API's
    tests cover PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'web.db'}"


@pytest.fixture
def client(web_db: str, tmp_path: Path) -> Iterator[TestClient]:
    """The service in a test client over HTTPS (no one is signed in yet)."""
    with web_client(web_db, tmp_path / "ledger.key") as test:
        yield test


@pytest.fixture
def app_url(web_db: str, tmp_path: Path) -> Iterator[str]:
    """The whole service (API and pages) served by uvicorn on 127.0.0.1, for the browser."""
    with served(create_app(web_db, key_file=tmp_path / "ledger.key")) as url:
        yield url
