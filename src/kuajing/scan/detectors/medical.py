"""Medical and health information: diagnoses, symptoms, test results, prescriptions, adverse
events, in Chinese or English.

A value is medical when it holds:

- a term of ``data/medical_terms.txt`` (about 500: diseases 高血压 糖尿病 肺炎 癌 乙肝 HIV 新冠,
  symptoms 头痛 发热 咳嗽 恶心, tests and results 血常规 血糖 肝功能 CT MRI 核酸检测 阳性 阴性,
  treatments and forms 处方 手术 住院 胶囊 注射液 次/日, drugs 阿莫西林 二甲双胍 布洛芬, the
  same in English); Han terms match anywhere, ASCII terms as whole words;
- a dose or a dosing schedule: ``0.5mg``, ``500 mg``, ``10IU``, ``每日3次``, ``一日2片``,
  ``2片/次``;
- or, as the whole value, an ICD-10 code: ``I10``, ``E11.9``, ``J18.900``, ``I10.x00x002``.

Precision first: words common outside medicine are not terms (药 炎 病毒 医院 维生素, tablet,
injection, positive), bare 片 每日 mg only count in a dose, and words that merely contain a term
(发烧友 骨折价 胶囊咖啡, ``data/medical_not_terms.txt``) are blanked out first. ``无`` and
``正常`` alone are not medical: in a diagnosis column they are the negative answers, and the
scanner judges such a column by its other values and its name. A bare ICD-10 code looks like
many product or seat codes (A12, K20): a column of them needs its name to agree.
`compact` collapses runs of whitespace to one space.
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from kuajing.scan.detectors.base import fail, once, terms

KIND = "medical"
PLAUSIBLE = "[A-Za-z\u3400-\u4dbf\u4e00-\u9fff]"

_ICD10 = r"^[A-Z]\d{2}(?:\.[0-9A-Zx]{1,8})?$"
_DOSE = (
    r"\d\s*(?i:mg|mcg|μg|µg|ug|iu)(?:$|[^A-Za-z])"
    r"|(?:每日|每天|一日|每次|每晚)\s*[1-6一二三四五六两]\s*(?:次|片|粒|丸|袋|支)"
    r"|\d\s*(?:片|粒|丸|袋|支)\s*/\s*次"
)


@cache
def _patterns() -> tuple[list[str], str]:
    """The Han terms, and one regex for the ASCII terms, doses and ICD-10 codes."""
    found = terms("medical_terms.txt")
    han = [t for t in found if not t.isascii()]
    capitals = [re.escape(t) for t in found if t.isascii() and t != t.lower()]
    lower = [re.escape(t) for t in found if t.isascii() and t == t.lower()]
    words = "|".join(capitals) + "|(?i:" + "|".join(lower) + ")"
    return han, rf"(?:^|[^A-Za-z])(?:{words})(?:$|[^A-Za-z0-9-])|{_DOSE}|{_ICD10}"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"\s+", " ").str.strip_chars()


def _medical(v: pl.Expr) -> pl.Expr:
    han, regex = _patterns()
    return v.str.contains_any(han, ascii_case_insensitive=True) | v.str.contains(regex)


def is_valid(values: pl.Expr) -> pl.Expr:
    blanks = dict.fromkeys(terms("medical_not_terms.txt"), "_")
    return once(compact(values).str.replace_many(blanks), _medical).fill_null(False)


def validate(value: str) -> str:
    v = pl.select(compact(pl.lit(value, dtype=pl.String))).item()
    if not v:
        raise fail(KIND, "length", "an empty value says nothing medical")
    if not pl.select(is_valid(pl.lit(v, dtype=pl.String))).item():
        raise fail(KIND, "format", f"{v!r} holds no medical term, dose or ICD-10 code")
    return str(v)
