"""Passport number of the People's Republic of China (中华人民共和国护照号码).

Passports are issued under the Passport Law of the PRC (《中华人民共和国护照法》, 2007): ordinary
passports by the exit-entry administration (National Immigration Administration, 国家移民管理局),
diplomatic, service and public-affairs passports by the Ministry of Foreign Affairs. The number
is printed on the data page and in the machine-readable zone (ICAO Doc 9303); it carries no
check character of its own, so only the shape is checked. Numbers are 8 or 9 characters:

- ordinary e-passport (since 2012): E + 8 digits, and since April 2017, when those ran out,
  E + a letter (not I or O) + 7 digits;
- ordinary passport before the e-passport: G + 8 digits;
- diplomatic (D), service (S) and public-affairs (P) passports: the letter + 7 or 8 digits, or,
  for e-passports, DE/SE/PE + 7 digits.

Only these mainland formats are accepted. Foreign passport numbers have no common structure
(ICAO allows any 9 alphanumerics), so accepting them would take product codes for passports; the
passports of the Hong Kong and Macao SARs (K…, MA…) are left out for the same reason, and the
pre-2012 all-digit ordinary numbers (14/15 + 7 digits) are left out because nine bare digits are
mostly order numbers. Compact form: no spaces, hyphens or dots (P.1234567), upper case.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail

KIND = "passport"
PLAUSIBLE = r"^[A-Za-z0-9\s\-.]{8,}$"

_SHAPES = (
    r"E[0-9]{8}",  # ordinary e-passport, 2012-2017
    r"E[A-HJ-NP-Z][0-9]{7}",  # ordinary e-passport since April 2017
    r"G[0-9]{8}",  # ordinary passport before the e-passport
    r"[DSP]E[0-9]{7}",  # diplomatic, service and public-affairs e-passports
    r"[DSP][0-9]{7,8}",  # diplomatic, service and public-affairs passports before them
)
_PATTERN = "^(?:" + "|".join(_SHAPES) + ")$"
_LOOKALIKE = r"^[A-Z]{1,2}[0-9]{7,8}$"  # a passport-like shape with a prefix nobody issues


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s\-.]", "").str.to_uppercase()


def is_valid(values: pl.Expr) -> pl.Expr:
    return compact(values).str.contains(_PATTERN).fill_null(False)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) not in (8, 9):
        raise fail(KIND, "length", f"{len(v)} characters; a PRC passport number has 8 or 9")
    if re.fullmatch(_PATTERN, v):
        return v
    if re.fullmatch(_LOOKALIKE, v):
        raise fail(KIND, "component", f"no PRC passport type is numbered {v[:2]}…")
    raise fail(KIND, "format", "a type letter (E, G, D, S, P) followed by digits")
