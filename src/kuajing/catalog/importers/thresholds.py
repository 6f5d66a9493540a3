"""Threshold phrases of the official lists, both ways: 10万人以上、不满100万人 is the band from
100,000 up to 1,000,000 persons (excluded); words such as 敏感个人信息 say what is counted. A
description that states its threshold (自当年1月1日起累计…10万人以上…的) gives it too."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import get_args

from pydantic import ValidationError

from kuajing.catalog.base import Counter, Threshold
from kuajing.catalog.importers.cells import first_error
from kuajing.catalog.layout import TableError, normal
from kuajing.catalog.models import Category

ANY_AMOUNT = "不限"
UNREADABLE = "未能读取"  # the row's condition is in the table but could not be read

_NO_THRESHOLD = {"", "-", "—", "–", "/", "无", "不适用", "n/a"}
ANY_AMOUNT_WORDS = {"不限", "不限数量", "任意数量", "不论数量"}
UNREADABLE_WORDS = {"未能读取", "无法辨认", "不详", "未知", "unreadable", "unknown"}

_COUNTER_WORDS: dict[str, str] = {
    "sensitive": "敏感个人信息",
    "personal": "个人信息（不含敏感个人信息）",
    "persons": "个人信息（含敏感个人信息）",
    "processed": "（处理个人信息）",
}

_LOWER = "at_least", "more_than"
_PRE = {
    "不少于": "at_least",
    "不低于": "at_least",
    "达到": "at_least",
    "超过": "more_than",
    "多于": "more_than",
    "高于": "more_than",
    "大于": "more_than",
    "不超过": "at_most",
    "不多于": "at_most",
    "不高于": "at_most",
    "不满": "below",
    "未满": "below",
    "不足": "below",
    "少于": "below",
    "低于": "below",
    "小于": "below",
}
_POST = {
    "以上": "at_least",
    "及以上": "at_least",
    "(含)以上": "at_least",
    "以下": "at_most",
    "及以下": "at_most",
    "(含)以下": "at_most",
    "以内": "at_most",
}
_MULT = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_BOUND = re.compile(
    rf"(?P<pre>{_alternatives(_PRE)})?(?P<num>\d+(?:\.\d+)?)(?P<mult>[十百千万亿]*)"
    rf"(?P<unit>人|名|位)?(?P<post>{_alternatives(_POST)})?"
)


def _words_counter(text: str) -> Counter | None:
    """The counter that words such as 敏感个人信息 name, if any."""
    text = normal(text)
    if re.search(r"不含敏感|非敏感|一般个人信息", text):
        return "personal"
    if re.search(r"(?<!不)含敏感", text):
        return "persons"
    if "敏感" in text:
        return "sensitive"
    return None


def _phrase_counter(text: str) -> Counter | None:
    return "processed" if "处理" in normal(text) else _words_counter(text)


def _amount(num: str, mult: str) -> int | None:
    try:
        value = Decimal(num)
    except InvalidOperation:
        return None
    for char in mult:
        value *= _MULT[char]
    return int(value) if value == value.to_integral_value() else None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1_000}
_CN_RUN = re.compile(
    rf"(?P<pre>{_alternatives(_PRE)})?(?P<run>[零〇一二两三四五六七八九十百千万亿]+)"
    r"(?P<post>人|名|位|以上|以下|及以|\(含\))?"
)


def _cn_number(run: str) -> int:
    """一百五十万 → 1500000: sections closed by 万 and 亿, each of digits and 十/百/千."""
    total, section, digit = 0, 0, 0
    for char in run:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section, digit = 0, 0
        else:  # 亿 scales everything before it
            total = (total + section + digit) * 100_000_000
            section, digit = 0, 0
    return total + section + digit


def _arabic(text: str) -> str:
    """Amounts written in Chinese numerals (十万人以上, 不满一百万人) in digits."""

    def digits(m: re.Match[str]) -> str:
        if not m["post"] or not re.search(r"[一二两三四五六七八九十]", m["run"]):
            return m[0]  # words such as 一旦, 达到一定精度: not a number of persons
        return f"{m['pre'] or ''}{_cn_number(m['run'])}{m['post'] or ''}"

    return _CN_RUN.sub(digits, text)


def _bounds(text: str) -> dict[str, int]:
    bounds: dict[str, int] = {}
    for match in _BOUND.finditer(_arabic(normal(text))):
        kinds = {_PRE[match["pre"]]} if match["pre"] else set()
        kinds |= {_POST[match["post"]]} if match["post"] else set()
        if len(kinds) > 1:
            raise TableError(f"threshold {text!r}: {match[0]!r} is bounded two ways")
        if not kinds:
            if match["unit"]:
                raise TableError(f"threshold {text!r}: {match[0]!r} has no 以上/不满/超过/以下")
            continue  # a date or other number, not a bound
        kind = kinds.pop()
        amount = _amount(match["num"], match["mult"])
        if amount is None:
            raise TableError(f"threshold {text!r}: {match[0]!r} is not a whole number of persons")
        side = _LOWER if kind in _LOWER else ("below", "at_most")
        if any(s in bounds for s in side):
            raise TableError(
                f"threshold {text!r} has two {'lower' if kind in _LOWER else 'upper'} bounds"
            )
        bounds[kind] = amount
    return bounds


def parse_threshold(text: str, counter_hint: str | None = None) -> Threshold | None:
    """A Chinese threshold phrase as bounds: 以上 = at_least, 超过 = more_than, 不满 = below,
    以下 = at_most. Empty cells and 不限 give None; text that is not a threshold raises
    `TableError`. The counter comes from words in the phrase (敏感个人信息 = sensitive,
    个人信息（不含敏感个人信息） = personal, 含敏感个人信息 = persons, 处理 = processed), else
    from `counter_hint`, else persons."""
    if counter_hint is not None and counter_hint not in get_args(Counter):
        raise TableError(f"unknown counter {counter_hint!r}: use {', '.join(get_args(Counter))}")
    compact = normal(text)
    if compact.lower() in _NO_THRESHOLD or compact in ANY_AMOUNT_WORDS:
        return None
    bounds = _bounds(text)
    if not bounds:
        raise TableError(f"cannot read the threshold {text!r}: no bound such as 1万人以上")
    counter = _phrase_counter(text) or counter_hint or "persons"
    try:
        threshold = Threshold.model_validate({"counter": counter, **bounds})
    except ValidationError as exc:
        raise TableError(f"threshold {text!r}: {first_error(exc)}") from None
    low, high = threshold.band()
    if high is not None and high < low:
        raise TableError(f"threshold {text!r}: no number of persons reaches it")
    return threshold


def _amount_text(n: int) -> str:
    if n and n % 100_000_000 == 0:
        return f"{n // 100_000_000}亿"
    if n and n % 10_000 == 0:
        return f"{n // 10_000}万"
    return str(n)


def format_threshold(threshold: Threshold, counter_hint: str | None = None) -> str:
    """The threshold in Chinese drafting, e.g. 10万人以上、不满100万人. Words naming the counter
    are added when it differs from `counter_hint` (else persons), so parsing gives it back."""
    parts = []
    if threshold.at_least is not None:
        parts.append(f"{_amount_text(threshold.at_least)}人以上")
    if threshold.more_than is not None:
        parts.append(f"超过{_amount_text(threshold.more_than)}人")
    if threshold.below is not None:
        parts.append(f"不满{_amount_text(threshold.below)}人")
    if threshold.at_most is not None:
        parts.append(f"{_amount_text(threshold.at_most)}人以下")
    text = "、".join(parts)
    if threshold.counter != (counter_hint or "persons"):
        text += _COUNTER_WORDS[threshold.counter]
    return text


def row_hint(category: Category, category_text: str, sub_class: str) -> Counter | None:
    """The counter a row's threshold counts when the threshold cell does not say."""
    found = _words_counter(sub_class) or _words_counter(category_text)
    return found or ("personal" if category == "personal_information" else None)


# A bound (不满10万, 10万以上) or a number of persons (1万至10万人, which parsing then refuses
# as ambiguous rather than the row passing for one without a threshold).
_AMOUNT_WORDS = re.compile(
    rf"(?:{_alternatives(_PRE)})\d|\d(?:\.\d+)?[十百千万亿]*(?:人|名|位)"
    rf"|\d(?:\.\d+)?[十百千万亿]*(?:{_alternatives(_POST)})"
)


def threshold_in(description: str) -> str:
    """The part of a description that states its threshold, as in 自当年1月1日起累计向境外提供
    10万人以上、不满50万人个人信息（不含敏感个人信息）的: the text before the fields it lists."""
    head = re.split(r"包括", description, maxsplit=1)[0]
    return head if _AMOUNT_WORDS.search(_arabic(normal(head))) else ""
