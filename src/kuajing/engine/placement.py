"""Which regime governs a transfer: a zone list (own or adopted) or the national rules.

A list applies to a processor whose place of registration or of export (as the list's test
says) lies in its area: its zones, or the whole city for a city-wide list, and that it does not
exclude (CIIOs, for most lists). Such a processor exporting data of a scenario the list covers
on that date is governed by the list; so is one whose zone has adopted another zone's list for
a sector of its own list does not cover. A comprehensive list covers every export of its zone.
Anything else is national. Facts the sources leave open are read through `Readings`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kuajing.catalog.base import Text
from kuajing.catalog.catalog import Catalog, ScopeRef, Site
from kuajing.catalog.models import (
    Adoption,
    Entry,
    Incorporation,
    Knowledge,
    Rule,
    Scenario,
    Sector,
    SensitiveDefinition,
    ZoneList,
)
from kuajing.engine.findings import Finding
from kuajing.engine.readings import Readings, fact
from kuajing.engine.request import Processor, Transfer
from kuajing.i18n import PHRASES, fmt


@dataclass(frozen=True)
class Placement:
    zone_list: ZoneList | None = None
    sector: Sector | None = None
    ref: ScopeRef | None = None
    adoption: Adoption | None = None
    notes: list[Finding] = field(default_factory=list)
    general_ref: ScopeRef | None = None  # the scope of a general (positive) list naming it
    list_pools: tuple[str, ...] = ()  # what the list-wide entries count (see `list_pools`)

    @property
    def general(self) -> ZoneList | None:
        """A general (positive) list covering the scenario."""
        return self.general_ref.zone_list if self.general_ref else None

    @property
    def pool(self) -> str:
        if self.zone_list is None:
            return "national"
        return self.ref.pool if self.ref else self.zone_list.id

    @property
    def incorporation(self) -> Incorporation | None:
        """The incorporation through which the governing edition holds this scope's sector."""
        if self.zone_list is None or self.ref is None or not self.ref.incorporated:
            return None
        return self.zone_list.incorporation_of(self.ref.sector.id)

    def coverage(self, what: str) -> Knowledge:
        """How completely the list's entries for this scope are encoded (`what`: a field of
        `Coverage`): complete when the list, the sector or the scenario says so."""
        zl = self.zone_list
        if zl is None or zl.encoded == "headers_only":
            return "unknown"
        found = [
            c.of(what)
            for c in (
                zl.coverage,
                self.sector.coverage if self.sector else None,
                self.ref.scenario.coverage if self.ref and self.ref.scenario else None,
            )
            if c is not None
        ]
        if "complete" in found:
            return "complete"
        return "partial" if "partial" in found else "unknown"

    def entries(self) -> list[tuple[Entry, list[str]]]:
        """Entries that apply to this scope, each with the counting pools its threshold sums."""
        scenario = self.ref.scenario if self.ref else None
        origin = self.ref.origin if self.ref else ""
        return _entries(self.zone_list, self.sector, scenario, origin, self.list_pools)

    def scenario_specific_entries(self) -> bool:
        """The scope names a sector whose entries depend on the scenario."""
        if self.sector is None or (self.ref and self.ref.scenario):
            return False
        return any(e.scenarios != "all" for e in self.sector.entries)

    def sensitive_definition(self) -> tuple[str, SensitiveDefinition] | None:
        """The governing list's own definition of sensitive PI for this scope (the sector's,
        else the list's), with the id of the list that gives it."""
        if self.zone_list is None:
            return None
        if self.sector is not None and self.sector.sensitive_pi is not None:
            origin = self.ref.origin if self.ref and self.ref.origin else self.zone_list.id
            return origin, self.sector.sensitive_pi
        if self.zone_list.sensitive_pi is not None:
            return self.zone_list.id, self.zone_list.sensitive_pi
        return None


_ENTRIES: dict[tuple[object, ...], tuple[object, list[tuple[Entry, list[str]]]]] = {}


def _entries(
    zl: ZoneList | None,
    sector: Sector | None,
    scenario: Scenario | None,
    origin: str,
    list_pools: tuple[str, ...],
) -> list[tuple[Entry, list[str]]]:
    """Memoised by object identity; the cached value keeps the objects alive, so ids stay
    unique while they are keys."""
    key = (id(zl), id(sector), id(scenario), origin, list_pools)
    hit = _ENTRIES.get(key)
    if hit is None:
        if len(_ENTRIES) > 4096:
            _ENTRIES.clear()
        found = _compute_entries(zl, sector, scenario, origin, list_pools)
        hit = ((zl, sector, scenario), found)
        _ENTRIES[key] = hit
    return hit[1]


