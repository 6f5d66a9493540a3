"""Travel permits between the mainland and Taiwan (台胞证 and 大陆居民往来台湾通行证).

Both documents are issued under the State Council's 《中国公民往来台湾地区管理办法》 by the
exit-entry administration (National Immigration Administration, 国家移民管理局); neither number
has a check character, so only the shape is checked:

- 台湾居民来往大陆通行证 (台胞证), held by Taiwan residents. Since 25 September 2008 the number is
  the holder's lifelong 8-digit number (一人一号、终身不变), also on the card issued since 2015.
  The 1992-2008 booklets added the 2-digit issue count and, in brackets, the issuing office's
  code: 1234567801(B).
- 大陆居民往来台湾通行证, held by mainland residents: the card (电子往来台湾通行证) is numbered
  L + 8 digits.

Eight bare digits are also dates, amounts and order numbers, so the scanner relies on the column
name for this kind; the detector accepts 8 digits only when they are the whole compact value, and
rejects those that read as a date from 1900 to 2099 (YYYYMMDD), which costs under 0.1% of real
numbers. The 2006-2008 bracketless 10-digit form is not accepted: it cannot be told from a Unix
timestamp. Compact form: no spaces, upper case; the brackets of the old form stay.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from kuajing.scan.detectors.base import fail

KIND = "taiwan_permit"
PLAUSIBLE = r"^[A-Za-z0-9\s()]{8,}$"

_SHAPES = (
    r"[0-9]{8}",  # 台胞证 lifelong number, 2008 on
    r"[0-9]{10}\([0-9A-Z]\)",  # 台胞证 1992-2008: number, issue count, (issuing office)
    r"L[0-9]{8}",  # mainland resident's card
)
_PATTERN = "^(?:" + "|".join(_SHAPES) + ")$"
_DATE_LIKE = r"^(?:19|20)[0-9]{6}$"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"\s", "").str.to_uppercase()


def _reads_as_date(v: pl.Expr) -> pl.Expr:
    return v.str.contains(_DATE_LIKE) & v.str.to_date("%Y%m%d", strict=False).is_not_null()


def is_valid(values: pl.Expr) -> pl.Expr:
    v = compact(values)
    return (v.str.contains(_PATTERN) & ~_reads_as_date(v)).fill_null(False)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) not in (8, 9, 13):
        raise fail(KIND, "length", f"{len(v)} characters; a permit number has 8, 9 or 13")
    if not re.fullmatch(_PATTERN, v):
        raise fail(KIND, "format", "8 digits, L + 8 digits, or 10 digits + (office code)")
    if re.fullmatch(_DATE_LIKE, v):
        try:
            dt.date(int(v[:4]), int(v[4:6]), int(v[6:]))
        except ValueError:
            return v
        raise fail(KIND, "component", f"{v} reads as a date, not a permit number")
    return v
