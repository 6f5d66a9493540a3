"""Vehicle identification number (车辆识别代号, VIN).

ISO 3779 and, in China, GB 16735 (《道路车辆 车辆识别代号(VIN)》): 17 characters, digits and
capital letters except I, O and Q. Positions 1-3 are the world manufacturer identifier (WMI,
ISO 3780 / GB 16737; the first character is the region: L for China, 1-5 for North America),
4-8 describe the vehicle, 9 is the check digit, 10 is the model year (no 0, U or Z) and 11-17
identify the plant and the serial number, whose last three characters are always digits (the
last four for makers of 500 or more vehicles a year).

Check digit: letters transliterated (A-H = 1-8, J-N = 1-5, P = 7, R = 9, S-Z = 2-9), multiplied
by the weights 8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2, summed mod 11, 10 written X. ISO 3779 makes
it optional; GB 16735 requires it for vehicles made in China and the US and Canadian rules
(49 CFR 565) for North America, so it is verified where the WMI starts with L or 1-5. Elsewhere
(European and Japanese makers often put a filler at position 9) the shape, model year and digit
serial are the only checks, plus one more against product codes: some letter among the first 8
characters, which every real WMI or descriptor section has.

Compact form: no spaces, upper case.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail, once, weighted_sum

KIND = "vin"
PLAUSIBLE = r"^[A-Za-z0-9\s]{17,}$"

WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_DIGITS = "12345678123457923456789"  # the letters' values, in order
_SHAPE = r"^[A-HJ-NPR-Z0-9]{17}$"
_PARTS = r"^.{9}[1-9A-HJ-NPR-TV-Y].{4}[0-9]{3}$"  # model year; digits at the end of the serial
_LETTER = r"[A-HJ-NPR-Z]"
_CHECK = {n: "X" if n == 10 else str(n) for n in range(11)}  # weighted sum mod 11
_CHECKED = r"^[L1-5]"  # regions whose rules require the check digit


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"\s", "").str.to_uppercase()


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), _valid).fill_null(False)


def _valid(v: pl.Expr) -> pl.Expr:
    numeric = v.str.replace_many(list(_LETTERS), list(_DIGITS))
    check = once(numeric, lambda n: (weighted_sum(n, WEIGHTS) % 11).replace_strict(_CHECK))
    return (
        v.str.contains(_SHAPE)
        & v.str.contains(_PARTS)
        & v.str.slice(0, 8).str.contains(_LETTER)
        & (~v.str.contains(_CHECKED) | (check == v.str.slice(8, 1)))
    )


def check_digit(v: str) -> str:
    """The check digit of a 17-character VIN (position 9 itself has weight 0)."""
    values = (int(_DIGITS[_LETTERS.index(c)]) if c in _LETTERS else int(c) for c in v)
    total = sum(n * w for n, w in zip(values, WEIGHTS, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) != 17:
        raise fail(KIND, "length", f"{len(v)} characters; a VIN has 17")
    if not re.fullmatch(_SHAPE, v) or not re.search(_LETTER, v[:8]):
        raise fail(KIND, "format", "digits and capital letters except I, O, Q")
    if not re.fullmatch(_PARTS, v):
        raise fail(KIND, "component", "a bad model year (position 10) or serial (last 3 digits)")
    if re.match(_CHECKED, v) and check_digit(v) != v[8]:
        raise fail(KIND, "checksum", "the check digit (position 9) does not match")
    return v
