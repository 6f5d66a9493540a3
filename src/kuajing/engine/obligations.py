"""Obligations that go with a transfer's outcome, from the national catalogue and the governing
list (list-wide and sector obligations)."""

from __future__ import annotations

import datetime as dt

from kuajing.catalog.base import Pathway
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.models import Condition, Entry, Obligation
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
) -> list[Obligation]:
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
    general = pl.general.id if pl.general else None
    key = (pl.pool, general, scenario, pathway, tuple(facts.values()), t.exemption, exempt, day)
    if key not in memo:
        memo[key] = _select(catalog, day, t, pl, pathway, facts, exempt)
    return memo[key]


def _select(
    catalog: Catalog,
    day: dt.date,
    t: Transfer,
    pl: Placement,
    pathway: Pathway,
    facts: dict[str, bool],
    exempt: bool,
) -> list[Obligation]:
    candidates = list(catalog.obligations)
    if pl.general is not None:
        candidates += pl.general.obligations
    if pl.zone_list is not None and not exempt:
        candidates += pl.zone_list.obligations
        candidates += pl.sector.obligations if pl.sector else []
    return [
        o
        for o in candidates
        if o.in_force.covers(day)
        and _holds(o.when, pathway, facts, t, exempt)
        and _in_scenarios(o.when, pl)
    ]


def _in_scenarios(when: Condition, pl: Placement) -> bool:
    if when.scenarios is None:
        return True
    scenario = pl.ref.scenario if pl.ref else None
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
