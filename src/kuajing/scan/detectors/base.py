"""What every detector module shares: the interface and vectorised helpers.

A detector module describes one kind of value, in the manner of python-stdnum:

- `KIND`: the kind's name in the scan report.
- `compact(values: pl.Expr) -> pl.Expr`: the values in canonical form (separators and spaces
  removed, letters in the case the standard uses); null stays null.
- `is_valid(values: pl.Expr) -> pl.Expr`: Boolean, true where a value is of the kind. Never null:
  a null or empty value is not valid. It calls `compact` itself.
- `validate(value: str) -> str`: one value; returns its compact form or raises `InvalidValue`
  saying why (length, format, component, checksum).
- `PLAUSIBLE`: a regex that every valid value matches once stripped (it may match many invalid
  ones). It must be cheap: the scanner runs `is_valid` only on the values that match it.

Expressions, not Series, so the scanner can run every detector of a column in one polars query.
The values a scanner passes in are text, stripped, and NFKC-normalised where they were not ASCII.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from importlib.resources import files
from typing import Protocol

import polars as pl

from kuajing.errors import InvalidValue

__all__ = [
    "Detector",
    "InvalidValue",
    "luhn_valid",
    "number",
    "on_series",
    "spread",
    "weighted_sum",
]


class Detector(Protocol):
    KIND: str
    PLAUSIBLE: str

    def compact(self, values: pl.Expr) -> pl.Expr: ...

    def is_valid(self, values: pl.Expr) -> pl.Expr: ...

    def validate(self, value: str) -> str: ...


def on_series(function: Callable[[pl.Expr], pl.Expr], values: pl.Series) -> pl.Series:
    """Apply an expression function (`compact`, `is_valid`) to a Series."""
    return values.to_frame("v").select(function(pl.col("v")).alias(values.name)).to_series()


def once(value: pl.Expr, body: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """`body(value)` with `value` computed once: an eager select shares no subexpressions, so
    every reference to `value` inside `body` would otherwise compute it again."""
    shared = pl.struct(value.alias("v")).struct.with_fields(body(pl.field("v")).alias("out"))
    return shared.struct.field("out")


@cache
def terms(name: str) -> tuple[str, ...]:
    """The terms of `data/<name>`: one per line, `#` starts a comment, repeats dropped."""
    text = files("kuajing.scan.detectors").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(dict.fromkeys(line for line in lines if line))


def number(values: pl.Expr, start: int, count: int) -> pl.Expr:
    """The `count` characters from `start` read as one Int64 (so `count` <= 18), null unless
    they are all digits: one parse, then integer arithmetic, is far cheaper than a text slice
    per digit."""
    return once(
        values.str.slice(start, count),
        lambda v: pl.when(v.str.contains(r"^[0-9]+$")).then(v.cast(pl.Int64, strict=False)),
    )


def spread(digits: pl.Expr, count: int) -> list[pl.Expr]:
    """The `count` decimal digits of an integer, most significant first (reference a computed
    value here, e.g. a field inside `once`: each digit refers to it)."""
    return [digits // 10 ** (count - 1 - i) % 10 for i in range(count)]


def weighted_sum(values: pl.Expr, weights: Sequence[int], start: int = 0) -> pl.Expr:
    """The digits from `start` times `weights`, summed: the core of most check-digit schemes.
    Null unless those positions are all digits."""
    n = len(weights)
    return once(
        number(values, start, n),
        lambda x: pl.sum_horizontal(
            [d * w for d, w in zip(spread(x, n), weights, strict=True) if w], ignore_nulls=False
        ),
    )


def luhn_valid(digits_only: pl.Expr, longest: int = 19) -> pl.Expr:
    """Luhn (ISO/IEC 7812-1) over strings of digits only, up to `longest` (at most 36) digits.
    Padded with zeros on the left (which add nothing), every position has a fixed weight."""
    head = max(longest - 18, 0)  # an Int64 holds 18 digits

    def check(parts: pl.Expr) -> pl.Expr:
        found = spread(parts.struct.field("head"), head) if head else []
        found += spread(parts.struct.field("tail"), longest - head)
        total = pl.lit(0, dtype=pl.Int64)
        for i, d in enumerate(found):
            doubled = (longest - 1 - i) % 2 == 1  # every second digit from the right
            total = total + (d * 2 - (d >= 5).cast(pl.Int64) * 9 if doubled else d)
        return (total % 10) == 0

    def split(padded: pl.Expr) -> pl.Expr:
        parts = [number(padded, head, longest - head).alias("tail")]
        parts += [number(padded, 0, head).alias("head")] if head else []
        return once(pl.struct(parts), check)

    return once(digits_only.str.zfill(longest), split)


def fail(kind: str, reason: str, message: str) -> InvalidValue:
    return InvalidValue(kind, reason, message)
