"""Travel permits between the mainland and Hong Kong or Macao (港澳通行证 and 回乡证).

Two documents, both issued by the exit-entry administration of the Ministry of Public Security
(now the National Immigration Administration, 国家移民管理局); neither number has a check
character, so only the shape is checked:

- 往来港澳通行证, the Exit-Entry Permit for Travelling to and from Hong Kong and Macao held by
  mainland residents (《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》): the card issued
  since 2014 is numbered C + 8 digits, and, once those ran out, C + a letter (not I or O) +
  7 digits; the earlier booklet was numbered W + 8 digits.
- 港澳居民来往内地通行证 (回乡证), the Mainland Travel Permit of Hong Kong and Macao residents: H
  (Hong Kong) or M (Macao) + 8 digits, the holder's lifelong number, sometimes written with the
  2-digit issue count after it (H1234567801).

Compact form: no spaces or hyphens, upper case.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail

KIND = "hk_macau_permit"
PLAUSIBLE = r"^[A-Za-z0-9\s\-]{9,}$"

_SHAPES = (
    r"C[0-9]{8}",  # mainland resident's card, 2014 on
    r"C[A-HJ-NP-Z][0-9]{7}",  # the same, once C + 8 digits ran out
    r"W[0-9]{8}",  # mainland resident's booklet, before 2014
    r"[HM][0-9]{8}(?:[0-9]{2})?",  # Hong Kong or Macao resident: lifelong number (+ issue count)
)
_PATTERN = "^(?:" + "|".join(_SHAPES) + ")$"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s\-]", "").str.to_uppercase()


def is_valid(values: pl.Expr) -> pl.Expr:
    return compact(values).str.contains(_PATTERN).fill_null(False)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) not in (9, 11):
        raise fail(KIND, "length", f"{len(v)} characters; a permit number has 9 (or 11)")
    if re.fullmatch(_PATTERN, v):
        return v
    if re.fullmatch(r"[A-Z]{1,2}[0-9]{7,10}", v):
        raise fail(KIND, "component", f"no permit is numbered {v[:2]}… in this way")
    raise fail(KIND, "format", "a letter (C, W, H or M) followed by digits")
