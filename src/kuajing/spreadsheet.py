"""The one writer of the CSV and XLSX files kuajing hands to people (list tables, ledger exports).

A cell a spreadsheet would run as a formula is neutralised: text starting with =, +, -, @, a tab
or a carriage return is written with a leading apostrophe in CSV (the OWASP advice), and every
text cell of an XLSX is stored as a string, which spreadsheets never evaluate. Numbers stay
numbers: an int or float, or text that is only a number (-5, +86, 1.5), is written as it is."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

Cell = str | int | float | None
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe(value: Cell) -> Cell:
    """The cell as a spreadsheet may read it without running anything."""
    if not isinstance(value, str) or not value.startswith(_TRIGGERS):
        return value
    return value if _NUMBER.fullmatch(value) else f"'{value}"


def write_csv(out: TextIO, rows: Iterable[Sequence[Cell]]) -> None:
    """Rows to `out` (opened with newline=""), every cell made safe."""
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([safe(v) for v in row])


def write_xlsx(path: Path | BinaryIO, rows: Iterable[Sequence[Cell]], sheet_title: str) -> None:
    """Rows to one sheet of a file or a binary stream (a download); text is stored as text, so
    no cell is ever a formula."""
    # openpyxl (with numpy) costs 0.18 s to import: only the XLSX writers pay for it, not every
    # command that writes CSV, such as `ledger status` and `ledger export`.
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value if value != "" else None)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    book.save(path)
