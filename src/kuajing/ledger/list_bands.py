"""The bands of a free-trade-zone list that a forecast draws on one of the ledger's list counters.

A list counter is a counting pool (`ScopeRef.pool`): persons exported since 1 January under one
scope of a list. Its bands are the entries of the edition in force on the forecast's day that
apply to that scope, placed as the engine places a transfer (`engine.placement`): the list-wide
entries, the sector's, and the scenario's, each with the pools its threshold sums. Where the
edition's entries for the scope are not encoded, no band is drawn and the counter says why:
silence would read as "no threshold"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from kuajing.catalog import Catalog
from kuajing.catalog.base import Counter as RuleCounter
from kuajing.catalog.base import Pathway, Text
from kuajing.catalog.catalog import ScopeRef
from kuajing.catalog.models import ZoneList
from kuajing.engine.placement import Placement, list_pools, scope_name

# The forecast's counters, and the catalogue's field of coverage that says whether the list's
# bands for that kind of PI are encoded (as the engine reads it, engine/evaluate.py).
COVERAGE = {"personal": "personal_information", "sensitive": "sensitive_pi"}

NOT_ENCODED = Text(
    zh="该清单对这一范围的人数门槛尚未录入：需人工复核（在复核前，请按全国门槛从严对待）。",
    en="The list's thresholds for this scope are not encoded: needs review (until then, treat "
    "the national thresholds as the stricter guide).",
)
PARTLY_ENCODED = Text(
    zh="该清单对这一范围的人数门槛只录入了一部分：图中的门槛可能不全，需人工复核。",
    en="The list's thresholds for this scope are only partly encoded: the bands shown may be "
    "incomplete; needs review.",
)
BY_SCENARIO = Text(
    zh="该行业的门槛按具体场景而定：按行业整体记录的批次计入各场景的门槛，请在记录批次时写明场景。",
    en="This sector's thresholds depend on the scenario: batches recorded for the sector as a "
    "whole count towards each scenario's bands; name the scenario when recording a batch.",
)
GENERAL_LIST = Text(
    zh="这是一般数据清单：清单所列一般数据可自由出境，不设人数门槛；个人信息仍按所适用的规则计数。",
    en="This is a general data list: the general data it names flows freely and it sets no "
    "person thresholds; personal information still follows the rules that govern it.",
)


NOT_YOURS = Text(
    zh="该清单既不是贵司所在自贸区的清单，也不是所在自贸区允许采用的其他清单：不适用于贵司，"
    "只显示趋势，不显示门槛、不发提醒。",
    en="This list is neither your zone's nor one your zone lets you use: it does not govern "
    "your exports, so only its trend is shown, with no bands and no notices.",
)


def not_in_force(day: dt.date) -> Text:
    return Text(
        zh=f"{day} 没有在施行中的清单版本包含这一范围：其门槛不适用"
        "（新版本的门槛计在新版本的计数器中）。",
        en=f"No edition of the list in force on {day} holds this scope: its bands do not apply "
        "(a newer edition's bands are counted under that edition's counters).",
    )


@dataclass(frozen=True)
class Band:
    """One entry's threshold: `bound` persons in the summed `pools` lead to `pathway`."""

    rule: str  # the entry's rule id
    entry: str  # the entry's id
    pathway: Pathway
    bound: int
    pools: tuple[str, ...]  # what the threshold sums: equal to, or under, each (engine's Tally)


@dataclass(frozen=True)
class CounterBands:
    name: Text | None  # the list and the scope, as a reader names them
    bands: list[Band] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)


ListBands = dict[tuple[str, str], CounterBands]  # (pool, forecast counter) -> its bands


Governs = Callable[[ScopeRef], bool]  # whether a list's scope may govern the company's exports


def list_bands(
    catalog: Catalog, scopes: list[str], day: dt.date, governs: Governs | None = None
) -> ListBands:
    """The bands of each list scope for the forecast's two counters on `day`. `governs`: which
    lists may govern the company (its zone's, and those its zone lets it adopt); None when its
    zone is not known, and every list's bands are shown."""
    return {
        (scope, counter): counter_bands(catalog, scope, counter, day, governs)
        for scope in scopes
        for counter in COVERAGE
    }


def counter_bands(
    catalog: Catalog, scope: str, counter: str, day: dt.date, governs: Governs | None = None
) -> CounterBands:
    refs = refs_of(catalog, scope)
    governing = [r for r in refs if r.zone_list.in_force.covers(day)]
    if not governing:
        name = _name(refs[0]) if refs else None
        return CounterBands(name, notes=[not_in_force(day)])
    ref = governing[0]  # one edition of a list family is in force on a day
    if governs is not None and not governs(ref):
        return CounterBands(_name(ref), notes=[NOT_YOURS])
    if ref.zone_list.kind == "general":
        return CounterBands(_name(ref), notes=[GENERAL_LIST])
    placed = Placement(
        ref.zone_list, ref.sector, ref, list_pools=list_pools(ref.zone_list, catalog)
    )
    coverage = placed.coverage(COVERAGE[counter])
    notes = {"unknown": [NOT_ENCODED], "partial": [PARTLY_ENCODED]}.get(coverage, [])
    if placed.scenario_specific_entries():
        notes.append(BY_SCENARIO)
    bands = [
        Band(entry.rule, entry.id, entry.pathway, th.band()[0], tuple(pools))
        for entry, pools in placed.entries()
        if (th := entry.threshold) is not None
        and charted_on(th.counter) == counter
        # Unread PI bands are not drawn: the note says so. Important-data thresholds on
        # persons are encoded data of their own (the coverage's `important_data`).
        and (entry.category != "personal_information" or coverage != "unknown")
    ]
    return CounterBands(_name(ref), bands, notes)


def charted_on(counter: RuleCounter) -> str | None:
    """The forecast counter a threshold is drawn on. `persons` (anyone whose PI leaves) is the
    ledger's personal counter: every batch counts its persons there (ledger.models
    COUNTING_RULE). `processed` is not a count of exports."""
    return {"personal": "personal", "persons": "personal", "sensitive": "sensitive"}.get(counter)


def refs_of(catalog: Catalog, pool: str) -> list[ScopeRef]:
    """Every scope of every edition that counts in `pool` (an incorporating edition's scope
    counts in the pool of the edition that wrote it)."""
    memo: dict[str, list[ScopeRef]] = catalog.cache("forecast_pool_refs", limit=4096)
    found = memo.get(pool)
    if found is None:
        every = (r for zl in catalog.lists.values() for r in _refs(catalog, zl))
        found = memo[pool] = [r for r in every if r.pool == pool]
    return found


def _refs(catalog: Catalog, zl: ZoneList) -> list[ScopeRef]:
    out = []
    for sector in zl.sectors:
        origin = catalog.origin(zl, sector.id)
        out.append(ScopeRef(zl, sector, None, origin))
        out += [ScopeRef(zl, sector, sc, origin) for sc in sector.scenarios]
    return out


def _name(ref: ScopeRef) -> Text:
    scope, title = scope_name(ref), ref.zone_list.title
    return Text(zh=f"{title.zh} · {scope.zh}", en=f"{title.en} · {scope.en}")


def in_pools(scope: str, pools: tuple[str, ...]) -> bool:
    """Whether a ledger scope counts towards a threshold that sums `pools` (as the engine's
    tally sums a pool and every pool under it)."""
    return any(scope == p or scope.startswith(p + "/") for p in pools)
