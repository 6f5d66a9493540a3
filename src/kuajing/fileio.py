"""Writing users' files: whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

from kuajing.errors import KuajingError


def write_text_atomic(target: Path, text: str) -> None:
    """Write beside the target, then rename over it: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KuajingError(f"{target}: cannot write ({exc.strerror or exc})") from None
