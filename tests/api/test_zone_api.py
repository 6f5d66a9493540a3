"""The zone console over the REST API, on SQLite and PostgreSQL: a Beijing company submits its
list-use application, the Beijing centre asks for more information, the company answers and the
centre approves; an inspection finds an undeclared sensitive column in the sample the company
uploads, and a rectification is ordered, reported and accepted. Then who may see and do what,
through every endpoint with an id: another zone's centre and another company get 404, a company
403 on the centre's own endpoints, viewers 403 on every write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from kuajing.accounts.models import OrgKind, Role
from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from kuajing.api.routes import zone
from tests.tenants import PASSWORD, add_user
from tests.zone.cases import TRIAL, undeclared_sample

AS_OF = dt.date(2026, 6, 1)
REQUEST = TRIAL
Auth = dict[str, str]


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def token(
    db_url: str, org: str, email: str, role: Role, zone: str, kind: OrgKind = "enterprise"
) -> Auth:
    add_user(db_url, org, email, role, zone=zone, kind=kind)
    with Accounts.open(db_url) as store:
        who = store.authenticate(email, PASSWORD)
        assert who is not None
        return {"Authorization": f"Bearer {store.create_token(who, 'test')[0]}"}


@pytest.fixture
def people(db_url: str, client: TestClient) -> dict[str, Auth]:
    return {
        "company": token(db_url, "pharma", "m@pharma.example", "member", "beijing"),
        "company_viewer": token(db_url, "pharma", "v@pharma.example", "viewer", "beijing"),
        "other": token(db_url, "biotech", "m@biotech.example", "member", "beijing"),
        "reviewer": token(db_url, "bj-centre", "r@bj.example", "reviewer", "beijing", "zone"),
        "zone_viewer": token(db_url, "bj-centre", "v@bj.example", "viewer", "beijing", "zone"),
        "shanghai": token(db_url, "sh-centre", "r@sh.example", "reviewer", "shanghai", "zone"),
    }


def list_use_filing(client: TestClient, auth: Auth) -> str:
    decided = client.post("/v1/assess", json=REQUEST, headers=auth)
    assert decided.status_code == 200, decided.text
    made = client.post(
        "/v1/filings", json={"decision_id": decided.headers["Kuajing-Decision-Id"]}, headers=auth
    )
    assert made.status_code == 201, made.text
    return str(
        next(f["id"] for f in made.json()["filings"] if f["procedure"]["id"] == "beijing-list-use")
    )


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """ID numbers and phone numbers, as filed, and a medical-record column that was not."""
    return undeclared_sample(tmp_path_factory.mktemp("sample") / "sample.csv").read_bytes()


def ok(answer: Any, status: int = 200) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_submit_request_information_answer_approve(
    client: TestClient, people: dict[str, Auth]
) -> None:
    company, centre = people["company"], people["reviewer"]
    filing_id = list_use_filing(client, company)
    made = ok(
        client.post(
            "/v1/submissions",
            json={"filing_id": filing_id, "date": "2026-09-28", "note": "please"},
            headers=company,
        ),
        201,
    )
    assert (made["kind"], made["state"], made["zone"]) == ("application", "submitted", "beijing")

    [queued] = client.get("/v1/submissions", params={"date": "2026-09-28"}, headers=centre).json()
    assert queued["id"] == made["id"] and queued["clock"]["rule"] == "BJ24-PROC-1"
    assert queued["clock"]["working_days"] == 5 and queued["clock"]["due"] > "2026-10-02"
    shown = ok(client.get(f"/v1/submissions/{made['id']}", headers=centre))
    assert shown["materials"] and all(m["cite"] for m in shown["materials"])
    [transfer] = shown["transfers"]
    assert transfer["scenario"] == "beijing-2024/pharmaceuticals/clinical_trial"
    assert "BJ24-PHARMA-PI-SCC-1" in transfer["rules"] and transfer["citations"]
    # The figure the reviewer checks first: the persons the request declared.
    assert transfer["persons"] == {"personal": 12000, "sensitive": 0, "distinct": 12000}
    assert transfer["already_counted"] is None and shown["earlier"] is None
    assert shown["decision_id"] and shown["filing_state"] == "applied"

    def act(auth: Auth, action: str, day: str, reason: str = "", **more: Any) -> Any:
        body = {"action": action, "date": day, "reason": reason, **more}
        return client.post(f"/v1/submissions/{made['id']}/actions", json=body, headers=auth)

    assert ok(act(centre, "request_info", "2026-09-29", "penalties?"))["state"] == "info_requested"
    answered = ok(act(company, "answer", "2026-10-12", "none in two years"))
    assert answered["state"] == "submitted" and answered["clock"]["restarted"]
    zh = client.get(f"/v1/submissions/{made['id']}", params={"lang": "zh"}, headers=company)
    assert "重新计算" in zh.json()["clock"]["note"] and zh.json()["kind_name"] == "清单使用申请"
    done = ok(act(centre, "approve", "2026-10-13", "complete"))
    assert done["state"] == "approved" and done["closed"]
    assert [e["action"] for e in done["history"]] == ["submit", "request_info", "answer", "approve"]

    refused = act(centre, "approve", "2026-10-14")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_transition"
    assert client.get("/v1/submissions", headers=centre).json() == []  # closed: not open
    assert len(client.get("/v1/submissions?show=all", headers=centre).json()) == 1

    unread = client.get("/v1/notifications?unread=true", headers=company).json()
    assert any("requested more information" in n["message"] for n in unread)
    assert ok(client.post("/v1/notifications/read", json={}, headers=company))["marked"] == len(
        unread
    )
    assert client.get("/v1/notifications?unread=true", headers=company).json() == []


def test_an_uploaded_sample_with_an_undeclared_sensitive_column_leads_to_rectification(
    client: TestClient, people: dict[str, Auth], sample_csv: bytes
) -> None:
    company, centre = people["company"], people["reviewer"]
    filing_id = list_use_filing(client, company)
    opened = ok(
        client.post(
            "/v1/inspections",
            json={"filing_id": filing_id, "date": "2026-06-01", "reason": "sampling"},
            headers=centre,
        ),
        201,
    )
    assert opened["state"] == "sample_requested" and opened["declared"]["fields"] == [
        "身份证号",
        "手机号",
    ]
    assert {a["event"] for a in opened["allowed"]} == {"use_records", "terminate"}
    iid = opened["id"]
    mine = ok(client.get(f"/v1/inspections/{iid}", headers=company))
    assert [a["event"] for a in mine["allowed"]] == ["provide_sample"]

    compared = ok(
        client.post(
            f"/v1/inspections/{iid}/sample",
            files={"file": ("sample.csv", sample_csv, "text/csv")},
            data={"date": "2026-06-03"},
            headers=company,
        )
    )
    assert compared["state"] == "compared"
    kinds = [(f["kind"], f["subject"]) for f in compared["report"]["findings"]]
    assert ("undeclared_sensitive_field", "病历诊断") in kinds
    basis = compared["history"][-1]["detail"]["basis"]  # the upload's name, never a server path
    assert any("sample.csv" in b for b in basis) and not any("/" in b for b in basis)

    def act(auth: Auth, event: str, day: str, reason: str = "", **more: Any) -> Any:
        body = {"event": event, "date": day, "reason": reason, **more}
        return client.post(f"/v1/inspections/{iid}/actions", json=body, headers=auth)

    ordered = ok(act(centre, "order_rectification", "2026-06-04", "declare it", working_days=10))
    # 10 working days from Thu 4 June 2026: the Dragon Boat Festival (19 June) is after.
    assert ordered["state"] == "rectifying" and ordered["rectify_by"] == "2026-06-18"
    assert ok(act(company, "report_rectified", "2026-06-15", "column removed"))["state"] == (
        "rectification_reported"
    )
    closed = ok(act(centre, "accept_rectification", "2026-06-16"))
    assert closed["state"] == "rectified" and closed["closed"] and closed["allowed"] == []
    assert closed["state_name"] == "Rectified; inspection closed"
    assert [i["id"] for i in client.get("/v1/inspections?show=all", headers=company).json()] == [
        iid
    ]
    told = [n["message"] for n in client.get("/v1/notifications", headers=company).json()]
    assert any("rectify by 2026-06-18" in t for t in told)


def test_the_records_of_an_empty_ledger_find_nothing_to_compare(
    client: TestClient, people: dict[str, Auth]
) -> None:
    filing_id = list_use_filing(client, people["company"])
    opened = ok(
        client.post("/v1/inspections", json={"filing_id": filing_id}, headers=people["reviewer"]),
        201,
    )
    compared = ok(
        client.post(f"/v1/inspections/{opened['id']}/records", json={}, headers=people["reviewer"])
    )
    assert compared["state"] == "compared" and compared["report"]["consistent"] is False
    assert compared["report"]["missing"]


# --- who may see and do what ----------------------------------------------------------------

# Every operation with an object's id, and a body the caller's own side could send.
BY_ID: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/v1/submissions/{sid}", None),
    ("POST", "/v1/submissions/{sid}/actions", {"action": "request_info", "reason": "x"}),
    ("GET", "/v1/inspections/{iid}", None),
    ("POST", "/v1/inspections/{iid}/sample", None),  # multipart
    ("POST", "/v1/inspections/{iid}/records", {}),
    ("POST", "/v1/inspections/{iid}/actions", {"event": "terminate", "reason": "x"}),
]
# Operations that name no object: lists, creation from a filing, notices, statistics.
OTHERS = [
    ("GET", "/v1/submissions"),
    ("POST", "/v1/submissions"),
    ("GET", "/v1/inspections"),
    ("POST", "/v1/inspections"),
    ("GET", "/v1/notifications"),
    ("POST", "/v1/notifications/read"),
    ("GET", "/v1/zone/statistics"),
]


def test_every_zone_endpoint_has_a_permission_test() -> None:
    routes = {
        (method, route.path)
        for route in zone.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    tested = {
        (m, p.replace("{sid}", "{submission_id}").replace("{iid}", "{inspection_id}"))
        for m, p, _ in BY_ID
    } | set(OTHERS)
    assert routes == tested


@pytest.fixture
def objects(client: TestClient, people: dict[str, Auth], sample_csv: bytes) -> dict[str, str]:
    """A submission and an inspection of the Beijing company's filing."""
    filing_id = list_use_filing(client, people["company"])
    sid = ok(
        client.post("/v1/submissions", json={"filing_id": filing_id}, headers=people["company"]),
        201,
    )["id"]
    iid = ok(
        client.post("/v1/inspections", json={"filing_id": filing_id}, headers=people["reviewer"]),
        201,
    )["id"]
    return {"sid": sid, "iid": iid, "filing_id": filing_id}


