"""Scan reports as text, in Chinese or English."""

from __future__ import annotations

import unicodedata

from kuajing.catalog.base import Lang
from kuajing.catalog.personal import PersonalData
from kuajing.i18n import number, pick
from kuajing.scan.models import Column, Persons, ScanReport


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def render(report: ScanReport, data: PersonalData, lang: Lang) -> str:
    lines = [_head(report, lang), ""]
    lines += _table(report.columns, data, lang)
    lines += ["", _persons(report.persons, data, lang)]
    lines.append(_verdict(report, lang))
    if report.zone:
        lines.append(
            pick(
                lang,
                f"清单匹配：{report.zone} / {report.scenario}",
                f"List matching: {report.zone} / {report.scenario}",
            )
        )
    for note in report.notes:
        lines.append(f"* {note.get(lang)}")
    return "\n".join(lines)


def _head(report: ScanReport, lang: Lang) -> str:
    files = "; ".join(
        f"{f.source} ({f.format}{', ' + f.encoding if f.encoding else ''})" for f in report.files
    )
    return pick(
        lang,
        f"扫描：{files}；共 {number(report.rows)} 行",
        f"Scanned {files}: {number(report.rows)} rows",
    )


def _table(columns: list[Column], data: PersonalData, lang: Lang) -> list[str]:
    head = [
        pick(lang, "列", "Column"),
        pick(lang, "类型", "Kind"),
        pick(lang, "敏感", "Sensitive"),
        pick(lang, "置信度", "Confidence"),
        pick(lang, "匹配/检查", "Matched/checked"),
        pick(lang, "清单条目", "List entries"),
    ]
    rows = [head]
    for c in columns:
        kind = data.kinds[c.kind].name.get(lang) if c.kind in data.kinds else "—"
        sensitive = (
            pick(lang, "是（清单）", "yes (list)")
            if c.sensitive and c.sensitive_by
            else pick(lang, "是", "yes")
            if c.sensitive
            else pick(lang, "否", "no")
            if c.personal
            else "—"
        )
        rows.append(
            [
                c.name,
                kind,
                sensitive,
                f"{c.confidence:.2f}",
                f"{number(c.matched)}/{number(c.checked)}",
                ", ".join(c.entries) or "—",
            ]
        )
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    return [
        "  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]


def _persons(p: Persons, data: PersonalData, lang: Lang) -> str:
    if p.distinct is None:
        return pick(
            lang,
            "人数：未知（没有标识个人的列）",
            "Persons: unknown (no column identifies persons)",
        )
    key = "、".join(p.key) if lang == "zh" else ", ".join(p.key)
    kind = data.kinds[p.key_kind].name.get(lang) if p.key_kind in data.kinds else None
    named = {"given": pick(lang, "指定", "given"), "detected": pick(lang, "自动识别", "detected")}
    how = named.get(p.basis, "")
    by = (
        f"{key}（{kind}，{how}）"
        if lang == "zh" and kind
        else f"{key} ({kind}, {how})"
        if kind
        else f"{key} ({how})"
    )
    n, s, m = number(p.distinct), number(p.sensitive or 0), number(p.minors or 0)
    age = data.minors.age_below
    return pick(
        lang,
        f"人数：{n} 名自然人（去重），按 {by} 计；"
        f"其中含敏感个人信息 {s} 人，不满 {age} 周岁 {m} 人",
        f"Persons: {n} distinct, by {by}; {s} with sensitive personal information; {m} under {age}",
    )


def _verdict(report: ScanReport, lang: Lang) -> str:
    if report.sensitive:
        return pick(
            lang, "结论：数据含敏感个人信息。", "The data holds sensitive personal information."
        )
    if report.personal:
        return pick(
            lang,
            "结论：数据含个人信息（未发现敏感个人信息）。",
            "The data holds personal information (no sensitive personal information found).",
        )
    return pick(lang, "结论：未发现个人信息。", "No personal information found.")
