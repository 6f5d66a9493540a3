"""The catalogue shaped for the web pages: zones with their lists, one list by sectors and
scenarios, any item with its surroundings (for breadcrumbs and links), the places that cite a
source, the national rules, and search hits grouped by list. The lists' summaries, coverage and
hits come from `services.catalog`, as for the CLI and the API; how much of the lists in force
kuajing decides from `services.in_force`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from kuajing.catalog import Catalog
from kuajing.catalog.base import Cite, Cited, Lang, Period, Text, Threshold
from kuajing.catalog.models import (
    Adoption,
    Entry,
    NationalRegime,
    Obligation,
    Prohibition,
    Rule,
    Scenario,
    Sector,
    Source,
    Zone,
    ZoneList,
)
from kuajing.errors import KuajingError, NotFound
from kuajing.services.catalog import Hit, ListCoverage, ListSummary, coverage, search, summaries
from kuajing.services.in_force import measured

MAX_QUERY = 200  # as the API's search


def status(period: Period, today: dt.date) -> str:
    """in_force | superseded | not_yet_in_force, as `summaries` says of lists."""
    if today < period.start:
        return "not_yet_in_force"
    return "in_force" if period.covers(today) else "superseded"


# -- the lists in force (/catalog, /catalog/coverage) ---------------------------------------------
def in_force_line(catalog: Catalog, lang: Lang, today: dt.date) -> str:
    """The line the catalogue's index and coverage pages open with: "Lists in force: 19 of 207
    published scenarios and sub-classes decide, and 8 more in part"."""
    return measured(catalog, today, lang).line(lang)


# -- /catalog ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dated:
    """A dated rule (adoption, regime, prohibition, obligation) with its status today."""

    rule: Adoption | NationalRegime | Prohibition | Obligation
    status: str


@dataclass(frozen=True)
class ZoneRow:
    zone: Zone
    lists: list[ListSummary]
    adoptions: list[Dated]


@dataclass(frozen=True)
class Overview:
    zones: list[ZoneRow]
    regime: NationalRegime | None  # in force today


def overview(catalog: Catalog, lang: Lang, today: dt.date) -> Overview:
    rows = summaries(catalog, lang, today)
    return Overview(
        zones=[_zone_row(catalog, zone, rows, today) for zone in catalog.zones.values()],
        regime=catalog.regime_on(today),
    )


def _zone_row(catalog: Catalog, zone: Zone, rows: list[ListSummary], today: dt.date) -> ZoneRow:
    return ZoneRow(
        zone=zone,
        lists=[r for r in rows if zone.id in r.zones],
        adoptions=[
            Dated(a, status(a.in_force, today)) for a in catalog.adoptions if a.zone == zone.id
        ],
    )


# -- /catalog/lists/{id} -------------------------------------------------------------------------
@dataclass(frozen=True)
class ScenarioView:
    key: str  # the item id: list/sector/scenario
    scenario: Scenario
    entries: list[Entry]  # the sector's entries that apply to it
    shared: list[Entry]  # the list's entries for every sector that apply to it
    unencoded: bool


@dataclass(frozen=True)
class SectorView:
    key: str  # the item id: list/sector
    sector: Sector
    scenarios: list[ScenarioView]
    unencoded: bool  # the sector's own entries are not (fully) encoded


@dataclass(frozen=True)
class ListPage:
    zone_list: ZoneList
    summary: ListCoverage
    zones: list[Zone]
    supersedes: ListSummary | None
    superseded_by: list[ListSummary]
    sectors: list[SectorView]


def list_page(catalog: Catalog, list_id: str, lang: Lang, today: dt.date) -> ListPage:
    zl = catalog.lists.get(list_id)
    if zl is None:
        raise NotFound(f"{list_id!r} is no list id")
    rows = {r.id: r for r in coverage(catalog, lang, today)}
    summary = rows[list_id]
    return ListPage(
        zone_list=zl,
        summary=summary,
        zones=[catalog.zones[z] for z in zl.zones if z in catalog.zones],
        supersedes=rows.get(zl.supersedes or ""),
        superseded_by=[rows[o.id] for o in catalog.lists.values() if o.supersedes == zl.id],
        sectors=[sector_view(zl, s, summary) for s in zl.sectors],
    )


