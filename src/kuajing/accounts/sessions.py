"""Sign-in sessions of the web application, and the rate limit on signing in.

The browser holds a random 256-bit secret in a cookie; the database keeps only its SHA-256
hash, the user, an expiry and the session's CSRF token. Failed sign-ins are kept for the
rate limit's window, per e-mail address and per client address, so that the limit holds
across server processes and restarts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import login_failures, users, web_sessions
from kuajing.accounts.store import Accounts
from kuajing.ledger.db import reading, writing

SESSION_HOURS = 12  # absolute lifetime: a working day, then sign in again
WINDOW = dt.timedelta(minutes=15)
MAX_PER_EMAIL = 5  # failures in the window before an account's sign-in pauses
MAX_PER_ADDRESS = 20  # failures from one client address, over any accounts


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


def blocked(accounts: Accounts, email: str, address: str) -> bool:
    """Too many failed sign-ins for this e-mail or from this address in the window."""
    since = _stamp(_now() - WINDOW)
    count = func.count(login_failures.c.id)
    with reading(accounts.engine) as conn:
        by_email = conn.execute(
            select(count).where(
                login_failures.c.email == _email(email), login_failures.c.at > since
            )
        ).scalar_one()
        by_address = conn.execute(
            select(count).where(login_failures.c.address == address, login_failures.c.at > since)
        ).scalar_one()
    return by_email >= MAX_PER_EMAIL or by_address >= MAX_PER_ADDRESS


def failed(accounts: Accounts, email: str, address: str) -> None:
    now = _now()
    with writing(accounts.engine) as conn:
        conn.execute(delete(login_failures).where(login_failures.c.at <= _stamp(now - WINDOW)))
        conn.execute(
            insert(login_failures).values(email=_email(email), address=address, at=_stamp(now))
        )


def succeeded(accounts: Accounts, email: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    with writing(accounts.engine) as conn:
        conn.execute(delete(login_failures).where(login_failures.c.email == _email(email)))


def _email(email: str) -> str:
    return email.strip().lower()[:320]
