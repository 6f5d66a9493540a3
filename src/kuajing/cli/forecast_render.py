"""`kuajing ledger forecast` as text, in Chinese or English."""

from __future__ import annotations

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.i18n import COUNTERS, PATHWAYS, number, pick
from kuajing.ledger.forecast import CounterForecast, Crossing, Forecast
from kuajing.ledger.models import NATIONAL


def forecast(fc: Forecast, catalog: Catalog, lang: Lang, told: int | None = None) -> str:
    lines = [
        pick(
            lang,
            f"{fc.processor}：{fc.year} 年出境人数预测（截至 {fc.as_of}，{fc.regime}）",
            f"{fc.processor}: forecast of persons exported in {fc.year} "
            f"(as of {fc.as_of}, {fc.regime})",
        ),
        pick(lang, "方法：", "Method: ") + fc.method_text.get(lang),
        fc.range_text.get(lang),
    ]
    for c in fc.counters:
        lines += ["", _counter(c, catalog, lang)]
        for x in c.crossings:
            lines.append(f"  {_crossing(x, lang)}")
            lines += [f"    {x.basis.get(lang)}"] if x.basis else []
        lines += [f"  ! {note.get(lang)}" for note in c.notes]
    if told is not None:
        lines += ["", pick(lang, f"已通知管理员：{told} 条新提醒", f"Admins notified: {told} new")]
    lines += [
        "",
        pick(
            lang,
            "全国计数器对照全国规则的门槛；清单计数器对照预测日施行中的清单版本的门槛。",
            "National counters are set against the national rules' thresholds; a list's "
            "counters against the bands of the list's edition in force on the day.",
        ),
    ]
    return "\n".join(lines)


def _counter(c: CounterForecast, catalog: Catalog, lang: Lang) -> str:
    scope = c.name.get(lang) if c.name else _scope(c.scope, catalog, lang)
    end = c.year_end
    span = f"{number(end.low or c.count)}–{number(end.high or c.count)}"
    return pick(
        lang,
        f"{scope} · {COUNTERS[c.counter].zh}：目前 {number(c.count)}；"
        f"年底预计 {number(end.mid or c.count)}（{span}）",
        f"{scope} · {COUNTERS[c.counter].en}: {number(c.count)} now; "
        f"31 Dec: {number(end.mid or c.count)} ({span})",
    )


def _crossing(x: Crossing, lang: Lang) -> str:
    head = f"{x.rule} ≥ {number(x.bound)} → {PATHWAYS[x.pathway.value].get(lang)}: "
    if x.count is not None:  # a list's band: the count it is set against
        head += pick(lang, f"计数 {number(x.count)}；", f"counted {number(x.count)}; ")
    if x.reached_on is not None:
        return head + pick(lang, f"已于 {x.reached_on} 达到", f"reached on {x.reached_on}")
    if x.earliest is None:
        return head + pick(lang, "今年内不会达到", "not reached this year")
    latest = x.latest or pick(lang, "今年内不会", "not this year")
    when = pick(
        lang,
        f"预计 {x.mid or x.earliest}（最早 {x.earliest}，最晚 {latest}）",
        f"projected {x.mid or x.earliest} (earliest {x.earliest}, latest {latest})",
    )
    if x.action is None:
        return head + when
    a = x.action
    now = pick(lang, "【现在就要办理】", "[ACT NOW] ") if a.due else ""
    shaky = f"\n    {a.assumption.get(lang)}" if a.assumption else ""
    return f"{head}{when}\n    {now}{a.sentence.get(lang)}{shaky}"


def _scope(scope: str, catalog: Catalog, lang: Lang) -> str:
    refs = catalog.scopes(scope) if scope != NATIONAL else []
    if not refs:
        return pick(lang, "全国", "National") if scope == NATIONAL else scope
    item = refs[0].scenario or refs[0].sector
    return f"{refs[0].zone_list.id} · {item.name.get(lang)}"
