"""The loaded catalogue and its look-up indexes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from kuajing.catalog.incorporation import origin as origin_of
from kuajing.catalog.models import (
    Adoption,
    City,
    Entry,
    NationalRegime,
    Obligation,
    PersonalData,
    Prohibition,
    Scenario,
    Sector,
    Source,
    Zone,
    ZoneList,
)
from kuajing.catalog.procedures import Procedure

_NOISE = re.compile(r"[\s_\-·、,，。.（）()/]+")


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Key for matching names typed by people: case, full/half width, spaces and punctuation
    do not matter."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name).casefold())


@dataclass(frozen=True)
class ScopeRef:
    """A place in a list that a transfer can name: a sector, or one scenario of it. `origin` is
    the list that wrote the sector: the list itself, or the earlier edition it incorporates the
    sector from."""

    zone_list: ZoneList
    sector: Sector
    scenario: Scenario | None
    origin: str = ""

    @property
    def key(self) -> str:
        return f"{self.zone_list.id}/{self.sector.id}{self._tail}"

    @property
    def pool(self) -> str:
        """The counting pool: persons counted since 1 January under the scope of the edition
        that wrote it, so an incorporated scenario keeps counting across the change."""
        return f"{self.origin or self.zone_list.id}/{self.sector.id}{self._tail}"

    @property
    def incorporated(self) -> bool:
        return bool(self.origin) and self.origin != self.zone_list.id

    @property
    def _tail(self) -> str:
        return f"/{self.scenario.id}" if self.scenario else "/*"  # "*": the sector as a whole


class Site(NamedTuple):
    """Where a processor is registered, or carries out an export: a city and, optionally, a
    free trade zone (ids of the catalogue). A tuple: it keys memo tables."""

    city: str | None = None
    zone: str | None = None


@dataclass
class Catalog:
    version: str
    released: dt.date
    digest: str
    sources: dict[str, Source]
    regimes: list[NationalRegime]
    prohibitions: list[Prohibition]
    obligations: list[Obligation]
    zones: dict[str, Zone]
    adoptions: list[Adoption]
    lists: dict[str, ZoneList]
    cities: dict[str, City] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # list id -> "shipped" or overlay dir
    personal_data: PersonalData | None = None  # always set by the loader
    procedures: dict[str, Procedure] = field(default_factory=dict)
    _zone_names: dict[str, str] = field(default_factory=dict)
    _city_names: dict[str, str] = field(default_factory=dict)
    _scopes: dict[str, list[ScopeRef]] = field(default_factory=dict)
    _entries: dict[str, list[tuple[ZoneList, Entry]]] = field(default_factory=dict)
    _in_force: dict[tuple[str, dt.date], list[ZoneList]] = field(default_factory=dict)
    memo: dict[object, Any] = field(default_factory=dict, repr=False, compare=False)

    def cache(self, name: object, limit: int = 50_000) -> dict[Any, Any]:
        """A memo table kept with this catalogue (values derived from it), cleared when full."""
        table: dict[Any, Any] = self.memo.setdefault(name, {})
        if len(table) > limit:
            table.clear()
        return table

    def __post_init__(self) -> None:
        for zone in self.zones.values():
            for name in (zone.id, zone.name.zh, zone.name.en, *zone.aliases):
                self._zone_names[normalise(name)] = zone.id
        for city in self.cities.values():
            for name in (city.id, city.name.zh, city.name.en, *city.aliases):
                self._city_names[normalise(name)] = city.id
        for zl in self.lists.values():
            for sector in zl.sectors:
                origin = self.origin(zl, sector.id)
                self._index_scope(ScopeRef(zl, sector, None, origin))
                for sc in sector.scenarios:
                    self._index_scope(ScopeRef(zl, sector, sc, origin))
            for entry in self.entries_of(zl):
                for name in (entry.id, entry.sub_class.zh, entry.sub_class.en, *entry.aliases):
                    self._entries.setdefault(normalise(name), []).append((zl, entry))

    def _index_scope(self, ref: ScopeRef) -> None:
        item: Scenario | Sector = ref.scenario or ref.sector
        for n in (ref.key, item.id, item.name.zh, item.name.en, *item.aliases):
            bucket = self._scopes.setdefault(normalise(n), [])
            if ref not in bucket:
                bucket.append(ref)

    # -- look-ups -------------------------------------------------------------------------
    def zone_id(self, name: str) -> str | None:
        return self._zone_names.get(normalise(name))

    def city_id(self, name: str) -> str | None:
        return self._city_names.get(normalise(name))

    def city_names(self) -> list[str]:
        return [*self._city_names]

    def origin(self, zl: ZoneList, sector_id: str) -> str:
        """The list that wrote `sector_id` of `zl` (itself, or an edition it incorporates)."""
        return origin_of(zl, sector_id, self.lists)

    def in_area(self, zones: list[str], area: str, site: Site) -> bool:
        """Whether `site` lies in the zones, or, for a city-wide area, in their cities."""
        if site.zone is not None and site.zone in zones:
            return True
        if area != "city" or site.city is None:
            return False
        return site.city in {self.zones[z].city for z in zones if z in self.zones}

    def lists_at(self, sites: tuple[Site, ...], day: dt.date) -> list[ZoneList]:
        """Lists in force on `day` whose area holds one of the sites (the processor's place of
        registration or of export); whether each applies is the list's own test."""
        memo = self.cache("lists_at", limit=4096)
        found: list[ZoneList] | None = memo.get((sites, day))
        if found is None:
            found = [
                zl
                for zl in self.lists.values()
                if zl.in_force.covers(day)
                and any(self.in_area(zl.zones, zl.applicability.area, s) for s in sites)
            ]
            memo[(sites, day)] = found
        return found

    def adoptions_at(self, sites: tuple[Site, ...], day: dt.date) -> list[Adoption]:
        memo = self.cache("adoptions_at", limit=4096)
        found: list[Adoption] | None = memo.get((sites, day))
        if found is None:
            found = [
                a
                for a in self.adoptions
                if a.in_force.covers(day) and any(self.in_area([a.zone], a.area, s) for s in sites)
            ]
            memo[(sites, day)] = found
        return found

    def scopes(self, name: str) -> list[ScopeRef]:
        return self._scopes.get(normalise(name), [])

    def entries_named(self, name: str) -> list[tuple[ZoneList, Entry]]:
        return self._entries.get(normalise(name), [])

    def known_names(self) -> list[str]:
        return [*self._scopes]

    def zone_names(self) -> list[str]:
        return [*self._zone_names]

    def regime_on(self, day: dt.date) -> NationalRegime | None:
        return next((r for r in self.regimes if r.in_force.covers(day)), None)

    def lists_in_force(self, zone: str, day: dt.date) -> list[ZoneList]:
        key = (zone, day)
        found = self._in_force.get(key)
        if found is None:
            found = [z for z in self.lists.values() if zone in z.zones and z.in_force.covers(day)]
            self._in_force[key] = found
        return found

    def adoptions_in_force(self, zone: str, day: dt.date) -> list[Adoption]:
        return [a for a in self.adoptions if a.zone == zone and a.in_force.covers(day)]

    @staticmethod
    def entries_of(zl: ZoneList) -> Iterator[Entry]:
        yield from zl.entries
        for sector in zl.sectors:
            yield from sector.entries
