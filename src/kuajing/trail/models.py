"""Typed values of the audit trail: who acted, an entry, and the check of an organisation's
chain."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kuajing.accounts.models import Principal

ActorKind = Literal["user", "token", "operator"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Actor(_Model):
    """Who acted, as they were at the time: a signed-in user, a user's API token, or the
    operator at the command line (who holds the database and signs in as nobody)."""

    kind: ActorKind
    user_id: int | None = None
    email: str | None = None
    name: str | None = None
    role: str | None = None
    token_id: int | None = None
    token: str | None = None  # the token's name

    @classmethod
    def of(cls, who: Principal | None) -> Actor:
        if who is None:
            return OPERATOR
        user = who.user
        fields = {"user_id": user.id, "email": user.email, "name": user.name, "role": user.role}
        if who.token is not None:
            return cls(kind="token", token_id=who.token.id, token=who.token.name, **fields)
        return cls(kind="user", **fields)


OPERATOR = Actor(kind="operator")


class Entry(_Model):
    id: int
    at: str  # UTC, ISO 8601
    actor: Actor
    action: str = Field(description="A stable code: user.created, token.revoked, …")
    subject: str = Field(description="The id of what was acted on")
    detail: dict[str, Any]


ProblemKind = Literal["altered", "broken", "unreadable"]


class Problem(_Model):
    entry: int  # the id of the first entry that does not check out
    kind: ProblemKind  # altered: its MAC differs; broken: an entry before it is missing/moved
    message: str


class ChainCheck(_Model):
    """An organisation's chain checked from its first entry: intact, or the first problem."""

    ok: bool
    entries: int
    head: str = Field(description="The last entry's MAC: note it to detect a cut-off tail")
    problem: Problem | None = None
    problems: int = 0


class TrailPage(_Model):
    entries: list[Entry]  # newest first
    before: int | None = Field(
        None, description="Pass as `before` for the next, older page; null on the last"
    )
    chain: ChainCheck
