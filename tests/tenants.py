"""Organisations, users and API tokens for the service's tests: one way to make them."""

from __future__ import annotations

from kuajing.accounts.models import OrgKind, Role
from kuajing.accounts.store import Accounts
from kuajing.errors import NotFound
from kuajing.lang import Lang

PASSWORD = "correct horse battery"


def add_user(
    db_url: str,
    org: str,
    email: str,
    role: Role = "member",
    *,
    name: str | None = None,
    lang: Lang = "en",
    zone: str | None = None,
    processor: str | None = None,
    kind: OrgKind = "enterprise",
) -> None:
    """A user of organisation `org`, created if new (named `name`, default "<org> Co., Ltd.";
    `kind` zone: a zone's service centre serving `zone`)."""
    with Accounts.open(db_url) as store:
        try:
            store.organisation(org)
        except NotFound:
            store.create_organisation(
                org, name or f"{org} Co., Ltd.", zone=zone, processor=processor, kind=kind
            )
        store.create_user(org, email, PASSWORD, role=role, lang=lang)


def api_token(
    db_url: str,
    org: str,
    email: str,
    role: Role = "member",
    *,
    zone: str | None = None,
    kind: OrgKind = "enterprise",
) -> str:
    """A new user's API token (the user and, if new, the organisation made first)."""
    add_user(db_url, org, email, role, zone=zone, kind=kind)
    with Accounts.open(db_url) as store:
        who = store.authenticate(email, PASSWORD)
        assert who is not None
        return store.create_token(who, "test")[0]