def _compute_entries(
    zl: ZoneList | None,
    sector: Sector | None,
    scenario: Scenario | None,
    origin: str,
    list_pools: tuple[str, ...],
) -> list[tuple[Entry, list[str]]]:
    if zl is None:
        return []
    out = [(e, list(list_pools or (zl.id,))) for e in zl.entries]
    if sector is None:
        return out
    prefix = f"{origin or zl.id}/{sector.id}"
    for e in sector.entries:
        if e.scenarios == "all":
            out.append((e, [prefix]))
        elif scenario is not None and scenario.id in e.scenarios:
            # Persons reported for the sector as a whole may be in any of its scenarios.
            out.append((e, [f"{prefix}/{s}" for s in e.scenarios] + [f"{prefix}/*"]))
    return out


def list_pools(zl: ZoneList, catalog: Catalog) -> tuple[str, ...]:
    """List-wide entries count every scope of the list: its own (`zl.id/…`) and the sectors it
    incorporates, which keep counting under the edition that wrote them."""
    memo: dict[str, tuple[str, ...]] = catalog.cache("list_pools")
    found = memo.get(zl.id)
    if found is None:
        pools = [zl.id]
        for sector in zl.sectors:
            origin = catalog.origin(zl, sector.id)
            if origin != zl.id:
                pools.append(f"{origin}/{sector.id}")
        found = memo[zl.id] = tuple(pools)
    return found


@dataclass(frozen=True)
class Where:
    """What placement needs to know of the processor and the day."""

    processor: Processor
    registered: Site
    exports: Site
    day: dt.date
    catalog: Catalog
    readings: Readings
    # Adopt only this list (an id) where the processor's zone may adopt other zones' lists; None:
    # the first adoptable list. The zone what-if uses it to show each adoptable list apart.
    adopt: str | None = None

    @property
    def sites(self) -> tuple[Site, ...]:
        return (self.registered, self.exports)


def place(t: Transfer, refs: list[ScopeRef], where: Where, uncovered: Rule | None) -> Placement:
    catalog, notes = where.catalog, list[Finding]()
    if not any(s.zone or s.city for s in where.sites):
        return Placement()
    own = [zl for zl in catalog.lists_at(where.sites, where.day) if zl.kind == "negative"]
    for zl in own:
        found = _in_list(zl, t, refs, catalog)
        if found is not None and _applies(zl, where, notes):
            return found.with_notes(notes, list_pools(zl, catalog))
    own_sectors = {s.id for zl in own for s in zl.sectors}
    for adoption in catalog.adoptions_at(where.sites, where.day):
        adopted = _adopted(adoption, refs, own_sectors, where, notes)
        if adopted is not None:
            adopted_list = adopted.placement.zone_list
            assert adopted_list is not None
            return adopted.with_notes(notes, list_pools(adopted_list, catalog))
    if uncovered is not None and any(_may_apply(zl, where) for zl in own):
        key = "scope_national_no_scenario" if t.scenario is None else "scope_out"
        notes.append(Finding(uncovered, facts=PHRASES[key]))
    return Placement(notes=notes, general_ref=_general(refs, where, notes))


def _general(refs: list[ScopeRef], where: Where, notes: list[Finding]) -> ScopeRef | None:
    """A general data list (positive list) of the zone naming the scenario: listed general data
    flows freely once filed; PI and important data still follow the rules that govern them."""
    for ref in refs:
        zl = ref.zone_list
        if zl.kind != "general" or not zl.in_force.covers(where.day):
            continue
        if not _applies(zl, where, notes):
            continue
        scope = fmt("scope_general", list=zl.title, scope=scope_name(ref))
        notes.append(Finding(zl.applicability.registered_in_zone, facts=scope))
        return ref
    return None


