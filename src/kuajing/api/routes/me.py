"""`GET /v1/me` and the caller's API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from kuajing.accounts.models import Principal, Token
from kuajing.api.auth import accounts, needs
from kuajing.api.errors import responses

router = APIRouter(prefix="/v1", tags=["accounts"], responses=responses(401, 422))


@router.get("/me", response_model=Principal)
async def me(who: Annotated[Principal, Depends(needs("viewer"))]) -> Principal:
    """Who the token belongs to, and their organisation."""
    return who


class NewToken(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class CreatedToken(BaseModel):
    secret: str  # shown this once; only its hash is kept
    token: Token


@router.post("/tokens", response_model=CreatedToken, status_code=201, responses=responses(400))
def create_token(
    body: NewToken, http: Request, who: Annotated[Principal, Depends(needs("viewer"))]
) -> CreatedToken:
    secret, token = accounts(http).create_token(who, body.name)
    return CreatedToken(secret=secret, token=token)


@router.get("/tokens", response_model=list[Token])
def tokens(http: Request, who: Annotated[Principal, Depends(needs("viewer"))]) -> list[Token]:
    """The organisation's tokens for an admin; your own otherwise."""
    return accounts(http).tokens(who)


@router.delete("/tokens/{token_id}", status_code=204, responses=responses(404))
def revoke(
    token_id: int, http: Request, who: Annotated[Principal, Depends(needs("viewer"))]
) -> Response:
    accounts(http).revoke_token(who, token_id)
    return Response(status_code=204)
