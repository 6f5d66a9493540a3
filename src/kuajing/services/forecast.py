"""Threshold forecasts for the CLI, the API and the pages: the ledger's daily counts and the
register's expected volumes, projected to 31 December (`kuajing.ledger.forecast`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.catalog import ScopeRef, Site
from kuajing.catalog.models import NationalRegime
from kuajing.engine.placement import adoptable_lists
from kuajing.errors import NotFound, RequestError
from kuajing.ledger.forecast import Expected, Forecast, Method, build_forecast
from kuajing.ledger.lead_time import Leads
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.list_bands import Governs, list_bands
from kuajing.ledger.models import NATIONAL
from kuajing.register.models import IN_REQUEST, Flow
from kuajing.services.ledger import _known

COUNTING = ("active", "planned")  # a paused or retired flow is expected to export nobody


def forecast(
    ledger: Ledger,
    catalog: Catalog,
    processor: str,
    *,
    today: dt.date | None = None,
    method: Method | None = None,
    flows: Sequence[Flow] = (),
    known: bool = True,
    zone: str | None = None,
) -> Forecast:
    """The year of `today` for `processor`. Without `method`: `expected` when the register
        holds flows that export, else `rate`. `known`: the processor must have batches (the CLI);
        an organisation's page forecasts from its flows alone before its first batch. `zone`: where
    the company is registered, when known: another zone's list that it may not adopt shows no
    bands (the ledger counts a batch in every list scope its scenario names)."""
    today = today or dt.date.today()
    if known:
        _known(ledger, processor)
    regime = _regime(catalog, today)
    expected = expected_from_flows(flows, today, catalog)
    chosen: Method = method or ("expected" if expected else "rate")
    if chosen == "expected" and not expected:
        raise RequestError(
            "no expected volumes: the register holds no active or planned flow that counts "
            "(use the rate method, or add the flows to the register)",
            zh="没有预计人数：登记册中没有计入人数的在用或计划中事项（请改用按速度推算，或在登记册中添加事项）",
            path="method",
        )
    daily = ledger.daily(processor, today.year)
    scopes = [s for s in daily if s != NATIONAL]
    bands = list_bands(catalog, scopes, today, _governs(catalog, zone, today) if zone else None)
    leads = Leads(catalog.procedures)
    return build_forecast(processor, today, regime, daily, expected, chosen, leads, bands)


def tenant_forecast(
    ledger: Ledger,
    catalog: Catalog,
    who: Principal,
    *,
    today: dt.date | None = None,
    method: Method | None = None,
    flows: Sequence[Flow] = (),
) -> Forecast:
    """The caller's organisation's forecast: its own processor's counts, nobody else's (before
    its first batch, its counters stand at 0). A zone's centre exports nothing of its own."""
    if who.zone_staff:
        raise NotFound("no forecast for a zone organisation")
    return forecast(
        ledger,
        catalog,
        who.organisation.processor,
        today=today,
        method=method,
        flows=flows,
        known=False,
        zone=who.organisation.zone,
    )


def _governs(catalog: Catalog, zone: str, day: dt.date) -> Governs:
    """Whether a list's scope may govern a company registered (and exporting) in `zone` on
    `day`: a list of its zone, or one its zone's adoption rules let it use for that scope (the
    engine's own test, `adoptable_lists`; which one governs an export, placement decides)."""
    found = catalog.zone_id(zone)
    if found is None:
        return lambda ref: True  # a zone the catalogue does not know: nothing is ruled out
    sites = (Site(city=catalog.zones[found].city, zone=found),) * 2
    own = {zl.id for zl in catalog.lists_at(sites, day)}

    def governs(ref: ScopeRef) -> bool:
        if ref.zone_list.id in own:
            return True
        return ref.zone_list.id in adoptable_lists([ref], sites, day, catalog)

    return governs


def flows_of(engine: Engine, who: Principal) -> list[Flow]:
    """The organisation's planned and active flows in its register (its expected volumes)."""
    from kuajing.register.store import FlowStore  # noqa: PLC0415  (only when used)

    return [s.flow for s in FlowStore(engine).all(who, IN_REQUEST)]


def expected_from_flows(flows: Sequence[Flow], today: dt.date, catalog: Catalog) -> list[Expected]:
    """What each counting flow is expected to add after `today` and through 31 December. A
    flow's volumes are new persons per period (register.models): its periods left in the year,
    spread evenly over the days from tomorrow (or its start) to 31 December; a one-off export
    falls on its start day."""
    end = dt.date(today.year, 12, 31)
    out = []
    for f in flows:
        if f.status not in COUNTING or f.exemption is not None or today >= end:
            continue
        start = max(today + dt.timedelta(days=1), f.starts or today)
        if start.year != today.year:
            continue
        if f.frequency == "once":
            if f.starts is None or f.starts <= today:
                continue  # done already: its persons are in the ledger
            periods, last = 1.0, start
        else:
            every = f.model_copy(update={"starts": None}).periods_in_year(today.year)
            periods, last = every * ((end - start).days + 1) / _year_days(today.year), end
        scopes = sorted({ref.pool for ref in catalog.scopes(f.scenario)} if f.scenario else set())
        out.append(
            Expected(
                flow=f.key,
                personal=f.personal * periods,
                sensitive=f.sensitive * periods,
                start=start,
                end=last,
                scopes=scopes,
            )
        )
    return [e for e in out if e.personal or e.sensitive]


def _year_days(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def _regime(catalog: Catalog, day: dt.date) -> NationalRegime:
    regime = catalog.regime_on(day)
    if regime is None:
        raise RequestError(f"no national regime in the catalogue on {day}", path="date")
    if regime.window != "current_year":
        raise RequestError(
            f"the rules in force on {day} count persons over another window than the calendar "
            "year: a year's forecast does not apply",
            zh=f"{day} 适用的规则不按自然年计数：不适用年度预测",
            path="date",
        )
    return regime
