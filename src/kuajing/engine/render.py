"""Findings turned into the decision's output models, in the request's language."""

from __future__ import annotations

from collections.abc import Sequence

from kuajing.catalog.base import Cite, Lang, Pathway
from kuajing.catalog.catalog import Catalog, ScopeRef
from kuajing.catalog.models import Obligation, Rule
from kuajing.engine.decision import (
    FieldPlacement,
    ObligationOut,
    Reason,
    SourceRef,
    TransferDecision,
)
from kuajing.engine.evaluate import place_fields
from kuajing.engine.findings import Finding, Outcome
from kuajing.engine.placement import Placement
from kuajing.engine.request import Transfer
from kuajing.i18n import fmt, loaded_from


class Render:
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
            # An interpretation's article is a section of the project's notes: internal.
            internal = src.kind == "interpretation" and cite.article
            found = SourceRef(
                title=src.title.get(self.lang),
                article=None if internal else cite.article,
                url=src.url,
                seed=src.seed,
                reference=f"{src.reference} {cite.article}" if internal else src.reference,
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
