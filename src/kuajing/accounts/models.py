"""Typed values of the accounts: what the store returns and the API shows."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Role = Literal["admin", "member", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "member", "viewer")
Lang = Literal["zh", "en"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Organisation(_Model):
    id: int
    slug: str
    name: str
    processor: str  # its name in the export ledger
    zone: str | None
    ciio: bool
    sector: str | None
    created_at: str


class User(_Model):
    id: int
    organisation_id: int
    email: str
    name: str
    role: Role
    lang: Lang
    created_at: str


class Principal(_Model):
    """Who is calling: a user of an organisation, signed in or by API token."""

    user: User
    organisation: Organisation

    @property
    def role(self) -> Role:
        return self.user.role

    def may(self, role: Role) -> bool:
        """At least `role`: admin > member > viewer."""
        return ROLES.index(self.user.role) <= ROLES.index(role)


class Token(_Model):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: str
    revoked_at: str | None


class DecisionRecord(_Model):
    id: str
    organisation_id: int
    user_id: int
    created_at: str
    catalog_version: str
    catalog_digest: str
    request: str  # JSON, as received
    decision: str  # JSON, as returned
