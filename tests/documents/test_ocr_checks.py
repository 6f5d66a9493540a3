"""A number misread by OCR cannot pass unnoticed: a threshold read from a page image decides
only when its confidence is high, its amount is a round figure as lists write them, and its band
meets the neighbouring band of the same data; otherwise the row is kept for review. Tables are
made by hand here (as an OCR engine would return them), so no engine is needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kuajing.catalog.base import Cite, Text
from kuajing.catalog.importers.grid import Loaded
from kuajing.catalog.importers.lists import Imported, list_from
from kuajing.catalog.importers.model import Cell, Document, Table
from kuajing.catalog.importers.rows import document_rows
from tests.documents import fictional

HEADER: dict[str, Any] = {
    "title": Text(zh=fictional.TITLE, en="FICTIONAL test list"),
    "edition": "测试版",
    "published": dt.date(2025, 2, 19),
    "in_force_from": dt.date(2025, 2, 19),
    "cite": Cite(source="HN-TEST-DOC", confidence="H"),
}
SA_ROW, SCC_ROW = 2, 3  # the after-sales scenario's two bands of ordinary PI (1-based rows)


def _scan(body: list[list[str]], confidence: dict[int, float] | None = None) -> Imported:
    """The fictional table as an OCR engine would give it, with `body` as read."""
    rows = [[Cell(t, confidence=99.0) for t in fictional.grid()[0]]]
    for n, texts in enumerate(body, start=1):
        c = (confidence or {}).get(n, 95.0)
        rows.append([Cell(t, confidence=c) for t in texts])
    document = Document(sha256="0" * 64, format="scan", pages=1)
    document.tables.append(Table(page=1, index=1, rows=rows, ocr=True))
    columns, found, notes = document_rows(document)
    return list_from(
        Loaded.of_document(document, columns, found, notes),
        "scan.png",
        "hainan-2024",
        "hainan",
        **HEADER,
    )


def _body() -> list[list[str]]:
    return [row[:] for row in fictional.grid()[1:]]


def _flagged(imported: Imported) -> list[int]:
    return sorted(line.row - 1 for line in imported.report.needs_review)


def test_a_scan_read_right_decides_all_but_the_unreadable_row() -> None:
    assert _flagged(_scan(_body())) == [11]


def test_a_misread_upper_bound_is_caught_by_the_next_band() -> None:
    body = _body()
    body[SCC_ROW - 1][6] = body[SCC_ROW - 1][6].replace("不满100万人", "不满180万人")
    imported = _scan(body)
    assert _flagged(imported) == [SA_ROW, SCC_ROW, 11]
    line = next(x for x in imported.report.needs_review if x.row - 1 == SCC_ROW)
    assert "does not meet the next band" in line.why


@pytest.mark.parametrize(
    ("was", "misread", "why"),
    [
        ("1万人以上", "1.35万人以上", "not a round figure"),
        ("不满10万人", "不满104万人", "not a round"),
    ],
)
def test_an_amount_that_is_not_a_round_figure_is_kept_for_review(
    was: str, misread: str, why: str
) -> None:
    body = _body()
    body[3][6] = body[3][6].replace(was, misread)  # the sensitive band, alone in its group
    imported = _scan(body)
    assert 4 in _flagged(imported)
    assert any(why in x.why for x in imported.report.needs_review if x.row - 1 == 4)


def test_a_number_read_with_low_confidence_is_kept_for_review() -> None:
    imported = _scan(_body(), confidence={4: 41.0})
    assert 4 in _flagged(imported)
    assert any("confidence 41" in x.why for x in imported.report.needs_review)


def test_a_text_layer_is_trusted_as_written() -> None:
    """The same misread in a PDF's text layer is what the document says: no OCR doubt."""
    body = _body()
    body[SCC_ROW - 1][6] = body[SCC_ROW - 1][6].replace("不满100万人", "不满180万人")
    document = Document(sha256="0" * 64, format="pdf", pages=1)
    rows = [[Cell(t) for t in r] for r in [fictional.grid()[0], *body]]
    document.tables.append(Table(page=1, index=1, rows=rows))
    columns, found, notes = document_rows(document)
    loaded = Loaded.of_document(document, columns, found, notes)
    imported = list_from(loaded, "list.pdf", "hainan-2024", "hainan", **HEADER)
    assert _flagged(imported) == [11]
