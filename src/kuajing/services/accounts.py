"""Accounts for the CLI and the API: the store of the database they were given."""

from __future__ import annotations

from kuajing.accounts.store import Accounts
from kuajing.ledger.db import default_url


def open_accounts(url: str | None = None) -> Accounts:
    """The accounts in the database at `url` (default: the ledger's), migrated to the newest."""
    return Accounts.open(url or default_url())
