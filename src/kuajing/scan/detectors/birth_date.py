"""Calendar date (a candidate date of birth), year first, as Chinese and ISO data write it.

Accepted: ``1990-01-31``, ``1990-1-31``, ``1990/1/31``, ``1990.01.31``, ``19900131`` and
``1990年1月31日``; the date must exist and lie between 1900-01-01 and today. `compact` writes
ISO ``YYYY-MM-DD``.

A date with a time of day is a timestamp, not a date of birth (``2026-03-01 12:00:00``,
``2026-03-01T12:00:00Z``), with one exception: exactly midnight (``1990-01-31 00:00:00``, with
optional ``.000``), which is how databases and Parquet files export a date kept in a datetime
column; the dataset reader does the same for Excel cells. Day-first and month-first forms
(31/01/1990, 01/31/1990) are ambiguous and not accepted, nor are year and month alone (199001).

Every valid date passes: whether a column of dates holds dates of birth rather than order or
payment dates is decided by the scanner from the column's name and its statistics (dates of
birth of a group of people spread over decades, the dates of business events do not).
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from kuajing.scan.detectors.base import fail, once

KIND = "birth_date"
PLAUSIBLE = r"^\d{4}"

_EARLIEST = dt.date(1900, 1, 1)
_SEPARATORS = {"年": "-", "月": "-", "日": "", "号": "", "/": "-", ".": "-"}
_MIDNIGHT = r"[ T]00:00(?::00(?:-0+)?)?$"  # after _SEPARATORS: .000 is -000
_PARTS = r"^(\d{4})(?:-(\d{1,2})-(\d{1,2})|(\d{2})(\d{2}))$"
_DAY = r"^\d{4}-\d{2}-\d{2}$"


def compact(values: pl.Expr) -> pl.Expr:
    v = values.str.strip_chars()
    s = v.str.replace_many(_SEPARATORS).str.replace(_MIDNIGHT, "")
    f = pl.field
    month = pl.coalesce(f("2"), f("4")).str.zfill(2)
    day = pl.coalesce(f("3"), f("5")).str.zfill(2)
    iso = pl.concat_str([f("1"), month, day], separator="-").alias("iso")
    return pl.coalesce(s.str.extract_groups(_PARTS).struct.with_fields(iso).struct.field("iso"), v)


def parsed(values: pl.Expr) -> pl.Expr:
    """The date a value writes, as pl.Date (null where it writes none), whatever its year."""
    return once(
        compact(values),
        lambda v: pl.when(v.str.contains(_DAY)).then(v.str.to_date("%Y-%m-%d", strict=False)),
    )


def is_valid(values: pl.Expr) -> pl.Expr:
    return parsed(values).is_between(_EARLIEST, dt.date.today()).fill_null(False)


def validate(value: str) -> str:
    v = pl.select(compact(pl.lit(value, dtype=pl.String))).item()
    if not v:
        raise fail(KIND, "length", "an empty value is no date")
    if not re.fullmatch(_DAY, v):
        raise fail(KIND, "format", f"{value!r} is not a year-first date without a time")
    try:
        day = dt.date.fromisoformat(v)
    except ValueError:
        raise fail(KIND, "component", f"no such date {v}") from None
    if not _EARLIEST <= day <= dt.date.today():
        raise fail(KIND, "component", f"{v} is before 1900 or in the future")
    return str(v)
