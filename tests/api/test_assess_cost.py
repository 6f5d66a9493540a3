"""What `POST /v1/assess` costs the server beyond `GET /v1/me` (bench/api.py): a small request is
assessed on the event loop and its log entry awaited there; the token is looked up on the loop
too when the database is a local SQLite file, and in a worker thread on PostgreSQL (a server's
round trip would stall the loop); a company's own list editions are read once, and again only
after it publishes another."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from kuajing.zone.store import ZoneStore
from tests.api.test_editions_api import token, upload
from tests.api.test_filings_api import REQUEST
from tests.zone.test_editions import new_table


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[Any]:
    """Each call of `owner.name`, by its first argument after `self` (or its first)."""
    calls: list[Any] = []
    real: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[-1] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_small_request_goes_to_a_worker_thread_only_for_a_servers_token_lookup(
    client: TestClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = token(db_url, "pharma", "a@pharma.example", "member", "beijing")
    assert client.post("/v1/assess", json=REQUEST, headers=company).status_code == 200
    trips = _counting(monkeypatch, anyio.to_thread, "run_sync")
    answer = client.post("/v1/assess", json=REQUEST, headers=company)
    assert answer.status_code == 200, answer.text
    # PostgreSQL: the token's lookup. The log entry is awaited on the loop on both.
    assert len(trips) == (0 if db_url.startswith("sqlite") else 1)
    decision_id = answer.headers["Kuajing-Decision-Id"]
    logged = client.get(f"/v1/decisions/{decision_id}", headers=company)  # committed already
    assert logged.status_code == 200 and logged.json()["decision"] == answer.json()


def test_a_companys_own_editions_are_read_once_and_again_after_it_publishes_one(
    client: TestClient, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = token(db_url, "pharma", "a@pharma.example", "admin", "beijing")
    reads = _counting(monkeypatch, ZoneStore, "published")
    for _ in range(3):
        before = client.post("/v1/assess", json=REQUEST, headers=company)
        assert before.json()["transfers"][0]["pathway"] == "standard_contract_or_certification"
    own_reads = [r for r in reads if isinstance(r, int)]  # by organisation: the company's own
    assert len(own_reads) == 1

    own = upload(client, company, new_table(tmp_path), list_id="pharma-own-copy").json()
    published = client.post(
        f"/v1/editions/{own['id']}/publish", json={"effective_from": "2026-03-01"}, headers=company
    )
    assert published.status_code == 200, published.text
    after = client.post("/v1/assess", json={**REQUEST, "date": "2026-03-05"}, headers=company)
    assert after.json()["transfers"][0]["pathway"] == "exempt"  # its own copy governs it now
