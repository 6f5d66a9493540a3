"""Mainland resident identity card number (公民身份号码, GB 11643-1999).

18 characters: a 6-digit administrative division code, the birth date YYYYMMDD, a 3-digit
sequence (odd for men) and a MOD 11-2 check character (0-9 or X). First-generation cards
(1984-2004) have 15 digits: a 2-digit birth year and no check character.

Only the province (first two digits) is checked against the list of divisions. District codes
are created, merged and abolished over the years, and a person keeps the number issued at birth,
so a real ID may name a district that did not exist yet in the birth year or no longer exists.
The residence permits of Hong Kong, Macao and Taiwan residents (居住证) use the same scheme
with the codes 81, 82 and 83.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from kuajing.scan.detectors.base import fail, once, weighted_sum

KIND = "resident_id"
PLAUSIBLE = r"^[0-9Xx\s\-]{15,}$"

PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"  # check character for (weighted sum mod 11)
_SHAPE18 = r"^[1-9][0-9]{16}[0-9X]$"
_SHAPE15 = r"^[1-9][0-9]{14}$"
_EARLIEST = 1900


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s\-]", "").str.to_uppercase()


def birth_date(values: pl.Expr) -> pl.Expr:
    """The birth date a valid ID encodes (null where it encodes none)."""
    return once(compact(values), _born)


def _born(v: pl.Expr) -> pl.Expr:
    text = (
        pl.when(v.str.len_chars() == 15).then("19" + v.str.slice(6, 6)).otherwise(v.str.slice(6, 8))
    )
    return text.str.to_date("%Y%m%d", strict=False)


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), _valid)


def _valid(v: pl.Expr) -> pl.Expr:
    long_ = v.str.contains(_SHAPE18)
    short = v.str.contains(_SHAPE15)
    check = (weighted_sum(v, WEIGHTS) % 11).replace_strict(
        dict(enumerate(CHECK)), default=None, return_dtype=pl.String
    )
    born = _born(v)
    born_ok = born.is_between(dt.date(_EARLIEST, 1, 1), dt.date.today())
    ok = (
        v.str.slice(0, 2).is_in(sorted(PROVINCES))
        & born_ok
        & ((long_ & (check == v.str.slice(17, 1))) | short)
    )
    return ok.fill_null(False)


def validate(value: str) -> str:
    v = "".join(value.split()).replace("-", "").upper()
    if len(v) not in (15, 18):
        raise fail(KIND, "length", f"{len(v)} characters; a resident ID has 18 (or 15)")
    shape = _SHAPE18 if len(v) == 18 else _SHAPE15
    if not pl.select(pl.lit(v).str.contains(shape)).item():
        raise fail(KIND, "format", "digits only, except a final X")
    if v[:2] not in PROVINCES:
        raise fail(KIND, "component", f"no province with code {v[:2]}")
    text = v[6:14] if len(v) == 18 else "19" + v[6:12]
    try:
        born = dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise fail(KIND, "component", f"no such birth date {text}") from None
    if not dt.date(_EARLIEST, 1, 1) <= born <= dt.date.today():
        raise fail(KIND, "component", f"birth date {born} out of range")
    if len(v) == 18:
        total = sum(int(c) * w for c, w in zip(v[:17], WEIGHTS, strict=True))
        if CHECK[total % 11] != v[17]:
            raise fail(KIND, "checksum", "the check character does not match")
    return v
