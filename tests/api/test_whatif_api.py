"""`POST /v1/whatif`: the body of `POST /v1/assess`, its auth and errors; the JSON of
`kuajing whatif`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from tests.tenants import api_token

REQUEST = {
    "date": "2026-03-01",
    "processor": {"name": "Example Pharma (Beijing) Co., Ltd.", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "sensitive": 30000}],
}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _auth(db_url: str, role: str = "member") -> dict[str, str]:
    token = api_token(db_url, "pharma", f"{role}@pharma.example", role)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}"}


def test_whatif_answers_each_option(client: TestClient, db_url: str) -> None:
    answer = client.post("/v1/whatif", json=REQUEST, headers=_auth(db_url), params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    options = {o["key"]: o for o in answer.json()["options"]}
    assert options["national"]["zone"] is None
    assert options["national"]["pathway"] == "security_assessment"
    beijing = options["registered:beijing"]
    assert (beijing["basis"], beijing["pathway"], beijing["rank"], beijing["actual"]) == (
        "registered",
        "standard_contract_or_certification",
        1,
        True,
    )
    assert answer.json()["ranking"].startswith("Ranked lightest first")
    assert "Kuajing-Decision-Id" not in answer.headers  # nothing is logged


def test_whatif_needs_a_token(client: TestClient) -> None:
    answer = client.post("/v1/whatif", json=REQUEST)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"


def test_a_bad_body_is_a_422_as_for_assess(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    body = {**REQUEST, "transfers": []}
    answers = [client.post(p, json=body, headers=auth) for p in ("/v1/whatif", "/v1/assess")]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].json()["error"]["code"] == answers[1].json()["error"]["code"]


def test_an_unknown_zone_is_the_same_error_as_for_assess(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    body = {**REQUEST, "processor": {"name": "X", "zone": "mars"}}
    answers = [client.post(p, json=body, headers=auth) for p in ("/v1/whatif", "/v1/assess")]
    assert answers[0].status_code == answers[1].status_code >= 400
    assert answers[0].json() == answers[1].json()
