"""Writing users' files: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kuajing.errors import KuajingError


def write_bytes_atomic(target: Path, data: bytes, error: type[KuajingError] = KuajingError) -> None:
    """Write a private temporary file beside the target, sync it, then rename it over the
    target: a reader never sees half a file, and a crash leaves the old one."""
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise error(f"{target}: cannot write ({exc.strerror or exc})") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def write_text_atomic(target: Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))
