"""A dataset being read: its columns' names and its batches of rows, every value as text. The
readers of files (`stream.py`) and of database tables (`database.py`) both produce one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from kuajing.scan import read as _read

Batches = Iterator[tuple[pl.DataFrame, int]]  # all-String columns c0..cN, first line of the batch


@dataclass
class Source:
    """One dataset being read: its columns' names (as written, in order) and its batches."""

    label: str
    format: str
    header: list[str]
    batches: Batches
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)  # what could not be read, in English


def frame(columns: list[list[str | None]]) -> pl.DataFrame:
    """Columns of text as all-String columns c0..cN."""
    return pl.DataFrame(
        [pl.Series(f"c{i}", values, dtype=pl.String) for i, values in enumerate(columns)]
    )


def text_frame(rows: list[tuple[Any, ...]], width: int) -> pl.DataFrame:
    """Rows of Python values as all-String columns c0..cN, shown as a spreadsheet shows them."""
    return frame([[_read._cell_text(row[i]) for row in rows] for i in range(width)])