def sector_view(zl: ZoneList, sector: Sector, summary: ListCoverage) -> SectorView:
    """A sector with its scenarios, each marked unencoded as `coverage` reports it."""
    unencoded = set(summary.unencoded_scenarios)
    key = f"{zl.id}/{sector.id}"
    whole = zl.encoded == "headers_only" or bool({zl.id, key} & unencoded)
    return SectorView(
        key=key,
        sector=sector,
        scenarios=[
            ScenarioView(
                key=f"{key}/{sc.id}",
                scenario=sc,
                entries=applying(sector.entries, sc.id),
                shared=applying(zl.entries, sc.id),
                unencoded=whole or f"{key}/{sc.id}" in unencoded,
            )
            for sc in sector.scenarios
        ],
        unencoded=whole,
    )


def applying(entries: list[Entry], scenario: str) -> list[Entry]:
    return [e for e in entries if e.scenarios == "all" or scenario in e.scenarios]


def list_grades(catalog: Catalog) -> dict[str, str]:
    """Each list's grade (its best citation's), to flag lists known only from weak sources."""
    return {list_id: zl.confidence for list_id, zl in catalog.lists.items()}


def obligations_for(zl: ZoneList, sector: Sector, scenario: str) -> list[Obligation]:
    return [
        o
        for o in [*zl.obligations, *sector.obligations]
        if o.when.scenarios is None or scenario in o.when.scenarios
    ]


# -- /catalog/items/{ident} ----------------------------------------------------------------------
@dataclass(frozen=True)
class Citing:
    """A place that cites a source."""

    href: str
    label: Text
    rule: str | None
    cite: Cite


@dataclass(frozen=True)
class Item:
    """Any catalogue item by its id (as `kuajing catalog show` finds it), with its
    surroundings. Which fields are set depends on `kind`."""

    kind: str  # list | zone | source | sector | scenario | entry
    ident: str
    zone_list: ZoneList | None = None
    sector: SectorView | None = None
    scenario: ScenarioView | None = None
    entry: Entry | None = None
    zone: ZoneRow | None = None
    source: Source | None = None
    list_summary: ListCoverage | None = None
    scenarios: list[ScenarioView] = field(default_factory=list)  # an entry's scenarios
    obligations: list[Obligation] = field(default_factory=list)
    cited_by: list[Citing] = field(default_factory=list)


def item(catalog: Catalog, ident: str, lang: Lang, today: dt.date) -> Item:
    """The item `ident`, found in the order `services.catalog.show` looks: list, zone, source,
    then sectors, scenarios and entries (by id or rule) list by list."""
    if ident in catalog.lists:
        return Item(kind="list", ident=ident, zone_list=catalog.lists[ident])
    if ident in catalog.zones:
        rows = summaries(catalog, lang, today)
        row = _zone_row(catalog, catalog.zones[ident], rows, today)
        return Item(kind="zone", ident=ident, zone=row)
    if ident in catalog.sources:
        source = catalog.sources[ident]
        return Item(kind="source", ident=ident, source=source, cited_by=cited_by(catalog, ident))
    for zl in catalog.lists.values():
        found = _in_list(catalog, zl, ident, lang, today)
        if found is not None:
            return found
    raise NotFound(f"{ident!r} is no list, sector, scenario, entry, zone or source id")


