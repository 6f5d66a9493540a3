"""The users page (admins only) and the account page with its API tokens, in a test client."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.models import Role
from kuajing.accounts.store import Accounts, UserAccount
from kuajing.lang import Lang
from tests.web.support import PASSWORD, add_user, form_csrf, sign_in, web_client

NEW = {"email": "new@pharma.example", "name": "Li Lei", "role": "member", "lang": "en"}


def _user(db: str, email: str) -> UserAccount:
    """The user as the admin of their organisation (admin@ their domain) sees them."""
    with Accounts.open(db) as store:
        admin = store.authenticate(f"admin@{email.split('@')[1]}", PASSWORD)
        assert admin is not None
        [found] = [u for u in store.users(admin) if u.email == email]
        return found


def _signed_in_admin(client: TestClient, db: str, lang: Lang = "en") -> str:
    """The admin of pharma signed in; the CSRF token of their session."""
    add_user(db, "pharma", "admin@pharma.example", "admin", lang=lang)
    sign_in(client, "admin@pharma.example")
    return form_csrf(client.get("/users").text)


def _try_sign_in(client: TestClient, email: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/login")
    return client.post(
        "/login", data={"email": email, "password": password, "csrf": form_csrf(form.text)}
    )


def test_an_admin_adds_a_user_who_can_then_sign_in(client: TestClient, web_db: str) -> None:
    csrf = _signed_in_admin(client, web_db)
    shown = client.get("/users")
    assert shown.status_code == 200 and "admin@pharma.example" in shown.text
    added = client.post("/users", data={**NEW, "password": PASSWORD, "csrf": csrf})
    assert added.status_code == 200 and added.url.path == "/users", added.text
    assert 'data-testid="users-done"' in added.text
    assert 'data-email="new@pharma.example"' in added.text and "Li Lei" in added.text
    assert PASSWORD not in added.text
    client.post("/logout", data={"csrf": csrf})
    sign_in(client, "new@pharma.example")
    assert "Li Lei · Pharma Co., Ltd. · member" in client.get("/dashboard").text


def test_the_users_page_in_chinese(client: TestClient, web_db: str) -> None:
    _signed_in_admin(client, web_db, lang="zh")
    shown = client.get("/users")
    assert shown.status_code == 200
    assert "Pharma Co., Ltd.的用户" in shown.text and "添加用户" in shown.text
    assert "初始密码" in shown.text and "Add a user" not in shown.text


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_only_an_admin_manages_users(client: TestClient, web_db: str, role: Role) -> None:
    add_user(web_db, "pharma", "admin@pharma.example", "admin")
    add_user(web_db, "pharma", "other@pharma.example", role)
    admin_id = _user(web_db, "admin@pharma.example").id
    sign_in(client, "other@pharma.example")
    csrf = form_csrf(client.get("/account").text)
    refused = client.get("/users")
    assert refused.status_code == 403 and "admin@pharma.example" not in refused.text
    for path, data in (
        ("/users", {**NEW, "password": PASSWORD}),
        (f"/users/{admin_id}/role", {"role": "viewer"}),
        (f"/users/{admin_id}/disable", {}),
    ):
        answer = client.post(path, data={**data, "csrf": csrf})
        assert answer.status_code == 403, (path, answer.text)
    admin = _user(web_db, "admin@pharma.example")
    assert admin.role == "admin" and admin.disabled_at is None
    assert "new@pharma.example" not in {u.email for u in _users(web_db)}


def _users(db: str) -> list[UserAccount]:
    with Accounts.open(db) as store:
        admin = store.authenticate("admin@pharma.example", PASSWORD)
        assert admin is not None
        return store.users(admin)


def test_forms_without_the_csrf_token_are_refused(client: TestClient, web_db: str) -> None:
    _signed_in_admin(client, web_db)
    add_user(web_db, "pharma", "member@pharma.example", "member")
    member = _user(web_db, "member@pharma.example")
    for path, data in (
        ("/users", {**NEW, "password": PASSWORD}),
        (f"/users/{member.id}/role", {"role": "admin"}),
        (f"/users/{member.id}/disable", {}),
        ("/account/tokens", {"name": "ci"}),
    ):
        for csrf in ({}, {"csrf": "forged"}):
            answer = client.post(path, data={**data, **csrf})
            assert answer.status_code == 403, (path, csrf, answer.text)
    assert _user(web_db, "member@pharma.example") == member
    assert [u.email for u in _users(web_db)] == ["admin@pharma.example", "member@pharma.example"]
    assert 'data-testid="token-row"' not in client.get("/account").text


def test_another_organisations_user_is_not_found(client: TestClient, web_db: str) -> None:
    csrf = _signed_in_admin(client, web_db)
    add_user(web_db, "bank", "admin@bank.example", "admin")
    add_user(web_db, "bank", "member@bank.example", "member")
    theirs = _user(web_db, "member@bank.example")
    for path, data in (
        (f"/users/{theirs.id}/role", {"role": "admin"}),
        (f"/users/{theirs.id}/disable", {}),
    ):
        answer = client.post(path, data={**data, "csrf": csrf})
        assert answer.status_code == 404, (path, answer.text)
        assert "bank" not in answer.text.lower()
    assert _user(web_db, "member@bank.example") == theirs
    assert "bank.example" not in client.get("/users").text
    with Accounts.open(web_db) as store:
        bank = store.authenticate("member@bank.example", PASSWORD)
        assert bank is not None
        _, token = store.create_token(bank, "theirs")
    gone = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf": csrf})
    assert gone.status_code == 404


def test_refusals_show_on_the_form_with_its_values(client: TestClient, web_db: str) -> None:
    csrf = _signed_in_admin(client, web_db)
    taken = {**NEW, "email": "admin@pharma.example", "role": "viewer", "password": PASSWORD}
    answer = client.post("/users", data={**taken, "csrf": csrf})
    assert answer.status_code == 409
    assert "This e-mail address is taken already" in answer.text
    assert 'name="email" value="admin@pharma.example"' in answer.text
    assert 'name="name" value="Li Lei"' in answer.text
    assert re.search(r'<option value="viewer" selected>', answer.text)
    assert PASSWORD not in answer.text
    short = client.post("/users", data={**NEW, "password": "tooShort1", "csrf": csrf})
    assert short.status_code == 422
    assert "The password needs at least 12 characters." in short.text
    assert 'name="email" value="new@pharma.example"' in short.text
    assert "tooShort1" not in short.text
    assert [u.email for u in _users(web_db)] == ["admin@pharma.example"]


def test_the_last_admin_and_disabling_oneself(client: TestClient, web_db: str) -> None:
    csrf = _signed_in_admin(client, web_db)
    me = _user(web_db, "admin@pharma.example")
    stay = client.post(f"/users/{me.id}/role", data={"role": "member", "csrf": csrf})
    assert stay.status_code == 409 and "last admin: make another user admin" in stay.text
    itself = client.post(f"/users/{me.id}/disable", data={"csrf": csrf})
    assert itself.status_code == 409 and "cannot disable your own account" in itself.text
    assert _user(web_db, "admin@pharma.example") == me
    add_user(web_db, "pharma", "second@pharma.example", "member")
    second = _user(web_db, "second@pharma.example")
    promoted = client.post(f"/users/{second.id}/role", data={"role": "admin", "csrf": csrf})
    assert promoted.url.path == "/users" and 'data-testid="users-done"' in promoted.text
    stepped = client.post(f"/users/{me.id}/role", data={"role": "viewer", "csrf": csrf})
    assert stepped.url.path == "/account" and 'data-testid="account-done"' in stepped.text
    assert client.get("/users").status_code == 403


def test_a_disabled_user_is_signed_out_and_cannot_sign_in(
    client: TestClient, web_db: str, tmp_path: Path
) -> None:
    csrf = _signed_in_admin(client, web_db)
    add_user(web_db, "pharma", "member@pharma.example", "member")
    member = _user(web_db, "member@pharma.example")
    with web_client(web_db, tmp_path / "ledger.key") as theirs:
        sign_in(theirs, "member@pharma.example")
        disabled = client.post(f"/users/{member.id}/disable", data={"csrf": csrf})
        assert disabled.status_code == 200 and 'data-testid="users-done"' in disabled.text
        assert "disabled " in disabled.text
        assert theirs.get("/dashboard").url.path == "/login"  # their session has ended
        refused = _try_sign_in(theirs, "member@pharma.example")
        assert refused.status_code == 401 and 'data-testid="login-error"' in refused.text


def test_a_token_from_the_account_page_works_until_revoked(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "member@pharma.example", "member", lang="zh")
    sign_in(client, "member@pharma.example")
    account = client.get("/account")
    assert account.status_code == 200 and "member@pharma.example" in account.text
    assert "您还没有 API 令牌" in account.text
    made = client.post("/account/tokens", data={"name": "ci", "csrf": form_csrf(account.text)})
    assert made.status_code == 200 and "它只显示这一次" in made.text
    found = re.search(r'value="(kj_[^"]+)" readonly data-testid="token-secret"', made.text)
    assert found, made.text
    bearer = {"Authorization": f"Bearer {found.group(1)}"}
    me = client.get("/v1/me", headers=bearer)
    assert me.status_code == 200 and me.json()["user"]["email"] == "member@pharma.example"
    listed = client.get("/account").text
    assert found.group(1) not in listed and found.group(1)[:10] in listed  # the prefix only
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', listed)
    assert token_id
    revoked = client.post(
        f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf": form_csrf(listed)}
    )
    assert revoked.url.path == "/account" and "令牌已吊销" in revoked.text
    assert client.get("/v1/me", headers=bearer).status_code == 401


def test_pages_need_signing_in(client: TestClient) -> None:
    for path in ("/users", "/account"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize(
    ("lang", "password", "says"),
    [
        ("en", "aaaaaaaaaaaa", "This password is a repeated character or pattern"),
        ("en", "PASSWORD1234", "This password appears in lists of breached passwords"),
        ("zh", "New.2025!!!!", "该密码是邮箱地址、姓名或组织名称"),
    ],
)
def test_weak_passwords_are_refused_on_the_form(
    client: TestClient, web_db: str, lang: Lang, password: str, says: str
) -> None:
    csrf = _signed_in_admin(client, web_db, lang=lang)
    weak = client.post("/users", data={**NEW, "password": password, "csrf": csrf})
    assert weak.status_code == 422 and says in weak.text
    assert 'name="email" value="new@pharma.example"' in weak.text and password not in weak.text
    assert [u.email for u in _users(web_db)] == ["admin@pharma.example"]
    ok = {**NEW, "password": "月光照在西湖的断桥上很安静", "csrf": csrf}
    assert client.post("/users", data=ok).url.query == b"done=added"


def test_another_organisations_address_is_added_like_a_new_one(
    client: TestClient, web_db: str, tmp_path: Path
) -> None:
    csrf = _signed_in_admin(client, web_db)
    add_user(web_db, "bank", "admin@bank.example", "admin")
    add_user(web_db, "bank", "member@bank.example", "member")
    theirs = _user(web_db, "member@bank.example")
    mine = {**NEW, "password": "set by the pharma admin", "csrf": csrf}
    new = client.post("/users", data=mine, follow_redirects=False)
    taken = client.post(
        "/users", data={**mine, "email": "member@bank.example"}, follow_redirects=False
    )
    assert (new.status_code, new.headers["location"]) == (303, "/users?done=added")
    assert (taken.status_code, taken.headers["location"]) == (303, "/users?done=added")
    shown = client.get("/users").text
    assert 'data-email="new@pharma.example"' in shown
    assert 'data-email="member@bank.example"' in shown  # a user of pharma, like the other
    assert _user(web_db, "member@bank.example") == theirs
    # Each signs in with their own password: the pharma admin's opens pharma's user only.
    with web_client(web_db, tmp_path / "ledger.key") as ours:
        sign_in(ours, "member@bank.example", "set by the pharma admin")
        assert "Pharma Co., Ltd." in ours.get("/dashboard").text
    with web_client(web_db, tmp_path / "ledger.key") as bank:
        sign_in(bank, "member@bank.example")
        assert "Bank Co., Ltd." in bank.get("/dashboard").text
