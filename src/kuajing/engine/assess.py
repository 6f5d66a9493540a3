"""assess(): a validated request and the catalogue in, a typed decision out. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kuajing.catalog.base import Cite, Lang, strictest
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.models import Rule
from kuajing.engine.counting import Tally
from kuajing.engine.decision import (
    Counts,
    CountsOut,
    Decision,
    ObligationOut,
    Reason,
    SourceRef,
    TransferDecision,
)
from kuajing.engine.evaluate import Context, exemption_status, outcome
from kuajing.engine.findings import Finding, Outcome
from kuajing.engine.obligations import obligations_for
from kuajing.engine.placement import Placement, place
from kuajing.engine.request import Request
from kuajing.engine.resolve import resolve
from kuajing.errors import RequestError
from kuajing.i18n import fmt


def assess(
    request: Request, catalog: Catalog, lang: Lang = "en", explain: bool = False
) -> Decision:
    regime = catalog.regime_on(request.date)
    if regime is None:
        first = catalog.regimes[0].in_force.start if catalog.regimes else None
        raise RequestError(
            f"no national regime in the catalogue on {request.date} (it starts on {first})",
            path="date",
        )
    resolved = resolve(request, catalog)
    placements: dict[str, Placement] = {}
    exemptions: dict[str, tuple[bool, list[Finding]]] = {}
    for t in request.transfers:
        refs = resolved.scopes.get(t.id, [])
        placements[t.id] = place(t, refs, request.processor, resolved.zone, request.date, catalog)
        exemptions[t.id] = exemption_status(regime, t)
    tally = _count(request, resolved.prior_scopes, placements, exemptions)
    ctx = Context(catalog, regime, request, tally)
    transfers = []
    for t in request.transfers:
        pl, (exempt, notes) = placements[t.id], exemptions[t.id]
        out = outcome(ctx, t, pl, exempt, notes)
        obligations = obligations_for(catalog, request.date, t, pl, out, exempt)
        transfers.append(_transfer(catalog, lang, t.id, pl, exempt, out, obligations))
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
    prior_scopes: dict[str, list],  # type: ignore[type-arg]
    placements: dict[str, Placement],
    exemptions: dict[str, tuple[bool, list[Finding]]],
) -> Tally:
    """Exempt transfers leave the counters (AMB-4). A transfer under a list counts in its list
    scope; where the list's entries are not fully encoded it also counts nationally (the
    stricter fallback)."""
    tally = Tally()
    tally.add("national", request.prior)
    for name, refs in prior_scopes.items():
        for ref in refs:
            tally.add(ref.key, request.prior.scenarios[name])
    for t in request.transfers:
        pl = placements[t.id]
        if not t.has_pi or exemptions[t.id][0]:
            continue
        if pl.zone_list is not None:
            tally.add(pl.pool, t)
        if pl.zone_list is None or pl.coverage("personal_information") != "complete":
            tally.add("national", t)
    return tally


def _transfer(
    catalog: Catalog,
    lang: Lang,
    tid: str,
    pl: Placement,
    exempt: bool,
    out: Outcome,
    obligations: Sequence[Rule],
) -> TransferDecision:
    missing: list[str] = []
    for f in out.open_questions():
        texts = [*f.missing, *([f.rule.review] if f.rule.review else [])]
        if f.rule.confidence in "LU":
            texts.append(fmt("graded", rule=f.rule.rule, grade=f.rule.confidence))
        for text in texts:
            if text.get(lang) not in missing:
                missing.append(text.get(lang))
    regime = pl.zone_list.id if pl.zone_list is not None and not exempt else "national"
    return TransferDecision(
        id=tid,
        pathway=out.pathway,
        status="determined" if out.determined else "needs_review",
        regime=regime,
        scenario=pl.ref.key if pl.ref else None,
        reasons=[_reason(catalog, lang, f) for f in out.findings],
        obligations=[
            ObligationOut(
                rule=o.rule, text=o.text.get(lang), source=_source(catalog, o.cite[0], lang)
            )
            for o in obligations
        ],
        missing=missing,
    )


def _obligation(catalog: Catalog, lang: Lang, o: Rule) -> ObligationOut:
    source = _source(catalog, o.cite[0], lang)
    return ObligationOut(rule=o.rule, text=o.text.get(lang), source=source)


def _reason(catalog: Catalog, lang: Lang, f: Finding) -> Reason:
    sources = [_source(catalog, c, lang) for c in f.rule.cite]
    best = min(sources, key=lambda s: "HMLU".index(s.confidence))
    return Reason(
        rule=f.rule.rule,
        text=f.rule.text.get(lang),
        source=best,
        sources=sources,
        pathway=f.pathway,
        facts=f.facts.get(lang) if f.facts else None,
    )


_SOURCE_CACHE: dict[tuple[int, Cite, Lang], SourceRef] = {}


def _source(catalog: Catalog, cite: Cite, lang: Lang) -> SourceRef:
    key = (id(catalog), cite, lang)
    ref = _SOURCE_CACHE.get(key)
    if ref is None:
        src = catalog.sources[cite.source]
        ref = SourceRef(
            title=src.title.get(lang),
            article=cite.article,
            url=src.url,
            seed=src.seed,
            reference=src.reference,
            confidence=cite.confidence,
            note=cite.note,
        )
        _SOURCE_CACHE[key] = ref
    return ref


def _window_start(day: dt.date, window: str) -> dt.date:
    year = day.year if window == "current_year" else day.year - 1
    return dt.date(year, 1, 1)


def _counts(tally: Tally) -> Counts:
    national = tally.total(["national"], "personal"), tally.total(["national"], "sensitive")
    scenarios = {
        pool: CountsOut(
            personal=tally.total([pool], "personal").low,
            sensitive=tally.total([pool], "sensitive").low,
        )
        for pool in tally.pools()
        if pool != "national"
    }
    return Counts(personal=national[0].low, sensitive=national[1].low, scenarios=scenarios)


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
