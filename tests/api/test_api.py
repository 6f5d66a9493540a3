"""The REST API on SQLite and PostgreSQL: tokens, assess with its decision log, errors as JSON
with stable codes, and tenants that cannot see each other's objects."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update

from kuajing.accounts.models import Role
from kuajing.api.app import create_app
from kuajing.catalog import default_catalog
from kuajing.errors import TooLarge
from kuajing.ledger import schema as ledger_schema
from kuajing.services import uploads
from kuajing.services.in_force import in_force
from tests.tenants import api_token

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "trial-batch.csv"
REQUEST = {
    "date": "2026-03-01",
    "processor": {"name": "Example Pharma (Beijing) Co., Ltd.", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _token(db_url: str, org: str, email: str, role: Role) -> str:
    return api_token(db_url, org, email, role)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_assess_logs_the_decision(client: TestClient, db_url: str) -> None:
    token = _token(db_url, "pharma", "a@pharma.example", "member")
    answer = client.post("/v1/assess", json=REQUEST, headers=_auth(token), params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["pathway"] == "standard_contract_or_certification"
    decision_id = answer.headers["Kuajing-Decision-Id"]
    assert answer.headers["Location"] == f"/v1/decisions/{decision_id}"
    logged = client.get(f"/v1/decisions/{decision_id}", headers=_auth(token)).json()
    assert logged["decision"] == answer.json()
    assert logged["request"]["transfers"][0]["personal"] == 12000
    assert logged["catalog_version"] and logged["catalog_digest"]
    assert [d["id"] for d in client.get("/v1/decisions", headers=_auth(token)).json()] == [
        decision_id
    ]


def test_another_organisation_gets_404(client: TestClient, db_url: str) -> None:
    pharma = _token(db_url, "pharma", "a@pharma.example", "member")
    bank = _token(db_url, "bank", "a@bank.example", "admin")
    decision_id = client.post("/v1/assess", json=REQUEST, headers=_auth(pharma)).headers[
        "Kuajing-Decision-Id"
    ]
    seen = client.get(f"/v1/decisions/{decision_id}", headers=_auth(bank))
    assert seen.status_code == 404 and seen.json()["error"]["code"] == "not_found"
    assert client.get("/v1/decisions", headers=_auth(bank)).json() == []
    [pharma_token] = client.get("/v1/tokens", headers=_auth(pharma)).json()
    gone = client.delete(f"/v1/tokens/{pharma_token['id']}", headers=_auth(bank))
    assert gone.status_code == 404
    assert client.get("/v1/me", headers=_auth(pharma)).status_code == 200


def test_tokens_are_required_and_revocable(client: TestClient, db_url: str) -> None:
    token = _token(db_url, "pharma", "a@pharma.example", "member")
    assert client.post("/v1/assess", json=REQUEST).json()["error"]["code"] == "unauthorized"
    made = client.post("/v1/tokens", json={"name": "ci"}, headers=_auth(token))
    assert made.status_code == 201
    second = made.json()["secret"]
    assert client.get("/v1/me", headers=_auth(second)).json()["user"]["email"] == (
        "a@pharma.example"
    )
    token_id = made.json()["token"]["id"]
    assert client.delete(f"/v1/tokens/{token_id}", headers=_auth(token)).status_code == 204
    refused = client.get("/v1/me", headers=_auth(second))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"


def test_a_viewer_cannot_assess(client: TestClient, db_url: str) -> None:
    token = _token(db_url, "pharma", "v@pharma.example", "viewer")
    refused = client.post("/v1/assess", json=REQUEST, headers=_auth(token))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"transfers": []}, "transfers"),
        ({"date": "not a date"}, "date"),
        ({"processor": {"name": "X", "zone": "atlantis"}}, "processor.zone"),
        ({"transfers": [{"id": "t1", "scan": "/etc/passwd"}]}, "transfers.0.scan"),
    ],
)
def test_invalid_input_is_422_naming_the_field(
    client: TestClient, db_url: str, change: dict[str, object], field: str
) -> None:
    token = _token(db_url, "pharma", "a@pharma.example", "member")
    answer = client.post("/v1/assess", json={**REQUEST, **change}, headers=_auth(token))
    assert answer.status_code == 422, answer.text
    body = answer.json()["error"]
    assert body["code"] == "invalid_request" and body["field"] == field, body


def test_the_catalogue(client: TestClient, db_url: str) -> None:
    token = _token(db_url, "pharma", "v@pharma.example", "viewer")
    lists = client.get("/v1/catalog/lists", headers=_auth(token), params={"lang": "en"}).json()
    assert "beijing-2024" in {row["id"] for row in lists}
    hits = client.get("/v1/catalog/search", headers=_auth(token), params={"q": "临床试验"}).json()
    assert any(hit["kind"] == "scenario" for hit in hits)
    item = client.get("/v1/catalog/items/beijing-2024", headers=_auth(token)).json()
    assert item["kind"] == "list" and item["sources"]
    missing = client.get("/v1/catalog/items/atlantis-2099/x", headers=_auth(token))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    empty = client.get("/v1/catalog/search", headers=_auth(token), params={"q": ""})
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "query.q"
    coverage = client.get("/v1/catalog/coverage", headers=_auth(token)).json()
    assert {row["id"] for row in coverage} == {row["id"] for row in lists}


def test_the_lists_in_force(client: TestClient, db_url: str) -> None:
    token = _token(db_url, "pharma", "v@pharma.example", "viewer")
    assert client.get("/v1/catalog/in-force").status_code == 401
    answer = client.get("/v1/catalog/in-force", headers=_auth(token), params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    body, today = answer.json(), dt.date.today()
    expected = in_force(default_catalog(), today, "en")
    assert body["date"] == today.isoformat()
    assert (body["published"], body["decide"], body["in_part"]) == (
        expected.published,
        expected.decide,
        expected.in_part,
    )
    assert body["published"] > body["decide"] > 0
    assert [x["id"] for x in body["lists"]] == [x.id for x in expected.lists]
    assert body["lists"][0]["title"] == expected.lists[0].title
    chinese = client.get("/v1/catalog/in-force", headers=_auth(token), params={"lang": "zh"})
    zh = in_force(default_catalog(), today, "zh")
    assert chinese.json()["lists"][0]["title"] == zh.lists[0].title != expected.lists[0].title


def test_scan_an_upload(client: TestClient, db_url: str, tmp_path: Path) -> None:
    token = _token(db_url, "pharma", "a@pharma.example", "member")
    with SAMPLE.open("rb") as handle:
        answer = client.post(
            "/v1/scan",
            headers=_auth(token),
            files={"file": ("trial-batch.csv", handle, "text/csv")},
            params={"date": "2026-02-10"},
        )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["sources"] == ["trial-batch.csv"]
    assert {c["name"]: c["kind"] for c in report["columns"]}["身份证号"] == "resident_id"
    assert report["persons"]["distinct"] > 0
    assert not list(Path(tempfile.gettempdir()).glob("kuajing-upload-*"))  # deleted


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("data.exe", b"MZ", 422, "invalid_request"),
        ("empty.csv", b"", 422, "invalid_request"),
        ("../../etc/passwd.csv", b"a,b\n1,2\n", 200, None),  # only the name is kept
    ],
)
def test_bad_uploads(
    client: TestClient, db_url: str, name: str, content: bytes, status: int, code: str | None
) -> None:
    token = _token(db_url, "pharma", "a@pharma.example", "member")
    answer = client.post("/v1/scan", headers=_auth(token), files={"file": (name, content)})
    assert answer.status_code == status, answer.text
    if code:
        assert answer.json()["error"]["code"] == code
    else:
        assert answer.json()["sources"] == ["passwd.csv"]


def test_uploads_over_the_limit_are_refused(db_url: str, tmp_path: Path) -> None:
    with pytest.raises(TooLarge):
        uploads.scan_upload(io.BytesIO(b"a,b\n" * 10), "d.csv", default_catalog(), max_bytes=10)
    token = _token(db_url, "pharma", "a@pharma.example", "member")
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key", max_upload=10)) as small:
        answer = small.post(
            "/v1/scan", headers=_auth(token), files={"file": ("d.csv", b"a,b\n" * 10)}
        )
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"


def test_the_ledger_is_the_organisations_own(client: TestClient, db_url: str) -> None:
    pharma = _token(db_url, "pharma", "a@pharma.example", "admin")
    bank = _token(db_url, "bank", "a@bank.example", "admin")
    viewer = _token(db_url, "pharma", "v@pharma.example", "viewer")
    form = {"date": "2026-02-10", "scenario": "临床试验"}
    with SAMPLE.open("rb") as handle:
        upload = {"file": ("trial-batch.csv", handle, "text/csv")}
        made = client.post("/v1/ledger/batches", headers=_auth(pharma), data=form, files=upload)
    assert made.status_code == 201, made.text
    batch = made.json()["batch"]
    assert batch["source"] == "trial-batch.csv" and batch["processor"] == "pharma Co., Ltd."
    assert batch["persons"] > 0 and made.json()["new"] is True
    status = client.get("/v1/ledger/status", headers=_auth(pharma), params={"year": 2026})
    assert status.status_code == 200 and status.json()["processor"] == "pharma Co., Ltd."
    assert client.get("/v1/ledger/status", headers=_auth(bank)).status_code == 404
    assert client.get("/v1/ledger/batches", headers=_auth(bank)).json() == []
    digest = batch["digest"][:12]
    gone = client.delete(
        f"/v1/ledger/batches/{digest}", headers=_auth(bank), params={"reason": "x"}
    )
    assert gone.status_code == 404 and "pharma" not in gone.text
    with SAMPLE.open("rb") as handle:
        upload = {"file": ("trial-batch.csv", handle, "text/csv")}
        refused = client.post("/v1/ledger/batches", headers=_auth(viewer), data=form, files=upload)
    assert refused.status_code == 403
    removed = client.delete(
        f"/v1/ledger/batches/{digest}", headers=_auth(pharma), params={"reason": "test"}
    )
    assert removed.status_code == 200, removed.text
    assert client.get("/v1/ledger/batches", headers=_auth(pharma)).json() == []


def test_verify_reports_only_the_organisations_problems(client: TestClient, db_url: str) -> None:
    pharma = _token(db_url, "pharma", "a@pharma.example", "admin")
    bank = _token(db_url, "bank", "a@bank.example", "admin")
    member = _token(db_url, "pharma", "m@pharma.example", "member")
    with SAMPLE.open("rb") as handle:
        upload = {"file": ("trial-batch.csv", handle, "text/csv")}
        made = client.post(
            "/v1/ledger/batches", headers=_auth(pharma), data={"date": "2026-02-10"}, files=upload
        )
    batch_id = made.json()["batch"]["digest"][:12]
    clean = client.get("/v1/ledger/verify", headers=_auth(pharma)).json()
    assert clean["ok"] and clean["batches"] == 1 and clean["problems"] == []
    assert client.get("/v1/ledger/verify", headers=_auth(member)).status_code == 403
    # Someone edits the pharma's batch in the database behind the ledger's back.
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(update(ledger_schema.batches).values(rows=1))
    engine.dispose()
    tampered = client.get("/v1/ledger/verify", headers=_auth(pharma)).json()
    assert not tampered["ok"] and any(batch_id in p for p in tampered["problems"])
    seen_by_bank = client.get("/v1/ledger/verify", headers=_auth(bank)).json()
    assert not seen_by_bank["ok"] and seen_by_bank["batches"] == 0
    assert seen_by_bank["problems"] == [] and seen_by_bank["other_problems"] >= 1
    assert batch_id not in json.dumps(seen_by_bank)


def test_tenant_data_is_never_stored_by_a_cache(client: TestClient, db_url: str) -> None:
    """Issue 20: every /v1/ response, data or error, says Cache-Control: no-store."""
    pharma = _token(db_url, "pharma", "a@pharma.example", "member")
    decided = client.post("/v1/assess", json=REQUEST, headers=_auth(pharma))
    one = client.get(decided.headers["Location"], headers=_auth(pharma))
    for response in (decided, one, client.get("/v1/me"), client.get("/v1/decisions/nope")):
        assert response.headers["cache-control"] == "no-store", response.request.url
