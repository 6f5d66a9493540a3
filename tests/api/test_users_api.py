"""`/v1/organisation` and `/v1/users` on SQLite and PostgreSQL: an admin manages the
organisation's users, nobody else does, and no one reaches another organisation's users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.models import OrgKind, Role
from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from tests.tenants import PASSWORD, api_token

NEW = {
    "email": "new@pharma.example",
    "name": "Li Lei",
    "role": "member",
    "lang": "en",
    "password": PASSWORD,
}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _token(db_url: str, org: str, email: str, role: Role) -> str:
    return api_token(db_url, org, email, role)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _me(client: TestClient, token: str) -> dict[str, Any]:
    answer = client.get("/v1/me", headers=_auth(token))
    assert answer.status_code == 200, answer.text
    user: dict[str, Any] = answer.json()["user"]
    return user


def test_every_role_sees_its_organisation(client: TestClient, db_url: str) -> None:
    viewer = _token(db_url, "pharma", "v@pharma.example", "viewer")
    _token(db_url, "bank", "a@bank.example", "admin")
    seen = client.get("/v1/organisation", headers=_auth(viewer))
    assert seen.status_code == 200, seen.text
    assert (seen.json()["slug"], seen.json()["name"]) == ("pharma", "pharma Co., Ltd.")
    assert client.get("/v1/organisation").status_code == 401


@pytest.mark.parametrize(
    ("org", "kind", "zone", "default"),
    [("pharma", "enterprise", None, "member"), ("bj-centre", "zone", "beijing", "reviewer")],
)
def test_a_new_users_role_defaults_to_the_organisations_working_role(
    client: TestClient, db_url: str, org: str, kind: OrgKind, zone: str | None, default: Role
) -> None:
    admin = api_token(db_url, org, f"a@{org}.example", "admin", zone=zone, kind=kind)
    body = {k: v for k, v in NEW.items() if k != "role"} | {"email": f"n@{org}.example"}
    made = client.post("/v1/users", json=body, headers=_auth(admin))
    assert made.status_code == 201, made.text
    assert made.json()["role"] == default
    other = "reviewer" if default == "member" else "member"  # the other kind's working role
    refused = client.post(
        "/v1/users", json=body | {"email": f"o@{org}.example", "role": other}, headers=_auth(admin)
    )
    assert refused.status_code == 409, refused.text
    assert "one of admin" in refused.json()["error"]["message"]


def test_an_admin_adds_and_lists_users(client: TestClient, db_url: str) -> None:
    admin = _token(db_url, "pharma", "a@pharma.example", "admin")
    made = client.post("/v1/users", json=NEW, headers=_auth(admin))
    assert made.status_code == 201, made.text
    user = made.json()
    assert made.headers["Location"] == f"/v1/users/{user['id']}"
    assert {k: user[k] for k in ("email", "name", "role", "lang", "disabled_at")} == {
        "email": "new@pharma.example",
        "name": "Li Lei",
        "role": "member",
        "lang": "en",
        "disabled_at": None,
    }
    assert "password" not in made.text and "argon2" not in made.text
    listed = client.get("/v1/users", headers=_auth(admin)).json()
    assert [u["email"] for u in listed] == ["a@pharma.example", "new@pharma.example"]
    assert client.get(f"/v1/users/{user['id']}", headers=_auth(admin)).json() == user
    with Accounts.open(db_url) as store:
        who = store.authenticate("new@pharma.example", PASSWORD)
    assert who is not None and who.organisation.slug == "pharma"
    again = client.post(
        "/v1/users", json={**NEW, "email": "NEW@pharma.example"}, headers=_auth(admin)
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert "exists already" in again.json()["error"]["message"]


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_only_an_admin_manages_users(client: TestClient, db_url: str, role: Role) -> None:
    admin = _token(db_url, "pharma", "a@pharma.example", "admin")
    other = _token(db_url, "pharma", "o@pharma.example", role)
    admin_id = _me(client, admin)["id"]
    for method, path, body in (
        ("GET", "/v1/users", None),
        ("POST", "/v1/users", NEW),
        ("GET", f"/v1/users/{admin_id}", None),
        ("PATCH", f"/v1/users/{admin_id}", {"role": "viewer"}),
        ("DELETE", f"/v1/users/{admin_id}", None),
    ):
        answer = client.request(method, path, json=body, headers=_auth(other))
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["error"]["code"] == "forbidden"
    assert _me(client, admin)["role"] == "admin"
    assert client.get("/v1/users", headers=_auth(admin)).json()[-1]["role"] == role


def test_another_organisations_user_is_not_found(client: TestClient, db_url: str) -> None:
    pharma = _token(db_url, "pharma", "m@pharma.example", "member")
    bank = _token(db_url, "bank", "a@bank.example", "admin")
    target = _me(client, pharma)["id"]
    for method, body in (("GET", None), ("PATCH", {"role": "admin"}), ("DELETE", None)):
        answer = client.request(method, f"/v1/users/{target}", json=body, headers=_auth(bank))
        assert answer.status_code == 404, (method, answer.text)
        assert answer.json()["error"]["code"] == "not_found" and "pharma" not in answer.text
    assert _me(client, pharma)["role"] == "member"  # neither promoted nor disabled
    assert [u["email"] for u in client.get("/v1/users", headers=_auth(bank)).json()] == [
        "a@bank.example"
    ]


def test_roles_change_but_the_last_admin_stays(client: TestClient, db_url: str) -> None:
    admin = _token(db_url, "pharma", "a@pharma.example", "admin")
    member = _token(db_url, "pharma", "m@pharma.example", "member")
    admin_id, member_id = _me(client, admin)["id"], _me(client, member)["id"]
    refused = client.patch(f"/v1/users/{admin_id}", json={"role": "member"}, headers=_auth(admin))
    assert refused.status_code == 409 and "last admin" in refused.json()["error"]["message"]
    assert _me(client, admin)["role"] == "admin"
    promoted = client.patch(f"/v1/users/{member_id}", json={"role": "admin"}, headers=_auth(admin))
    assert promoted.status_code == 200 and promoted.json()["role"] == "admin"
    stepped = client.patch(f"/v1/users/{admin_id}", json={"role": "viewer"}, headers=_auth(admin))
    assert stepped.status_code == 200 and stepped.json()["role"] == "viewer"
    assert client.get("/v1/users", headers=_auth(admin)).status_code == 403  # now a viewer
    assert client.get("/v1/users", headers=_auth(member)).status_code == 200


def test_a_disabled_users_token_stops_working(client: TestClient, db_url: str) -> None:
    admin = _token(db_url, "pharma", "a@pharma.example", "admin")
    member = _token(db_url, "pharma", "m@pharma.example", "member")
    admin_id, member_id = _me(client, admin)["id"], _me(client, member)["id"]
    assert client.delete(f"/v1/users/{member_id}", headers=_auth(admin)).status_code == 204
    refused = client.get("/v1/me", headers=_auth(member))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    shown = client.get(f"/v1/users/{member_id}", headers=_auth(admin)).json()
    assert shown["disabled_at"] is not None  # kept, as disabled
    assert client.delete(f"/v1/users/{member_id}", headers=_auth(admin)).status_code == 204
    itself = client.delete(f"/v1/users/{admin_id}", headers=_auth(admin))
    assert itself.status_code == 409 and "yourself" in itself.json()["error"]["message"]
    assert _me(client, admin)["id"] == admin_id
    with Accounts.open(db_url) as store:
        assert store.authenticate("m@pharma.example", PASSWORD) is None


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/v1/users", {**NEW, "password": "short"}, "password"),
        ("POST", "/v1/users", {**NEW, "password": "aaaaaaaaaaaa"}, "password"),
        ("POST", "/v1/users", {**NEW, "password": "password1234"}, "password"),
        ("POST", "/v1/users", {**NEW, "password": "QWERTY123456"}, "password"),  # listed
        ("POST", "/v1/users", {**NEW, "password": "New.2025!!!!"}, "password"),  # local part
        ("POST", "/v1/users", {**NEW, "email": "not-an-address"}, "email"),
        ("POST", "/v1/users", {**NEW, "role": "owner"}, "role"),
        ("POST", "/v1/users", {**NEW, "lang": "fr"}, "lang"),
        ("POST", "/v1/users", {**NEW, "name": ""}, "name"),
        ("POST", "/v1/users", {**NEW, "is_admin": True}, "is_admin"),
        ("PATCH", "/v1/users/1", {"role": "root"}, "role"),
        ("PATCH", "/v1/users/1", {"role": "admin", "email": "x@y.example"}, "email"),
        ("DELETE", "/v1/users/0", None, "path.user_id"),
        ("GET", "/v1/users/99999999999", None, "path.user_id"),
    ],
)
def test_invalid_input_is_422_naming_the_field(
    client: TestClient, db_url: str, method: str, path: str, body: Any, field: str
) -> None:
    admin = _token(db_url, "pharma", "a@pharma.example", "admin")
    answer = client.request(method, path, json=body, headers=_auth(admin))
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_request" and error["field"] == field, error
    assert [u["email"] for u in client.get("/v1/users", headers=_auth(admin)).json()] == [
        "a@pharma.example"
    ]


def test_weak_passwords_are_refused_saying_why(client: TestClient, db_url: str) -> None:
    admin = _token(db_url, "pharma", "a@pharma.example", "admin")
    weak = client.post("/v1/users", json={**NEW, "password": "Password1234"}, headers=_auth(admin))
    assert weak.status_code == 422, weak.text
    assert weak.json()["error"] == {
        "code": "invalid_request",
        "message": "this password appears in lists of breached passwords; choose another"
        " / 该密码出现在已泄露密码列表中，请另选一个",
        "field": "password",
    }
    for i, password in enumerate(
        ["tangerine-Otter-57-velvet-quarry", "月光照在西湖的断桥上很安静"]
    ):
        body = {**NEW, "email": f"p{i}@pharma.example", "password": password}
        assert client.post("/v1/users", json=body, headers=_auth(admin)).status_code == 201


def test_another_organisations_address_gets_the_answer_a_new_one_gets(
    client: TestClient, db_url: str
) -> None:
    """No answer tells the admin whether another organisation uses an address: they get a user
    of their own organisation either way, who signs in with the password the admin set."""
    admin = _token(db_url, "pharma", "a@pharma.example", "admin")
    bank = _token(db_url, "bank", "m@bank.example", "member")
    theirs_before = _me(client, bank)
    mine = {**NEW, "password": "set by the pharma admin"}
    answers = [
        client.post("/v1/users", json={**mine, "email": email}, headers=_auth(admin))
        for email in ("new@pharma.example", "m@bank.example")
    ]
    new, taken = (a.json() for a in answers)
    assert [a.status_code for a in answers] == [201, 201]
    assert new.keys() == taken.keys() and taken["id"] == new["id"] + 1
    assert {k: v for k, v in new.items() if k not in ("id", "email", "created_at")} == {
        k: v for k, v in taken.items() if k not in ("id", "email", "created_at")
    }
    assert answers[1].headers["Location"] == f"/v1/users/{taken['id']}"
    assert client.get(f"/v1/users/{taken['id']}", headers=_auth(admin)).json() == taken
    listed = client.get("/v1/users", headers=_auth(admin)).json()
    assert [u["email"] for u in listed] == [
        "a@pharma.example",
        "new@pharma.example",
        "m@bank.example",
    ]
    assert _me(client, bank) == theirs_before  # the bank's user is untouched
    with Accounts.open(db_url) as store:
        signed = store.authenticate("m@bank.example", PASSWORD)
        assert signed is not None and signed.organisation.slug == "bank"
        added = store.authenticate("m@bank.example", mine["password"])
        assert added is not None and added.user.id == taken["id"]
    again = client.post("/v1/users", json={**mine, "email": "M@bank.example"}, headers=_auth(admin))
    assert again.status_code == 409  # in the admin's own organisation now: that they know
