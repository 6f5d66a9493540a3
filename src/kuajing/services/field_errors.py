"""A request field's validation error in Chinese, by pydantic's error type; a type not listed
has none, so the English message is shown."""

from __future__ import annotations

from collections.abc import Mapping

_ZH = {
    "missing": "为必填项",
    "reserved_key": "“{key}”是登记册页面使用的词，请另选编号",
    "extra_forbidden": "不是已知字段",
    "greater_than_equal": "应大于或等于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应小于或等于 {le}",
    "less_than": "应小于 {lt}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为映射",
    "model_type": "应为映射",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "date_from_datetime_parsing": "不是有效日期（YYYY-MM-DD）",
    "date_parsing": "不是有效日期（YYYY-MM-DD）",
    "date_type": "不是有效日期（YYYY-MM-DD）",
    "string_pattern_mismatch": "格式不符",
    "string_too_short": "至少应有 {min_length} 个字符",
}


def field_error_zh(kind: str, ctx: Mapping[str, object]) -> str | None:
    template = _ZH.get(kind)
    if template is None:
        return None
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):  # a context without the value the phrase names
        return None
