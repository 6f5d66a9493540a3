"""Text tables (CSV, TSV): UTF-8, UTF-8 with BOM or GB18030/GBK, their cells separated by
commas, tabs or semicolons; and the export as CSV, in UTF-8 with a BOM so that Excel reads it."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from kuajing.catalog.importers.grid import Grid, cell_text, has_header
from kuajing.catalog.importers.model import Limits
from kuajing.catalog.layout import TableError
from kuajing.spreadsheet import write_csv


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("CSV is neither UTF-8 nor GB18030/GBK", file=file)


def _csv_grid(path: Path) -> Grid:
    """Cell texts of a CSV file, separated by commas, else by tabs or semicolons (the first that
    gives a header row)."""
    text = _decode(path.read_bytes(), path.name)
    grids = []
    for delimiter in (",", "\t", ";"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        grid = [[cell_text(v) for v in row] for row in reader]
        if has_header(grid):
            return grid
        grids.append(grid)
    return grids[0]


def read_grids(path: Path, limits: Limits) -> list[Grid]:
    """The file's one grid (`read.format_of` has checked its size against `limits`)."""
    return [_csv_grid(path)]


def write_grid(path: Path, grid: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        write_csv(fh, grid)
