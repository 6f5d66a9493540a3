"""Accounts for the CLI and the API: the store of the database they were given."""

from __future__ import annotations

from pathlib import Path

from kuajing.accounts.store import Accounts
from kuajing.db.engine import default_url


def open_accounts(url: str | None = None, key_file: Path | None = None) -> Accounts:
    """The accounts in the database at `url` (default: the ledger's), migrated to the newest;
    their audit trail is keyed by the secret in `key_file` (default: the ledger's)."""
    return Accounts.open(url or default_url(), key_file)
