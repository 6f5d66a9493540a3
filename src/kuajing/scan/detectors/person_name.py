"""Chinese personal name (姓名) written in Han characters.

Two forms:

- 2 to 4 Han characters whose first one or two are a common surname (``data/surnames.txt``:
  the common single surnames, their traditional forms, and the compound ones such as 欧阳 司马
  诸葛), followed by a given name of 1 to 3 characters (1 or 2 after a compound surname);
- a transliterated name of an ethnic minority or a foreigner: Han characters around one or more
  middle dots (阿依古丽·买买提, 约翰·史密斯), 2 to 10 Han characters in all. These have no
  Chinese surname, so any Han text around a dot passes.

A value ending (or with a dotted part ending) in what ends the names of places, organisations
and shops or a phrase (``data/name_endings.txt``: 市 省 县 区 公司 银行 医院 大学 店 路 街 的
了 ...) is not a name, whatever its first character.

This is a weak test on purpose: many ordinary two- and three-character words start with a
surname character (高兴, 黄金, 方便), and only the share of matching values over a whole column,
with the column's name, tells a name column apart. Names in pinyin or other Latin letters (Wang
Xiaoming) are out of scope: they cannot be told from other Latin words by their values alone.
`compact` removes spaces (张 三 is 张三) and writes every kind of middle dot as ``·``.
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from kuajing.scan.detectors.base import fail, once, terms

KIND = "person_name"
PLAUSIBLE = "[\u3400-\u4dbf\u4e00-\u9fff]"

_HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
_SPACES_AND_DOTS = {" ": "", "\t": "", "\u3000": "", **dict.fromkeys("•・‧∙⋅･", "·")}
_DOTTED = rf"^{_HAN}+(?:·{_HAN}+)+$"
_PLAIN_LONGEST = 4
_DOTTED_HAN = (2, 10)


@cache
def _patterns() -> tuple[str, str]:
    """The regexes of a surname-first name and of a non-name ending."""
    surnames = terms("surnames.txt")
    single = "".join(s for s in surnames if len(s) == 1)
    double = "|".join(s for s in surnames if len(s) == 2)
    plain = rf"^(?:(?:{double}){_HAN}{{1,2}}|[{single}]{_HAN}{{1,3}})$"
    ending = "(?:" + "|".join(map(re.escape, terms("name_endings.txt"))) + ")(?:·|$)"
    return plain, ending


def compact(values: pl.Expr) -> pl.Expr:
    v = values.str.replace_many(_SPACES_AND_DOTS)
    period = v.str.contains(rf"{_HAN}\.{_HAN}")  # 阿依古丽.买买提, typed without a middle dot
    return pl.when(period).then(v.str.replace_all(".", "·", literal=True)).otherwise(v)


def _name(v: pl.Expr) -> pl.Expr:
    plain, ending = _patterns()
    low, high = _DOTTED_HAN
    han = v.str.len_chars() - v.str.count_matches("·", literal=True)
    dotted = v.str.contains(_DOTTED) & han.is_between(low, high)
    return (v.str.contains(plain) | dotted) & ~v.str.contains(ending)


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), _name).fill_null(False)


def validate(value: str) -> str:
    v = pl.select(compact(pl.lit(value, dtype=pl.String))).item()
    if not v:
        raise fail(KIND, "length", "an empty value is no name")
    if not re.fullmatch(rf"(?:{_HAN}|·)+", v):
        raise fail(KIND, "format", f"{value!r} is not written in Han characters only")
    if not pl.select(is_valid(pl.lit(v, dtype=pl.String))).item():
        raise _why(v)
    return str(v)


def _why(v: str) -> Exception:
    ending = _patterns()[1]
    han = len(v.replace("·", ""))
    if "·" in v and not re.fullmatch(_DOTTED, v):
        return fail(KIND, "format", "a middle dot belongs between two parts of a name")
    if "·" in v and not _DOTTED_HAN[0] <= han <= _DOTTED_HAN[1]:
        return fail(KIND, "length", f"{han} Han characters; a dotted name has 2 to 10")
    if "·" not in v and not 2 <= han <= _PLAIN_LONGEST:
        return fail(KIND, "length", f"{han} Han characters; a Chinese name has 2 to 4")
    if re.search(ending, v):
        return fail(KIND, "component", f"{v} ends like a place, organisation or phrase")
    return fail(KIND, "component", f"{v} does not start with a common surname")
