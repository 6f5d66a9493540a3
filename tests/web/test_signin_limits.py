"""The limits on signing in: parallel guesses cannot outrun them, an attacker elsewhere cannot
lock a user out for long, and X-Forwarded-For is believed only from a configured proxy."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kuajing.accounts import sessions
from kuajing.accounts.schema import login_failures
from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from kuajing.db.engine import reading
from kuajing.web.session import LOGIN_COOKIE
from tests.web.support import add_user, served

EMAIL = "ops@pharma.example"


def _form(base: str) -> dict[str, str]:
    """A sign-in form's token and the cookie it pairs with (Secure, so sent here by hand)."""
    page = httpx.get(f"{base}/login")
    token = page.cookies[LOGIN_COOKIE]
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found and found.group(1) == token
    return {"csrf": token, "cookie": f"{LOGIN_COOKIE}={token}"}


def _try(base: str, form: dict[str, str], password: str, forwarded: str | None = None) -> int:
    headers = {"Cookie": form["cookie"]}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    data = {"email": EMAIL, "password": password, "csrf": form["csrf"]}
    return httpx.post(f"{base}/login", data=data, headers=headers, timeout=60).status_code


@contextmanager
def _counting(app: FastAPI) -> Iterator[list[int]]:
    """The number of passwords the service checks (each is a slow Argon2 hash)."""
    store: Accounts = app.state.accounts
    real, checked, lock = store.authenticate, [0], threading.Lock()

    def authenticate(email: str, password: str):  # type: ignore[no-untyped-def]
        with lock:
            checked[0] += 1
        return real(email, password)

    store.authenticate = authenticate  # type: ignore[method-assign]
    try:
        yield checked
    finally:
        store.authenticate = real  # type: ignore[method-assign]


def test_forty_parallel_wrong_passwords_check_only_the_free_tries(
    db_url: str, tmp_path: Path
) -> None:
    add_user(db_url, "pharma", EMAIL)
    app = create_app(db_url, key_file=tmp_path / "ledger.key")
    with served(app) as base, _counting(app) as checked:
        form = _form(base)
        with ThreadPoolExecutor(40) as pool:
            answers = list(pool.map(lambda _: _try(base, form, "wrong guess 1234"), range(40)))
    assert checked[0] <= sessions.FREE_PER_PAIR, f"{checked[0]} passwords checked"
    assert answers.count(401) == checked[0]
    assert answers.count(429) == 40 - checked[0]


def test_forwarded_for_is_not_believed_unless_the_proxy_is_configured(
    db_url: str, tmp_path: Path
) -> None:
    """A client on the loopback naming a new address on each try is still one address."""
    add_user(db_url, "pharma", EMAIL)
    app = create_app(db_url, key_file=tmp_path / "ledger.key")
    with served(app) as base:
        form = _form(base)
        tries = [_try(base, form, "wrong", f"203.0.113.{i}") for i in range(6)]
        assert _addresses(app) == {"127.0.0.1"}
    assert tries == [401] * 5 + [429]


def test_a_configured_proxy_is_believed(db_url: str, tmp_path: Path) -> None:
    add_user(db_url, "pharma", EMAIL)
    app = create_app(db_url, key_file=tmp_path / "ledger.key")
    with served(app, forwarded_allow_ips="127.0.0.1") as base:
        form = _form(base)
        assert _try(base, form, "wrong", "203.0.113.7") == 401
        assert _addresses(app) == {"203.0.113.7"}


def _addresses(app: FastAPI) -> set[str]:
    with reading(app.state.accounts.engine) as conn:
        return set(conn.execute(select(login_failures.c.address)).scalars())


class _Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    found = _Clock()
    monkeypatch.setattr(sessions, "_now", found)
    return found


def _fail(store: Accounts, address: str) -> sessions.Attempt:
    """One wrong password from `address`: the slot taken stays as a failure."""
    return sessions.attempt(store, EMAIL, address)


def test_the_back_off_doubles_and_ends(db_url: str, clock: _Clock) -> None:
    add_user(db_url, "pharma", EMAIL)
    with Accounts.open(db_url) as store:
        for _ in range(sessions.FREE_PER_PAIR):
            assert _fail(store, "198.51.100.1").allowed
        assert _fail(store, "198.51.100.1") == sessions.Attempt(False, 15)
        clock.now += dt.timedelta(seconds=15)
        assert _fail(store, "198.51.100.1").allowed
        assert _fail(store, "198.51.100.1") == sessions.Attempt(False, 30)
        clock.now += dt.timedelta(seconds=30)
        assert _fail(store, "198.51.100.1").allowed
        assert _fail(store, "198.51.100.1") == sessions.Attempt(False, 60)
        # The failures age out of the window: the account is as new.
        clock.now += sessions.WINDOW + dt.timedelta(seconds=1)
        assert _fail(store, "198.51.100.1").allowed


def test_an_attacker_elsewhere_cannot_lock_the_user_out_for_long(
    db_url: str, clock: _Clock
) -> None:
    add_user(db_url, "pharma", EMAIL)
    with Accounts.open(db_url) as store:
        # From one address: the attacker waits; the user at their own address does not.
        while _fail(store, "198.51.100.1").allowed:
            pass
        assert sessions.attempt(store, EMAIL, "192.0.2.10").allowed
        sessions.succeeded(store, EMAIL)
        # From many addresses: the user waits at most the account's cap.
        for i in range(sessions.FREE_PER_ACCOUNT + 5):
            _fail(store, f"198.51.100.{i}")
            clock.now += dt.timedelta(seconds=1)
        late = sessions.attempt(store, EMAIL, "192.0.2.10")
        assert not late.allowed
        assert late.retry_after <= sessions.CAP_PER_ACCOUNT.total_seconds()
        clock.now += sessions.CAP_PER_ACCOUNT
        assert sessions.attempt(store, EMAIL, "192.0.2.10").allowed


def test_one_address_guessing_many_accounts_is_stopped(db_url: str, clock: _Clock) -> None:
    with Accounts.open(db_url) as store:
        taken = [
            sessions.attempt(store, f"u{i}@pharma.example", "198.51.100.9").allowed
            for i in range(sessions.MAX_PER_ADDRESS + 1)
        ]
        assert taken == [True] * sessions.MAX_PER_ADDRESS + [False]
        assert sessions.attempt(store, "other@pharma.example", "192.0.2.10").allowed
