"""Exact sets of person keys, collected batch by batch.

Most datasets are keyed by resident ID, and a normalised resident ID (17 digits and a check
character) maps one-to-one onto an integer: the 17 digits times 11 plus the check character's
value (X is 10). Integers hash and compare several times faster than text and take a third of the
memory, so those keys are kept as Int64 and every other key as text. An integer never stands
for a text key, so the count of the set is the count of each part added together: exact, with no
hashing of keys into collisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

_RESIDENT_ID = r"^[0-9]{17}[0-9X]$"  # the ledger's normalised form


@dataclass(frozen=True)
class Keys:
    """Distinct keys of one batch: resident IDs as integers, the others as text."""

    numbers: pl.Series
    texts: pl.Series

    @classmethod
    def of(cls, keys: pl.Series) -> Keys:
        """The distinct keys among `keys` (normalised, no nulls)."""
        frame = keys.to_frame("k").with_columns(id=pl.col("k").str.contains(_RESIDENT_ID))
        key = pl.col("k")
        check = key.str.slice(17, 1).replace("X", "10").cast(pl.Int64)
        number = key.str.slice(0, 17).cast(pl.Int64) * 11 + check
        ids = frame.filter(pl.col("id")).select(number).to_series()
        others = frame.filter(~pl.col("id")).get_column("k")
        return cls(ids.unique(), others.unique())

    def born_after(self, day: dt.date) -> Keys:
        """The resident IDs of persons born after `day`, by the date their ID encodes (a date
        that does not exist dates nobody)."""
        ymd = self.numbers // 11 // 1000 % 100_000_000  # digits 7-14: YYYYMMDD
        later = self.numbers.filter(ymd > int(day.strftime("%Y%m%d")))
        # Zero-padded: unpadded, "9100011" would parse as a real day of the year 910.
        text = (later // 11 // 1000 % 100_000_000).cast(pl.String).str.zfill(8)
        real = text.str.to_date("%Y%m%d", strict=False).is_not_null()
        return Keys(later.filter(real), self.texts.clear())


def born_after(keys: pl.Expr, day: dt.date) -> pl.Expr:
    """Whether each normalised key is a resident ID of a person born after `day`, by the date
    it encodes (a date that does not exist dates nobody): `Keys.born_after`, key by key."""
    ymd = keys.str.slice(6, 8)
    real = ymd.str.to_date("%Y%m%d", strict=False).is_not_null()
    later = ymd.cast(pl.Int64, strict=False) > int(day.strftime("%Y%m%d"))
    return (keys.str.contains(_RESIDENT_ID) & later & real).fill_null(False)


@dataclass
class KeySet:
    """The union of batches' keys; `count` is exact."""

    parts: list[Keys] = field(default_factory=list)

    def add(self, keys: Keys) -> None:
        self.parts.append(keys)

    def count(self) -> int:
        if not self.parts:
            return 0
        numbers = pl.concat([p.numbers for p in self.parts]).n_unique()
        return numbers + pl.concat([p.texts for p in self.parts]).n_unique()
