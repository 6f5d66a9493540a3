"""Installation secrets kept in owner-only files outside the database (the ledger's HMAC key, the
evidence signing key): 32 random bytes as hex, created on first use, refused when others may
read them."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from kuajing.errors import KuajingError


def read_secret(path: Path, name: str, error: type[KuajingError]) -> str:
    """The hex text of the secret in `path`, created (mode 0600, folder 0700) when missing.
    `name` ("ledger key") and `error` make the one-line messages the caller's own."""
    try:
        raw = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        try:
            return _create(path, name, error)
        except OSError as exc:
            raise error(f"{path}: cannot create the {name} ({exc.strerror})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: unreadable {name} ({exc.__class__.__name__})") from None
    check_private(path, name, error)
    return raw


def _create(path: Path, name: str, error: type[KuajingError]) -> str:
    """Write the secret to a private temporary file, then link it into place: link() fails if
    another process won the race, and then its complete secret is the one to use."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_bytes(32).hex()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)
    except FileExistsError:
        check_private(path, name, error)
        return path.read_text(encoding="ascii").strip()
    finally:
        tmp.unlink()
    return secret


def check_private(path: Path, name: str, error: type[KuajingError]) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise error(f"{path}: the {name} is readable by others (mode {mode:o}); run chmod 600")
