"""Which module reads each format, and which writes each export, by the file's suffix.

A reader is imported when a file needs it, so that the command line starts fast and a machine
without an OCR engine still reads text PDFs, DOCX, HTML and tables."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kuajing.catalog.importers.model import Format

SUFFIXES: dict[str, Format] = {
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}


@dataclass(frozen=True)
class Handler:
    """A function of one module of this package. Readers: `read_grids(path, limits)` gives a
    table's sheets as grids of cell texts (`grids`); the others give a `Document`."""

    module: str
    function: str
    name: str  # what the file is, in messages
    grids: bool = False

    def load(self) -> Callable[..., Any]:
        module = importlib.import_module(f"kuajing.catalog.importers.{self.module}")
        function: Callable[..., Any] = getattr(module, self.function)
        return function


READERS: dict[Format, Handler] = {
    "pdf": Handler("pdf", "read_pdf", "a PDF document"),
    "image": Handler("ocr", "read_image", "a page image"),
    "docx": Handler("docx", "read_docx", "a Word (DOCX) document"),
    "html": Handler("html", "read_html", "an HTML page"),
    "xlsx": Handler("xlsx", "read_grids", "an Excel (XLSX) workbook", grids=True),
    "csv": Handler("csv", "read_grids", "a text table (CSV)", grids=True),
}

# What an export is written as: `write_grid(path, grid)`, a header row first.
WRITERS: dict[str, Handler] = {
    ".csv": Handler("csv", "write_grid", "a CSV table (UTF-8 with BOM)"),
    ".xlsx": Handler("xlsx", "write_grid", "an Excel (XLSX) workbook"),
}
