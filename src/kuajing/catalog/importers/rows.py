"""A document's tables as the rows of the official layout, each with where it was read.

The official tables run over pages: the header is repeated on each page, a merged cell (a
sector, a scenario) continues on the next page with its text left blank, and a long row is cut
by the page break, its rest starting the next page in a row of its own. This module undoes that:
repeated headers are dropped, cells covered by a merge are filled from above, and a row that
only continues the previous one is joined to it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kuajing.catalog.importers.model import Box, Cell, Document, Table
from kuajing.catalog.layout import (
    CATEGORY,
    COLUMNS,
    COMPANIES,
    HEADER_MIN,
    PATHWAY,
    SCENARIO,
    SECTOR,
    SUB_CLASS,
    header_map,
    is_note,
)

# A row is the rest of the row before it when none of these says what it is.
_KEY_COLUMNS = (PATHWAY, CATEGORY, SUB_CLASS)
# Merged cells that run over a page break are left blank on the new page.
_CARRIED = (SECTOR, SCENARIO)
_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class SourceRow:
    """One row of the official layout and where it was read."""

    page: int
    table: int
    row: int  # 1-based in its table, header rows counted
    values: dict[str, str]  # by official column
    boxes: list[Box] = field(default_factory=list)  # its cells' regions, on `page`
    confidence: float | None = None  # the lowest OCR confidence of its cells
    ocr: bool = False
    continued: list[int] = field(default_factory=list)  # pages its text runs on to
    reviewed_by: str | None = None  # a person confirmed the row against the document
    reviewed_at: str | None = None
    hold: str | None = None  # kept for review whatever it reads: why (e.g. not confirmed)

    @property
    def box(self) -> Box | None:
        """The region of the page the row occupies."""
        if not self.boxes:
            return None
        return Box(
            min(b.x0 for b in self.boxes),
            min(b.y0 for b in self.boxes),
            max(b.x1 for b in self.boxes),
            max(b.y1 for b in self.boxes),
        )

    @property
    def raw(self) -> str:
        return " | ".join(v for v in self.values.values() if v)


def join(before: str, after: str) -> str:
    """Two pieces of one cell's text: no space between Chinese characters or punctuation."""
    if not before or not after:
        return before or after
    if _CJK_EDGE.match(before[-1]) or _CJK_EDGE.match(after[0]):
        return before + after
    return f"{before} {after}"


def _texts(cells: list[Cell]) -> list[str]:
    return [c.text or "" for c in cells]


def _header(table: Table) -> tuple[int, dict[str, int]] | None:
    for i, cells in enumerate(table.rows):
        columns = header_map(_texts(cells))
        if len(columns) >= HEADER_MIN:
            return i, columns
    return None


@dataclass
class _Stream:
    """The rows read so far, and the columns of the table being read."""

    columns: dict[str, int] = field(default_factory=dict)
    width: int = 0
    companies_in_sector: bool = False  # the header reads 行业领域（适用企业）
    rows: list[SourceRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def body(self, table: Table) -> Iterator[tuple[int, list[Cell]]]:
        """The table's body rows with their 0-based index; a table without a header continues
        the previous table's when it has as many columns (a page without a repeated header)."""
        found = _header(table)
        if found is not None:
            start, self.columns = found
            self.width = len(table.rows[start])
            texts = _texts(table.rows[start])
            header = texts[self.columns[SECTOR]] if SECTOR in self.columns else ""
            self.companies_in_sector = COMPANIES not in self.columns and "适用" in header
        elif self.columns and table.rows and len(table.rows[0]) == self.width:
            start = -1
        else:
            self.notes.append(f"page {table.page}, table {table.index}: no list header, skipped")
            return
        for i in range(start + 1, len(table.rows)):
            if len(header_map(_texts(table.rows[i]))) < HEADER_MIN:  # a repeated header
                yield i, table.rows[i]

    def add(self, table: Table, i: int, cells: list[Cell], first: bool) -> None:
        values = {name: cells[j].text if j < len(cells) else "" for name, j in self.columns.items()}
        filled = [v for v in values.values() if v]
        if not filled or is_note(filled):
            return
        previous = self.rows[-1] if self.rows else None
        if first and previous is not None and not any(values.get(c) for c in _KEY_COLUMNS):
            self._continue(previous, values, table.page)
            return
        for name, text in values.items():
            carried = first and not text and name in _CARRIED
            if previous is not None and (text is None or carried):
                values[name] = previous.values.get(name, "")
        confidences = [c.confidence for c in cells if c.confidence is not None]
        row = SourceRow(
            page=table.page,
            table=table.index,
            row=i + 1,
            values={k: v or "" for k, v in values.items()},
            boxes=[c.box for c in cells if c.box is not None],
            confidence=min(confidences) if confidences else None,
            ocr=table.ocr,
        )
        self._split_companies(row)
        self.rows.append(row)

    def _continue(self, previous: SourceRow, values: dict[str, str | None], page: int) -> None:
        for name, text in values.items():
            if text and name not in _CARRIED:
                previous.values[name] = join(previous.values.get(name, ""), text)
        if page != previous.page and page not in previous.continued:
            previous.continued.append(page)

    def _split_companies(self, row: SourceRow) -> None:
        """行业领域（适用企业）: the sector's name, and the companies it applies to as its note."""
        match = re.fullmatch(r"(.+?)[（(](.+)[）)]", row.values.get(SECTOR, "").strip())
        if self.companies_in_sector and match:
            row.values[SECTOR] = match[1].strip()
            row.values[COMPANIES] = match[2].strip()


def document_rows(document: Document) -> tuple[list[str], list[SourceRow], list[str]]:
    """The official columns found, the rows in reading order, and notes on tables skipped."""
    stream = _Stream()
    columns: set[str] = set()
    for table in document.tables:
        first = True
        for i, cells in stream.body(table):
            stream.add(table, i, cells, first and table.index > 1)
            first = False
        columns.update(stream.columns)
    if any(r.values.get(COMPANIES) for r in stream.rows):
        columns.add(COMPANIES)
    return [c for c in COLUMNS if c in columns], stream.rows, stream.notes
