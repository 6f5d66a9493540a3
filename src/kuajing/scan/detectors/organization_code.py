"""Unified social credit code of a legal person or other organisation (统一社会信用代码).

GB 32100-2015 (《法人和其他组织统一社会信用代码编码规则》): 18 characters from the 31-character
set 0-9 A-H J-N P-R T-U W-Y (no I, O, S, V, Z):

1. registration authority (登记管理部门): 1-9, A (Central Military Commission), N (agriculture)
   or Y (other); 9 is market regulation, for companies;
2. organisation type within that authority (机构类别), 1-9;
3. 3-8: the administrative division of the registering authority (GB/T 2260); checked only for
   its province (the first two digits), or 10 for central-level registrations (100000);
4. 9-17: the organisation code (主体标识码, GB 11714-1997): 8 characters and their own check
   character, 11 - (sum of values x weights 3,7,9,10,5,8,4,2) mod 11, 10 written X and 11 as 0,
   with letters valued A=10 … Z=35;
5. 18: the check character, 31 - (sum of values x weights 3^(i-1) mod 31) mod 31, the value
   being the position in the character set.

Both check characters are verified. The old 9-character organisation code on its own is not
accepted: with a hyphen removed it is nine characters that one time in eleven fit by chance.
Compact form: no spaces or hyphens, upper case.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail, once
from kuajing.scan.detectors.resident_id import PROVINCES

KIND = "organization_code"
PLAUSIBLE = r"^[0-9A-Za-z\s\-]{18,}$"

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_ORG_VALUE = {c: int(c, 36) for c in CHARSET}  # GB 11714: digits as such, A=10 … Z=35
_ORG_CHECK = {i: str(i) for i in range(1, 10)} | {10: "X", 11: "0"}
_DIVISIONS = sorted(PROVINCES | {"10"})
_SHAPE = r"^[0-9A-HJ-NP-RTUW-Y]{18}$"
_HEAD = r"^[1-9ANY][1-9][0-9]{6}"  # authority, type, division


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s\-]", "").str.to_uppercase()


def _ascii(v: pl.Expr, start: int, count: int) -> pl.Expr:
    """The bytes of `count` characters from `start`, eight to an Int64 field w0, w1, …: reading
    hex is far cheaper than a lookup per character."""
    hex_ = v.str.slice(start, count).str.encode("hex")
    words = range(-(-count // 8))
    return once(
        hex_,
        lambda h: pl.struct(
            h.str.slice(16 * i, 16).str.to_integer(base=16, strict=False).alias(f"w{i}")
            for i in words
        ),
    )


def _codes(words: pl.Expr, count: int) -> list[pl.Expr]:
    """The character codes held in `_ascii`'s words, in order."""
    codes = []
    for i in range(count):
        word, place = divmod(i, 8)
        size = min(8, count - 8 * word)  # bytes in this word
        codes.append(words.struct.field(f"w{word}") // 256 ** (size - 1 - place) % 256)
    return codes


def _charset_value(code: pl.Expr) -> pl.Expr:
    """GB 32100: the position in CHARSET: digits as such, then A=10 … Y=30 without I O S V."""
    skipped = sum((code > ord(c)).cast(pl.Int64) for c in "IOSV")
    return code - ord("0") - (code >= ord("A")).cast(pl.Int64) * 7 - skipped


def _org_value(code: pl.Expr) -> pl.Expr:
    """GB 11714: digits as such, letters A=10 … Z=35."""
    return code - ord("0") - (code >= ord("A")).cast(pl.Int64) * 7


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), _valid).fill_null(False)


def _valid(v: pl.Expr) -> pl.Expr:
    return (
        v.str.contains(_SHAPE)
        & v.str.contains(_HEAD)
        & v.str.slice(2, 2).is_in(_DIVISIONS)
        & once(_ascii(v, 0, 18), _checks_match)
    )


def _checks_match(words: pl.Expr) -> pl.Expr:
    """Both check characters, from the characters' codes (arithmetic only: no lookups)."""
    codes = _codes(words, 18)
    total = pl.sum_horizontal(_charset_value(c) * w for c, w in zip(codes, WEIGHTS, strict=False))
    org_sum = pl.sum_horizontal(
        _org_value(c) * w for c, w in zip(codes[8:16], ORG_WEIGHTS, strict=True)
    )
    org = 11 - org_sum % 11  # 10 is written X, 11 as 0
    org_code = pl.when(org == 10).then(ord("X")).otherwise(org % 11 + ord("0"))
    return (codes[16] == org_code) & (_charset_value(codes[17]) == (31 - total % 31) % 31)


def _check(v: str) -> str:
    """The final check character of 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(v[:17], WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _org_check(body: str) -> str:
    """The GB 11714 check character of an organisation code's 8 characters."""
    total = sum(_ORG_VALUE[c] * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    return _ORG_CHECK[11 - total % 11]


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) != 18:
        raise fail(KIND, "length", f"{len(v)} characters; a credit code has 18")
    if not re.fullmatch(_SHAPE, v):
        raise fail(KIND, "format", "digits and capital letters other than I, O, S, V, Z")
    if not re.match(_HEAD, v):
        raise fail(KIND, "component", f"no registration authority and type {v[:2]}")
    if v[2:4] not in _DIVISIONS:
        raise fail(KIND, "component", f"no province with division code {v[2:4]}")
    if _org_check(v[8:16]) != v[16]:
        raise fail(KIND, "checksum", "the organisation code's check character does not match")
    if _check(v) != v[17]:
        raise fail(KIND, "checksum", "the final check character does not match")
    return v
