"""The zone what-if: for one request, the answer under each option (national rules only,
registered in each zone whose list covers its exports, each list usable through adoption), with
the procedures each needs and their clocks, ranked by burden. Pure: no I/O."""

from __future__ import annotations

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Text
from kuajing.engine import Decision, Request, TransferDecision, assess
from kuajing.filing.required import Route
from kuajing.whatif.burden import burden, procedures, ranked
from kuajing.whatif.models import Option, ProcedureNeeded, TransferOption, WhatIf
from kuajing.whatif.options import Choice, choices

__all__ = ["WhatIf", "what_if"]

RANKING = Text(
    zh="按负担从轻到重排列：先比最严格的出境路径（免予申报 < 标准合同或认证 < 安全评估），"
    "再比所需程序的数量，再比程序法定时限（工作日）之和。需人工审查的出境活动按最坏情况计"
    "（视为需要安全评估），存在不确定因素的选项标为“不确定”，在路径和程序数相同时排在确定选项之后，"
    "不会因信息缺失而显得更轻。",
    en="Ranked lightest first: by the strictest pathway any transfer needs (exempt < standard "
    "contract or certification < security assessment), then by the number of procedures, then "
    "by the working days of their statutory clocks added up. A transfer that needs review is "
    "counted at its worst case (a security assessment); an option resting on anything unknown "
    "is marked uncertain and ranks after a certain option with the same pathway and number of "
    "procedures, so missing knowledge never makes an option look lighter.",
)
NATIONAL = Text(zh="全国规则", en="national rules")


def what_if(
    request: Request, catalog: Catalog, lang: Lang = "en", route: Route = "standard_contract"
) -> WhatIf:
    """Raises `RequestError` as `assess` does for a request it cannot read."""
    options = [_option(c, catalog, lang, route) for c in choices(request, catalog)]
    home = next((o.registered_in for o in options if o.actual), None)
    return WhatIf(
        date=request.date,
        processor=request.processor.name,
        actual_zone=home,
        route=route,
        ranking=RANKING.get(lang),
        options=ranked(options),
    )


def _option(choice: Choice, catalog: Catalog, lang: Lang, route: Route) -> Option:
    decision = assess(choice.request, catalog, lang=lang, adopt=choice.adopt)
    zone = choice.registered_in
    needed = procedures(decision, zone, catalog, route, lang)
    listed = catalog.lists[choice.adopt] if choice.adopt else None
    reasons = _uncertain(decision, needed, choice, catalog, lang)
    return Option(
        key=choice.key,
        basis=choice.basis,
        zone=choice.zone,
        zone_name=catalog.zones[choice.zone].name.get(lang) if choice.zone else None,
        registered_in=zone,
        adopted=choice.adopt,
        adopted_name=listed.title.get(lang) if listed else None,
        actual=choice.actual,
        pathway=decision.pathway,
        status=decision.status,
        transfers=[_transfer(t, catalog, lang) for t in decision.transfers],
        procedures=needed,
        missing=decision.missing,
        uncertain=bool(reasons),
        uncertain_reasons=reasons,
        burden=burden(decision, zone, catalog, route, lang),
        rank=0,  # set by `ranked`
    )


def _transfer(t: TransferDecision, catalog: Catalog, lang: Lang) -> TransferOption:
    zl = catalog.lists.get(t.regime)
    return TransferOption(
        id=t.id,
        pathway=t.pathway,
        status=t.status,
        regime=t.regime,
        regime_name=(zl.title if zl else NATIONAL).get(lang),
        scenario_name=t.scenario_name,
        missing=t.missing,
    )


def _uncertain(
    decision: Decision,
    needed: list[ProcedureNeeded],
    choice: Choice,
    catalog: Catalog,
    lang: Lang,
) -> list[str]:
    """What the option rests on that is not known: transfers that need review, procedures
    whose steps and clocks the reference does not give, an adopted list with no procedure."""
    out = []
    for t in decision.transfers:
        if t.status == "needs_review":
            why = "；".join(t.missing) if lang == "zh" else "; ".join(t.missing)
            text = _REVIEW.get(lang).format(id=t.id, why=why or "—")
            out.append(text)
    out += [f"{p.name}: {p.note}" for p in needed if not p.known and p.note]
    regimes = {r for p in needed for r in catalog.procedures[p.id].applies.regimes}
    for list_id in dict.fromkeys(t.regime for t in decision.transfers):
        zl = catalog.lists.get(list_id)
        adopted = zl is not None and choice.registered_in not in zl.zones
        if adopted and zl is not None and list_id not in regimes:
            out.append(_NO_PROCEDURE.get(lang).format(list=zl.title.get(lang)))
    return out


_REVIEW = Text(
    zh="出境活动 {id} 需人工审查（排序按需安全评估计）：{why}",
    en="transfer {id} needs review (ranked as if it needed a security assessment): {why}",
)
_NO_PROCEDURE = Text(
    zh="规则库未载明本区企业参照适用《{list}》须办理的程序与时限，请向所在区数据跨境服务中心核实",
    en="no procedure or time limit is recorded for using {list} from your zone; check with "
    "your zone's cross-border data service centre",
)
