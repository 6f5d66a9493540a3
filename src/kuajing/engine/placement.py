"""Which regime governs a transfer: a zone list (own or adopted) or the national rules.

A processor registered in a zone (and not excluded, e.g. as a CIIO) exporting data of a scenario
that a list its zone has, or has adopted, covers on that date is governed by that list. A
comprehensive list covers every export of the zone. Anything else is national."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kuajing.catalog.catalog import Catalog, ScopeRef
from kuajing.catalog.models import Adoption, Entry, Knowledge, Rule, Scenario, Sector, ZoneList
from kuajing.engine.findings import Finding
from kuajing.engine.request import Processor, Transfer
from kuajing.i18n import PHRASES, fmt


@dataclass(frozen=True)
class Placement:
    zone_list: ZoneList | None = None
    sector: Sector | None = None
    ref: ScopeRef | None = None
    adoption: Adoption | None = None
    notes: list[Finding] = field(default_factory=list)
    general: ZoneList | None = None  # a general (positive) list covering the scenario

    @property
    def pool(self) -> str:
        if self.zone_list is None:
            return "national"
        return self.ref.key if self.ref else self.zone_list.id

    def coverage(self, what: str) -> Knowledge:
        """How completely the list's entries for this scope are encoded."""
        zl = self.zone_list
        if zl is None or zl.encoded == "headers_only" or self.sector is None:
            return "unknown"
        levels = [getattr(self.sector.coverage, what)]
        if self.ref and self.ref.scenario:
            levels.append(getattr(self.ref.scenario.coverage, what))
        return (
            "complete" if "complete" in levels else "partial" if "partial" in levels else "unknown"
        )

    def entries(self) -> list[tuple[Entry, list[str]]]:
        """Entries that apply to this scope, each with the counting pools its threshold sums."""
        return _entries(self.zone_list, self.sector, self.ref.scenario if self.ref else None)

    def scenario_specific_entries(self) -> bool:
        """The scope names a sector whose entries depend on the scenario."""
        if self.sector is None or (self.ref and self.ref.scenario):
            return False
        return any(e.scenarios != "all" for e in self.sector.entries)


_ENTRIES: dict[tuple[int, int, int], tuple[object, list[tuple[Entry, list[str]]]]] = {}


def _entries(
    zl: ZoneList | None, sector: Sector | None, scenario: Scenario | None
) -> list[tuple[Entry, list[str]]]:
    """Memoised by object identity; the cached value keeps the objects alive, so ids stay
    unique while they are keys."""
    key = (id(zl), id(sector), id(scenario))
    hit = _ENTRIES.get(key)
    if hit is None:
        if len(_ENTRIES) > 4096:
            _ENTRIES.clear()
        hit = ((zl, sector, scenario), _compute_entries(zl, sector, scenario))
        _ENTRIES[key] = hit
    return hit[1]


def _compute_entries(
    zl: ZoneList | None, sector: Sector | None, scenario: Scenario | None
) -> list[tuple[Entry, list[str]]]:
    if zl is None:
        return []
    out = [(e, [zl.id]) for e in zl.entries]
    if sector is None:
        return out
    prefix = f"{zl.id}/{sector.id}"
    for e in sector.entries:
        if e.scenarios == "all":
            out.append((e, [prefix]))
        elif scenario is not None and scenario.id in e.scenarios:
            # Persons reported for the sector as a whole may be in any of its scenarios.
            out.append((e, [f"{prefix}/{s}" for s in e.scenarios] + [f"{prefix}/*"]))
    return out


