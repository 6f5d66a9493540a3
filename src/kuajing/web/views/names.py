"""What a logged decision names by catalogue id (the list or regime that governs a transfer, a
list's scope), by name for the pages: a reader sees the list's title and the sector's and
scenario's names; the ids stay in the decision's JSON and in the technical details."""

from __future__ import annotations

import re

from kuajing.catalog import Catalog
from kuajing.catalog.base import Text
from kuajing.lang import Lang


def catalog_names(catalog: Catalog) -> dict[str, Text]:
    """Id -> name: each zone, each list and national regime by its title, and each scope of a
    list (`list/sector`, `list/sector/*`, `list/sector/scenario`) by "sector · scenario"."""
    memo: dict[str, dict[str, Text]] = catalog.cache(("web", "names"))
    if "all" not in memo:
        memo["all"] = _names(catalog)
    return memo["all"]


def _names(catalog: Catalog) -> dict[str, Text]:
    names = {z.id: z.name for z in catalog.zones.values()}
    names |= {zl.id: zl.title for zl in catalog.lists.values()}
    names |= {r.id: r.title for r in catalog.regimes}
    for zl in catalog.lists.values():
        for s in zl.sectors:
            names[f"{zl.id}/{s.id}"] = names[f"{zl.id}/{s.id}/*"] = s.name
            for sc in s.scenarios:
                names[f"{zl.id}/{s.id}/{sc.id}"] = Text(
                    zh=f"{s.name.zh} · {sc.name.zh}", en=f"{s.name.en} · {sc.name.en}"
                )
    return names


def sector_name(catalog: Catalog, sector: str | None) -> Text | None:
    """A sector keyword of an organisation's profile ("pharmaceuticals") by the name a list
    gives it; None when no list has that sector (the page then shows the keyword itself)."""
    for zl in catalog.lists.values():
        for s in zl.sectors:
            if s.id == sector:
                return s.name
    return None


# A list id inside an engine's sentence ("beijing-2025 by registration", "beijing-2025按注册地"):
# not part of a longer id or path. ASCII classes, since \w would also match the Chinese after it.
_EDGE = "A-Za-z0-9_/-"


def named(sentence: str, catalog: Catalog, lang: Lang) -> str:
    """`sentence` with each list id it names replaced by the list's title in `lang`."""
    memo: dict[str, re.Pattern[str]] = catalog.cache(("web", "list-ids"))
    if "re" not in memo:
        ids = "|".join(map(re.escape, sorted(catalog.lists, key=len, reverse=True)))
        memo["re"] = re.compile(rf"(?<![{_EDGE}])({ids})(?![{_EDGE}])")
    titles = catalog_names(catalog)
    return memo["re"].sub(lambda m: titles[m.group(1)].get(lang), sentence)
