"""Who is calling: an API token in `Authorization: Bearer …`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kuajing.accounts.models import Principal, Role
from kuajing.accounts.store import Accounts

_bearer = HTTPBearer(auto_error=False, description="An API token: kuajing token create")


def accounts(request: Request) -> Accounts:
    found: Accounts = request.app.state.accounts
    return found


def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(
            401,
            "sign in: send an API token as 'Authorization: Bearer …'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    found = accounts(request).principal_for_token(credentials.credentials)
    if found is None:
        raise HTTPException(
            401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"}
        )
    return found


def needs(role: Role) -> Callable[[Principal], Principal]:
    """A dependency: the caller, who must have at least `role`."""

    def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if not who.may(role):
            raise HTTPException(403, f"needs the {role} role; you are {who.role}")
        return who

    return check
