"""Mainland China fixed-line phone number with its area code (固定电话号码).

Under the MIIT Telecommunication Network Numbering Plan (《电信网编号计划(2017年版)》) a national
number is the trunk prefix 0, the long-distance area code and a local number of 7 or 8 digits
whose first digit is 2-8 (9 in a few networks; 0 and 1 start trunk and service codes). Area codes
are 10 (Beijing) and 2X (Shanghai, Tianjin, Chongqing and the largest cities), where every local
number now has 8 digits, or three digits starting with 3-9, with 7- or 8-digit local numbers. In
international form +86 or 0086 replaces the trunk 0 (ITU-T E.164).

Being conservative, the detector needs the area code: compact removes spaces, hyphens and
brackets and turns +86/0086 into the trunk 0, and the result must be 0 + a valid area code + a
local number, 11 or 12 digits in all. So "010-62345678", "(0755) 8888 8888", "+86 21 5012 3456"
and the bare "075588888888" are accepted; a bare local number ("62345678") is not, nor is a
number with an extension ("010-62345678-801"), nor a bare 86 prefix (too often part of an order
number). A mobile number written with a 0 before it ("013800138000") is refused: no area code 013.

Compact form: the national number with its trunk 0, digits only ("01062345678").
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail

KIND = "landline_phone"
PLAUSIBLE = r"^[0-9+\s\-()]{10,}$"

_SHAPES = (
    r"0(?:10|2[0-9])[2-9][0-9]{7}",  # Beijing and the 2X cities: 8-digit local numbers
    r"0[3-9][0-9]{2}[2-9][0-9]{6,7}",  # 3-digit area codes: 7- or 8-digit local numbers
)
_PATTERN = "^(?:" + "|".join(_SHAPES) + ")$"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s\-()]", "").str.replace(r"^(?:\+86|0086)0?", "0")


def is_valid(values: pl.Expr) -> pl.Expr:
    return compact(values).str.contains(_PATTERN).fill_null(False)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) not in (11, 12):
        raise fail(KIND, "length", f"{len(v)} digits; 0 + area code + local number has 11-12")
    if not re.fullmatch(r"0[0-9]+", v):
        raise fail(KIND, "format", "digits, starting with the trunk 0 or +86")
    if not re.fullmatch(_PATTERN, v):
        raise fail(KIND, "component", "no such area code, or a local number starting with 0/1")
    return v
