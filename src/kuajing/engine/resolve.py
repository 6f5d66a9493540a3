"""Names in a request -> catalogue objects. An unknown name is an input error that suggests the
nearest names the catalogue knows."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from kuajing.catalog.catalog import Catalog, ScopeRef, Site, normalise
from kuajing.catalog.models import City, Zone
from kuajing.engine.request import Place, Request
from kuajing.errors import RequestError
from kuajing.yamlio import format_path


@dataclass(frozen=True)
class Resolved:
    registered: Site  # where the processor is registered
    exports: Site  # where it carries out the export
    scopes: dict[str, list[ScopeRef]]  # transfer id -> every list scope its scenario names
    prior_scopes: dict[str, list[ScopeRef]]  # prior.scenarios key -> scopes

    @property
    def zone(self) -> str | None:
        return self.registered.zone

    @property
    def sites(self) -> tuple[Site, ...]:
        return (
            (self.registered,)
            if self.exports == self.registered
            else (
                self.registered,
                self.exports,
            )
        )


def resolve(request: Request, catalog: Catalog) -> Resolved:
    p = request.processor
    if p.zone is not None:
        registered = _site(catalog, None, p.zone, ("processor", "zone"))
    else:
        where = p.registered or _NOWHERE
        registered = _site(catalog, where.city, where.zone, ("processor", "registered"))
    exports = registered
    if p.exports_from is not None:
        where, field = p.exports_from, ("processor", "exports_from")
        exports = _site(catalog, where.city, where.zone, field)
    scopes: dict[str, list[ScopeRef]] = {}
    for i, t in enumerate(request.transfers):
        if t.scenario is not None:
            scopes[t.id] = scopes_named(catalog, t.scenario, ("transfers", i, "scenario"))
    prior = {
        name: scopes_named(catalog, name, ("prior", "scenarios", name))
        for name in request.prior.scenarios
    }
    _one_pool_per_name(prior)
    return Resolved(registered, exports, scopes=scopes, prior_scopes=prior)


_NOWHERE = Place()


def _site(
    catalog: Catalog, city_name: str | None, zone_name: str | None, field: tuple[str | int, ...]
) -> Site:
    """Catalogue ids for a place; a zone implies its city, and a city that contradicts the
    zone is an error."""
    zone = city = None
    if zone_name is not None:
        zone = catalog.zone_id(zone_name)
        if zone is None:
            where = field if field[-1] == "zone" else (*field, "zone")
            _unknown(where, zone_name, _zone_display(catalog))
    if city_name is not None:
        city = catalog.city_id(city_name)
        if city is None:
            _unknown((*field, "city"), city_name, _city_display(catalog))
    zone_city = catalog.zones[zone].city if zone else None
    if city is not None and zone_city is not None and city != zone_city:
        name = catalog.cities[zone_city].name
        message = f"zone {zone_name!r} lies in {name.en} ({name.zh}), not in {city_name!r}"
        raise RequestError(message, path=format_path((*field, "city")), loc=(*field, "city"))
    return Site(city=city or zone_city, zone=zone)


def _one_pool_per_name(prior: dict[str, list[ScopeRef]]) -> None:
    """Two names of prior.scenarios that count the same persons would count them twice."""
    owner: dict[str, str] = {}
    for name, refs in prior.items():
        for pool in {r.pool for r in refs}:
            if pool in owner and owner[pool] != name:
                field = ("prior", "scenarios", name)
                message = f"names the same counting scope ({pool}) as {owner[pool]!r}"
                raise RequestError(message, path=format_path(field), loc=field)
            owner[pool] = name


def scopes_named(catalog: Catalog, name: str, field: tuple[str | int, ...]) -> list[ScopeRef]:
    """Every list scope `name` names; an unknown name is an error that suggests near ones."""
    found = catalog.scopes(name)
    if not found:
        _unknown(field, name, _scope_display(catalog))
    return found


def _unknown(field: tuple[str | int, ...], name: str, display: dict[str, str]) -> None:
    near = difflib.get_close_matches(normalise(name), list(display), n=3, cutoff=0.5)
    names = ", ".join(repr(display[n]) for n in near)
    hint = f"; did you mean {names}?" if near else ""
    message = f"unknown name {name!r} in the catalogue{hint}"
    zh = f"规则库中没有名称 {name!r}" + (f"；是否指 {names}？" if near else "")
    raise RequestError(message, zh=zh, path=format_path(field), loc=field)


def _zone_display(catalog: Catalog) -> dict[str, str]:
    return _display(catalog.zones.values())


def _city_display(catalog: Catalog) -> dict[str, str]:
    return _display(catalog.cities.values())


def _display(items: Iterable[Zone | City]) -> dict[str, str]:
    """Every name of the items, as people type them, to the name as written."""
    out: dict[str, str] = {}
    for item in items:
        for n in (item.id, item.name.zh, item.name.en, *item.aliases):
            out.setdefault(normalise(n), n)
    return out


def _scope_display(catalog: Catalog) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in catalog.known_names():
        ref = catalog.scopes(name)[0]
        item = ref.scenario or ref.sector
        out.setdefault(name, f"{item.name.zh} / {item.name.en}")
    return out