def place(
    t: Transfer,
    refs: list[ScopeRef],
    processor: Processor,
    zone: str | None,
    day: dt.date,
    catalog: Catalog,
    uncovered: Rule | None,
) -> Placement:
    if zone is None:
        return Placement()
    notes: list[Finding] = []
    own = [zl for zl in catalog.lists_in_force(zone, day) if zl.kind == "negative"]
    own = [zl for zl in own if _applies(zl, processor, notes)]
    for zl in own:
        found = _in_list(zl, t, refs, notes)
        if found:
            return found
    own_sectors = {s.id for zl in own for s in zl.sectors}
    for adoption in catalog.adoptions_in_force(zone, day):
        found = _adopted(adoption, refs, own_sectors, processor, zone, day, notes)
        if found:
            return found
    if own and uncovered is not None:
        key = "scope_national_no_scenario" if t.scenario is None else "scope_out"
        notes.append(Finding(uncovered, facts=PHRASES[key]))
    return Placement(notes=notes, general=_general(catalog, zone, day, refs, processor, notes))


def _general(
    catalog: Catalog,
    zone: str,
    day: dt.date,
    refs: list[ScopeRef],
    processor: Processor,
    notes: list[Finding],
) -> ZoneList | None:
    """A general data list (positive list) of the zone naming the scenario: listed general data
    flows freely once filed; PI and important data still follow the rules that govern them."""
    for ref in refs:
        zl = ref.zone_list
        if zl.kind == "general" and zone in zl.zones and zl.in_force.covers(day):
            if processor.ciio and ref.sector.coverage and _excludes_ciio(zl):
                continue
            notes.append(
                Finding(
                    zl.applicability.registered_in_zone,
                    facts=fmt("scope_general", list=zl.id, scope=ref.key),
                )
            )
            return zl
    return None


def _excludes_ciio(zl: ZoneList) -> bool:
    return zl.applicability.excludes_ciio is not None


def _applies(zl: ZoneList, processor: Processor, notes: list[Finding]) -> bool:
    rule = zl.applicability.excludes_ciio
    if processor.ciio and rule is not None:
        notes.append(Finding(rule, facts=fmt("scope_ciio", list=zl.id)))
        return False
    return True


def _in_list(
    zl: ZoneList, t: Transfer, refs: list[ScopeRef], notes: list[Finding]
) -> Placement | None:
    scope_rule = zl.applicability.registered_in_zone
    if t.scenario is None:
        if zl.scope != "comprehensive":
            return None
        notes.append(Finding(scope_rule, facts=fmt("scope_list", list=zl.id, scope=zl.id)))
        return Placement(zl, notes=notes)
    exact = [r for r in refs if r.zone_list.id == zl.id]
    if exact:
        ref = exact[0]
        notes.append(Finding(scope_rule, facts=fmt("scope_list", list=zl.id, scope=ref.key)))
        return Placement(zl, ref.sector, ref, notes=notes)
    # The scenario is named in another edition: this edition's same sector governs it.
    by_id = {s.id: s for s in zl.sectors}
    for ref in refs:
        if ref.sector.id in by_id:
            sector = by_id[ref.sector.id]
            same = ScopeRef(zl, sector, None)
            notes.append(Finding(scope_rule, facts=fmt("scope_list", list=zl.id, scope=same.key)))
            return Placement(zl, sector, same, notes=notes)
    if zl.scope == "comprehensive":
        notes.append(Finding(scope_rule, facts=fmt("scope_list", list=zl.id, scope=zl.id)))
        return Placement(zl, notes=notes)
    return None


def _adopted(
    adoption: Adoption,
    refs: list[ScopeRef],
    own_sectors: set[str],
    processor: Processor,
    zone: str,
    day: dt.date,
    notes: list[Finding],
) -> Placement | None:
    for ref in refs:
        zl = ref.zone_list
        if zone in zl.zones or zl.kind != "negative" or not zl.in_force.covers(day):
            continue
        if zl.confidence not in "HM":  # only officially released lists can be adopted
            continue
        if adoption.lists != "any" and zl.id not in adoption.lists:
            continue
        if adoption.only_uncovered_sectors and ref.sector.id in own_sectors:
            continue
        if not _applies(zl, processor, notes):
            continue
        notes.append(Finding(adoption, facts=fmt("scope_adopted", list=zl.id, scope=ref.key)))
        return Placement(zl, ref.sector, ref, adoption, notes)
    return None
