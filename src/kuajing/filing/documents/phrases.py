"""The words that join a document's parts, in both languages. The forms' own texts (titles,
labels, checklist items) are data in `rules/documents/`."""

from __future__ import annotations

from kuajing.catalog.base import Lang, Text

P: dict[str, Text] = {
    "not_given": Text(zh="未提供", en="not given"),
    "blank": Text(zh="＿＿＿＿＿＿（待填写）", en="________ (to be completed)"),
    "none": Text(zh="无", en="none"),
    "yes": Text(zh="是", en="yes"),
    "no": Text(zh="否", en="no"),
    "unknown_scenario": Text(zh="未指明场景", en="no scenario named"),
    "national": Text(zh="全国规则（{regime}）", en="national rules ({regime})"),
    "subtitle": Text(
        zh="由 kuajing {version} 依据决定 {decision} 生成 · {created} · 规则目录 {catalog}",
        en="Written by kuajing {version} from decision {decision} · {created} · "
        "catalogue {catalog}",
    ),
    "footer": Text(
        zh="kuajing 生成的草稿：提交前须由负责人核对、补全并签字",
        en="Draft written by kuajing: check, complete and sign it before filing",
    ),
    "citations": Text(zh="本文件依据", en="Rules this document rests on"),
    "review_title": Text(
        zh="本决定需人工审查：以下事项尚未确定，本文件相关内容须在审查后核对",
        en="This decision needs review: the items below are open, so check this document after "
        "the review",
    ),
    "review_none": Text(
        zh="（决定未列出具体缺失事项；见理由中的审查提示）",
        en="(the decision lists no missing item; see the review notes among its reasons)",
    ),
    "bare_title": Text(
        zh="未提供申请：仅依据决定文件生成，来自申请的字段标为“未提供”",
        en="No request given: built from the decision file alone; fields only the request holds "
        "are marked 'not given'",
    ),
    "catalog_title": Text(
        zh="决定使用的规则目录（{made}）与本次使用的目录（{used}）不同：规则文字按决定原文显示",
        en="The decision was made with catalogue {made}, this document uses {used}: rule texts "
        "are shown as the decision gave them",
    ),
    "not_called_title": Text(
        zh="按该决定，所涉出境活动无需本文件（仅供参考）",
        en="By this decision the transfers covered do not call for this document (for reference "
        "only)",
    ),
    "not_called_line": Text(
        zh="本文件适用于：{wanted}",
        en="This document applies to: {wanted}",
    ),
    "template_title": Text(
        zh="官方模板未编入 kuajing：请以主管部门现行模板为准",
        en="The official template is not encoded in kuajing: check the authority's current one",
    ),
    "template_missing_title": Text(
        zh="官方模板未检索到：提交前须向受理机构核对",
        en="The official template was not retrieved: check it with the receiving body",
    ),
    "pathway_any": Text(zh="路径：{items}", en="pathways: {items}"),
    "obligation_any": Text(zh="义务：{items}", en="obligations: {items}"),
    "list_regime": Text(zh="适用自贸区清单的出境", en="exports under a free trade zone list"),
    "provisional": Text(zh="暂定（假日安排未公布）", en="provisional (holidays not announced)"),
    "not_started": Text(zh="尚未起算", en="not started"),
    "persons": Text(
        zh="{total}（非敏感个人信息 {personal} 人；敏感个人信息 {sensitive} 人）",
        en="{total} (non-sensitive PI: {personal}; sensitive PI: {sensitive})",
    ),
    "persons_unknown": Text(
        zh="去重人数未提供，按两类人数之和计", en="distinct total not given; the sum is shown"
    ),
    "recipient": Text(zh="{name}（{country}）", en="{name} ({country})"),
    "fields_none": Text(zh="决定未列出字段", en="the decision lists no fields"),
    "unplaced": Text(zh="未归入清单子类", en="not placed in a list sub-class"),
    "window": Text(zh="自 {start} 起累计", en="cumulative since {start}"),
    "pool_national": Text(zh="全国累计", en="national total"),
}


def say(key: str, lang: Lang, **values: object) -> str:
    text = P[key].get(lang)
    return text.format(**values) if values else text
