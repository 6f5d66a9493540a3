"""What the readers' tests compare: a table's text with merged cells filled from above, and
where the merged cells are."""

from __future__ import annotations

import re

from kuajing.catalog.importers.model import Table


def bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def filled(table: Table) -> list[list[str]]:
    """The table's text with each None taken from the cell above, whitespace removed."""
    rows: list[list[str]] = []
    for row in table.rows:
        above = rows[-1] if rows else [""] * len(row)
        rows.append(
            [above[c] if cell.text is None else bare(cell.text) for c, cell in enumerate(row)]
        )
    return rows


def nones(table: Table) -> set[tuple[int, int]]:
    """The (row, column) of every cell covered by a merged cell above."""
    return {
        (r, c)
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row)
        if cell.text is None
    }
