"""The audit trail for the API, the pages and the CLI: an organisation's entries, newest first,
with its chain checked."""

from __future__ import annotations

from sqlalchemy import select

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import users
from kuajing.accounts.store import Accounts
from kuajing.db.engine import reading
from kuajing.errors import Forbidden
from kuajing.trail import chain
from kuajing.trail.models import TrailPage

PAGE = 50


def trail_page(
    accounts: Accounts, who: Principal, limit: int = PAGE, before: int | None = None
) -> TrailPage:
    """The caller's organisation's trail (admins only), a page of it."""
    if not who.may("admin"):
        raise Forbidden(f"only an admin reads the audit trail; you are {who.role}")
    return organisation_page(accounts, who.organisation.id, limit, before)


def organisation_page(
    accounts: Accounts, organisation_id: int, limit: int = PAGE, before: int | None = None
) -> TrailPage:
    """An organisation's trail, for its admins and for the operator (command line)."""
    keyring = accounts.keyring  # before the transaction: loading it may create the key file
    with reading(accounts.engine) as conn:
        found = chain.entries(conn, organisation_id, limit + 1, before)
        checked = chain.check(conn, keyring, organisation_id)
    more = len(found) > limit
    found = found[:limit]
    return TrailPage(entries=found, before=found[-1].id if more else None, chain=checked)


def people(accounts: Accounts, organisation_id: int) -> dict[int, str]:
    """The organisation's users' e-mail addresses by id, to name the users entries act on (an
    entry keeps the id only)."""
    query = select(users.c.id, users.c.email).where(users.c.organisation_id == organisation_id)
    with reading(accounts.engine) as conn:
        return {int(i): str(e) for i, e in conn.execute(query)}
