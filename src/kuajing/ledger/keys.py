"""The installation secret that keys every person hash and the audit chain. It lives in a file
outside the database (owner-only), so a copy of the database alone reveals no identifier and
cannot forge audit entries."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kuajing.errors import LedgerError


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
    try:
        secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        try:
            secret = _create(path)
        except OSError as exc:
            raise LedgerError(f"{path}: cannot create the ledger key ({exc.strerror})") from None
    except (OSError, ValueError) as exc:
        raise LedgerError(f"{path}: unreadable ledger key ({exc.__class__.__name__})") from None
    if len(secret) < 32:
        raise LedgerError(f"{path}: the ledger key is too short (need 32 bytes of hex)")
    _check_private(path)
    return Keyring.from_secret(secret)


def _create(path: Path) -> bytes:
    """Write the secret to a private temporary file, then link it into place: link() fails if
    another process won the race, and then its complete key is the one to use."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_bytes(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret.hex() + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    finally:
        tmp.unlink()
    return secret


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise LedgerError(
            f"{path}: the ledger key is readable by others (mode {mode:o}); run chmod 600"
        )


def audit_mac(keyring: Keyring, prev: str, entry: bytes) -> str:
    return hmac.new(keyring.audit, prev.encode() + b"\n" + entry, hashlib.sha256).hexdigest()
