"""A table's or document's rows before they are made into a list: a sheet's grid of cell texts
read from its header row on, or a document's rows with where each was read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kuajing.catalog.importers.model import Document
from kuajing.catalog.importers.rows import SourceRow
from kuajing.catalog.layout import COLUMNS, HEADER_MIN, TableError, header_map, is_note

Grid = list[list[str]]  # a sheet's cell texts, row by row


@dataclass(frozen=True)
class Row:
    line: int  # the row number in the sheet or CSV file (in a document: in its table), 1-based
    values: dict[str, str]
    source: SourceRow | None = None  # read from a document: where

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def has_header(grid: Grid) -> bool:
    return any(len(header_map(r)) >= HEADER_MIN for r in grid)


def grid_rows(grid: Grid, file: str) -> tuple[list[str], list[Row]]:
    """The known columns and the data rows of a sheet's grid of cell texts."""
    start = next((i for i, r in enumerate(grid) if len(header_map(r)) >= HEADER_MIN), None)
    if start is None:
        raise TableError(
            f"no header row with at least {HEADER_MIN} of {', '.join(COLUMNS)}", file=file
        )
    columns = header_map(grid[start])
    rows = []
    for i, raw in enumerate(grid[start + 1 :], start=start + 2):
        if len(header_map(raw)) >= HEADER_MIN:
            continue  # a repeated or second header row
        values = {name: (raw[j] if j < len(raw) else "") for name, j in columns.items()}
        filled = [v for v in values.values() if v]
        if filled and not is_note(filled):
            rows.append(Row(i, values))
    return list(columns), rows


@dataclass
class Loaded:
    """A table's or document's rows, before they are made into a list."""

    columns: list[str]
    rows: list[Row]
    document: Document | None = None  # None: a CSV or XLSX table
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of_document(
        cls, document: Document, columns: list[str], rows: list[SourceRow], notes: list[str]
    ) -> Loaded:
        """A document's rows, as read or as a reviewer corrected them."""
        return cls(columns, [Row(r.row, r.values, r) for r in rows], document, notes)
