"""What an import of an official document did with each row: read, or kept for review and why.
Nothing is dropped silently: every row of the list's tables is one of the two."""

from __future__ import annotations

from dataclasses import dataclass, field

from kuajing.catalog.importers.rows import SourceRow
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

# Why a row is kept for review, in Chinese, by the words of the English reason.
_WHY_ZH = (
    ("two lower bounds", "同时写有两个下限（如两类个人信息各有门槛），无法表示为一个门槛"),
    ("two upper bounds", "同时写有两个上限，无法表示为一个门槛"),
    ("bounded two ways", "同一数字既写“以上”又写“不满”"),
    ("has no 以上/不满/超过/以下", "人数没有写明“以上/不满/超过/以下”，是否含本数不明"),
    ("no bound such as", "未找到“1万人以上”这样的门槛"),
    ("needs a threshold", "个人信息行没有写明人数门槛"),
    ("not a whole number", "人数不是整数"),
    ("no number of persons reaches it", "门槛的上下限相互矛盾"),
    ("unknown pathway", "无法识别出境路径"),
    ("unknown data category", "无法识别数据类别"),
    ("no data sub-class", "没有数据子类"),
    ("confidence", "文字识别（OCR）的置信度偏低"),
    ("not a round figure", "人数不是清单通常使用的整数，可能误读"),
    ("does not meet the next band", "与同类数据的相邻档位不衔接，可能误读"),
    ("not confirmed", "发布时尚未对照原文确认"),
)


def why_zh(why: str) -> str:
    """A reason for review in Chinese (the English one where no phrase is known)."""
    return next((zh for en, zh in _WHY_ZH if en in why), why)


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
