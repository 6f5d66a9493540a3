"""Who is calling: an API token in `Authorization: Bearer …`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from kuajing.accounts.models import Principal, Role
from kuajing.accounts.store import Accounts

_bearer = HTTPBearer(auto_error=False, description="An API token: kuajing token create")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def accounts(request: Request) -> Accounts:
    found: Accounts = request.app.state.accounts
    return found


def needs(role: Role) -> Callable[[Request, Credentials], Awaitable[Principal]]:
    """A dependency: the caller, who must have at least `role`. Async: the token's lookup is
    made on the event loop when the database is a local file, else in a worker thread."""

    async def check(request: Request, credentials: Credentials) -> Principal:
        if credentials is None:
            raise HTTPException(
                401,
                "sign in: send an API token as 'Authorization: Bearer …'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        store = accounts(request)
        if store.engine.dialect.name == "sqlite":
            # An indexed read of a local file in WAL mode, which no writer blocks: far cheaper
            # than the hand-off to a worker thread and back, which was two thirds of the CPU of
            # an authenticated request (bench/api.py, /v1/me: 1.5-1.8 ms, now 0.6-0.75 ms). A
            # server's round trip would stall the loop, so PostgreSQL's stays in a thread.
            who = store.principal_for_token(credentials.credentials)
        else:
            who = await run_in_threadpool(store.principal_for_token, credentials.credentials)
        if who is None:
            raise HTTPException(
                401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"}
            )
        if not who.may(role):
            raise HTTPException(403, f"needs the {role} role; you are {who.role}")
        return who

    return check
