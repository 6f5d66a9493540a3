"""Mainland China mobile phone number (手机号码).

11 digits: a 3-digit network segment (号段) starting with 1, then 8 digits (a 4-digit HLR code and
a 4-digit subscriber code), under the MIIT Telecommunication Network Numbering Plan
(《电信网编号计划(2017年版)》, 工业和信息化部) and the segments MIIT has since allocated to China
Mobile, China Unicom, China Telecom, China Broadnet and the virtual operators. In international
form the country code 86 comes first (ITU-T E.164): +86, 0086 or a bare 86.

Segments accepted: 13x, 14[5-9], 15[0-35-9], 16[2567] and the 1610 block, 17[0-8], 18x and
19[0-35-9]. This was checked against libphonenumber's metadata (9.0.43), which differs only in
leaving out 146, 148 and 149 (data-only SIM numbers, still issued to people, so accepted here)
and all of 174 but the 1740 satellite block (174 is accepted whole here: its other blocks are
little used, so this costs no precision). There is no check digit, so an 11-digit order
number in these segments passes; the column name is the scanner's other evidence.

Compact form: the 11 digits, without the country code, spaces, hyphens or brackets.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail

KIND = "mobile_phone"
PLAUSIBLE = r"^[0-9+\s\-()]{11,}$"

_SEGMENT = r"1(?:3[0-9]|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8[0-9]|9[0-35-9])"
_PATTERN = rf"^(?:{_SEGMENT}[0-9]{{8}}|1610[0-9]{{7}})$"
_COUNTRY = r"^(?:\+86|0086|86)(1[0-9]{10})$"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s\-()]", "").str.replace(_COUNTRY, "${1}")


def is_valid(values: pl.Expr) -> pl.Expr:
    return compact(values).str.contains(_PATTERN).fill_null(False)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) != 11:
        raise fail(KIND, "length", f"{len(v)} digits; a mobile number has 11 (after +86)")
    if not re.fullmatch(r"1[0-9]{10}", v):
        raise fail(KIND, "format", "11 digits starting with 1")
    if not re.fullmatch(_PATTERN, v):
        raise fail(KIND, "component", f"no mobile network segment {v[:3]}")
    return v
