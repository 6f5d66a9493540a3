"""Any supported file as rows of the official columns: a table (CSV, XLSX) by its grid, an
official document (PDF, page image, DOCX, HTML) by its tables. `formats` says which reads what."""

from __future__ import annotations

from pathlib import Path

from kuajing.catalog.importers.formats import READERS, SUFFIXES
from kuajing.catalog.importers.grid import Grid, Loaded, grid_rows, has_header
from kuajing.catalog.importers.model import DocumentError, Limits
from kuajing.catalog.importers.read import format_of, read_document
from kuajing.catalog.importers.rows import document_rows
from kuajing.catalog.layout import COLUMNS, HEADER_MIN, TableError


def load_table(path: Path, limits: Limits | None = None) -> Loaded:
    """The rows of a table (CSV, XLSX) or of an official document (PDF, page image, DOCX,
    HTML); the format follows from the content, and a name that says otherwise is refused."""
    if path.suffix.lower() not in SUFFIXES:
        raise TableError(
            f"unsupported table format {path.suffix!r}: use {', '.join(sorted(SUFFIXES))}",
            file=path.name,
        )
    limits = limits or Limits()
    found = format_of(path, limits)
    if READERS[found].grids:
        grids: list[Grid] = READERS[found].load()(path, limits)
        for grid in grids:  # the first sheet that has a header row
            if has_header(grid):
                return Loaded(*grid_rows(grid, path.name))
        return Loaded(*grid_rows(grids[0] if grids else [], path.name))
    document = read_document(path, limits)
    columns, rows, notes = document_rows(document)
    if not rows:
        raise DocumentError(
            f"holds no list table: no table has a header row with at least {HEADER_MIN} of"
            f" {', '.join(COLUMNS)}",
            file=path.name,
        )
    return Loaded.of_document(document, columns, rows, [*document.notes, *notes])


def read_table(path: Path) -> list[dict[str, str]]:
    """The data rows of a CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or XLSX list table, keyed by
    the official column names present in its header row. Merged cells give every cell of the
    region the top-left value; empty rows and merged footnote rows are dropped."""
    return [dict(row.values) for row in load_table(path).rows]
