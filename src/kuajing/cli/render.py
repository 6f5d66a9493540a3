"""Text report of a decision, in Chinese or English."""

from __future__ import annotations

from kuajing.catalog.base import Lang
from kuajing.engine.decision import Decision, SourceRef, TransferDecision
from kuajing.i18n import PATHWAYS, STATUS

HEAD = {
    "zh": {
        "overall": "总体结论",
        "status": "状态",
        "date": "出境日期",
        "regime": "全国规则",
        "window": "计数起点",
        "rules": "规则库版本",
        "counts": "累计人数（全国口径，不含免除情形）",
        "personal": "非敏感",
        "sensitive": "敏感",
        "transfer": "出境活动",
        "via": "适用",
        "reasons": "理由",
        "obligations": "义务",
        "missing": "待确认事项",
        "fields": "字段归属",
        "national": "全国规则",
        "incorporating": "纳入",
        "readings": "按各种理解分别判断",
        "guidance": "参考（非本结论）：上一版清单 {list}（施行至 {until}）的判断",
    },
    "en": {
        "overall": "Overall pathway",
        "status": "Status",
        "date": "Export date",
        "regime": "National regime",
        "window": "Counting since",
        "rules": "Rules version",
        "counts": "Cumulative persons (national counters, exempt exports excluded)",
        "personal": "non-sensitive",
        "sensitive": "sensitive",
        "transfer": "Transfer",
        "via": "governed by",
        "reasons": "Reasons",
        "obligations": "Obligations",
        "missing": "Open questions",
        "fields": "Fields",
        "national": "national rules",
        "incorporating": "incorporating",
        "readings": "Under each reading",
        "guidance": "Guidance, not the decision: what the earlier edition {list} (in force until "
        "{until}) said",
    },
}


def render(decision: Decision, lang: Lang, explain: bool = False) -> str:
    h = HEAD[lang]
    lines = [
        f"{h['overall']}: {PATHWAYS[decision.pathway.value].get(lang)}",
        f"{h['status']}: {STATUS[decision.status].get(lang)}",
        f"{h['date']}: {decision.date}    {h['window']}: {decision.window_start}",
        f"{h['regime']}: {decision.national_regime}    {h['rules']}: {decision.rules_version}",
        f"{h['counts']}: {h['personal']} {decision.counts.personal:,}, "
        f"{h['sensitive']} {decision.counts.sensitive:,}",
    ]
    for t in decision.transfers:
        lines += ["", *_transfer(t, lang, explain)]
    if explain and decision.trace:
        lines += ["", "Trace:", *(f"  {line}" for line in decision.trace)]
    return "\n".join(lines)


def _transfer(t: TransferDecision, lang: Lang, explain: bool) -> list[str]:
    h = HEAD[lang]
    regime = h["national"] if t.regime == "national" else t.regime
    scope = f" ({t.scenario_name} · {t.scenario})" if t.scenario_name else ""
    if t.incorporated_from:
        scope = f", {h['incorporating']} {t.incorporated_from}"
    lines = [
        f"{h['transfer']} {t.id}: {PATHWAYS[t.pathway.value].get(lang)} — "
        f"{STATUS[t.status].get(lang)}; {h['via']} {regime}{scope}",
        f"  {h['reasons']}:",
    ]
    for r in t.reasons:
        if not explain and r.pathway is None and r.facts is None:
            continue
        facts = f" [{r.facts}]" if r.facts else ""
        lines.append(f"  - {r.rule}: {r.text}{facts}")
        lines.append(f"      {_cite(r.source)}")
    placed = [f for f in t.fields if f.sub_class]
    if placed:
        lines.append(f"  {h['fields']}:")
        lines += [f"  · {f.field} → {f.sub_class} ({', '.join(f.entries)})" for f in placed]
    lines += [f"  ! {w}" for w in t.warnings]
    if t.missing:
        lines.append(f"  {h['missing']}:")
        lines += [f"  ? {m}" for m in t.missing]
    if t.readings:
        lines.append(f"  {h['readings']}:")
        lines += [
            f"  ~ {r.reading}: {PATHWAYS[r.pathway.value].get(lang)} ({STATUS[r.status].get(lang)})"
            for r in t.readings
        ]
    if t.guidance:
        g = t.guidance
        until = g.in_force_until or "…"
        lines.append(f"  {h['guidance'].format(list=g.edition, until=until)}:")
        lines.append(f"  » {PATHWAYS[g.pathway.value].get(lang)} ({STATUS[g.status].get(lang)})")
        lines += [f"  » {r.rule}: {r.facts or r.text}" for r in g.reasons if r.pathway]
    if t.obligations:
        lines.append(f"  {h['obligations']}:")
        lines += [f"  * {o.rule}: {o.text}" for o in t.obligations]
    return lines


def _cite(s: SourceRef) -> str:
    # The public address only: seed files and research notes are the project's, not the user's.
    where = f" {s.url}" if s.url else ""
    article = f" {s.article}" if s.article else ""
    loaded = f"; {s.loaded}" if s.loaded else ""
    return f"《{s.title}》{article} [{s.confidence}]{where}{loaded}"