def _in_list(catalog: Catalog, zl: ZoneList, ident: str, lang: Lang, today: dt.date) -> Item | None:
    entry = next((e for e in Catalog.entries_of(zl) if ident in (e.id, e.rule)), None)
    if entry is None and not ident.startswith(f"{zl.id}/"):
        return None
    summary = next(r for r in coverage(catalog, lang, today) if r.id == zl.id)
    views = [sector_view(zl, s, summary) for s in zl.sectors]
    for view in views:
        if ident == view.key:
            return Item("sector", ident, zl, view, list_summary=summary)
        for sc in view.scenarios:
            if ident == sc.key:
                obligations = obligations_for(zl, view.sector, sc.scenario.id)
                return Item(
                    "scenario", ident, zl, view, sc, list_summary=summary, obligations=obligations
                )
    if entry is None:
        return None
    owner = next((v for v in views if any(e is entry for e in v.sector.entries)), None)
    covered = [
        sc
        for view in ([owner] if owner else views)
        for sc in view.scenarios
        if entry.scenarios == "all" or sc.scenario.id in entry.scenarios
    ]
    return Item("entry", ident, zl, owner, entry=entry, list_summary=summary, scenarios=covered)


def cited_by(catalog: Catalog, source: str) -> list[Citing]:
    """Every place in the catalogue that cites `source`."""
    return [c for c in _citings(catalog) if c.cite.source == source]


def _citings(catalog: Catalog) -> Iterator[Citing]:
    for zl in catalog.lists.values():
        yield from _list_citings(zl)
    for regime in catalog.regimes:
        href = f"/catalog/national#{regime.id}"
        yield from _cites(href, regime.title, None, regime)
        rules = [*regime_rules(regime).values(), *regime.thresholds, *regime.exemptions.values()]
        for rule in rules:  # a rule code may repeat within a regime: link to the regime
            yield from _cites(href, regime.title, rule.rule, rule)
    for rule in [*catalog.prohibitions, *catalog.obligations]:
        yield from _cites(f"/catalog/national#{rule.rule}", rule.text, rule.rule, rule)
    for adoption in catalog.adoptions:
        zone = catalog.zones.get(adoption.zone)
        label = zone.name if zone else adoption.text
        yield from _cites(f"/catalog/items/{adoption.zone}", label, adoption.rule, adoption)


def _list_citings(zl: ZoneList) -> Iterator[Citing]:
    href = f"/catalog/lists/{zl.id}"
    yield from _cites(href, zl.title, None, zl)
    yield from _cites(href, zl.title, None, zl.published_counts)
    app = zl.applicability
    for rule in (app.registered_in_zone, app.excludes_ciio, app.excluded_data):
        if rule is not None:
            yield from _cites(f"{href}#applicability", zl.title, rule.rule, rule)
    for ob in zl.obligations:
        yield from _cites(f"{href}#obligations", zl.title, ob.rule, ob)
    for inc in zl.incorporates:
        yield from _cites(href, zl.title, inc.rule, inc)
    # Sectors the list incorporates are cited where they are written (the earlier edition).
    own = [s for s in zl.sectors if zl.incorporation_of(s.id) is None]
    for sector in own:
        key = f"{zl.id}/{sector.id}"
        yield from _cites(f"/catalog/items/{key}", sector.name, None, sector)
        for sc in sector.scenarios:
            yield from _cites(f"/catalog/items/{key}/{sc.id}", sc.name, None, sc)
        for ob in sector.obligations:
            yield from _cites(f"/catalog/items/{key}", sector.name, ob.rule, ob)
    for entry in [*zl.entries, *(e for s in own for e in s.entries)]:
        yield from _cites(f"/catalog/items/{entry.id}", entry.sub_class, entry.rule, entry)


def _cites(href: str, label: Text, rule: str | None, item: Cited) -> Iterator[Citing]:
    for cite in item.cite:
        yield Citing(href=href, label=label, rule=rule, cite=cite)


# -- /catalog/national ---------------------------------------------------------------------------
def regime_rules(regime: NationalRegime) -> dict[str, Rule]:
    """A regime's single rules by their role (the keys name phrases `cat_role_<key>`), in the
    order a reader needs them; thresholds and exemptions are shown apart."""
    roles: dict[str, Rule | None] = {
        "window_rule": regime.window_rule,
        "no_pi": regime.no_pi,
        "important_data": regime.important_data,
        "ciio": regime.ciio,
        "floor": regime.floor,
        "exemption_not_for_important_data": regime.exemption_not_for_important_data,
        "exemption_unavailable": regime.exemption_unavailable,
        "ciio_exemption": regime.ciio_exemption,
        "ftz_off_list": regime.ftz_off_list,
        "ftz_uncovered": regime.ftz_uncovered,
    }
    return {role: rule for role, rule in roles.items() if rule is not None}


