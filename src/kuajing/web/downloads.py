"""A page's table as a file to take away: CSV (UTF-8 with a BOM, so that Excel shows the Chinese)
or XLSX, written by the one writer the CLI uses too (`kuajing.spreadsheet`: no cell is ever a
live formula)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

from fastapi.responses import Response

from kuajing.spreadsheet import Cell, write_csv, write_xlsx
from kuajing.web.render import HEADERS

Format = Literal["csv", "xlsx"]
MEDIA: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SHEET_CHARS = 31  # Excel refuses a longer sheet name


def table_bytes(grid: Sequence[Sequence[Cell]], fmt: Format, sheet: str) -> bytes:
    """The grid (its header row first) as a file's bytes."""
    if fmt == "csv":
        text = io.StringIO(newline="")
        write_csv(text, grid)
        return text.getvalue().encode("utf-8-sig")
    out = io.BytesIO()
    write_xlsx(out, grid, sheet[:SHEET_CHARS])
    return out.getvalue()


def attachment(body: bytes, name: str, media: str) -> Response:
    """A download; `name` is ASCII (made from the table and its filters, never user text)."""
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


def table_file(grid: Sequence[Sequence[Cell]], fmt: Format, name: str, sheet: str) -> Response:
    return attachment(table_bytes(grid, fmt, sheet), f"{name}.{fmt}", MEDIA[fmt])
