"""A flow's batches and filings, and the what-if on the whole register, over the REST API on
SQLite and PostgreSQL: a batch recorded against a flow takes its scenario and is linked to it;
the flow's filings are those made from its decisions; the register's what-if compares its
planned and active flows. A viewer reads; another organisation gets 404."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from tests.tenants import api_token
from tests.web.support import SAMPLE

FLOW: dict[str, Any] = {
    "key": "trial-data",
    "name": "Clinical trial data to the sponsor",
    "scenario": "临床试验",
    "recipient": {"name": "Sponsor GmbH", "country": "DE"},
    "frequency": "monthly",
    "sensitive": 2500,  # 30,000 persons a year
}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _auth(db_url: str, org: str = "pharma", role: Any = "member", who: str = "m") -> dict[str, str]:
    token = api_token(db_url, org, f"{who}@{org}.example", role, zone="beijing")
    return {"Authorization": f"Bearer {token}"}


def _record(client: TestClient, auth: dict[str, str], key: str = "trial-data") -> Any:
    return client.post(
        f"/v1/flows/{key}/batches",
        data={"date": "2026-02-10"},
        files={"file": ("trial-batch.csv", SAMPLE.read_bytes())},
        headers=auth,
    )


def test_a_batch_is_recorded_against_the_flow(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    client.post("/v1/flows", json=FLOW, headers=auth)
    made = _record(client, auth)
    assert made.status_code == 201, made.text
    batch = made.json()["batch"]
    assert batch["scenario"] == "临床试验" and batch["recipient"] == "Sponsor GmbH"
    listed = client.get("/v1/flows/trial-data/batches", headers=auth).json()
    assert [b["digest"] for b in listed] == [batch["digest"]]
    # The same content again: the ledger keeps one batch, still linked to this flow.
    again = _record(client, auth)
    assert again.status_code == 201 and again.json()["new"] is False
    client.post("/v1/flows", json={**FLOW, "key": "other"}, headers=auth)
    assert _record(client, auth, "other").status_code == 409  # one flow a batch
    client.delete("/v1/flows/other", headers=auth)
    retired = _record(client, auth, "other")
    assert retired.status_code == 422 and "retired" in retired.json()["error"]["message"]


def test_the_flows_filings_are_those_made_from_its_decisions(
    client: TestClient, db_url: str
) -> None:
    auth = _auth(db_url)
    client.post("/v1/flows", json=FLOW, headers=auth)
    assert client.get("/v1/flows/trial-data/filings", headers=auth).json() == []
    decided = client.post(
        "/v1/flows/trial-data/assess", params={"date": "2026-03-01"}, headers=auth
    ).json()
    made = client.post("/v1/filings", json={"decision_id": decided["decision_id"]}, headers=auth)
    assert made.status_code == 201, made.text
    found = client.get("/v1/flows/trial-data/filings", headers=auth).json()
    assert found and {f["decision_id"] for f in found} == {decided["decision_id"]}
    assert all("trial-data" in f["transfers"] for f in found)


def test_the_whole_register_is_compared_across_zones(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    empty = client.get("/v1/register/whatif", headers=auth)
    assert empty.status_code == 422 and "no planned or active flow" in empty.text
    client.post("/v1/flows", json=FLOW, headers=auth)
    client.post("/v1/flows", json={**FLOW, "key": "hr", "exemption": "hr"}, headers=auth)
    client.post("/v1/flows", json={**FLOW, "key": "gone", "status": "retired"}, headers=auth)
    answer = client.get("/v1/register/whatif", params={"date": "2026-03-01"}, headers=auth)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["date"] == "2026-03-01"
    by_basis = {(o["basis"], o["zone"]): o for o in body["options"]}
    national = by_basis[("national", None)]
    # 30,000 persons' sensitive PI a year: a security assessment under national rules only.
    assert national["pathway"] == "security_assessment"
    assert {t["id"] for t in national["transfers"]} == {"trial-data", "hr"}
    beijing = by_basis[("registered", "beijing")]
    trial = next(t for t in beijing["transfers"] if t["id"] == "trial-data")
    assert trial["pathway"] == "standard_contract_or_certification"


def test_a_viewer_reads_and_another_organisation_gets_404(client: TestClient, db_url: str) -> None:
    auth = _auth(db_url)
    client.post("/v1/flows", json=FLOW, headers=auth)
    viewer = _auth(db_url, role="viewer", who="v")
    assert client.get("/v1/flows/trial-data/batches", headers=viewer).json() == []
    assert client.get("/v1/flows/trial-data/filings", headers=viewer).status_code == 200
    assert client.get("/v1/register/whatif", headers=viewer).status_code == 200
    assert _record(client, viewer).status_code == 403
    other = _auth(db_url, "rival", who="r")
    for path in ("/v1/flows/trial-data/batches", "/v1/flows/trial-data/filings"):
        assert client.get(path, headers=other).status_code == 404, path
    assert _record(client, other).status_code == 404
    assert client.get("/v1/register/whatif", headers=other).status_code == 422  # its own: empty
    assert client.get("/v1/flows/trial-data/batches", headers=auth).json() == []