def call(
    client: TestClient,
    auth: Auth,
    method: str,
    template: str,
    body: dict[str, Any] | None,
    ids: dict[str, str],
    csv: bytes = b"a,b\n1,2\n",
) -> Any:
    path = template.format(**ids)
    if method == "GET":
        return client.get(path, headers=auth)
    if path.endswith("/sample"):
        return client.post(path, files={"file": ("s.csv", csv, "text/csv")}, headers=auth)
    return client.post(path, json=body, headers=auth)


@pytest.mark.parametrize(
    ("method", "template", "body"), BY_ID, ids=[f"{m} {p}" for m, p, _ in BY_ID]
)
@pytest.mark.parametrize("outsider", ["shanghai", "other"])
def test_another_zone_and_another_company_get_404_by_id(
    client: TestClient,
    people: dict[str, Auth],
    objects: dict[str, str],
    outsider: str,
    method: str,
    template: str,
    body: dict[str, Any] | None,
) -> None:
    answer = call(client, people[outsider], method, template, body, objects)
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["code"] == "not_found"


def test_another_zone_and_another_company_see_empty_lists_and_cannot_start_on_the_filing(
    client: TestClient, people: dict[str, Auth], objects: dict[str, str]
) -> None:
    for outsider in ("shanghai", "other"):
        auth = people[outsider]
        assert client.get("/v1/submissions?show=all", headers=auth).json() == []
        assert client.get("/v1/inspections?show=all", headers=auth).json() == []
        assert client.get("/v1/notifications", headers=auth).json() == []
    # The Beijing centre was told of the submission; Shanghai's was not.
    assert client.get("/v1/notifications", headers=people["reviewer"]).json()
    filing = {"filing_id": objects["filing_id"]}
    # Not a filing of a company in Shanghai: as if it did not exist.
    assert (
        client.post("/v1/inspections", json=filing, headers=people["shanghai"]).status_code == 404
    )
    assert client.post("/v1/submissions", json=filing, headers=people["other"]).status_code == 404
    # A zone submits nothing, a company opens no inspection, whatever the filing: their role.
    assert (
        client.post("/v1/submissions", json=filing, headers=people["shanghai"]).status_code == 403
    )
    assert client.post("/v1/inspections", json=filing, headers=people["other"]).status_code == 403


