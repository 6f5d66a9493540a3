"""One row of the official columns as the data of one list entry; from a document, a row that
cannot be fully read as an entry that asks for review, its condition unknown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kuajing.catalog.base import Counter, Pathway
from kuajing.catalog.importers.cells import (
    PATHWAY_LABELS,
    bilingual,
    category_of,
    clean_name,
    fields_in,
    pathway_of,
    split_fields,
)
from kuajing.catalog.importers.grid import Row
from kuajing.catalog.importers.report import COLUMN_NAMES, why_zh
from kuajing.catalog.importers.rows import SourceRow
from kuajing.catalog.importers.thresholds import (
    ANY_AMOUNT,
    ANY_AMOUNT_WORDS,
    UNREADABLE,
    UNREADABLE_WORDS,
    format_threshold,
    parse_threshold,
    row_hint,
    threshold_in,
)
from kuajing.catalog.layout import (
    CATEGORY,
    DESCRIPTION,
    FIELDS,
    PATHWAY,
    SUB_CLASS,
    THRESHOLD,
    TableError,
    normal,
)
from kuajing.catalog.models import Category


def fail(row: Row, column: str, message: str, file: str) -> TableError:
    return TableError(message, file=file, line=row.line, path=column, loc=(row.line, column))


def entry(row: Row, file: str, english: Mapping[str, str], describe: bool) -> dict[str, Any]:
    """The row's entry, or `TableError` naming the cell that will not do. With `describe`, the
    threshold and the fields may be read out of the description."""
    category = category_of(row.get(CATEGORY))
    if category is None:
        raise fail(
            row,
            CATEGORY,
            f"unknown data category {row.get(CATEGORY)!r}: use 重要数据, 个人信息 or 一般数据",
            file,
        )
    sub_class = clean_name(row.get(SUB_CLASS))
    if not sub_class:
        raise fail(row, SUB_CLASS, "the row has no data sub-class", file)
    pathway = _pathway(row, category, file)
    trigger, threshold_text = _trigger(row, category, sub_class, file, describe)
    data: dict[str, Any] = {"category": category, "pathway": pathway.value, **trigger}
    data["sub_class"] = bilingual(sub_class, english)
    description = row.get(DESCRIPTION)
    if description:
        data["description"] = {"zh": description, "en": description}
    fields = split_fields(row.get(FIELDS))
    if not fields and describe:
        fields = fields_in(description)
    if fields:
        data["fields"] = fields
    data["text"] = entry_text(sub_class, description, threshold_text, pathway)
    return data


def _pathway(row: Row, category: Category, file: str) -> Pathway:
    text = row.get(PATHWAY)
    if not text and category == "general_data":
        return Pathway.EXEMPT
    pathway = pathway_of(text)
    if pathway is None:
        raise fail(
            row,
            PATHWAY,
            f"unknown pathway {text!r}: use 数据出境安全评估 or 标准合同/认证",
            file,
        )
    return pathway


def _trigger(
    row: Row, category: Category, sub_class: str, file: str, describe: bool
) -> tuple[dict[str, Any], str | None]:
    """The trigger keys of the entry, and the threshold as the entry's text gives it."""
    text = row.get(THRESHOLD)
    if not text and describe:
        text = threshold_in(row.get(DESCRIPTION))
    if normal(text) in UNREADABLE_WORDS:
        return {"trigger": "unknown"}, UNREADABLE
    hint = row_hint(category, row.get(CATEGORY), sub_class)
    try:
        threshold = parse_threshold(text, hint)
    except TableError as exc:
        raise fail(row, THRESHOLD, exc.message, file) from None
    if threshold is not None:
        keys = {"trigger": "threshold", "threshold": threshold.model_dump(exclude_none=True)}
        # the entry's text depends on the category only, so that a round trip keeps it
        text_hint: Counter | None = "personal" if category == "personal_information" else None
        return keys, format_threshold(threshold, text_hint)
    if category == "personal_information":
        raise fail(
            row,
            THRESHOLD,
            f"personal-information row {sub_class!r} needs a threshold such as 1万人以上",
            file,
        )
    if normal(text) in ANY_AMOUNT_WORDS:
        return {"trigger": "scenario"}, ANY_AMOUNT
    return {"trigger": "declared"}, None


def review_entry(row: Row, column: str, why: str, english: Mapping[str, str]) -> dict[str, Any]:
    """The entry of a row that cannot be fully read (`why`, in `column`): its text kept, its
    condition unknown, so that it answers needs_review."""
    assert row.source is not None
    category = category_of(row.get(CATEGORY)) or "personal_information"
    pathway = pathway_of(row.get(PATHWAY)) or Pathway.SECURITY_ASSESSMENT
    sub_class = clean_name(row.get(SUB_CLASS)) or f"{UNREADABLE}（{row.source.raw[:24]}）"
    raw = row.source.raw
    data: dict[str, Any] = {
        "category": category,
        "pathway": pathway.value,
        "trigger": "unknown",
        "sub_class": bilingual(sub_class, english),
        "description": {"zh": raw, "en": raw},
        "text": entry_text(sub_class, row.get(DESCRIPTION), UNREADABLE, pathway),
        "review": review_text(row.source, column, why),
    }
    fields = split_fields(row.get(FIELDS)) or fields_in(row.get(DESCRIPTION))
    return {**data, **({"fields": fields} if fields else {})}


def review_text(source: SourceRow, column: str, why: str) -> dict[str, str]:
    zh_col, en_col = COLUMN_NAMES.get(column, (column, column))
    at_zh = f"官方文件第{source.page}页第{source.table}个表格第{source.row}行"
    at_en = f"page {source.page}, table {source.table}, row {source.row} of the official document"
    return {
        "zh": f"{at_zh}的“{zh_col}”未能完整读取，须人工核对原文后确认（{why_zh(why)}）。",
        "en": f"The {en_col} at {at_en} could not be fully read; confirm it against the"
        f" document ({why}).",
    }


def entry_text(
    sub_class: str, description: str, threshold: str | None, pathway: Pathway
) -> dict[str, str]:
    head = f"{sub_class}（{threshold}）" if threshold else sub_class
    zh = f"{head}：{PATHWAY_LABELS[pathway]}。"
    if description:
        zh += f"{description.rstrip('。')}。"
    return {"zh": zh, "en": zh}
