"""Which options a request has: national rules only; registered in each zone whose negative
list in force covers one of its transfers' scenarios (or covers everything); each other zone's
list the company's own zone lets it use through adoption. Each is a copy of the request (and,
for an adoption, the one list to adopt) for the engine to assess."""

from __future__ import annotations

from dataclasses import dataclass

from kuajing.catalog.catalog import Catalog, ScopeRef
from kuajing.catalog.models import ZoneList
from kuajing.engine.placement import adoptable_lists
from kuajing.engine.request import Request
from kuajing.engine.resolve import Resolved, resolve
from kuajing.whatif.models import Basis


@dataclass(frozen=True)
class Choice:
    key: str
    basis: Basis
    zone: str | None  # the zone whose list the option rests on
    registered_in: str | None
    actual: bool
    request: Request
    adopt: str | None = None  # the list adopted (adopted options)


def choices(request: Request, catalog: Catalog) -> list[Choice]:
    resolved = resolve(request, catalog)  # unknown names: the same errors as `assess`
    home = resolved.registered.zone
    refs = [ref for found in resolved.scopes.values() for ref in found]
    nowhere = not any(s.zone or s.city for s in resolved.sites)
    out = [Choice("national", "national", None, None, nowhere, _placed(request, None))]
    for zone in catalog.zones:
        if zone == home or _covered(zone, request, refs, catalog):
            actual = zone == home  # the request as given: where it also exports stays
            placed = request if actual else _placed(request, zone)
            out.append(Choice(f"registered:{zone}", "registered", zone, zone, actual, placed))
    for list_id in _adoptable(request, resolved, refs, catalog):
        zl = catalog.lists[list_id]
        key = f"adopted:{list_id}"
        out.append(Choice(key, "adopted", zl.zones[0], home, False, request, list_id))
    return out


def _placed(request: Request, zone: str | None) -> Request:
    """The request of a company registered (and exporting) in `zone`; None: in no zone or city."""
    processor = request.processor.model_copy(
        update={"zone": zone, "registered": None, "exports_from": None}
    )
    return request.model_copy(update={"processor": processor})


def _covered(zone: str, request: Request, refs: list[ScopeRef], catalog: Catalog) -> bool:
    lists = catalog.lists_in_force(zone, request.date)
    return any(_covers(zl, refs) for zl in lists)


def _covers(zl: ZoneList, refs: list[ScopeRef]) -> bool:
    """As placement reads a list: whole (comprehensive), a scenario it names, or one another
    edition names in a sector this edition has."""
    if zl.kind != "negative":
        return False
    if zl.scope == "comprehensive":
        return True
    sectors = {s.id for s in zl.sectors}
    return any(ref.zone_list.id == zl.id or ref.sector.id in sectors for ref in refs)


def _adoptable(
    request: Request, resolved: Resolved, refs: list[ScopeRef], catalog: Catalog
) -> list[str]:
    if resolved.registered.zone is None and resolved.registered.city is None:
        return []
    return adoptable_lists(refs, resolved.sites, request.date, catalog)