# -- who a list applies to -----------------------------------------------------------------------
def _test_holds(test: str, area: str, zones: list[str], where: Where) -> bool | None:
    """Whether the processor meets a scope test; None when the test is unknown and its two
    readings (registration, activity) disagree for this processor."""
    registered = where.catalog.in_area(zones, area, where.registered)
    exports = where.catalog.in_area(zones, area, where.exports)
    if test == "registration":
        return registered
    if test == "activity":
        return exports
    if test == "registration_and_activity":
        return registered and exports
    return registered if registered == exports else None


def _applies(zl: ZoneList, where: Where, notes: list[Finding]) -> bool:
    """Whether the list applies to the processor: its test, then whether it admits a CIIO.
    What no source states is one question per list, read through `Readings`."""
    a = zl.applicability
    holds = _test_holds(a.test, a.area, zl.zones, where)
    if holds is False:
        return False
    ciio = where.processor.ciio
    if ciio and a.ciio_rule == "excluded" and a.excludes_ciio is not None:
        notes.append(Finding(a.excludes_ciio, facts=fmt("scope_ciio", list=zl.title)))
        return False
    open_ = _test_reading(zl.zones, a.area, where) if holds is None else []
    open_ += ["admitted"] if ciio and a.ciio_rule == "unknown" else []
    if open_:
        return _read(where, notes, zl.id, a.registered_in_zone, open_, zl.title)
    if a.test == "unknown":
        notes.append(Finding(a.registered_in_zone, facts=fmt("readings_agree", list=zl.title)))
    return True


def _test_reading(zones: list[str], area: str, where: Where) -> list[str]:
    """The reading of an unknown test under which the processor is in the area (the other puts
    it outside)."""
    registered = where.catalog.in_area(zones, area, where.registered)
    return ["registration" if registered else "activity"]


def _may_apply(zl: ZoneList, where: Where) -> bool:
    a = zl.applicability
    return _test_holds(a.test, a.area, zl.zones, where) is not False


def _admits(zl: ZoneList, where: Where, notes: list[Finding]) -> bool:
    """Whether an adopted list admits this processor as a CIIO (every list admits a non-CIIO)."""
    a = zl.applicability
    if not where.processor.ciio:
        return True
    if a.ciio_rule == "excluded" and a.excludes_ciio is not None:
        notes.append(Finding(a.excludes_ciio, facts=fmt("scope_ciio", list=zl.title)))
        return False
    if a.ciio_rule == "unknown":
        return _read(where, notes, zl.id, a.registered_in_zone, ["admitted"], zl.title)
    return True


def _read(
    where: Where,
    notes: list[Finding],
    subject: str,
    rule: Rule,
    holding: list[str],
    name: Text | None = None,
) -> bool:
    """Whether `subject` applies under this run's reading of what no source states about it,
    noted with the reading taken (naming it by `name`, a list's title, when it has one)."""
    open_fact = fact(subject, rule, holding)
    reading = where.readings.pick(open_fact)
    found = reading == open_fact.holding
    label = open_fact.label(reading)
    key = "reading_applies" if found else "reading_not"
    facts = fmt(key, what=name or subject, reading_zh=label.zh, reading_en=label.en)
    notes.append(Finding(rule, facts=facts))
    return found


# -- which scope of a list ---------------------------------------------------------------------
def _in_list(zl: ZoneList, t: Transfer, refs: list[ScopeRef], catalog: Catalog) -> _Found | None:
    scope_rule = zl.applicability.registered_in_zone
    if t.scenario is None:
        if zl.scope != "comprehensive":
            return None
        return _Found(Placement(zl), Finding(scope_rule, facts=_scope(zl, PHRASES["scope_whole"])))
    exact = [r for r in refs if r.zone_list.id == zl.id]
    if exact:
        ref = exact[0]
        return _Found(Placement(zl, ref.sector, ref), _scope_finding(zl, ref))
    # The scenario is named in another edition: this edition's same sector governs it.
    by_id = {s.id: s for s in zl.sectors}
    for ref in refs:
        if ref.sector.id in by_id:
            sector = by_id[ref.sector.id]
            same = ScopeRef(zl, sector, None, catalog.origin(zl, sector.id))
            return _Found(Placement(zl, sector, same), _scope_finding(zl, same))
    if zl.scope == "comprehensive":
        return _Found(Placement(zl), Finding(scope_rule, facts=_scope(zl, PHRASES["scope_whole"])))
    return None


def _scope(zl: ZoneList, scope: Text) -> Text:
    return fmt("scope_list", list=zl.title, scope=scope)


