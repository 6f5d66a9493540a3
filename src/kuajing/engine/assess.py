"""assess(): a validated request and the catalogue in, a typed decision out. Pure: no I/O.

Where the rules leave a fact open (a list's applicability test, a CIIO exclusion, an adoption's
conditions) and the request's facts do not settle it, the request is assessed under each reading
(`readings.explore`) and the answers are combined (`combine.py`)."""

from __future__ import annotations

import datetime as dt

from kuajing.catalog.base import Counter, Lang, strictest
from kuajing.catalog.catalog import Catalog, ScopeRef
from kuajing.catalog.models import NationalRegime, Obligation
from kuajing.engine.combine import combine
from kuajing.engine.counting import Span, Tally, new_spans
from kuajing.engine.decision import (
    Counts,
    CountsOut,
    Decision,
    Guidance,
    TransferDecision,
)
from kuajing.engine.evaluate import COVERAGE as _COVERAGE
from kuajing.engine.evaluate import Context, exemption_status, outcome
from kuajing.engine.findings import Finding
from kuajing.engine.guidance import earlier_placement
from kuajing.engine.obligations import obligations_for
from kuajing.engine.placement import Placement, Where, place
from kuajing.engine.readings import Readings, explore
from kuajing.engine.render import Render
from kuajing.engine.request import Request, Transfer
from kuajing.engine.resolve import Resolved, resolve
from kuajing.errors import RequestError
from kuajing.i18n import fmt
from kuajing.yamlio import format_path


def assess(
    request: Request,
    catalog: Catalog,
    lang: Lang = "en",
    explain: bool = False,
    *,
    adopt: str | None = None,
) -> Decision:
    """`adopt`: a list id; where the processor's zone may adopt other zones' lists, only that
    one is adopted (None: the first that covers each transfer, as the zone's rule allows)."""
    regime = catalog.regime_on(request.date)
    if regime is None:
        first = catalog.regimes[0].in_force.start if catalog.regimes else None
        raise RequestError(
            f"no national regime in the catalogue on {request.date} (it starts on {first})",
            path="date",
            loc=("date",),
        )
    resolved = resolve(request, catalog)
    render = Render(catalog, lang)

    def once(readings: Readings) -> Decision:
        return _assess(request, catalog, regime, resolved, readings, render, explain, adopt)

    readings = Readings()
    decision = once(readings)
    if not readings.open:  # the usual case: no fact the sources leave open matters here
        return decision
    runs, untried = explore(once)
    return combine(runs, untried, render)


def _assess(
    request: Request,
    catalog: Catalog,
    regime: NationalRegime,
    resolved: Resolved,
    readings: Readings,
    render: Render,
    explain: bool,
    adopt: str | None = None,
) -> Decision:
    where = Where(
        request.processor,
        resolved.registered,
        resolved.exports,
        request.date,
        catalog,
        readings,
        adopt,
    )
    placements: dict[str, Placement] = {}
    exemptions: dict[str, tuple[bool, list[Finding]]] = {}
    for t in request.transfers:
        refs = resolved.scopes.get(t.id, [])
        asked = len(readings.log)
        placements[t.id] = place(t, refs, where, regime.ftz_uncovered)
        if len(readings.log) > asked:
            readings.by_transfer[t.id] = set(readings.log[asked:])
        exemptions[t.id] = exemption_status(regime, t, request.date)
    tally = _count(request, resolved.prior_scopes, placements, exemptions)
    ctx = Context(catalog, regime, request, tally)
    transfers = []
    memo: dict[tuple[object, ...], list[Obligation]] = catalog.cache("obligations")
    for t in request.transfers:
        pl, (exempt, notes) = placements[t.id], exemptions[t.id]
        out = outcome(ctx, t, pl, exempt, notes)
        obligations = obligations_for(
            catalog, request.date, t, pl, out, exempt, memo, request.processor.sector
        )
        decided = render.transfer(t, pl, exempt, out, obligations)
        if not out.determined and not exempt:
            guide = _guidance(ctx, t, pl, resolved.scopes.get(t.id, []), placements, render)
            decided = decided.model_copy(update={"guidance": guide}) if guide else decided
        transfers.append(decided)
    # Everything below was built from validated input and catalogue data: skip re-validation.
    return Decision(
        pathway=strictest([d.pathway for d in transfers]),
        status="needs_review"
        if any(d.status == "needs_review" for d in transfers)
        else "determined",
        date=request.date,
        rules_version=f"{catalog.version}+{catalog.digest}",
        national_regime=regime.id,
        window_start=_window_start(request.date, regime.window),
        counts=_counts(tally),
        transfers=transfers,
        missing=[f"{d.id}: {m}" for d in transfers for m in d.missing],
        trace=_trace(tally, transfers) if explain else None,
    )


