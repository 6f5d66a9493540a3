"""The procedures an option's answer needs, with their clocks, and how heavy the option is.

Burden, lightest first: the strictest pathway any transfer needs; then the number of
procedures; then, between options whose procedures and answers are known alike, the working
days of the procedures' clocks. Missing knowledge never makes an option lighter: a transfer that
needs review counts as needing a security assessment (the strictest pathway an export can be
allowed by), and an uncertain option ranks after a certain one of the same pathway and number
of procedures, whatever its days."""

from __future__ import annotations

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Pathway, strictest
from kuajing.catalog.procedures import Procedure
from kuajing.engine.decision import Decision
from kuajing.filing.required import Route, required
from kuajing.whatif.models import Burden, Clock, Option, ProcedureNeeded

WORST = Pathway.SECURITY_ASSESSMENT


def procedures(
    decision: Decision, zone: str | None, catalog: Catalog, route: Route, lang: Lang
) -> list[ProcedureNeeded]:
    out = []
    for need in required(decision, zone, catalog, route):
        p = need.procedure
        clocks = _clocks(p, lang)
        out.append(
            ProcedureNeeded(
                id=p.id,
                name=p.name.get(lang),
                authority=p.authority.get(lang),
                known=p.status == "encoded",
                note=p.note.get(lang) if p.note else None,
                transfers=list(need.transfers),
                clocks=clocks,
                working_days=sum(c.working_days for c in clocks),
            )
        )
    return out


def _clocks(p: Procedure, lang: Lang) -> list[Clock]:
    """The company's time limits and the authority's review times counted in working days from
    an event (clocks counted back from an expiry are left out: they do not lengthen the path)."""
    return [
        Clock(deadline=d.id, name=d.name.get(lang), kind=d.kind, working_days=days)
        for d in p.deadlines
        if d.kind in ("due", "review") and (days := d.offset.working_days or 0) > 0
    ]


def worst_case(decision: Decision) -> Decision:
    """The decision with every transfer that needs review read as needing the strictest
    pathway an export can be allowed by (a prohibited one stays prohibited)."""
    if decision.status != "needs_review":
        return decision
    transfers = [
        t.model_copy(update={"pathway": strictest([t.pathway, WORST])})
        if t.status == "needs_review"
        else t
        for t in decision.transfers
    ]
    pathway = strictest([t.pathway for t in transfers])
    return decision.model_copy(update={"transfers": transfers, "pathway": pathway})


def burden(
    decision: Decision, zone: str | None, catalog: Catalog, route: Route, lang: Lang
) -> Burden:
    worst = worst_case(decision)
    needed = procedures(worst, zone, catalog, route, lang)
    return Burden(
        pathway=worst.pathway,
        procedures=[p.id for p in needed],
        working_days=sum(p.working_days for p in needed),
        worst_case=worst is not decision,
    )


def ranked(options: list[Option]) -> list[Option]:
    """Lightest first; options of equal burden share a rank (1, 2, 2, 4)."""

    def key(o: Option) -> tuple[int, int, bool, int]:
        b = o.burden
        return (b.pathway.rank, len(b.procedures), o.uncertain, b.working_days)

    ordered = sorted(options, key=key)  # stable: national, registered, adopted among equals
    out: list[Option] = []
    for i, o in enumerate(ordered):
        same = out and key(out[-1]) == key(o)
        out.append(o.model_copy(update={"rank": out[-1].rank if same else i + 1}))
    return out
