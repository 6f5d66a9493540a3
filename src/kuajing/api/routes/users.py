"""`GET /v1/organisation` and `/v1/users`: the caller's organisation, and its users for an admin.

Listing users is for admins only, like the web page: e-mail addresses are personal information
and members and viewers need none of their colleagues' to do their work."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from kuajing.accounts.models import Lang, Organisation, Principal, Role
from kuajing.accounts.store import MIN_PASSWORD, UserAccount
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import ErrorBody, responses

router = APIRouter(prefix="/v1", tags=["accounts"], responses=responses(401, 422))

_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorBody,
        "description": "Refused: an e-mail taken in the organisation, the last admin, yourself, "
        "a role the organisation does not have",
    }
}
_ADMIN = responses(403, 404) | _CONFLICT
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # an INTEGER column on every database
Admin = Annotated[Principal, Depends(needs("admin"))]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str = Field(min_length=1, max_length=200)
    role: Role | None = Field(
        None, description="Default: `member` in a company, `reviewer` in a zone organisation"
    )
    lang: Lang = "zh"
    password: str = Field(min_length=MIN_PASSWORD, max_length=1024)


class RoleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


@router.get("/organisation", response_model=Organisation)
def organisation(who: Annotated[Principal, Depends(needs("viewer"))]) -> Organisation:
    """The caller's organisation."""
    return who.organisation


@router.get("/users", response_model=list[UserAccount], responses=responses(403))
def users(http: Request, who: Admin) -> list[UserAccount]:
    """The organisation's users, disabled ones too (admins only)."""
    return accounts(http).users(who)


@router.post(
    "/users",
    response_model=UserAccount,
    status_code=201,
    responses=responses(400, 403) | _CONFLICT,
)
def add(body: NewUser, http: Request, response: Response, who: Admin) -> UserAccount:
    """A new user of the organisation (admins only); their e-mail must be new to the
    organisation. Whether another organisation has the address changes nothing in the answer;
    each user of an address signs in with their own password. The password must pass
    the policy (length, not common or breached, not the address or a name): 422 if not."""
    added = accounts(http).add_user(
        who, body.email, body.password, name=body.name, role=body.role, lang=body.lang
    )
    response.headers["Location"] = f"/v1/users/{added.id}"
    return added


@router.get("/users/{user_id}", response_model=UserAccount, responses=responses(403, 404))
def one(user_id: UserId, http: Request, who: Admin) -> UserAccount:
    """One user of the organisation; another organisation's is not found."""
    return accounts(http).user(who, user_id)


@router.patch("/users/{user_id}", response_model=UserAccount, responses=responses(400) | _ADMIN)
def change_role(user_id: UserId, body: RoleChange, http: Request, who: Admin) -> UserAccount:
    """Another role for a user; the organisation's last active admin keeps theirs."""
    return accounts(http).set_role(who, user_id, body.role)


@router.delete("/users/{user_id}", status_code=204, responses=_ADMIN)
def disable(user_id: UserId, http: Request, who: Admin) -> Response:
    """Disable a user (not yourself): they cannot sign in and their tokens stop working. They
    stay in the list, and in the decision log, as disabled."""
    accounts(http).remove_user(who, user_id)
    return Response(status_code=204)
