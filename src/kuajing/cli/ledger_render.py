"""Ledger results as text, in Chinese or English."""

from __future__ import annotations

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.i18n import COUNTERS, PATHWAYS, number, pick
from kuajing.ledger.models import (
    NATIONAL,
    Batch,
    CounterCounts,
    Recorded,
    ScanDecision,
    Status,
    ThresholdStatus,
    VerifyReport,
)


def recorded(r: Recorded, lang: Lang) -> str:
    text = _recorded(r, lang)
    return text if r.scan is None or not r.new else text + "\n" + _scanned(r.scan, r.batch, lang)


def _scanned(d: ScanDecision, b: Batch, lang: Lang) -> str:
    lines = []
    if d.key_detected:
        key = "、".join(d.key) if lang == "zh" else ", ".join(d.key)
        lines.append(
            pick(lang, f"扫描器选定的人员键列：{key}。", f"Key chosen by the scanner: {key}.")
        )
    if d.sensitive_detected:
        cols = ("、" if lang == "zh" else ", ").join(d.sensitive_columns)
        if not b.sensitive:
            lines.append(
                pick(lang, "扫描器未发现敏感个人信息。", "The scanner found no sensitive PI.")
            )
        elif cols:
            lines.append(
                pick(
                    lang,
                    f"扫描器在以下列发现敏感个人信息：{cols}。",
                    f"The scanner found sensitive PI in: {cols}.",
                )
            )
        if d.minors:
            minors = number(d.minors)
            lines.append(
                pick(
                    lang,
                    f"其中 {minors} 人不满 {d.minors_age} 周岁，其个人信息均属敏感个人信息。",
                    f"{minors} persons are under {d.minors_age}: all their PI is sensitive.",
                )
            )
        if b.sensitive and d.sensitive_persons is not None and d.sensitive_persons < b.persons:
            n = number(d.sensitive_persons)
            lines.append(
                pick(
                    lang,
                    f"仅 {n} 人的敏感个人信息出境，但整批按敏感计入（从严）；"
                    "如需区分，请拆分文件分别记录。",
                    f"Only {n} persons' sensitive PI leaves, but the whole batch counts as "
                    "sensitive (to be safe); split the file to record them apart.",
                )
            )
    return "\n".join(lines)


def _recorded(r: Recorded, lang: Lang) -> str:
    b = r.batch
    if not r.new:
        return pick(
            lang,
            f"批次 {b.id} 已于 {b.recorded_at} 记录（出境日期 {b.date}，{b.source}）："
            "内容相同，未作任何更改。",
            f"Batch {b.id} was already recorded on {b.recorded_at} (export date {b.date}, "
            f"{b.source}): same content, nothing changed.",
        )
    head = pick(
        lang,
        f"已记录批次 {b.id}：{b.source}，{number(b.rows)} 行，"
        f"{number(b.persons)} 名自然人（去重）。",
        f"Recorded batch {b.id}: {b.source}, {number(b.rows)} rows, "
        f"{number(b.persons)} distinct persons.",
    )
    if r.added is None:
        return (
            head
            + "\n"
            + pick(
                lang,
                f"适用豁免（{b.exemption}）：留档，不计入人数。",
                f"Exempt ({b.exemption}): kept on record, not counted.",
            )
        )
    a = r.added
    return (
        head
        + "\n"
        + pick(
            lang,
            f"全国计数器新增：个人信息 +{number(a.personal)}，"
            f"敏感个人信息 +{number(a.sensitive)}。",
            f"New to the national counters: personal +{number(a.personal)}, "
            f"sensitive +{number(a.sensitive)}.",
        )
    )


def _counts(c: CounterCounts, lang: Lang) -> list[str]:
    return [
        f"  {COUNTERS[k].get(lang)}: {number(getattr(c, k))}"
        for k in ("personal", "sensitive", "persons")
    ]


