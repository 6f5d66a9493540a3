"""Typed values of the accounts: what the store returns and the API shows."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from kuajing.lang import Lang as Lang  # noqa: PLC0414  # re-export: the API imports it here

Role = Literal["admin", "member", "reviewer", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "member", "reviewer", "viewer")
# A company exports data; a zone organisation is a free trade zone's service centre, which reviews
# what the companies registered in its zone submit, inspects them and keeps the zone's lists.
OrgKind = Literal["enterprise", "zone"]
ORG_KINDS: tuple[OrgKind, ...] = ("enterprise", "zone")
# The roles each kind of organisation has: a company's members act; a zone's reviewers review.
KIND_ROLES: dict[OrgKind, tuple[Role, ...]] = {
    "enterprise": ("admin", "member", "viewer"),
    "zone": ("admin", "reviewer", "viewer"),
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Organisation(_Model):
    id: int
    slug: str
    name: str
    processor: str  # its name in the export ledger
    zone: str | None  # a company's: where it is registered; a zone organisation's: its zone
    ciio: bool
    sector: str | None
    created_at: str
    kind: OrgKind = "enterprise"


class User(_Model):
    id: int
    organisation_id: int
    email: str
    name: str
    role: Role
    lang: Lang
    created_at: str


class TokenRef(_Model):
    """The API token a call came with (the audit trail names it)."""

    id: int
    name: str


class Principal(_Model):
    """Who is calling: a user of an organisation, signed in or by API token."""

    user: User
    organisation: Organisation
    token: TokenRef | None = None  # the API token the call came with; None when signed in

    @property
    def role(self) -> Role:
        return self.user.role

    def may(self, role: Role) -> bool:
        """At least `role`: admin > member > reviewer > viewer. A zone organisation's roles are
        admin, reviewer and viewer, so none of its users is a company's member."""
        return ROLES.index(self.user.role) <= ROLES.index(role)

    @property
    def zone_staff(self) -> bool:
        """A user of a zone organisation (any role)."""
        return self.organisation.kind == "zone"


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
