"""Recipients' countries as ISO 3166-1 alpha-2 codes, with names in Chinese and English.

pycountry ships the ISO 3166-1 list and Debian's iso-codes translations (zh_CN among them),
so names are read offline from the installed package."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from kuajing.lang import Lang

# Names of China's regions as Chinese law and official usage give them (iso-codes' zh_CN
# says "香港" and "中国台湾省"); a transfer there is an export all the same.
_OWN: dict[str, dict[Lang, str]] = {
    "HK": {"zh": "中国香港", "en": "Hong Kong SAR, China"},
    "MO": {"zh": "中国澳门", "en": "Macao SAR, China"},
    "TW": {"zh": "中国台湾", "en": "Taiwan, China"},
}


@cache
def _zh() -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True
    )


@cache
def names() -> dict[str, dict[Lang, str]]:
    """Every code with its names, in the order of the English names."""
    found: dict[str, dict[Lang, str]] = {}
    for c in pycountry.countries:
        en = getattr(c, "common_name", None) or c.name
        found[c.alpha_2] = _OWN.get(c.alpha_2) or {"zh": _zh().gettext(c.name), "en": en}
    return dict(sorted(found.items(), key=lambda kv: kv[1]["en"]))


def name(code: str, lang: Lang) -> str:
    """The country's name in `lang`; a value that is not a code (a logged request from before
    codes were required) as it was given."""
    return names().get(code.upper(), {}).get(lang, code)


@cache
def _by_name() -> dict[str, str]:
    """Codes by every name a user may give: alpha-3, English names, Chinese names."""
    found: dict[str, str] = {}
    for c in pycountry.countries:
        for text in (
            c.alpha_3,
            c.name,
            getattr(c, "common_name", None),
            getattr(c, "official_name", None),
            _zh().gettext(c.name),
        ):
            if text:
                found.setdefault(text.casefold(), c.alpha_2)
    for code, own in _OWN.items():
        for text in own.values():
            found[text.casefold()] = code
    return found


def country_code(value: str) -> str:
    """The ISO 3166-1 alpha-2 code of `value`: a code in any case, or a country's English or
    Chinese name as ISO 3166 and its translations give it (requests written before codes were
    required). Anything else is a `ValueError` saying what to give."""
    given = value.strip()
    if len(given) == 2 and given.upper() in names():
        return given.upper()
    code = _by_name().get(given.casefold())
    if code is None:
        raise ValueError(f"{given!r} is not an ISO 3166-1 code or a country's name")
    return code


def country_names(code: str) -> dict[Lang, str]:
    """Both names of `code` (a value that is not a code, as it was given, in both)."""
    return names().get(code.upper()) or {"zh": code, "en": code}
