"""Sign-in sessions of the web application, and the rate limit on signing in.

The browser holds a random 256-bit secret in a cookie; the database keeps only its SHA-256
hash, the user, an expiry and the session's CSRF token. Failed sign-ins are kept for the
rate limit's window, with the e-mail address and the client address, so that the limit holds
across server processes and restarts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import login_failures, users, web_sessions
from kuajing.accounts.store import Accounts
from kuajing.db.engine import reading, writing

SESSION_HOURS = 12  # absolute lifetime: a working day, then sign in again
# Failed sign-ins count for WINDOW. The limits slow guessing without letting an attacker lock a
# user out for long: the strict back-off is per account *and* client address, so tries from the
# attacker's address do not delay the user at theirs; across all addresses an account gets more
# free tries and a back-off of at most a minute; and one address gets MAX_PER_ADDRESS failures
# over any accounts before it waits for the window.
WINDOW = dt.timedelta(minutes=15)
BASE = dt.timedelta(seconds=15)  # the first wait after the free tries; it doubles after each
FREE_PER_PAIR = 5  # failures for one account from one address before waits begin
CAP_PER_PAIR = WINDOW
FREE_PER_ACCOUNT = 20  # failures for one account from any addresses before waits begin
CAP_PER_ACCOUNT = dt.timedelta(minutes=1)  # the longest an attack elsewhere can delay a user
MAX_PER_ADDRESS = 30  # failures from one client address, over any accounts


@dataclass(frozen=True)
class Session:
    principal: Principal
    csrf: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(at: dt.datetime) -> str:
    return at.isoformat(timespec="seconds")


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def start(accounts: Accounts, principal: Principal) -> tuple[str, Session]:
    """A new session for a user who has just signed in: the cookie's secret and the session."""
    secret, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), _now()
    row = {
        "hash": _digest(secret),
        "user_id": principal.user.id,
        "csrf": csrf,
        "created_at": _stamp(now),
        "expires_at": _stamp(now + dt.timedelta(hours=SESSION_HOURS)),
    }
    with writing(accounts.engine) as conn:
        # Expired sessions go when anyone signs in, so the table stays small.
        conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= _stamp(now)))
        conn.execute(insert(web_sessions).values(row))
    return secret, Session(principal, csrf)


def find(accounts: Accounts, secret: str) -> Session | None:
    """The live session whose cookie is `secret`, else None."""
    with reading(accounts.engine) as conn:
        found = conn.execute(
            select(users, web_sessions.c.csrf)
            .join(web_sessions, web_sessions.c.user_id == users.c.id)
            .where(
                web_sessions.c.hash == _digest(secret),
                web_sessions.c.expires_at > _stamp(_now()),
                users.c.disabled_at.is_(None),  # a disabled user's sessions end at once
            )
        ).first()
    if found is None:
        return None
    return Session(accounts.principal(found), found.csrf)


def end(accounts: Accounts, secret: str) -> None:
    with writing(accounts.engine) as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.hash == _digest(secret)))


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt: `allowed`, with its slot taken, or refused for `retry_after` seconds."""

    allowed: bool
    retry_after: int = 0


def attempt(accounts: Accounts, email: str, address: str) -> Attempt:
    """Take a slot for checking one password, or refuse. The slot is taken in the same
    serialised write transaction that counts the earlier ones, before the slow password hash,
    so parallel tries cannot all pass the check first: each counts as a failure until
    `succeeded` clears the account's slots."""
    now, email = _now(), _email(email)
    with writing(accounts.engine) as conn:
        conn.execute(delete(login_failures).where(login_failures.c.at <= _stamp(now - WINDOW)))
        since = _stamp(now - WINDOW)
        tries = conn.execute(
            select(login_failures.c.address, login_failures.c.at).where(
                login_failures.c.email == email, login_failures.c.at > since
            )
        ).all()
        from_address = conn.execute(
            select(func.count(login_failures.c.id), func.min(login_failures.c.at)).where(
                login_failures.c.address == address, login_failures.c.at > since
            )
        ).one()
        wait = max(
            _backoff(
                [t.at for t in tries if t.address == address], FREE_PER_PAIR, CAP_PER_PAIR, now
            ),
            _backoff([t.at for t in tries], FREE_PER_ACCOUNT, CAP_PER_ACCOUNT, now),
            _address_wait(from_address[0], from_address[1], now),
        )
        if wait > 0:
            return Attempt(False, wait)
        conn.execute(insert(login_failures).values(email=email, address=address, at=_stamp(now)))
    return Attempt(True)


def _backoff(times: list[str], free: int, cap: dt.timedelta, now: dt.datetime) -> int:
    """Seconds until the next try after `len(times)` failures: none for the first `free`,
    then BASE, doubling with each further failure, never more than `cap`."""
    over = len(times) - free
    if over < 0:
        return 0
    delay = min(BASE * 2 ** min(over, 20), cap)
    ready = dt.datetime.fromisoformat(max(times)) + delay
    return _seconds(ready - now)


def _address_wait(count: int, oldest: str | None, now: dt.datetime) -> int:
    """An address over its limit waits until its oldest failure in the window ages out."""
    if count < MAX_PER_ADDRESS or oldest is None:
        return 0
    return _seconds(dt.datetime.fromisoformat(oldest) + WINDOW - now)


def _seconds(delta: dt.timedelta) -> int:
    return max(0, math.ceil(delta.total_seconds()))


def succeeded(accounts: Accounts, email: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    with writing(accounts.engine) as conn:
        conn.execute(delete(login_failures).where(login_failures.c.email == _email(email)))


def _email(email: str) -> str:
    return email.strip().lower()[:320]