def scope_name(ref: ScopeRef) -> Text:
    """A scope as a reader names it: the sector, and the scenario when one is named (the
    decision shows names; the ids stay in its `scope` fields)."""
    if ref.scenario is None:
        return ref.sector.name
    sector, scenario = ref.sector.name, ref.scenario.name
    return Text(zh=f"{sector.zh} · {scenario.zh}", en=f"{sector.en} · {scenario.en}")


def _scope_finding(zl: ZoneList, ref: ScopeRef) -> Finding:
    return Finding(zl.applicability.registered_in_zone, facts=_scope(zl, scope_name(ref)))


@dataclass(frozen=True)
class _Found:
    """A scope of a list that covers the transfer, before the list is known to apply."""

    placement: Placement
    scope: Finding

    def with_notes(self, notes: list[Finding], list_pools: tuple[str, ...]) -> Placement:
        p = self.placement
        found = _merged([*notes, self.scope, *_carried(p)])
        return Placement(p.zone_list, p.sector, p.ref, p.adoption, found, list_pools=list_pools)


def _merged(findings: list[Finding]) -> list[Finding]:
    """Notes of one rule (the scope rule: which readings were tried, which scope applies) as
    one finding whose facts join theirs."""
    out: list[Finding] = []
    for f in findings:
        same = next((o for o in out if o.rule is f.rule and o.pathway is None), None)
        if same is None or f.pathway is not None or not (same.facts and f.facts):
            out.append(f)
            continue
        same.facts = Text(zh=f"{same.facts.zh}；{f.facts.zh}", en=f"{same.facts.en}; {f.facts.en}")
        same.missing = (*same.missing, *f.missing)
    return out


def _carried(p: Placement) -> list[Finding]:
    inc = p.incorporation
    if inc is None or p.ref is None or p.zone_list is None:
        return []
    facts = fmt("incorporated", list=p.zone_list.id, scope=p.ref.pool)
    return [Finding(inc, facts=facts)]


def _adopted(
    adoption: Adoption,
    refs: list[ScopeRef],
    own_sectors: set[str],
    where: Where,
    notes: list[Finding],
) -> _Found | None:
    candidates = [
        ref
        for ref in refs
        if _adoptable(adoption, ref, own_sectors, where.day)
        and where.adopt in (None, ref.zone_list.id)
    ]
    if not candidates or not _adoption_holds(adoption, where, notes):
        return None
    for ref in candidates:
        if _admits(ref.zone_list, where, notes):
            facts = fmt("scope_adopted", list=ref.zone_list.title, scope=scope_name(ref))
            found = Placement(ref.zone_list, ref.sector, ref, adoption)
            return _Found(found, Finding(adoption, facts=facts))
    return None


def adoptable_lists(
    refs: list[ScopeRef], sites: tuple[Site, ...], day: dt.date, catalog: Catalog
) -> list[str]:
    """Ids of the lists a processor at `sites` may use through adoption for these scopes, as
    `place` would consider them (the zone what-if shows each apart; `Where.adopt` picks one)."""
    own = [zl for zl in catalog.lists_at(sites, day) if zl.kind == "negative"]
    own_sectors = {s.id for zl in own for s in zl.sectors}
    found: dict[str, None] = {}
    for adoption in catalog.adoptions_at(sites, day):
        for ref in refs:
            if _adoptable(adoption, ref, own_sectors, day):
                found.setdefault(ref.zone_list.id)
    return list(found)


def _adoptable(adoption: Adoption, ref: ScopeRef, own_sectors: set[str], day: dt.date) -> bool:
    zl = ref.zone_list
    return (
        adoption.zone not in zl.zones
        and zl.kind == "negative"
        and zl.in_force.covers(day)
        and zl.confidence in "HM"  # officially released lists only
        and adoption.covers(zl)
        and not (adoption.only_uncovered_sectors and ref.sector.id in own_sectors)
    )


def _adoption_holds(adoption: Adoption, where: Where, notes: list[Finding]) -> bool:
    holds = _test_holds(adoption.test, adoption.area, [adoption.zone], where)
    if holds is False:
        return False
    zones = [adoption.zone]
    open_ = _test_reading(zones, adoption.area, where) if holds is None else []
    open_ += ["adopted"] if adoption.conditions == "unknown" else []
    if open_:
        return _read(where, notes, adoption.rule, adoption, open_)
    return True
