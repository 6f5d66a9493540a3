"""What an import of an official document did with each row: read, or kept for review and why.
Nothing is dropped silently: every row of the list's tables is one of the two."""

from __future__ import annotations

from dataclasses import dataclass, field

from kuajing.catalog.documents.rows import SourceRow
from kuajing.catalog.layout import CATEGORY, DESCRIPTION, FIELDS, PATHWAY, SUB_CLASS, THRESHOLD

# What a column is called on the page, in both languages.
COLUMN_NAMES = {
    PATHWAY: ("出境路径", "export path"),
    CATEGORY: ("数据类别", "data category"),
    SUB_CLASS: ("数据子类", "data sub-class"),
    DESCRIPTION: ("基本特征与描述", "description"),
    FIELDS: ("字段", "fields"),
    THRESHOLD: ("数量门槛", "threshold"),
}


@dataclass(frozen=True)
class ReviewLine:
    page: int
    table: int
    row: int
    column: str  # the official column that could not be read
    why: str  # in English, as the reader or the check put it
    raw: str


@dataclass
class ImportReport:
    """Per row of the document: read, or needing review."""

    format: str = ""
    sha256: str | None = None
    pages: int = 0
    notes: list[str] = field(default_factory=list)
    _rows: dict[tuple[int, int, int], ReviewLine | None] = field(default_factory=dict)

    @staticmethod
    def _key(source: SourceRow) -> tuple[int, int, int]:
        return source.page, source.table, source.row

    def read(self, source: SourceRow | None) -> None:
        if source is not None:
            self._rows.setdefault(self._key(source), None)

    def review(self, source: SourceRow, column: str, why: str) -> None:
        """The row needs review (a row read first and flagged by a later check moves here)."""
        line = ReviewLine(source.page, source.table, source.row, column, why, source.raw)
        self._rows[self._key(source)] = line

    @property
    def rows(self) -> int:
        return len(self._rows)

    @property
    def needs_review(self) -> list[ReviewLine]:
        return [line for line in self._rows.values() if line is not None]

    def per_page(self) -> dict[int, tuple[int, int]]:
        """Rows read and rows needing review, by page (a row counts on the page it starts)."""
        out: dict[int, tuple[int, int]] = {}
        for (page, _, _), line in sorted(self._rows.items()):
            read, review = out.get(page, (0, 0))
            out[page] = (read, review + 1) if line else (read + 1, review)
        return out
