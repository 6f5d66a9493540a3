"""assess(): a validated request and the catalogue in, a typed decision out. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kuajing.catalog.base import Cite, Lang, Pathway, strictest
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.models import Obligation, Rule
from kuajing.engine.counting import Tally
from kuajing.engine.decision import (
    Counts,
    CountsOut,
    Decision,
    FieldPlacement,
    ObligationOut,
    Reason,
    SourceRef,
    TransferDecision,
)
from kuajing.engine.evaluate import Context, exemption_status, outcome, place_fields
from kuajing.engine.findings import Finding, Outcome
from kuajing.engine.obligations import obligations_for
from kuajing.engine.placement import Placement, place
from kuajing.engine.request import Request, Transfer
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
            loc=("date",),
        )
    resolved = resolve(request, catalog)
    placements: dict[str, Placement] = {}
    exemptions: dict[str, tuple[bool, list[Finding]]] = {}
    for t in request.transfers:
        refs = resolved.scopes.get(t.id, [])
        placements[t.id] = place(
            t, refs, request.processor, resolved.zone, request.date, catalog, regime.ftz_uncovered
        )
        exemptions[t.id] = exemption_status(regime, t)
    tally = _count(request, resolved.prior_scopes, placements, exemptions)
    ctx = Context(catalog, regime, request, tally)
    transfers = []
    memo: dict[tuple[object, ...], list[Obligation]] = catalog.cache("obligations")
    render = _Render(catalog, lang)
    for t in request.transfers:
        pl, (exempt, notes) = placements[t.id], exemptions[t.id]
        out = outcome(ctx, t, pl, exempt, notes)
        obligations = obligations_for(catalog, request.date, t, pl, out, exempt, memo)
        transfers.append(render.transfer(t, pl, exempt, out, obligations))
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
        obligations: Sequence[Rule],
    ) -> TransferDecision:
        tid = t.id
        regime = pl.zone_list.id if pl.zone_list is not None and not exempt else "national"
        fields, warnings = self.fields(t, pl) if regime != "national" else ([], [])
        return TransferDecision(
            id=tid,
            pathway=out.pathway,
            status="determined" if out.determined else "needs_review",
            regime=regime,
            origin=self.catalog.origins.get(regime, "shipped"),
            scenario=pl.ref.key if pl.ref else None,
            reasons=[self.reason(f) for f in out.findings],
            obligations=[self.obligation(o) for o in obligations],
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
            )
            self._sources[id(cite)] = found
        return found


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
