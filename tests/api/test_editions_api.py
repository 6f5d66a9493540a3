"""List editions over the REST API, on SQLite and PostgreSQL: the Beijing centre's administrator
uploads an edition's table, reads its diff and impact and publishes it, after which the service
assesses with it; everyone else is kept out, endpoint by endpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from tests.api.test_filings_api import REQUEST
from tests.tenants import PASSWORD, add_user
from tests.zone.test_editions import FORM, new_table


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def token(
    db_url: str, org: str, email: str, role: str, zone: str, kind: str = "enterprise"
) -> dict[str, str]:
    add_user(db_url, org, email, role, zone=zone, kind=kind)  # type: ignore[arg-type]
    with Accounts.open(db_url) as store:
        who = store.authenticate(email, PASSWORD)
        assert who is not None
        return {"Authorization": f"Bearer {store.create_token(who, 'test')[0]}"}


@pytest.fixture
def auth(db_url: str) -> dict[str, dict[str, str]]:
    return {
        "admin": token(db_url, "bj-centre", "a@bj.example", "admin", "beijing", "zone"),
        "reviewer": token(db_url, "bj-centre", "r@bj.example", "reviewer", "beijing", "zone"),
        "viewer": token(db_url, "bj-centre", "v@bj.example", "viewer", "beijing", "zone"),
        "sh_admin": token(db_url, "sh-centre", "a@sh.example", "admin", "shanghai", "zone"),
        "company": token(db_url, "pharma", "a@pharma.example", "admin", "beijing"),
    }


def upload(client: TestClient, who: dict[str, str], table: Path, **fields: str) -> Any:
    with table.open("rb") as fh:
        return client.post(
            "/v1/editions",
            data={**FORM, **fields},
            files={"file": (table.name, fh, "text/csv")},
            headers=who,
        )


def test_import_review_publish_then_the_service_assesses_with_it(
    client: TestClient, auth: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    company, admin = auth["company"], auth["admin"]
    decided = client.post("/v1/assess", json=REQUEST, headers=company)
    assert decided.json()["transfers"][0]["pathway"] == "standard_contract_or_certification"

    made = upload(client, admin, new_table(tmp_path))
    assert made.status_code == 201, made.text
    edition = made.json()
    assert (edition["state"], edition["list_id"]) == ("draft", "beijing-2026")
    assert edition["title"]["en"] == "Beijing negative list, 2026"

    shown = client.get(f"/v1/editions/{edition['id']}", headers=auth["viewer"]).json()
    assert shown["diff"]["a"] == "beijing-2024" and len(shown["diff"]["changed"]) == 1
    listed = client.get("/v1/editions", headers=auth["reviewer"]).json()
    assert [e["id"] for e in listed] == [edition["id"]]

    impact = client.get(
        f"/v1/editions/{edition['id']}/impact",
        params={"effective_from": "2026-03-01"},
        headers=auth["reviewer"],
    )
    assert impact.status_code == 200, impact.text
    [hit] = impact.json()
    assert (hit["before"]["pathway"], hit["after"]["pathway"]) == (
        "standard_contract_or_certification",
        "exempt",
    )
    assert hit["decision_id"] == decided.headers["Kuajing-Decision-Id"]

    published = client.post(
        f"/v1/editions/{edition['id']}/publish",
        json={"effective_from": "2026-03-01"},
        headers=admin,
    )
    assert published.status_code == 200, published.text
    assert published.json()["edition"]["effective_from"] == "2026-03-01"
    assert len(published.json()["impact"]) == 1
    again = client.post(
        f"/v1/editions/{edition['id']}/publish",
        json={"effective_from": "2026-03-01"},
        headers=admin,
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"

    now = client.post("/v1/assess", json={**REQUEST, "date": "2026-03-05"}, headers=company)
    assert now.json()["transfers"][0]["pathway"] == "exempt"
    assert now.json()["transfers"][0]["origin"].startswith("zone edition")
    earlier = client.post("/v1/assess", json={**REQUEST, "date": "2026-02-27"}, headers=company)
    assert earlier.json()["transfers"][0]["pathway"] == "standard_contract_or_certification"


def test_a_table_that_does_not_fit_is_refused_naming_the_place(
    client: TestClient, auth: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    bad = upload(client, auth["admin"], new_table(tmp_path), supersedes="beijing-1999")
    assert bad.status_code == 422
    assert "unknown list 'beijing-1999'" in bad.json()["error"]["message"]
    assert bad.json()["error"]["field"] == "supersedes"
    unreadable = upload(client, auth["admin"], new_table(tmp_path, after="两万人左右"))
    assert unreadable.status_code == 422 and "threshold" in unreadable.json()["error"]["message"]
    assert client.get("/v1/editions", headers=auth["admin"]).json() == []


def test_companies_other_zones_and_non_administrators_are_kept_out(
    client: TestClient, auth: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    table = new_table(tmp_path)
    for someone in ("reviewer", "viewer"):
        assert upload(client, auth[someone], table).status_code == 403, someone
    # A company's administrator loads the company's own copy: private, and not the zone's.
    own = upload(client, auth["company"], table, list_id="pharma-own-copy").json()
    assert own["private"] is True
    draft = upload(client, auth["admin"], table).json()["id"]
    day = {"effective_from": "2026-03-01"}
    reads = [
        ("get", "/v1/editions", None),
        ("get", f"/v1/editions/{draft}", None),
        ("get", f"/v1/editions/{draft}/impact?effective_from=2026-03-01", None),
    ]
    writes = [
        ("post", f"/v1/editions/{draft}/publish", day),
        ("post", f"/v1/editions/{draft}/discard", None),
    ]

    def status(who: str, method: str, path: str, body: dict[str, str] | None) -> int:
        code: int = client.request(method, path, json=body, headers=auth[who]).status_code
        return code

    for method, path, body in reads[1:] + writes:  # the zone's draft is not the company's
        assert status("company", method, path, body) == 404, path
    assert [e["id"] for e in client.get("/v1/editions", headers=auth["company"]).json()] == [
        own["id"]
    ]
    assert own["id"] not in {
        e["id"] for e in client.get("/v1/editions", headers=auth["admin"]).json()
    }
    for method, path, body in writes:
        assert status("reviewer", method, path, body) == 403, path
        assert status("viewer", method, path, body) == 403, path
    for method, path, body in reads[1:] + writes:
        assert status("sh_admin", method, path, body) == 404, path
    assert client.get("/v1/editions", headers=auth["sh_admin"]).json() == []
    assert status("reviewer", "get", f"/v1/editions/{draft}", None) == 200
    assert client.get("/v1/editions/nope", headers=auth["admin"]).status_code == 404

    discarded = client.post(f"/v1/editions/{draft}/discard", headers=auth["admin"])
    assert discarded.status_code == 200 and discarded.json()["state"] == "discarded"
    assert status("admin", "post", f"/v1/editions/{draft}/publish", day) == 409
    unauthenticated = client.get("/v1/editions")
    assert unauthenticated.status_code == 401


def test_the_date_is_checked_before_anything_is_published(
    client: TestClient, auth: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    draft = upload(client, auth["admin"], new_table(tmp_path)).json()["id"]
    missing = client.get(f"/v1/editions/{draft}/impact", headers=auth["admin"])
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "query.effective_from"
    clash = client.post(
        f"/v1/editions/{draft}/publish",
        json={"effective_from": "2026-05-11"},
        headers=auth["admin"],
    )
    assert clash.status_code == 422 and "2026-05-11" in clash.json()["error"]["message"]
    shown = client.get(f"/v1/editions/{draft}", headers=auth["admin"]).json()
    assert shown["state"] == "draft" and shown["effective_from"] is None
    assert dt.date.fromisoformat(shown["created_at"][:10]) <= dt.date.today()
