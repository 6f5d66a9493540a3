"""The installation secret that keys every person hash and the audit chain. It lives in a file
outside the database (owner-only), so a copy of the database alone reveals no identifier and
cannot forge audit entries."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kuajing.errors import LedgerError
from kuajing.keyfile import read_secret


def default_key_file() -> Path:
    env = os.environ.get("KUAJING_KEY_FILE")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir("kuajing", appauthor=False)) / "ledger.key"


@dataclass(frozen=True)
class Keyring:
    """Sub-keys derived from the secret, one per purpose."""

    persons: bytes
    audit: bytes
    fingerprint: str  # identifies the secret without revealing it

    @classmethod
    def from_secret(cls, secret: bytes) -> Keyring:
        def derive(label: str) -> bytes:
            return hmac.digest(secret, f"kuajing/{label}/v1".encode(), "sha256")

        return cls(derive("persons"), derive("audit"), derive("fingerprint").hex()[:16])


def load_keyring(path: Path | None = None) -> Keyring:
    """The installation's keyring, creating the secret on first use (mode 0600)."""
    path = path or default_key_file()
    raw = read_secret(path, "ledger key", LedgerError)
    try:
        secret = bytes.fromhex(raw)
    except ValueError:
        raise LedgerError(f"{path}: unreadable ledger key (ValueError)") from None
    if len(secret) < 32:
        raise LedgerError(f"{path}: the ledger key is too short (need 32 bytes of hex)")
    return Keyring.from_secret(secret)


def audit_mac(keyring: Keyring, prev: str, entry: bytes) -> str:
    return hmac.new(keyring.audit, prev.encode() + b"\n" + entry, hashlib.sha256).hexdigest()
