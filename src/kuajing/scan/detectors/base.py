"""What every detector module shares: the interface and vectorised helpers.

A detector module describes one kind of value, in the manner of python-stdnum:

- `KIND`: the kind's name in the scan report.
- `compact(values: pl.Expr) -> pl.Expr`: the values in canonical form (separators and spaces
  removed, letters in the case the standard uses); null stays null.
- `is_valid(values: pl.Expr) -> pl.Expr`: Boolean, true where a value is of the kind. Never null:
  a null or empty value is not valid. It calls `compact` itself.
- `validate(value: str) -> str`: one value; returns its compact form or raises `InvalidValue`
  saying why (length, format, component, checksum).

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

__all__ = ["Detector", "InvalidValue", "digit", "luhn_valid", "on_series", "weighted_sum"]


class Detector(Protocol):
    KIND: str

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


def digit(values: pl.Expr, position: int) -> pl.Expr:
    """The decimal digit at `position` (negative counts from the end), as an integer."""
    return values.str.slice(position, 1).cast(pl.Int32, strict=False)


def weighted_sum(values: pl.Expr, weights: Sequence[int], start: int = 0) -> pl.Expr:
    """Sum of digit(start + i) * weights[i]: the core of most check-digit schemes."""
    return pl.sum_horizontal(
        [digit(values, start + i) * w for i, w in enumerate(weights) if w != 0]
    )


def luhn_valid(digits: pl.Expr, longest: int = 19) -> pl.Expr:
    """Luhn (ISO/IEC 7812-1) over strings of digits only, up to `longest` digits long."""
    reversed_ = digits.str.reverse()
    total = pl.lit(0, dtype=pl.Int32)
    for i in range(longest):
        d = reversed_.str.slice(i, 1).cast(pl.Int32, strict=False).fill_null(0)
        total = total + (d if i % 2 == 0 else pl.when(d * 2 > 9).then(d * 2 - 9).otherwise(d * 2))
    return (total % 10) == 0


def fail(kind: str, reason: str, message: str) -> InvalidValue:
    return InvalidValue(kind, reason, message)
