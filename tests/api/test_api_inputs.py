"""Inputs the property tests (test_schemathesis.py) found mishandled, each kept as a focused case:
error statuses missing from the OpenAPI document, and a 405 whose `Allow` left out methods."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from tests.tenants import api_token

ERROR_BODY = "#/components/schemas/ErrorBody"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    # HTTP behaviour only, the same on either backend: SQLite is enough.
    return f"sqlite:///{tmp_path / 'api.sqlite3'}"


@pytest.fixture
def client(sqlite_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


@pytest.fixture
def token(sqlite_url: str) -> str:
    return api_token(sqlite_url, "pharma", "admin@pharma.example", "admin", zone="beijing")


def _documented(client: TestClient, method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] = client.get("/openapi.json").json()["paths"][path][method]
    return operation["responses"]


def _body_ref(response: dict[str, Any]) -> str:
    ref: str = response["content"]["application/json"]["schema"]["$ref"]
    return ref


@pytest.mark.parametrize(
    ("method", "path", "url", "status"),
    [
        ("get", "/v1/me", "/v1/me", 401),  # no token
        ("delete", "/v1/tokens/{token_id}", "/v1/tokens/999", 404),
        ("get", "/v1/catalog/items/{ident}", "/v1/catalog/items/atlantis", 404),
        ("get", "/v1/ledger/status", "/v1/ledger/status", 404),  # nothing recorded yet
        ("get", "/v1/decisions/{decision_id}", "/v1/decisions/0", 404),
    ],
)
def test_error_statuses_are_documented_with_their_body(
    client: TestClient, token: str, method: str, path: str, url: str, status: int
) -> None:
    headers = {} if status == 401 else {"Authorization": f"Bearer {token}"}
    answer = client.request(method, url, headers=headers)
    assert answer.status_code == status, answer.text
    assert set(answer.json()["error"]) == {"code", "message", "field"}
    assert _body_ref(_documented(client, method, path)[str(status)]) == ERROR_BODY


def test_a_body_that_cannot_be_parsed_is_a_documented_400(client: TestClient, token: str) -> None:
    answer = client.post(
        "/v1/tokens",
        content=b"\x1c\xff",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "http_error"
    assert _body_ref(_documented(client, "post", "/v1/tokens")["400"]) == ERROR_BODY


def test_invalid_input_is_documented_with_the_body_sent(client: TestClient) -> None:
    # FastAPI's own 422 entry (HTTPValidationError, `detail`) is not what the API sends.
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert _body_ref(operation["responses"]["422"]) == ERROR_BODY, (method, path)
            assert "401" in operation["responses"], (method, path)
    assert "HTTPValidationError" not in document["components"]["schemas"]


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("OPTIONS", "/v1/tokens", "GET, POST"),
        ("PUT", "/v1/ledger/batches", "GET, POST"),
        ("POST", "/v1/me", "GET"),
    ],
)
def test_405_allows_every_method_of_the_path(
    client: TestClient, token: str, method: str, url: str, allow: str
) -> None:
    answer = client.request(method, url, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "method_not_allowed"
    assert answer.headers["Allow"] == allow
