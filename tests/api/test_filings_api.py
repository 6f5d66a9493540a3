"""Filings over the REST API, on SQLite and PostgreSQL: a logged decision becomes the filings it
requires; an event moves a filing, or is refused (409) saying why and what is allowed now; the
deadline of SCC-7-1 counts PRC working days; tasks; and tenants and roles kept apart on every
endpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from tests.tenants import api_token

# A Beijing pharmaceutical company sends 12,000 persons' trial data abroad: the standard
# contract band (CBDF-7), under Beijing's 2024 list.
REQUEST: dict[str, Any] = {
    "date": "2026-03-01",
    "processor": {"name": "Example Pharma (Beijing) Co., Ltd.", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _member(db_url: str, org: str = "pharma", zone: str | None = "beijing") -> dict[str, str]:
    return _auth(api_token(db_url, org, f"m@{org}.example", "member", zone=zone))


def _decide(client: TestClient, auth: dict[str, str], request: dict[str, Any]) -> str:
    answer = client.post("/v1/assess", json=request, headers=auth, params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    return answer.headers["Kuajing-Decision-Id"]


def _file(client: TestClient, auth: dict[str, str], decision_id: str) -> dict[str, Any]:
    made = client.post("/v1/filings", json={"decision_id": decision_id}, headers=auth)
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def _scc(created: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(
        f for f in created["filings"] if f["procedure"]["id"] == "scc-filing"
    )
    return found


def test_a_decision_becomes_its_filings_and_the_contract_deadline_counts_working_days(
    client: TestClient, db_url: str
) -> None:
    auth = _member(db_url)
    made = _file(client, auth, _decide(client, auth, REQUEST))
    assert sorted(f["procedure"]["id"] for f in made["filings"]) == [
        "beijing-list-use",
        "scc-filing",
    ]
    scc = _scc(made)
    assert scc["state"] == "preparing" and scc["transfers"] == ["t1"]
    assert "contract_effective" in {e["event"] for e in scc["allowed"]}
    assert {m["id"] for m in scc["materials"]} >= {"contract", "pipia"}
    assert all(m["cite"] and m["confidence"] in "HMLU" for m in scc["materials"])

    moved = client.post(
        f"/v1/filings/{scc['id']}/events",
        json={"event": "contract_effective", "date": "2026-02-12", "note": "signed"},
        headers=auth,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["state"] == "contract_effective"
    assert [(e["event"], e["note"]) for e in moved.json()["history"]] == [
        ("contract_effective", "signed")
    ]
    # 10 working days from 12 Feb 2026: the Saturday make-up days of 14 and 28 February count,
    # the Spring Festival holiday does not (SCC-7-1).
    shown = client.get(f"/v1/filings/{scc['id']}", params={"date": "2026-02-20"}, headers=auth)
    [deadline] = [d for d in shown.json()["deadlines"] if d["id"] == "file"]
    assert (deadline["date"], deadline["state"], deadline["days_left"]) == ("2026-03-04", "due", 12)
    assert deadline["rule"] == "SCC-7-1" and deadline["confidence"] == "H"
    assert deadline["provisional"] is False and deadline["assumption"] is None

    due = client.get("/v1/filings/due", params={"within": 30, "date": "2026-02-20"}, headers=auth)
    assert [(i["filing_id"], i["deadline"]["date"]) for i in due.json()] == [
        (scc["id"], "2026-03-04")
    ]
    ics = client.get("/v1/filings/calendar.ics", params={"date": "2026-02-20"}, headers=auth)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "DTSTART;VALUE=DATE:20260304" in ics.text


def test_an_event_the_procedure_does_not_allow_is_refused_with_what_is_allowed_now(
    client: TestClient, db_url: str
) -> None:
    auth = _member(db_url)
    scc = _scc(_file(client, auth, _decide(client, auth, REQUEST)))
    # Filing before the contract is in effect: SCC-7-1 counts from the contract.
    refused = client.post(
        f"/v1/filings/{scc['id']}/events",
        json={"event": "submit", "date": "2026-02-12"},
        headers=auth,
    )
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "invalid_transition"
    assert "preparing" in error["message"] and "contract_effective" in error["message"]
    client.post(
        f"/v1/filings/{scc['id']}/events",
        json={"event": "contract_effective", "date": "2026-02-12"},
        headers=auth,
    )
    # An event dated before the last one recorded: the reason, and what is allowed now.
    early = client.post(
        f"/v1/filings/{scc['id']}/events",
        json={"event": "submit", "date": "2026-02-11"},
        headers=auth,
    )
    assert early.status_code == 409
    assert "before the last recorded event" in early.json()["error"]["message"]
    assert "allowed now: pipia_completed, submit, withdraw" in early.json()["error"]["message"]
    history = client.get(f"/v1/filings/{scc['id']}", headers=auth).json()["history"]
    assert [e["event"] for e in history] == ["contract_effective"]


def test_a_decision_filed_again_finds_the_open_filings_and_a_change_raises_a_task(
    client: TestClient, db_url: str
) -> None:
    auth = _member(db_url)
    first = _file(client, auth, _decide(client, auth, REQUEST))
    again = _file(client, auth, _decide(client, auth, REQUEST))
    assert again["filings"] == [] and again["tasks"] == []
    assert {f["id"] for f in again["existing"]} == {f["id"] for f in first["filings"]}
    # A million persons: a security assessment now; the contract no longer suffices. The task
    # cites the decision's own rule for it (Beijing's list entry for trial data).
    crossed = {**REQUEST, "transfers": [{**REQUEST["transfers"][0], "personal": 1_000_000}]}
    after = _file(client, auth, _decide(client, auth, crossed))
    assert "sa-declaration" in {f["procedure"]["id"] for f in after["filings"]}
    [task] = [t for t in after["tasks"] if t["kind"] == "new_assessment"]
    assert task["rule"] == "BJ24-PHARMA-PI-SA-1" and task["filing_id"] == _scc(first)["id"]
    assert "安全评估" in task["text"]["zh"] and "security assessment" in task["text"]["en"]
    assert task["id"] in {t["id"] for t in client.get("/v1/tasks", headers=auth).json()}
    done = client.post(f"/v1/tasks/{task['id']}/done", headers=auth)
    assert done.status_code == 200 and done.json()["done_at"]
    assert task["id"] not in {t["id"] for t in client.get("/v1/tasks", headers=auth).json()}
    finished = client.get("/v1/tasks", params={"done": "true"}, headers=auth).json()
    assert task["id"] in {t["id"] for t in finished}


def test_a_withdrawn_filing_is_closed_and_listed_only_on_request(
    client: TestClient, db_url: str
) -> None:
    auth = _member(db_url)
    scc = _scc(_file(client, auth, _decide(client, auth, REQUEST)))
    closed = client.post(
        f"/v1/filings/{scc['id']}/events", json={"event": "withdraw"}, headers=auth
    )
    assert closed.json()["closed"] is True and closed.json()["allowed"] == []
    assert scc["id"] not in {f["id"] for f in client.get("/v1/filings", headers=auth).json()}
    listed = client.get("/v1/filings", params={"closed": "true"}, headers=auth).json()
    assert scc["id"] in {f["id"] for f in listed}
    after = client.post(f"/v1/filings/{scc['id']}/events", json={"event": "submit"}, headers=auth)
    assert after.status_code == 409 and "closed" in after.json()["error"]["message"]


def test_a_zone_procedure_the_reference_does_not_give_needs_review(
    client: TestClient, db_url: str
) -> None:
    auth = _member(db_url, "zj", "zhejiang")
    request = {
        "date": "2026-03-01",
        "processor": {"name": "ZJ", "zone": "zhejiang"},
        "transfers": [{"id": "t1", "scenario": "跨境电商平台", "personal": 5_000}],
    }
    [filing] = _file(client, auth, _decide(client, auth, request))["filings"]
    assert filing["procedure"]["status"] == "unknown" and filing["procedure"]["note"]
    assert filing["state"] is None and filing["deadlines"] == [] and filing["allowed"] == []
    refused = client.post(
        f"/v1/filings/{filing['id']}/events", json={"event": "submit"}, headers=auth
    )
    assert refused.status_code == 409 and "not encoded" in refused.json()["error"]["message"]


def _endpoints(filing_id: str, task_id: str, decision_id: str) -> list[tuple[str, str, Any]]:
    """Every filings endpoint that names an object, with a body that would otherwise work."""
    return [
        ("GET", f"/v1/filings/{filing_id}", None),
        ("POST", f"/v1/filings/{filing_id}/events", {"event": "contract_effective"}),
        ("POST", f"/v1/tasks/{task_id}/done", None),
        ("POST", "/v1/filings", {"decision_id": decision_id}),
    ]


def _pharma_objects(client: TestClient, auth: dict[str, str]) -> tuple[str, str, str]:
    """A filing, an open task and a decision of pharma."""
    first = _file(client, auth, _decide(client, auth, REQUEST))
    crossed = {**REQUEST, "transfers": [{**REQUEST["transfers"][0], "personal": 1_000_000}]}
    decision_id = _decide(client, auth, crossed)
    task = _file(client, auth, decision_id)["tasks"][0]
    return _scc(first)["id"], task["id"], decision_id


def test_another_organisation_gets_404_on_every_endpoint(client: TestClient, db_url: str) -> None:
    pharma = _member(db_url)
    bank = _member(db_url, "bank", "shanghai")
    filing_id, task_id, decision_id = _pharma_objects(client, pharma)
    for method, path, body in _endpoints(filing_id, task_id, decision_id):
        answer = client.request(method, path, json=body, headers=bank)
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["error"]["code"] == "not_found"
    for path in ("/v1/filings", "/v1/filings/due", "/v1/tasks"):
        assert client.get(path, headers=bank).json() == [], path
    assert "BEGIN:VEVENT" not in client.get("/v1/filings/calendar.ics", headers=bank).text
    # and nothing of pharma's changed
    assert client.get(f"/v1/filings/{filing_id}", headers=pharma).json()["history"] == []
    assert task_id in {t["id"] for t in client.get("/v1/tasks", headers=pharma).json()}


def test_a_viewer_reads_the_filings_but_cannot_change_them(client: TestClient, db_url: str) -> None:
    pharma = _member(db_url)
    viewer = _auth(api_token(db_url, "pharma", "v@pharma.example", "viewer"))
    filing_id, task_id, decision_id = _pharma_objects(client, pharma)
    before = client.get("/v1/filings", headers=pharma).json()
    for method, path, body in _endpoints(filing_id, task_id, decision_id):
        answer = client.request(method, path, json=body, headers=viewer)
        expected = 200 if method == "GET" else 403
        assert answer.status_code == expected, (path, answer.text)
    for path in ("/v1/filings", "/v1/filings/due", "/v1/tasks", "/v1/filings/calendar.ics"):
        assert client.get(path, headers=viewer).status_code == 200, path
    assert client.get("/v1/filings", headers=pharma).json() == before  # nothing changed
    assert task_id in {t["id"] for t in client.get("/v1/tasks", headers=pharma).json()}
    assert client.post("/v1/tasks/check", headers=viewer).status_code == 403


def test_the_ledger_reaching_an_assessment_threshold_raises_a_task(
    client: TestClient, db_url: str
) -> None:
    """10,000 persons' sensitive PI recorded this year (CBDF-7-4): the contract filed for a
    national transfer of 5,000 no longer suffices."""
    trading = _member(db_url, "trading", None)
    today = dt.date.today().isoformat()
    request = {
        "date": today,
        "processor": {"name": "trading Co., Ltd."},
        "transfers": [{"id": "crm", "sensitive": 5000}],
    }
    filing = _scc(_file(client, trading, _decide(client, trading, request)))
    assert client.post("/v1/tasks/check", headers=trading).json() == []  # no batch yet
    rows = "".join(f"P{n:05d}\n" for n in range(10_000))
    recorded = client.post(
        "/v1/ledger/batches",
        headers=trading,
        data={"date": today, "key": "subject_id", "sensitive": "true"},
        files={"file": ("crm.csv", f"subject_id\n{rows}".encode(), "text/csv")},
    )
    assert recorded.status_code == 201, recorded.text
    [task] = client.post("/v1/tasks/check", headers=trading).json()
    assert (task["kind"], task["rule"], task["filing_id"]) == (
        "new_assessment",
        "CBDF-7-4",
        filing["id"],
    )
    assert client.post("/v1/tasks/check", headers=trading).json() == []  # raised once


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/filings", {"decision_id": "x", "route": "treaty"}, "route"),
        ("/v1/filings", {"decision_id": "x", "extra": 1}, "extra"),
        ("/v1/filings/{id}/events", {"event": "submit", "date": "12/02/2026"}, "date"),
        ("/v1/filings/{id}/events", {"event": "submit", "date": "9999-12-31"}, "date"),
        ("/v1/filings/{id}/events", {"date": "2026-02-12"}, "event"),
    ],
)
def test_invalid_input_is_422_naming_the_field(
    client: TestClient, db_url: str, path: str, body: dict[str, Any], field: str
) -> None:
    auth = _member(db_url)
    scc = _scc(_file(client, auth, _decide(client, auth, REQUEST)))
    answer = client.post(path.format(id=scc["id"]), json=body, headers=auth)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_request" and error["field"] == field, error