def status(s: Status, catalog: Catalog, lang: Lang) -> str:
    lines = [
        pick(
            lang,
            f"{s.processor}：{s.year} 年出境人数（截至 {s.as_of}，{s.regime}）",
            f"{s.processor}: persons exported in {s.year} (through {s.as_of}, {s.regime})",
        ),
        pick(lang, "计数规则：", "Counting rule: ") + s.rule.get(lang),
        "",
        pick(lang, "全国计数器：", "National counters:"),
        *_counts(s.national, lang),
        "",
        pick(lang, "目前人数对应的路径：", "Pathway these counts imply now: ")
        + f"{PATHWAYS[s.pathway.value].get(lang)} ({', '.join(s.pathway_rules)})",
        "",
        pick(lang, "各门槛：", "Thresholds:"),
    ]
    for t in s.thresholds:
        lines.append(
            f"  {t.rule} {COUNTERS[t.counter].get(lang)} ≥ {number(t.bound)} → "
            f"{PATHWAYS[t.pathway.value].get(lang)}: {_threshold_state(t, lang)}"
        )
    for sc in s.scopes:
        lines += ["", _scope_title(sc.scope, catalog, lang), *_counts(sc.counts, lang)]
    lines += [
        "",
        pick(
            lang,
            f"批次：{s.batches}（其中豁免 {s.exempt_batches}）",
            f"Batches: {s.batches} ({s.exempt_batches} exempt)",
        ),
    ]
    lines += ["", pick(lang, "说明：", "Notes:")] + [f"  - {c.get(lang)}" for c in s.caveats]
    return "\n".join(lines)


def _threshold_state(t: ThresholdStatus, lang: Lang) -> str:
    if t.reached_on is not None or t.headroom is None:
        when = f" {t.reached_on}" if t.reached_on else ""
        return pick(lang, f"已达到{when}", f"reached{when}")
    projected = (
        pick(
            lang,
            f"按今年速度预计 {t.projected} 达到",
            f"at this year's rate, reached on {t.projected}",
        )
        if t.projected
        else pick(lang, "按今年速度今年内不会达到", "not reached this year at this year's rate")
    )
    return (
        pick(lang, f"尚余 {number(t.headroom)} 人；", f"headroom {number(t.headroom)}; ")
        + projected
    )


def _scope_title(scope: str, catalog: Catalog, lang: Lang) -> str:
    refs = catalog.scopes(scope)
    if not refs or scope == NATIONAL:
        return scope
    ref = refs[0]
    item = ref.scenario or ref.sector
    return pick(
        lang,
        f"清单 {ref.zone_list.id} 场景“{item.name.zh}”：",
        f"List {ref.zone_list.id}, scenario '{item.name.en}':",
    )


def batches(found: list[Batch], lang: Lang) -> str:
    if not found:
        return pick(lang, "没有批次。", "No batches.")
    head = pick(
        lang,
        "批次          出境日期    处理者 / 文件 / 行数 / 人数 / 场景 / 豁免",
        "batch         date        processor / file / rows / persons / scenario / exemption",
    )
    rows = [
        f"{b.id}  {b.date}  {b.processor} / {b.source} / {number(b.rows)} / {number(b.persons)}"
        f" / {b.scenario or '-'} / {b.exemption or '-'}{_sensitive(b, lang)}"
        for b in found
    ]
    return "\n".join([head, *rows])


def _sensitive(b: Batch, lang: Lang) -> str:
    return " / " + pick(lang, "敏感", "sensitive") if b.sensitive else ""


def removed(b: Batch, lang: Lang) -> str:
    return pick(
        lang,
        f"已删除批次 {b.id}（{b.processor}，{b.date}，{b.source}）；"
        f"{b.date.year} 年人数已重新计算，审计日志已记录。",
        f"Removed batch {b.id} ({b.processor}, {b.date}, {b.source}); the {b.date.year} counts "
        "were rebuilt and the audit log records it.",
    )


def verified(r: VerifyReport, lang: Lang) -> str:
    noted = [r.head_check.message.get(lang)] if r.head_check is not None else []
    if r.ok:
        ok = pick(
            lang,
            f"完好：审计日志 {r.entries} 条，批次 {r.batches} 个，与账本一致，计数与现存批次一致。"
            f"链尾 MAC：{r.head}",
            f"OK: {r.entries} audit entries and {r.batches} batches agree, and the counters "
            f"match the batches. Chain head: {r.head}",
        )
        return "\n".join([ok, *noted])
    found = [*r.problems, *(c.message.get(lang) for c in r.counters)]
    if r.head_check is not None and not r.head_check.found:
        found += noted
    lines = [pick(lang, f"发现 {len(found)} 个问题：", f"{len(found)} problems found:")]
    return "\n".join(lines + [f"  - {p}" for p in found])
