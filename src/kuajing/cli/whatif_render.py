"""Text report of a zone what-if, in Chinese or English, for a compliance officer."""

from __future__ import annotations

from kuajing.i18n import PATHWAYS, STATUS
from kuajing.lang import Lang
from kuajing.whatif.models import Option, ProcedureNeeded, WhatIf

WORDS = {
    "zh": {
        "title": "自贸区比较：{who}，出境日期 {date}",
        "route": "须订立标准合同或通过认证的，按{route}列出程序",
        "standard_contract": "标准合同备案",
        "certification": "个人信息保护认证",
        "how": "排序方法",
        "national": "仅适用全国规则（不在任何自贸区）",
        "registered": "注册在{zone}",
        "adopted": "在{home}参照适用{list}",
        "home_none": "本区",
        "actual": "（贵司现状）",
        "pathway": "出境路径",
        "transfers": "各出境活动",
        "under": "适用",
        "procedures": "所需程序（法定时限，中国工作日）",
        "none": "无",
        "clock_due": "企业时限",
        "clock_review": "审核时限",
        "wd": "{n}个工作日",
        "no_clock": "时限未知",
        "for": "涉及",
        "burden": "负担",
        "burden_line": "{pathway}；{n}项程序；时限合计{days}个工作日",
        "worst": "（按最坏情况计）",
        "uncertain": "不确定",
        "rank": "第{rank}位",
        "colon": "：",
        "paren": "（{}）",
    },
    "en": {
        "title": "Zone what-if: {who}, exports dated {date}",
        "route": "where a standard contract or certification is needed, the procedures shown are"
        " those of {route}",
        "standard_contract": "standard contract filing",
        "certification": "PI protection certification",
        "how": "How the options are ranked",
        "national": "National rules only (in no free trade zone)",
        "registered": "Registered in {zone}",
        "adopted": "Using {list} through adoption, from {home}",
        "home_none": "your zone",
        "actual": " (your situation today)",
        "pathway": "Pathway",
        "transfers": "Transfers",
        "under": "under",
        "procedures": "Procedures (statutory clocks, PRC working days)",
        "none": "none",
        "clock_due": "company's time limit",
        "clock_review": "authority's review",
        "wd": "{n} working days",
        "no_clock": "time limits unknown",
        "for": "for",
        "burden": "Burden",
        "burden_line": "{pathway}; {n} procedure(s); clocks {days} working days in all",
        "worst": " (worst case)",
        "uncertain": "Uncertain",
        "rank": "#{rank}",
        "colon": ": ",
        "paren": " ({})",
    },
}


def render(found: WhatIf, lang: Lang) -> str:
    w = WORDS[lang]
    route = w["route"].format(route=w[found.route])
    lines = [
        w["title"].format(who=found.processor, date=found.date),
        f"{w['how']}{w['colon']}{found.ranking}{w['paren'].format(route)}",
    ]
    for option in found.options:
        lines += ["", *_option(option, found, lang)]
    return "\n".join(lines)


def option_title(o: Option, found: WhatIf, lang: Lang) -> str:
    w = WORDS[lang]
    if o.basis == "national":
        head = w["national"]
    elif o.basis == "registered":
        head = w["registered"].format(zone=o.zone_name)
    else:
        home = next((x.zone_name for x in found.options if x.actual and x.zone), w["home_none"])
        head = w["adopted"].format(list=o.adopted_name, home=home)
    return head + (w["actual"] if o.actual else "")


def _option(o: Option, found: WhatIf, lang: Lang) -> list[str]:
    w = WORDS[lang]
    flag = f" — {w['uncertain']}" if o.uncertain else ""
    lines = [
        f"{w['rank'].format(rank=o.rank)} {option_title(o, found, lang)}{flag}",
        f"  {w['pathway']}{w['colon']}{_answer(o.pathway.value, o.status, lang)}",
        f"  {w['transfers']}{w['colon'].strip()}",
    ]
    for t in o.transfers:
        scope = f" · {t.scenario_name}" if t.scenario_name else ""
        answer = _answer(t.pathway.value, t.status, lang)
        lines.append(f"    {t.id}{w['colon']}{answer} · {w['under']} {t.regime_name}{scope}")
    tail = w["none"] if not o.procedures else ""
    lines.append(f"  {w['procedures']}{w['colon']}{tail}".rstrip())
    for p in o.procedures:
        lines += _procedure(p, lang)
    b = o.burden
    line = w["burden_line"].format(
        pathway=PATHWAYS[b.pathway.value].get(lang), n=len(b.procedures), days=b.working_days
    )
    lines.append(f"  {w['burden']}{w['colon']}{line}{w['worst'] if b.worst_case else ''}")
    lines += [f"  ! {w['uncertain']}{w['colon']}{r}" for r in o.uncertain_reasons]
    return lines


def _answer(pathway: str, status: str, lang: Lang) -> str:
    return f"{PATHWAYS[pathway].get(lang)} · {STATUS[status].get(lang)}"


def _procedure(p: ProcedureNeeded, lang: Lang) -> list[str]:
    w = WORDS[lang]
    who = w["paren"].format(p.authority)
    lines = [f"    * {p.name}{who} — {w['for']} {', '.join(p.transfers)}"]
    for c in p.clocks:
        kind = w["clock_due"] if c.kind == "due" else w["clock_review"]
        lines.append(f"        {kind}{w['colon']}{c.name} — {w['wd'].format(n=c.working_days)}")
    if not p.known:
        lines.append(f"        {w['no_clock']}")
    return lines
