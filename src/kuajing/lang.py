"""The two interface languages, importable without the catalogue's models (CLI start-up)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]


def pick(lang: Lang, zh: str, en: str) -> str:
    """A short text given inline in both languages, in `lang`."""
    return zh if lang == "zh" else en
