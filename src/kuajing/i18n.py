"""Generic user-facing phrases in Chinese and English. Legal texts live in the catalogue; only
the words that join them (counter names, comparisons, headings) are here."""

from __future__ import annotations

import locale
import os
from functools import lru_cache

from kuajing.catalog.base import Located, Text, Threshold
from kuajing.lang import Lang
from kuajing.lang import pick as pick  # noqa: PLC0414  # re-export; the CLI uses kuajing.lang

COUNTERS: dict[str, Text] = {
    "personal": Text(zh="非敏感个人信息人数", en="persons whose non-sensitive PI left"),
    "sensitive": Text(zh="敏感个人信息人数", en="persons whose sensitive PI left"),
    "persons": Text(zh="个人信息人数（去重）", en="distinct persons whose PI left"),
    "processed": Text(zh="处理个人信息人数", en="persons whose PI the processor handles"),
}

PATHWAYS: dict[str, Text] = {
    "exempt": Text(zh="免予申报（可自由出境）", en="exempt"),
    "standard_contract_or_certification": Text(
        zh="个人信息出境标准合同备案或个人信息保护认证",
        en="standard contract filing or certification",
    ),
    "security_assessment": Text(zh="数据出境安全评估", en="security assessment"),
    "prohibited": Text(zh="禁止出境（除非获得批准）", en="prohibited"),
}

STATUS: dict[str, Text] = {
    "determined": Text(zh="已确定", en="determined"),
    "needs_review": Text(zh="需人工审查", en="needs review"),
}


def fmt(key: str, **values: object) -> Text:
    """A phrase with its values filled in, in both languages; a `Text` value (a list's title,
    a scenario's name) fills each language with its own."""
    return _fmt(key, tuple(sorted(values.items())))


@lru_cache(maxsize=4096)
def _fmt(key: str, values: tuple[tuple[str, object], ...]) -> Text:
    t = PHRASES[key]
    zh = {k: v.zh if isinstance(v, Text) else v for k, v in values}
    en = {k: v.en if isinstance(v, Text) else v for k, v in values}
    return Text(zh=t.zh.format(**zh), en=t.en.format(**en))


def number(n: int) -> str:
    return f"{n:,}"


def loaded_from(doc: Located, lang: Lang) -> str:
    """Where an entry was read: "loaded from the official document (sha256 1a2b3c4d…, page 3,
    table 1, row 12), reviewed by … on …" (or not yet reviewed)."""
    short = f"sha256 {doc.sha256[:12]}…"
    ocr = pick(lang, "，文字识别（OCR）读取", ", read by OCR") if doc.ocr else ""
    if lang == "zh":
        where = f"载自官方文件（{short}，第{doc.page}页第{doc.table}个表格第{doc.row}行{ocr}）"
        if doc.reviewed_by:
            return f"{where}，由{doc.reviewed_by}于{(doc.reviewed_at or '')[:10]}核对确认"
        return f"{where}，尚未经人工核对"
    where = f"loaded from the official document ({short}, page {doc.page}, table {doc.table},"
    where += f" row {doc.row}{ocr})"
    if doc.reviewed_by:
        return f"{where}, reviewed by {doc.reviewed_by} on {(doc.reviewed_at or '')[:10]}"
    return f"{where}, not yet reviewed"


def bound(threshold: Threshold, lang: Lang) -> str:
    """`at_least 10000, below 50000` -> `≥ 10,000 and < 50,000` (以上 includes, 不满 excludes)."""
    parts = []
    for attr, sign in (("at_least", "≥"), ("more_than", ">"), ("below", "<"), ("at_most", "≤")):
        value = getattr(threshold, attr)
        if value is not None:
            parts.append(f"{sign} {number(value)}")
    return (" 且 " if lang == "zh" else " and ").join(parts)


