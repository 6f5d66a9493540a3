"""Chinese postal address: an administrative division followed by a street-level part.

A value is an address when, after a place name, it has an administrative token (省 市 自治区 区
县 旗 镇 乡 街道) and after that a street-level token (路 街 道 巷 弄 胡同 号 村 屯 小区 大厦 公寓
室 栋 幢 楼 单元), and is at least 6 characters long: 北京市朝阳区建国路88号,
广东省深圳市南山区科技园南区R2-B栋, 河南省周口市郸城县汲冢镇王庄村.

Not addresses, to keep precision: a city or district alone (北京市, 朝阳区建外街道), a street
without a division (建国路88号), company and institution names (ending in 公司 银行 医院 学校
...), and sentences (with 。 ! ? or 我 你 他 她 的 了 吗 呢 吧). Words that only contain a token
(市场 渠道 型号 账号 办公室 ..., ``data/address_words.txt``) are blanked out before the tokens
are looked for. Addresses in Latin letters (88 Jianguo Road, Beijing) are out of scope.
`compact` removes all whitespace.
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from kuajing.scan.detectors.base import fail, once, terms

KIND = "address"
PLAUSIBLE = "[\u3400-\u4dbf\u4e00-\u9fff]"

_SHORTEST = 6
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
_ADMIN = rf"{_HAN}(?:省|市|自治区|区|县|旗|镇|乡)"  # 街道 is rewritten as 乡 first
_STREET = "(?:路|街|道|巷|弄|胡同|号|村|屯|小区|大厦|公寓|室|栋|幢|楼|单元)"
_ADDRESS = rf"{_ADMIN}.*{_STREET}"
_SENTENCE = "[。!?我你他她的了吗呢吧]"
_ORGANISATION = (
    "(?:公司|集团|银行|支行|分行|医院|学校|大学|学院|委员会|办事处|事务所|研究所|研究院)$"
)
_NOT = f"{_SENTENCE}|{_ORGANISATION}"
_SPACES = dict.fromkeys([" ", "\t", "\r", "\n", "\u3000"], "")


@cache
def _blanks() -> dict[str, str]:
    """Words to rewrite before looking for tokens: decoy words out, 街道 as an admin token."""
    return {**dict.fromkeys(terms("address_words.txt"), "_"), "街道": "乡"}


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_many(_SPACES)


def _address(v: pl.Expr) -> pl.Expr:
    tokens = v.str.replace_many(_blanks())
    return (v.str.len_chars() >= _SHORTEST) & tokens.str.contains(_ADDRESS) & ~v.str.contains(_NOT)


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), _address).fill_null(False)


def validate(value: str) -> str:
    v = pl.select(compact(pl.lit(value, dtype=pl.String))).item()
    if len(v or "") < _SHORTEST:
        raise fail(KIND, "length", f"{len(v or '')} characters; an address has at least 6")
    if pl.select(is_valid(pl.lit(v, dtype=pl.String))).item():
        return str(v)
    if re.search(_SENTENCE, v):
        raise fail(KIND, "format", "a sentence, not an address")
    if re.search(_ORGANISATION, v):
        raise fail(KIND, "component", "the name of an organisation, not an address")
    raise fail(KIND, "component", "no division (省 市 区 县 ...) followed by a street part")
