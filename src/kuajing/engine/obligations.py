"""Obligations that go with a transfer's outcome, from the national catalogue and the governing
list (list-wide and sector obligations)."""

from __future__ import annotations

import datetime as dt

from kuajing.catalog.base import Pathway
from kuajing.catalog.catalog import Catalog, normalise
from kuajing.catalog.models import Condition, Entry, Obligation, Sector
from kuajing.engine.findings import Outcome
from kuajing.engine.placement import Placement
from kuajing.engine.request import Transfer


def obligations_for(
    catalog: Catalog,
    day: dt.date,
    t: Transfer,
    pl: Placement,
    out: Outcome,
    exempt: bool,
    memo: dict[tuple[object, ...], list[Obligation]],
    sector: str | None = None,
) -> list[Obligation]:
    """`sector` is the processor's declared sector (conditions on sectors also match the
    governing list's sector)."""
    pathway = out.pathway
    if pathway == Pathway.PROHIBITED:
        return []  # the export must not happen; no filing makes it lawful
    facts = {
        "pi": t.has_pi,
        "sensitive": t.sensitive > 0,
        "important_data": bool(t.important_data) or _id_found(out),
        "list_regime": (pl.zone_list is not None or pl.general is not None) and not exempt,
    }
    scenario = pl.ref.scenario.id if pl.ref and pl.ref.scenario else None
    general = pl.general_ref.key if pl.general_ref else None
    listed = pl.zone_list.id if pl.zone_list else None
    sectors = _sector_names(pl, sector)
    key: tuple[object, ...] = (listed, pl.pool, general, scenario, pathway, t.exemption)
    key = (*key, tuple(facts.values()), exempt, day, sectors)
    if key not in memo:
        memo[key] = _select(catalog, day, t, pl, pathway, facts, exempt, sectors)
    return memo[key]


def _sector_names(pl: Placement, declared: str | None) -> frozenset[str]:
    """The names a `sectors` condition may match: the processor's declared sector and the
    governing (or general) list sector's id, names and aliases, as people type them."""
    ref = pl.ref or pl.general_ref
    return _names(ref.sector if ref else None, declared)


_NAMES: dict[tuple[int, str | None], tuple[object, frozenset[str]]] = {}


def _names(sector: Sector | None, declared: str | None) -> frozenset[str]:
    """Memoised by the sector's identity; the value keeps the sector alive."""
    key = (id(sector), declared)
    hit = _NAMES.get(key)
    if hit is None:
        if len(_NAMES) > 4096:
            _NAMES.clear()
        names = [declared] if declared else []
        if sector is not None:
            names += [sector.id, sector.name.zh, sector.name.en, *sector.aliases]
        hit = _NAMES[key] = (sector, frozenset(normalise(n) for n in names))
    return hit[1]


def _select(
    catalog: Catalog,
    day: dt.date,
    t: Transfer,
    pl: Placement,
    pathway: Pathway,
    facts: dict[str, bool],
    exempt: bool,
    sectors: frozenset[str] = frozenset(),
) -> list[Obligation]:
    candidates = list(catalog.obligations)
    if pl.general_ref is not None:
        candidates += pl.general_ref.zone_list.obligations + pl.general_ref.sector.obligations
    if pl.zone_list is not None and not exempt:
        candidates += pl.zone_list.obligations
        candidates += pl.sector.obligations if pl.sector else []
    return [
        o
        for o in candidates
        if o.in_force.covers(day)
        and _holds(o.when, pathway, facts, t, exempt)
        and _in_scenarios(o.when, pl)
        and (o.when.sectors is None or bool(sectors & {normalise(n) for n in o.when.sectors}))
    ]


def _in_scenarios(when: Condition, pl: Placement) -> bool:
    if when.scenarios is None:
        return True
    ref = pl.ref or pl.general_ref
    scenario = ref.scenario if ref else None
    return scenario is not None and scenario.id in when.scenarios


def _holds(
    when: Condition, pathway: Pathway, facts: dict[str, bool], t: Transfer, exempt: bool
) -> bool:
    if when.pathways is not None and pathway not in when.pathways:
        return False
    if when.exempt_by is not None and not (exempt and t.exemption in when.exempt_by):
        return False
    return all(
        getattr(when, key) is None or getattr(when, key) == value for key, value in facts.items()
    )


def _id_found(out: Outcome) -> bool:
    return any(
        isinstance(f.rule, Entry) and f.rule.category == "important_data" and f.certain
        for f in out.findings
    )
