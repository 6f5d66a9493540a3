"""The web pages' words in Chinese and English (`phrases/*.yaml`, a file an area), and the
language of a visitor who has not signed in (their choice in a cookie, else the browser's
Accept-Language)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from kuajing.errors import CatalogError
from kuajing.lang import Lang

LANGS: tuple[Lang, ...] = ("zh", "en")


@cache
def phrases() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    folder = files("kuajing.web").joinpath("phrases")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        where = f"web/phrases/{entry.name}"
        for key, value in (yaml.safe_load(entry.read_text(encoding="utf-8")) or {}).items():
            if (
                not isinstance(key, str)
                or not isinstance(value, dict)
                or set(value) != {"zh", "en"}
            ):
                raise CatalogError(f"{where}: {key!r}: needs exactly zh and en")
            if key in found:
                raise CatalogError(f"{where}: {key!r} is defined in another phrases file too")
            found[key] = {lang: str(text) for lang, text in value.items()}
    return found


def t(key: str, lang: Lang, **values: object) -> str:
    """The phrase `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = phrases()[key][lang]
    return text.format(**values) if values else text


def negotiate(accept_language: str | None) -> Lang:
    """The first of zh or en in the browser's preferences (by q-value), else English."""
    ranked: list[tuple[float, int, Lang]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and quality > 0:
            ranked.append((-quality, i, primary))
    return min(ranked)[2] if ranked else "en"
