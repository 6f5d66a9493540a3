"""Payment card number (银行卡号), as issued by banks in China.

ISO/IEC 7812-1: an issuer identification number (IIN/BIN) of 6-8 digits, the account number and
a final Luhn check digit, 13 to 19 digits in all. Cards issued in China are China UnionPay
cards (中国银联, IIN 62, 16-19 digits) or cards of the international schemes, often co-branded,
each with its own lengths: Visa (4; 13, 16 or 19 digits), Mastercard (51-55 and 2221-2720; 16),
American Express (34, 37; 15), JCB (3528-3589; 16-19), Diners Club (300-305, 36, 38, 39;
14-19) and Discover (6011, 644-649, 65; 16-19).

Decisions, for precision against order numbers of the same lengths:
- the number must start with one of these IINs and have one of its scheme's lengths; other
  13-19 digit strings are refused even when the Luhn digit happens to fit (one in ten does);
- a 62 number of 16 or 19 digits, the lengths UnionPay issues, is accepted without the Luhn
  check: UnionPay did not require it on early domestic debit cards, some still in use. Order
  numbers seldom start 62. A 62 number of 17 or 18 digits needs the Luhn check, because an
  18-digit resident ID of Gansu (province code 62) would otherwise always pass;
- every other number must pass Luhn;
- the pre-UnionPay proprietary domestic BINs (9xxxxx, e.g. 9558) are not accepted: those cards
  were replaced by 62 cards, and a leading 9 is common in other identifiers.

Compact form: the digits, without spaces or hyphens.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail, luhn_valid, once

KIND = "bank_card"
PLAUSIBLE = r"^[0-9\s\-]{13,}$"

_SCHEMES = (
    r"4[0-9]{12}(?:[0-9]{3}){0,2}",  # Visa: 13, 16 or 19 digits
    r"(?:5[1-5][0-9]{2}|222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}",  # MC
    r"3[47][0-9]{13}",  # American Express
    r"35(?:2[89]|[3-8][0-9])[0-9]{12,15}",  # JCB
    r"30[0-5][0-9]{11,16}|3[689][0-9]{12,17}",  # Diners Club
    r"(?:6011|64[4-9][0-9]|65[0-9]{2})[0-9]{12,15}",  # Discover
    r"62[0-9]{15,16}",  # UnionPay, 17 or 18 digits
)
_IIN = "^(?:" + "|".join(_SCHEMES) + ")$"
_UNIONPAY = r"^62(?:[0-9]{14}|[0-9]{17})$"  # 16 or 19 digits: accepted without Luhn


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s\-]", "")


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), _valid).fill_null(False)


def _valid(v: pl.Expr) -> pl.Expr:
    scheme = v.str.contains(_IIN) & luhn_valid(v)
    return v.str.contains(r"^[0-9]{13,19}$") & (v.str.contains(_UNIONPAY) | scheme)


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if not 13 <= len(v) <= 19:
        raise fail(KIND, "length", f"{len(v)} digits; a card number has 13 to 19")
    if not re.fullmatch(r"[0-9]+", v):
        raise fail(KIND, "format", "digits only")
    if re.fullmatch(_UNIONPAY, v):
        return v
    if not re.fullmatch(_IIN, v):
        raise fail(KIND, "component", f"no card scheme issues {len(v)} digits starting {v[:4]}")
    if not _luhn(v):
        raise fail(KIND, "checksum", "the Luhn check digit does not match")
    return v
