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
    """A dependency: the caller, who must have at least `role`. Async, with the token's lookup
    the one trip to a worker thread (each trip costs a hand-off between threads)."""

    async def check(request: Request, credentials: Credentials) -> Principal:
        if credentials is None:
            raise HTTPException(
                401,
                "sign in: send an API token as 'Authorization: Bearer …'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        lookup = accounts(request).principal_for_token
        who = await run_in_threadpool(lookup, credentials.credentials)
        if who is None:
            raise HTTPException(
                401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"}
            )
        if not who.may(role):
            raise HTTPException(403, f"needs the {role} role; you are {who.role}")
        return who

    return check
