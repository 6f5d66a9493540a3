"""What a scan tells its reader besides the figures, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass, field

from kuajing.catalog.base import Text

PHRASES: dict[str, Text] = {
    "no_key": Text(
        zh="未发现可识别个人的标识列（身份证号、护照号、手机号、电子邮箱），无法计算人数；"
        "请用 --key 指定",
        en="No column identifies persons (resident ID, passport, mobile, e-mail): the number of "
        "persons is unknown. Name the key column(s) with --key",
    ),
    "missing_key": Text(
        zh="{n} 行的键列为空，未计入人数",
        en="{n} rows have nothing in the key column(s) and name nobody",
    ),
    "against_values": Text(
        zh="列“{column}”的列名表明其为{kind_zh}，但其值大多不符（可能已脱敏或为自由文本）；从严按{kind_zh}报告",
        en="Column '{column}' is named as {kind_en} but most values do not look like one (masked "
        "or free text?); reported as {kind_en} to be safe",
    ),
    "name_conflict": Text(
        zh="列“{column}”的列名表明其为{name_zh}，但其值为{kind_zh}；按值报告",
        en="Column '{column}' is named as {name_en} but its values are {kind_en}; reported by "
        "its values",
    ),
    "sample": Text(
        zh="仅检查了每个文件的前 {n} 行；人数按全部行计算",
        en="Detectors looked only at the first {n} rows of each file; persons are counted over "
        "every row",
    ),
    "minors": Text(
        zh="{n} 人在 {date} 不满 {age} 周岁：其全部个人信息属敏感个人信息（{rule}）",
        en="{n} persons are under {age} on {date}: all their personal information is "
        "sensitive ({rule})",
    ),
    "proposal_changed": Text(
        zh="列“{column}”在全部行中的判断（{kind}）与前若干行不同；敏感人数按前若干行的判断计算，请复核",
        en="Column '{column}' looks different over all rows ({kind}) than in its first rows; the "
        "count of persons with sensitive data used the first rows' verdict. Review it",
    ),
}


@dataclass
class Notes:
    items: list[Text] = field(default_factory=list)

    def add(self, key: str, **values: object) -> None:
        phrase = PHRASES[key]
        zh = {k: v for k, v in values.items() if not k.endswith("_en")}
        en = {k: v for k, v in values.items() if not k.endswith("_zh")}
        self.items.append(Text(zh=phrase.zh.format(**zh), en=phrase.en.format(**en)))
