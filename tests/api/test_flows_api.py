"""The transfer register over the REST API, on SQLite and PostgreSQL: add, change (409 when
changed meanwhile), retire, history, import and export, assess; a viewer reads only, and
another organisation gets 404 on every flow endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from tests.tenants import api_token

FLOW: dict[str, Any] = {
    "key": "trial-data",
    "name": "Clinical trial data to the sponsor",
    "scenario": "临床试验",
    "recipient": {"name": "Sponsor GmbH", "country": "DE"},
    "frequency": "monthly",
    "personal": 1000,
}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _auth(db_url: str, org: str = "pharma", role: Any = "member", who: str = "m") -> dict[str, str]:
    token = api_token(db_url, org, f"{who}@{org}.example", role, zone="beijing")
    return {"Authorization": f"Bearer {token}"}


def test_a_flow_is_added_changed_retired_with_its_history(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    made = client.post("/v1/flows", json=FLOW, headers=auth)
    assert made.status_code == 201, made.text
    assert made.json()["version"] == 1
    assert client.post("/v1/flows", json=FLOW, headers=auth).status_code == 409
    changed = {"version": 1, "flow": {**FLOW, "personal": 12000}}
    assert client.put("/v1/flows/trial-data", json=changed, headers=auth).json()["version"] == 2
    stale = client.put("/v1/flows/trial-data", json=changed, headers=auth)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    renamed = {"version": 2, "flow": {**FLOW, "key": "other"}}
    assert client.put("/v1/flows/trial-data", json=renamed, headers=auth).status_code == 422
    assert client.delete("/v1/flows/trial-data", headers=auth).json()["flow"]["status"] == "retired"
    history = client.get("/v1/flows/trial-data/history", headers=auth).json()
    assert [(v["version"], v["change"]) for v in history] == [
        (1, "added"), (2, "changed"), (3, "retired"),
    ]  # fmt: skip
    assert client.get("/v1/flows", params={"status": "active"}, headers=auth).json() == []


def test_a_flow_is_assessed_and_its_latest_decision_linked(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    client.post("/v1/flows", json=FLOW, headers=auth)
    answer = client.post(
        "/v1/flows/trial-data/assess", params={"date": "2026-03-01", "lang": "en"}, headers=auth
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [transfer] = body["decision"]["transfers"]
    # 12,000 persons a year of trial data under Beijing's list: the contract band.
    assert transfer["id"] == "trial-data" and transfer["regime"] != "national"
    assert transfer["pathway"] == "standard_contract_or_certification"
    assert answer.headers["Kuajing-Decision-Id"] == body["decision_id"]
    latest = client.get("/v1/flows/trial-data", headers=auth).json()["latest_decision"]
    assert latest == {
        "decision_id": body["decision_id"],
        "pathway": "standard_contract_or_certification",
        "status": transfer["status"],
    }
    assert client.get(f"/v1/decisions/{body['decision_id']}", headers=auth).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_register_exports_and_imports_back(client: TestClient, db_url: str, fmt: str) -> None:
    auth = _auth(db_url)
    client.post("/v1/flows", json=FLOW, headers=auth)
    client.post("/v1/flows", json={**FLOW, "key": "hr", "exemption": "hr"}, headers=auth)
    got = client.get("/v1/register/export", params={"format": fmt, "header": "zh"}, headers=auth)
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    other = _auth(db_url, "rival", who="r")
    files = {"file": (f"register.{fmt}", got.content)}
    assert client.post("/v1/register/import", files=files, headers=other).json() == {
        "added": ["hr", "trial-data"], "changed": [], "unchanged": 0,
    }  # fmt: skip
    again = client.post("/v1/register/import", files=files, headers=auth).json()
    assert again == {"added": [], "changed": [], "unchanged": 2}


def test_a_bad_file_is_refused_whole(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    text = "key,name,recipient_country\na,A,DE\nb,B,Germny\n"
    answer = client.post(
        "/v1/register/import", files={"file": ("r.csv", text.encode())}, headers=auth
    )
    assert answer.status_code == 422
    assert (
        "row 3, column recipient_country: 'Germny' is not a country code"
        in (answer.json()["error"]["message"])
    )
    assert client.get("/v1/flows", headers=auth).json() == []


def test_a_viewer_reads_and_cannot_write(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    viewer = _auth(db_url, role="viewer", who="v")
    client.post("/v1/flows", json=FLOW, headers=auth)
    assert client.get("/v1/flows/trial-data", headers=viewer).status_code == 200
    assert client.post("/v1/flows", json={**FLOW, "key": "x"}, headers=viewer).status_code == 403
    assert client.delete("/v1/flows/trial-data", headers=viewer).status_code == 403
    assert client.post("/v1/flows/trial-data/assess", headers=viewer).status_code == 403


def test_another_organisation_gets_404(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    client.post("/v1/flows", json=FLOW, headers=auth)
    other = _auth(db_url, "rival", who="r")
    change = {"version": 1, "flow": {**FLOW, "personal": 1}}
    for method, path, kwargs in (
        ("GET", "/v1/flows/trial-data", {}),
        ("PUT", "/v1/flows/trial-data", {"json": change}),
        ("DELETE", "/v1/flows/trial-data", {}),
        ("GET", "/v1/flows/trial-data/history", {}),
        ("POST", "/v1/flows/trial-data/assess", {}),
    ):
        answer = client.request(method, path, headers=other, **kwargs)
        assert answer.status_code == 404, (method, path, answer.text)
    assert client.get("/v1/flows", headers=other).json() == []
    exported = client.get("/v1/register/export", headers=other).text
    assert "trial-data" not in exported
    assert client.get("/v1/flows/trial-data", headers=auth).json()["version"] == 1
