"""The nearest earlier edition that knows a scope the edition in force leaves unknown (Shanghai's
2025 edition names reinsurance; its rows are not public; the 2024 edition's are). What that
edition said is shown as guidance, never as the decision."""

from __future__ import annotations

from kuajing.catalog.catalog import Catalog, ScopeRef
from kuajing.catalog.models import ZoneList
from kuajing.engine.placement import Placement


def earlier_placement(catalog: Catalog, pl: Placement, refs: list[ScopeRef]) -> Placement | None:
    """The same scope in the nearest earlier edition (through `supersedes`) whose entries for
    it are encoded at least in part, if the edition in force has it without its rows."""
    zl, sector = pl.zone_list, pl.sector
    if zl is None or sector is None or _known(pl):
        return None
    seen: set[str] = {zl.id}
    earlier = catalog.lists.get(zl.supersedes or "")
    while earlier is not None and earlier.id not in seen:
        found = _same_scope(catalog, earlier, pl, refs)
        if found is not None and found.sector is not sector and _known(found):
            return found
        seen.add(earlier.id)
        earlier = catalog.lists.get(earlier.supersedes or "")
    return None


def _known(pl: Placement) -> bool:
    return pl.coverage("personal_information") != "unknown"


def _same_scope(
    catalog: Catalog, earlier: ZoneList, pl: Placement, refs: list[ScopeRef]
) -> Placement | None:
    assert pl.sector is not None
    exact = [r for r in refs if r.zone_list.id == earlier.id]
    if exact:
        return Placement(earlier, exact[0].sector, exact[0], list_pools=(earlier.id,))
    sector = next((s for s in earlier.sectors if s.id == pl.sector.id), None)
    if sector is None:
        return None
    ref = ScopeRef(earlier, sector, None, catalog.origin(earlier, sector.id))
    return Placement(earlier, sector, ref, list_pools=(earlier.id,))