# What the company gets on the centre's steps. The centre's own endpoints (opening an
# inspection, comparing with the records, statistics) are 403: the company's role cannot use
# them at all. On an endpoint both sides share, the centre's step is 409 (`invalid_transition`),
# as the services decide: the company may act on the object, only not this step, and the answer
# says whose step it is.
COMPANY_ON_ZONE_STEPS = [
    ("POST", "/v1/inspections", {"filing_id": "{filing_id}"}, 403),
    ("POST", "/v1/inspections/{iid}/records", {}, 403),
    ("GET", "/v1/zone/statistics", None, 403),
    ("POST", "/v1/submissions/{sid}/actions", {"action": "approve"}, 409),
    ("POST", "/v1/inspections/{iid}/actions", {"event": "terminate", "reason": "x"}, 409),
]


@pytest.mark.parametrize(
    ("method", "template", "body", "status"),
    COMPANY_ON_ZONE_STEPS,
    ids=[f"{m} {p}" for m, p, _, _ in COMPANY_ON_ZONE_STEPS],
)
def test_a_company_cannot_take_the_centres_steps(
    client: TestClient,
    people: dict[str, Auth],
    objects: dict[str, str],
    method: str,
    template: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    filled = {k: v.format(**objects) for k, v in body.items()} if body else body
    answer = call(client, people["company"], method, template, filled, objects)
    assert answer.status_code == status, answer.text
    code = {403: "forbidden", 409: "invalid_transition"}[status]
    assert answer.json()["error"]["code"] == code


# Every write, for each side's viewer: 403 whatever its body (the role is checked first).
WRITES = [
    ("POST", "/v1/submissions", {"filing_id": "{filing_id}"}),
    ("POST", "/v1/submissions/{sid}/actions", {"action": "request_info", "reason": "x"}),
    ("POST", "/v1/submissions/{sid}/actions", {"action": "answer", "reason": "x"}),
    ("POST", "/v1/inspections", {"filing_id": "{filing_id}"}),
    ("POST", "/v1/inspections/{iid}/sample", None),
    ("POST", "/v1/inspections/{iid}/records", {}),
    ("POST", "/v1/inspections/{iid}/actions", {"event": "terminate", "reason": "x"}),
    ("POST", "/v1/inspections/{iid}/actions", {"event": "report_rectified"}),
]


@pytest.mark.parametrize(
    ("method", "template", "body"), WRITES, ids=[f"{m} {p} {b}" for m, p, b in WRITES]
)
@pytest.mark.parametrize("viewer", ["zone_viewer", "company_viewer"])
def test_viewers_cannot_write(
    client: TestClient,
    people: dict[str, Auth],
    objects: dict[str, str],
    viewer: str,
    method: str,
    template: str,
    body: dict[str, Any] | None,
) -> None:
    filled = {k: v.format(**objects) for k, v in body.items()} if body else body
    answer = call(client, people[viewer], method, template, filled, objects)
    assert answer.status_code == 403, answer.text


def test_viewers_read(client: TestClient, people: dict[str, Auth], objects: dict[str, str]) -> None:
    for viewer in ("zone_viewer", "company_viewer"):
        auth = people[viewer]
        assert ok(client.get(f"/v1/submissions/{objects['sid']}", headers=auth))["id"]
        assert ok(client.get(f"/v1/inspections/{objects['iid']}", headers=auth))["allowed"] == []
    stats = ok(client.get("/v1/zone/statistics", headers=people["zone_viewer"]))
    assert stats["submissions"] == 1 and stats["inspections"]["opened"] == 1


def test_junk_is_refused_with_4xx(
    client: TestClient, people: dict[str, Auth], objects: dict[str, str]
) -> None:
    centre = people["reviewer"]
    sid, iid = objects["sid"], objects["iid"]
    cases = [
        ("/v1/submissions", {"filing_id": objects["filing_id"], "date": "3000-01-01"}),
        ("/v1/submissions", {"filing_id": objects["filing_id"], "extra": 1}),
        (f"/v1/submissions/{sid}/actions", {"action": "dance"}),
        (f"/v1/submissions/{sid}/actions", {"action": "reject", "reason": "x" * 2001}),
        (f"/v1/inspections/{iid}/actions", {"event": "terminate", "working_days": 0}),
        ("/v1/notifications/read", {"id": 2**40}),
    ]
    for path, body in cases:
        assert client.post(path, json=body, headers=centre).status_code == 422, (path, body)
    unknown = client.post(
        f"/v1/inspections/{iid}/actions", json={"event": "fly", "reason": "x"}, headers=centre
    )
    assert unknown.status_code == 409
    # A file the scanner does not read: refused, naming the file, before any comparison.
    wrong = client.post(
        f"/v1/inspections/{iid}/sample",
        files={"file": ("s.exe", b"MZ", "application/octet-stream")},
        headers=people["company"],
    )
    assert wrong.status_code == 422 and "s.exe" in wrong.json()["error"]["message"]
    assert client.get(f"/v1/inspections/{iid}", headers=centre).json()["state"] == (
        "sample_requested"
    )
