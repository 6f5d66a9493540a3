"""Names in a request -> catalogue objects. An unknown name is an input error that suggests the
nearest names the catalogue knows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kuajing.catalog.catalog import Catalog, ScopeRef, normalise
from kuajing.engine.request import Request
from kuajing.errors import RequestError
from kuajing.yamlio import format_path


@dataclass(frozen=True)
class Resolved:
    zone: str | None
    scopes: dict[str, list[ScopeRef]]  # transfer id -> every list scope its scenario names
    prior_scopes: dict[str, list[ScopeRef]]  # prior.scenarios key -> scopes


def resolve(request: Request, catalog: Catalog) -> Resolved:
    zone = None
    if request.processor.zone is not None:
        zone = catalog.zone_id(request.processor.zone)
        if zone is None:
            _unknown(("processor", "zone"), request.processor.zone, _zone_display(catalog))
    scopes: dict[str, list[ScopeRef]] = {}
    for i, t in enumerate(request.transfers):
        if t.scenario is not None:
            scopes[t.id] = scopes_named(catalog, t.scenario, ("transfers", i, "scenario"))
    prior = {
        name: scopes_named(catalog, name, ("prior", "scenarios", name))
        for name in request.prior.scenarios
    }
    return Resolved(zone=zone, scopes=scopes, prior_scopes=prior)


def scopes_named(catalog: Catalog, name: str, field: tuple[str | int, ...]) -> list[ScopeRef]:
    """Every list scope `name` names; an unknown name is an error that suggests near ones."""
    found = catalog.scopes(name)
    if not found:
        _unknown(field, name, _scope_display(catalog))
    return found


def _unknown(field: tuple[str | int, ...], name: str, display: dict[str, str]) -> None:
    near = difflib.get_close_matches(normalise(name), list(display), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(display[n]) for n in near)}?" if near else ""
    message = f"unknown name {name!r} in the catalogue{hint}"
    raise RequestError(message, path=format_path(field), loc=field)


def _zone_display(catalog: Catalog) -> dict[str, str]:
    out: dict[str, str] = {}
    for zone in catalog.zones.values():
        for n in (zone.id, zone.name.zh, zone.name.en, *zone.aliases):
            out.setdefault(normalise(n), n)
    return out


def _scope_display(catalog: Catalog) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in catalog.known_names():
        ref = catalog.scopes(name)[0]
        item = ref.scenario or ref.sector
        out.setdefault(name, f"{item.name.zh} / {item.name.en}")
    return out
