"""/docs is Swagger UI served from this site: its page names no other host, its assets are
served here, and its Content-Security-Policy allows nothing else. ReDoc is not served."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'service.sqlite3'}"
    with TestClient(create_app(url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def test_docs_load_only_from_this_site(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert not re.search(r"https?:|//[a-z]", page.text, re.IGNORECASE)  # no other host named
    urls = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert len(urls) == 3 and all(u.startswith("/") and not u.startswith("//") for u in urls)
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100
    assert "url: '/openapi.json'" in page.text
    assert client.get("/openapi.json").status_code == 200


def test_the_policy_allows_nothing_from_elsewhere(client: TestClient) -> None:
    policy = client.get("/docs").headers["content-security-policy"]
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "unsafe-eval" not in policy and "http" not in policy


def test_redoc_is_not_served(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404