def drafting(threshold: Threshold) -> str:
    """A threshold in the words the Provisions use, numbers in digits: `100,000以上、不满
    1,000,000` (以上 and 以下 include the number, 超过 and 不满 exclude it)."""
    words = (
        ("at_least", "{}以上"),
        ("more_than", "超过{}"),
        ("below", "不满{}"),
        ("at_most", "{}以下"),
    )
    return "、".join(
        form.format(f"{value:,}")
        for attr, form in words
        if (value := getattr(threshold, attr)) is not None
    )


@dataclass(frozen=True)
class National:
    regimes: list[Dated]  # the newest first
    prohibitions: list[Dated]
    obligations: list[Dated]


def national(catalog: Catalog, today: dt.date) -> National:
    regimes = sorted(catalog.regimes, key=lambda r: r.in_force.start, reverse=True)
    return National(
        regimes=[Dated(r, status(r.in_force, today)) for r in regimes],
        prohibitions=[Dated(p, status(p.in_force, today)) for p in catalog.prohibitions],
        obligations=[Dated(o, status(o.in_force, today)) for o in catalog.obligations],
    )


# -- /catalog/coverage ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    ident: str
    name: Text


@dataclass(frozen=True)
class CoverageRow:
    row: ListCoverage
    unencoded: list[Scope]


def coverage_page(catalog: Catalog, lang: Lang, today: dt.date) -> list[CoverageRow]:
    return [
        CoverageRow(row=r, unencoded=[_scope(catalog, key) for key in r.unencoded_scenarios])
        for r in coverage(catalog, lang, today)
    ]


def _scope(catalog: Catalog, key: str) -> Scope:
    list_id, _, rest = key.partition("/")
    zl = catalog.lists[list_id]
    sector_id, _, scenario_id = rest.partition("/")
    sector = next((s for s in zl.sectors if s.id == sector_id), None)
    if sector is None:
        return Scope(key, zl.title)
    scenario = next((sc for sc in sector.scenarios if sc.id == scenario_id), None)
    if scenario is None:
        return Scope(key, sector.name)
    both = Text(
        zh=f"{sector.name.zh} · {scenario.name.zh}", en=f"{sector.name.en} · {scenario.name.en}"
    )
    return Scope(key, both)


# -- /catalog/search -----------------------------------------------------------------------------
@dataclass(frozen=True)
class HitGroup:
    summary: ListSummary
    hits: list[Hit]


@dataclass(frozen=True)
class Found:
    query: str
    groups: list[HitGroup]
    problem: str | None = None  # empty | too_long: the phrase `cat_search_<problem>`

    @property
    def count(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def find(catalog: Catalog, query: str, lang: Lang, today: dt.date) -> Found:
    """Search hits grouped by the list they belong to, the lists in the catalogue's order."""
    query = query.strip()
    if len(query) > MAX_QUERY:
        return Found(query[:MAX_QUERY], [], "too_long")
    try:
        hits = search(catalog, query, lang) if query else None
    except KuajingError:  # nothing left once spaces and punctuation are ignored
        hits = None
    if hits is None:
        return Found(query, [], "empty")
    owners = _entry_lists(catalog)
    groups: dict[str, HitGroup] = {}
    rows = {r.id: r for r in summaries(catalog, lang, today)}
    for hit in hits:
        owner = hit.id.split("/")[0] if "/" in hit.id else owners[hit.id]
        groups.setdefault(owner, HitGroup(rows[owner], [])).hits.append(hit)
    return Found(query, list(groups.values()))


def _entry_lists(catalog: Catalog) -> dict[str, str]:
    """Entry id -> the id of its list."""
    return {e.id: zl.id for zl in catalog.lists.values() for e in Catalog.entries_of(zl)}
