"""Excel workbooks (XLSX, XLSM): each sheet's cell texts, merged regions filled; the package is
checked before openpyxl parses it. And the export as XLSX, where no cell is ever a formula."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]

from kuajing.catalog.importers.grid import Grid, cell_text
from kuajing.catalog.importers.model import DocumentError, Limits
from kuajing.catalog.layout import TableError
from kuajing.spreadsheet import write_xlsx
from kuajing.zipcheck import check_zip

MAX_CELLS = 2_000_000  # of one sheet's grid, as the DOCX and HTML readers count a table's


def _sheet_grid(sheet: Any, name: str, limits: Limits) -> Grid:
    """Cell texts of a worksheet, each merged region filled with its top-left value. Refused
    when the sheet reaches further than any list: one cell far down makes a grid that large."""
    rows, columns = sheet.max_row, sheet.max_column
    if rows > limits.max_rows or rows * columns > MAX_CELLS:
        raise DocumentError(
            f"sheet {sheet.title!r} spans {rows:,} rows and {columns:,} columns; the limits are"
            f" {limits.max_rows:,} rows and {MAX_CELLS:,} cells",
            file=name,
        )
    grid = [
        [cell_text(v) for v in row]
        for row in sheet.iter_rows(
            min_row=1,
            min_col=1,
            max_row=sheet.max_row,
            max_col=sheet.max_column,
            values_only=True,
        )
    ]
    for region in sheet.merged_cells.ranges:
        value = grid[region.min_row - 1][region.min_col - 1]
        for r in range(region.min_row - 1, region.max_row):
            for c in range(region.min_col - 1, region.max_col):
                grid[r][c] = value
    return grid


def read_grids(path: Path, limits: Limits) -> list[Grid]:
    """Every sheet's grid; the package is checked against `limits` before it is parsed."""

    def refuse(message: str) -> DocumentError:
        return DocumentError(message, file=path.name)

    try:
        check_zip(path, limits.package(sheets=True), refuse, "XLSX")  # before openpyxl reads it
        book = openpyxl.load_workbook(path, data_only=True)
    except DocumentError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableError(f"cannot open the workbook: {exc}", file=path.name) from None
    try:
        return [_sheet_grid(sheet, path.name, limits) for sheet in book.worksheets]
    finally:
        book.close()


def write_grid(path: Path, grid: Sequence[Sequence[str]]) -> None:
    write_xlsx(path, grid, "清单")