PHRASES: dict[str, Text] = {
    "org_created": Text(zh="已创建组织 {slug}：{name}", en="Created organisation {slug}: {name}"),
    "user_created": Text(
        zh="已创建用户 {email}（{role}，组织 {org}）",
        en="Created user {email} ({role}, organisation {org})",
    ),
    "overlap": Text(
        zh="同一人的敏感与非敏感个人信息重叠情况未知（请提供 persons 去重人数）",
        en="how many persons appear in both counters (give 'persons', the distinct total)",
    ),
    "processed_unknown": Text(
        zh="处理者处理的个人信息总人数（processor.persons_processed）",
        en="how many persons' PI the processor handles (processor.persons_processed)",
    ),
    "graded": Text(
        zh="规则 {rule} 的依据置信度为 {grade}，须核实",
        en="rule {rule} rests on a source graded {grade}; verify it",
    ),
    "not_encoded": Text(
        zh="{list}：{scope}的个人信息条目未编码（{coverage}），暂按全国规则从严判断",
        en="{list}: personal-information entries for {scope} are not encoded ({coverage}); "
        "national rules applied as the stricter fallback",
    ),
    "sensitive_not_encoded": Text(
        zh="{list}：{scope}的敏感个人信息条目未能读取，敏感个人信息暂按全国规则从严判断",
        en="{list}: the sensitive-PI entries for {scope} could not be read; national rules "
        "applied to sensitive PI as the stricter fallback",
    ),
    "name_scenario": Text(
        zh="{list}：{scope}的清单条目按场景区分，请指明具体场景",
        en="{list}: entries for {scope} depend on the scenario; name the scenario",
    ),
    "field_match": Text(
        zh="字段“{field}”与重要数据条目 {rule}（{sub_class}）相符，须确认是否属于重要数据",
        en="field '{field}' matches important-data item {rule} ({sub_class}); "
        "confirm whether it is important data",
    ),
    "field_unplaced": Text(
        zh="字段“{field}”不属于该场景清单的任何数据子类，请确认是否列明",
        en="field '{field}' falls under no sub-class of the list for this scenario; check it",
    ),
    "matched_fields": Text(zh="匹配字段：{zh}", en="matched fields: {en}"),
    "scope_list": Text(zh="适用清单 {list}（{scope}）", en="list {list} applies ({scope})"),
    "scope_whole": Text(zh="整份清单", en="the whole list"),
    "scope_general": Text(
        zh="{list}（一般数据清单）列明该场景（{scope}）：清单内一般数据备案后可自由出境；个人信息和重要数据仍按其适用规则",
        en="general data list {list} names this scenario ({scope}): listed general data flows "
        "freely once filed; PI and important data still follow their own rules",
    ),
    "scope_adopted": Text(
        zh="经跨区参照适用，适用 {list}（{scope}）",
        en="list {list} applies by cross-zone adoption ({scope})",
    ),
    "scope_ciio": Text(
        zh="处理者为关键信息基础设施运营者，不适用 {list}",
        en="the processor is a CIIO, so list {list} does not apply",
    ),
    "scope_national_no_scenario": Text(
        zh="未指明场景：适用全国规则（自贸区清单仅适用于其列明的场景）",
        en="no scenario named: national rules apply (zone lists cover only their scenarios)",
    ),
    "scope_out": Text(
        zh="该场景不在处理者所在区域适用的清单范围内：适用全国规则",
        en="the scenario is outside every list the processor's zone applies: national rules apply",
    ),
    "declared_id": Text(zh="申报的重要数据：{item}", en="declared important data: {item}"),
    "readings_agree": Text(
        zh="{list} 按注册地还是按出境活动地适用未见规定：处理者的注册地和出境活动地均在其范围内，"
        "两种理解结论相同",
        en="whether {list} applies by registration or by activity is not stated: the processor "
        "is registered and exports within its area, so both readings agree",
    ),
    "reading_applies": Text(zh="{what}（{reading_zh}）：适用", en="{what} ({reading_en}): applies"),
    "reading_not": Text(
        zh="{what}（{reading_zh}）：不适用", en="{what} ({reading_en}): does not apply"
    ),
    "incorporated": Text(
        zh="{list} 纳入 {scope}，按其条目判断", en="{list}, incorporating {scope}"
    ),
    "readings_tried": Text(
        zh="{question}未见规定，已分别按各种理解判断，结论相同：{readings}",
        en="{question} is not stated; each reading was tried and all agree: {readings}",
    ),
    "readings_differ": Text(
        zh="结论取决于{question}（未见规定）：{readings}",
        en="the answer depends on {question}, which no source states: {readings}",
    ),
    "readings_untried": Text(
        zh="未见规定的事项过多，未能逐一组合判断（{questions}），所示结论为已判断组合中最严格者",
        en="too many facts no source states to try every combination ({questions}); the "
        "answer shown is the strictest of those tried",
    ),
    "unknown_entry": Text(
        zh="{list} 的条目 {rule}（{sub_class}）的适用条件未能读取，须对照清单原文确认",
        en="the condition of {list} entry {rule} ({sub_class}) could not be read; check it "
        "against the official list",
    ),
    "sensitive_by_list": Text(
        zh="{list} 将{fields}列为敏感个人信息，但本次出境未申报敏感个人信息人数；请按清单口径计数",
        en="{list} counts {fields} as sensitive personal information, but this transfer "
        "declares no persons with sensitive PI: count them as the list does",
    ),
    "candidate_exemption": Text(
        zh="所援引的免除情形（{rule}）的法律效果尚有争议或依据较弱：未作免除处理，须人工判断",
        en="the exemption claimed ({rule}) is debated or rests on a weak source: the export "
        "was assessed as not exempt; a person must judge",
    ),
    "already_too_many": Text(
        zh="已计入 {n} 人，但此前（prior 及在先的出境活动）在 {pool} 中只计入 {had} 人",
        en="{n} persons already counted, but only {had} were counted before it in {pool} "
        "(prior and earlier transfers)",
    ),
}


def default_lang() -> Lang:
    """The user's locale decides (zh_* -> Chinese); English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    loc = locale.getlocale()[0] or ""
    return "zh" if loc.lower().startswith("zh") else "en"
