"""assess(): a validated request and the catalogue in, a typed decision out. Pure: no I/O.

Where the rules leave a fact open (a list's applicability test, a CIIO exclusion, an adoption's
conditions) and the request's facts do not settle it, the request is assessed under each reading
(`readings.explore`) and the answers are combined (`combine.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kuajing.catalog.base import Cite, Counter, Lang, Pathway, strictest
from kuajing.catalog.catalog import Catalog, ScopeRef
from kuajing.catalog.models import NationalRegime, Obligation, Rule
from kuajing.engine.counting import Span, Tally, new_spans
from kuajing.engine.decision import (
    Counts,
    CountsOut,
    Decision,
    FieldPlacement,
    Guidance,
    ObligationOut,
    Reason,
    SourceRef,
    TransferDecision,
)
from kuajing.engine.evaluate import COVERAGE as _COVERAGE
from kuajing.engine.evaluate import Context, exemption_status, outcome, place_fields
from kuajing.engine.findings import Finding, Outcome
from kuajing.engine.guidance import earlier_placement
from kuajing.engine.obligations import obligations_for
from kuajing.engine.placement import Placement, Where, place
from kuajing.engine.readings import Readings, explore
from kuajing.engine.request import Request, Transfer
from kuajing.engine.resolve import Resolved, resolve
from kuajing.errors import RequestError
from kuajing.i18n import fmt, loaded_from
from kuajing.yamlio import format_path


def assess(
    request: Request, catalog: Catalog, lang: Lang = "en", explain: bool = False
) -> Decision:
    regime = catalog.regime_on(request.date)
    if regime is None:
        first = catalog.regimes[0].in_force.start if catalog.regimes else None
        raise RequestError(
            f"no national regime in the catalogue on {request.date} (it starts on {first})",
            path="date",
            loc=("date",),
        )
    resolved = resolve(request, catalog)
    render = _Render(catalog, lang)

    def once(readings: Readings) -> Decision:
        return _assess(request, catalog, regime, resolved, readings, render, explain)

    readings = Readings()
    decision = once(readings)
    if not readings.open:  # the usual case: no fact the sources leave open matters here
        return decision
    from kuajing.engine.combine import combine  # noqa: PLC0415  (only where facts are open)

    runs, untried = explore(once)
    return combine(runs, untried, render)


def _assess(
    request: Request,
    catalog: Catalog,
    regime: NationalRegime,
    resolved: Resolved,
    readings: Readings,
    render: _Render,
    explain: bool,
) -> Decision:
    where = Where(
        request.processor, resolved.registered, resolved.exports, request.date, catalog, readings
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
    render: _Render,
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


class _Render:
    """Turns findings into output models. Reasons, obligations and sources repeat across
    transfers and requests, so each is built once and kept with the catalogue (they are frozen).
    Keys use the ids of catalogue objects, which live as long as the catalogue."""

    def __init__(self, catalog: Catalog, lang: Lang) -> None:
        self.catalog = catalog
        self.lang = lang
        self._reasons: dict[tuple[int, Pathway | None, str | None], Reason] = catalog.cache(
            ("reasons", lang)
        )
        self._obligations: dict[int, ObligationOut] = catalog.cache(("obligations", lang))
        self._sources: dict[int, SourceRef] = catalog.cache(("sources", lang))

    def transfer(
        self,
        t: Transfer,
        pl: Placement,
        exempt: bool,
        out: Outcome,
        obligations: Sequence[Obligation],
    ) -> TransferDecision:
        tid = t.id
        regime = pl.zone_list.id if pl.zone_list is not None and not exempt else "national"
        fields, warnings = self.fields(t, pl) if regime != "national" else ([], [])
        warnings += [self.warning(o) for o in obligations if o.warning]
        return TransferDecision(
            id=tid,
            pathway=out.pathway,
            status="determined" if out.determined else "needs_review",
            regime=regime,
            origin=self.catalog.origins.get(regime, "shipped"),
            scenario=pl.ref.key if pl.ref else None,
            scenario_name=_scope_name(pl.ref, self.lang) if pl.ref else None,
            incorporated_from=pl.ref.pool if pl.incorporation and pl.ref else None,
            reasons=[self.reason(f) for f in out.findings],
            obligations=[self.obligation(o) for o in obligations if not o.warning],
            missing=self.missing(out),
            fields=fields,
            warnings=warnings,
        )

    def fields(self, t: Transfer, pl: Placement) -> tuple[list[FieldPlacement], list[str]]:
        placed, unplaced = place_fields(t, pl)
        out = [
            FieldPlacement(
                field=field,
                sub_class=entries[0].sub_class.get(self.lang),
                category=entries[0].category,
                entries=[e.id for e in entries],
            )
            for field, entries in placed
        ]
        out += [FieldPlacement(field=field) for field in unplaced]
        complete = pl.coverage("personal_information") == "complete"
        warnings = [fmt("field_unplaced", field=f).get(self.lang) for f in unplaced if complete]
        return out, warnings

    def missing(self, out: Outcome) -> list[str]:
        lang, texts = self.lang, []
        for f in out.open_questions():
            texts += [*f.missing, *([f.rule.review] if f.rule.review else [])]
            if f.rule.confidence in "LU":
                texts.append(fmt("graded", rule=f.rule.rule, grade=f.rule.confidence))
        return list(dict.fromkeys(t.get(lang) for t in texts))

    def reason(self, f: Finding) -> Reason:
        facts = f.facts.get(self.lang) if f.facts else None
        key = (id(f.rule), f.pathway, facts)
        found = self._reasons.get(key)
        if found is None:
            sources = [self.source(c) for c in f.rule.cite]
            best = min(sources, key=lambda s: "HMLU".index(s.confidence))
            found = Reason(
                rule=f.rule.rule,
                text=f.rule.text.get(self.lang),
                source=best,
                sources=sources,
                pathway=f.pathway,
                facts=facts,
            )
            self._reasons[key] = found
        return found

    def obligation(self, o: Rule) -> ObligationOut:
        found = self._obligations.get(id(o))
        if found is None:
            found = ObligationOut(
                rule=o.rule, text=o.text.get(self.lang), source=self.source(o.cite[0])
            )
            self._obligations[id(o)] = found
        return found

    def warning(self, o: Rule) -> str:
        """An advisory in one line, with its rule and the grade of its source."""
        return f"{o.text.get(self.lang)} [{o.rule}, {o.confidence}]"

    def source(self, cite: Cite) -> SourceRef:
        found = self._sources.get(id(cite))
        if found is None:
            src = self.catalog.sources[cite.source]
            found = SourceRef(
                title=src.title.get(self.lang),
                article=cite.article,
                url=src.url,
                seed=src.seed,
                reference=src.reference,
                confidence=cite.confidence,
                note=cite.note,
                document=cite.document,
                loaded=loaded_from(cite.document, self.lang) if cite.document else None,
            )
            self._sources[id(cite)] = found
        return found


def _scope_name(ref: ScopeRef, lang: Lang) -> str:
    named = ref.scenario or ref.sector
    return named.name.get(lang)


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