def _count(
    request: Request,
    prior_scopes: dict[str, list[ScopeRef]],
    placements: dict[str, Placement],
    exemptions: dict[str, tuple[bool, list[Finding]]],
) -> Tally:
    """Exempt transfers leave the counters (AMB-4). A transfer under a list counts in its list
    scope; where the list's entries are not fully encoded it also counts nationally (the
    stricter fallback). Scopes of two editions that count the same persons (an incorporated
    scenario) share one pool, so each name adds to it once."""
    tally = Tally()
    tally.add("national", request.prior)
    for name, refs in prior_scopes.items():
        for pool in dict.fromkeys(ref.pool for ref in refs):
            tally.add(pool, request.prior.scenarios[name])
    for i, t in enumerate(request.transfers):
        pl = placements[t.id]
        if not t.has_pi or exemptions[t.id][0]:
            continue
        added = new_spans(t)
        if pl.zone_list is not None:
            _check_already(tally, pl.pool, t, i, added)
            tally.add_spans(pl.pool, added)
        national = _national_part(pl, added)
        if national:
            _check_already(tally, "national", t, i, national)
            tally.add_spans("national", national)
    return tally


def _national_part(pl: Placement, added: dict[Counter, Span]) -> dict[Counter, Span]:
    """What of a transfer counts nationally: all of it outside a list; under a list, the kinds
    of PI whose entries are not fully encoded (they fall back to the national rules)."""
    if pl.zone_list is None:
        return added
    open_ = {c for c in ("personal", "sensitive") if pl.coverage(_COVERAGE[c]) != "complete"}
    if not open_:
        return {}
    return {c: span for c, span in added.items() if c in open_ or c == "persons"}


def _check_already(
    tally: Tally, pool: str, t: Transfer, index: int, added: dict[Counter, Span]
) -> None:
    """Persons a transfer says are already counted must have been counted before it, in each
    counter it adds to."""
    if t.already_counted is None:
        return
    for counter in ("personal", "sensitive"):
        if counter not in added:
            continue
        n = getattr(t.already_counted, counter)
        had = tally.total([pool], counter).low
        if n > had:
            where = ("transfers", index, "already_counted", counter)
            scope = "the national counters" if pool == "national" else f"counting scope {pool}"
            text = fmt("already_too_many", n=f"{n:,}", had=f"{had:,}", pool=scope).en
            raise RequestError(text, path=format_path(where), loc=where)


def _guidance(
    ctx: Context,
    t: Transfer,
    pl: Placement,
    refs: list[ScopeRef],
    placements: dict[str, Placement],
    render: Render,
) -> Guidance | None:
    """What the nearest earlier edition said, where the edition in force leaves the transfer
    to review because its rows are unknown."""
    earlier = earlier_placement(ctx.catalog, pl, refs)
    if earlier is None or earlier.zone_list is None:
        return None
    tally = ctx.tally.copy()
    for other in ctx.request.transfers:  # the request's exports in this scope, in the earlier one
        if placements[other.id].pool == pl.pool and other.has_pi:
            tally.add_spans(earlier.pool, new_spans(other))
    out = outcome(Context(ctx.catalog, ctx.regime, ctx.request, tally), t, earlier, False, [])
    zl = earlier.zone_list
    return Guidance(
        edition=zl.id,
        title=zl.title.get(render.lang),
        in_force_until=zl.in_force.until,
        scenario=earlier.ref.key if earlier.ref else None,
        pathway=out.pathway,
        status="determined" if out.determined else "needs_review",
        reasons=[render.reason(f) for f in out.findings if f.pathway is not None or f.facts],
    )


def _window_start(day: dt.date, window: str) -> dt.date:
    year = day.year if window == "current_year" else day.year - 1
    return dt.date(year, 1, 1)


def _counts(tally: Tally) -> Counts:
    def pool(name: str) -> CountsOut:
        return CountsOut(
            personal=tally.exact(name, "personal"), sensitive=tally.exact(name, "sensitive")
        )

    national = pool("national")
    scenarios = {name: pool(name) for name in tally.pools() if name != "national"}
    return Counts(personal=national.personal, sensitive=national.sensitive, scenarios=scenarios)


def _trace(tally: Tally, transfers: list[TransferDecision]) -> list[str]:
    lines = [
        f"pool {p}: personal={tally.total([p], 'personal').low} "
        f"sensitive={tally.total([p], 'sensitive').low}"
        for p in tally.pools()
    ]
    for d in transfers:
        lines.append(f"{d.id} [{d.regime}] -> {d.pathway.value} ({d.status})")
        for r in d.reasons:
            arrow = f" -> {r.pathway.value}" if r.pathway else ""
            lines.append(f"  {r.rule}{arrow}" + (f": {r.facts}" if r.facts else ""))
    return lines
