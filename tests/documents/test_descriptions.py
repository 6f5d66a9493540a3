"""Thresholds and fields read out of the official description text, as the lists write them."""

from __future__ import annotations

import pytest

from kuajing.catalog.importers.cells import fields_in
from kuajing.catalog.importers.thresholds import parse_threshold, threshold_in
from kuajing.catalog.layout import TableError

D = "自当年1月1日起累计向境外提供"


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        (
            f"{D}10万人以上、不满50万人个人信息（不含敏感个人信息）的",
            ("personal", 100_000, None, 500_000, None),
        ),
        (f"{D}超过50万人个人信息的", ("persons", None, 500_000, None, None)),
        (f"{D}5万人以上、50万人以下个人信息的", ("persons", 50_000, None, None, 500_000)),
        (f"{D}不足1万人敏感个人信息的", ("sensitive", None, None, 10_000, None)),
        (f"{D}1亿人以上个人信息的", ("persons", 100_000_000, None, None, None)),
        (f"{D}十万人以上、不满一百万人个人信息的", ("persons", 100_000, None, 1_000_000, None)),
        (f"{D}1.5万人以上敏感个人信息的", ("sensitive", 15_000, None, None, None)),
        (f"{D}100,000人以上个人信息（含敏感个人信息）的", ("persons", 100_000, None, None, None)),
    ],
)
def test_thresholds_in_descriptions(text: str, bounds: tuple[object, ...]) -> None:
    found = parse_threshold(threshold_in(text))
    assert found is not None
    got = (found.counter, found.at_least, found.more_than, found.below, found.at_most)
    assert got == bounds


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (f"{D}1万至10万人个人信息的", "has no 以上/不满/超过/以下"),  # a range: inclusive or not?
        (f"{D}1万人以上敏感个人信息或者10万人以上个人信息的", "two lower bounds"),
    ],
)
def test_ambiguous_thresholds_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(TableError, match=why):
        parse_threshold(threshold_in(text))


def test_words_that_are_not_amounts_stay_words() -> None:
    text = "达到一定精度或规模，一旦遭到篡改、破坏、泄露，可能危害一定范围的数据，包括工艺参数等。"
    assert threshold_in(text) == ""


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("……的，包括客户姓名、手机号码、通信地址等。", ["客户姓名", "手机号码", "通信地址"]),
        ("包括但不限于：设备编号，运行时长；故障代码等", ["设备编号", "运行时长", "故障代码"]),
        ("包括姓名、身份证件号码和银行账号。", ["姓名", "身份证件号码和银行账号"]),
        ("没有列出字段的描述。", []),
    ],
)
def test_fields_listed_as_baokuo_deng(text: str, fields: list[str]) -> None:
    assert fields_in(text) == fields
