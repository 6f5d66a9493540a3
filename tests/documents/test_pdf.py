"""read_pdf() on the FICTIONAL list printed as a two-page PDF (tests/documents/make_pdf.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL.Image import Image

from kuajing.catalog.importers.model import (
    OCR_PACKAGES,
    Cell,
    Document,
    DocumentError,
    Limits,
    Table,
)
from kuajing.catalog.importers.pdf import cell_text, read_pdf
from tests.documents import fictional
from tests.documents.make_pdf import (
    build_block_pdf,
    build_encrypted_pdf,
    build_image_pdf,
    build_pdf,
    build_text_only_pdf,
    split_description,
)

SPLIT = fictional.SPLIT_ROW
THRESHOLDS = ("100万人以上", "1.5万人以上", "不足1万人", "1000万人以上", "不满10万人", "50万人以下")


@pytest.fixture(scope="module")
def list_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "list.pdf"
    build_pdf(path)
    return path


@pytest.fixture(scope="module")
def document(list_pdf: Path) -> Document:
    return read_pdf(list_pdf, Limits())


def texts(table: Table) -> list[list[str | None]]:
    return [[cell.text for cell in row] for row in table.rows]


def body_rows(doc: Document) -> list[list[str]]:
    """The body rows of both pages as the pipeline would see them: `None` filled from the row
    above (over the page break too), and page 2's continuation row joined to the row before."""
    rows: list[list[str]] = []
    for table in doc.tables:
        for n, row in enumerate(texts(table)[1:]):
            if table.page == 2 and n == 0:
                rows[-1][6] += row[6] or ""
                continue
            rows.append([rows[-1][c] if t is None else t for c, t in enumerate(row)])
    return rows


def squeeze(text: str) -> str:
    return "".join(text.split())


# --- the fictional list ---------------------------------------------------------------------


def test_two_tables_one_per_page_each_with_the_header(document: Document, list_pdf: Path) -> None:
    assert [(t.page, t.index, t.ocr) for t in document.tables] == [(1, 1, False), (2, 2, False)]
    for table in document.tables:
        assert texts(table)[0] == list(fictional.HEADER)
        assert {len(row) for row in table.rows} == {7}
    assert [len(t.rows) for t in document.tables] == [1 + SPLIT, 2 + len(fictional.BODY) - SPLIT]
    assert (document.format, document.pages, document.notes) == ("pdf", 2, [])
    assert document.sha256 == hashlib.sha256(list_pdf.read_bytes()).hexdigest()


def test_body_cells_equal_the_fictional_grid(document: Document) -> None:
    rows = body_rows(document)
    assert [[squeeze(t) for t in row] for row in rows] == [
        [squeeze(t) for t in row] for row in fictional.grid()[1:]
    ]


def test_text_is_joined_without_spaces_between_chinese_lines(document: Document) -> None:
    rows = body_rows(document)
    assert rows[0][1] == fictional.BODY[0][0]  # wrapped over three lines in the PDF
    assert rows[6][6] == fictional.BODY[6][5]


def test_the_split_row_continues_on_page_2(document: Document) -> None:
    first, rest = split_description()
    assert first.endswith(fictional.SPLIT_AT)
    assert texts(document.tables[0])[SPLIT][6] == first
    assert texts(document.tables[1])[1] == ["", "", "", "", "", "", rest]


def test_merged_cells_below_their_start_are_none_on_each_page(document: Document) -> None:
    expected = {
        (r, c) for c, a, b in fictional.vertical_spans() for r in range(a + 1, b + 1)
    }  # (body row, column): covered by a merge that starts above
    page1 = {
        (r, c)
        for r, row in enumerate(texts(document.tables[0])[1:], start=1)
        for c, t in enumerate(row)
        if t is None
    }
    page2 = {  # the continuation row starts every region that runs over the break
        (SPLIT + r, c)
        for r, row in enumerate(texts(document.tables[1])[2:], start=1)
        for c, t in enumerate(row)
        if t is None
    }
    assert page1 == {(r, c) for r, c in expected if r <= SPLIT}
    assert page2 == {(r, c) for r, c in expected if r > SPLIT}
    assert None not in texts(document.tables[1])[1]


def test_thresholds_keep_their_digits(document: Document) -> None:
    found = "".join(c.text or "" for t in document.tables for row in t.rows for c in row)
    printed = "".join("".join(row) for row in fictional.grid())
    for threshold in THRESHOLDS:
        assert found.count(threshold) == printed.count(threshold) > 0, threshold


def test_boxes_are_fractions_of_the_page_going_down(document: Document) -> None:
    for table in document.tables:
        tops = []
        for row in table.rows:
            boxes = [cell.box for cell in row]
            assert all(b is not None for b in boxes)
            for box in (b for b in boxes if b is not None):
                assert 0 <= box.x0 < box.x1 <= 1 and 0 <= box.y0 < box.y1 <= 1
            lefts = [b.x0 for b in boxes if b is not None]
            assert lefts == sorted(lefts) and len(set(lefts)) == 7
            tops.append(row[0].box.y0 if row[0].box else -1)
        assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert document.tables[1].rows[0][0].box is not None
    assert document.tables[1].rows[0][0].box.y0 < 0.1  # page 2 has no title above its table
    assert document.tables[0].rows[0][0].box is not None
    assert document.tables[0].rows[0][0].box.y0 > 0.1


def test_a_cell_merged_across_columns_repeats_its_text(tmp_path: Path) -> None:
    path = tmp_path / "block.pdf"
    build_block_pdf(path)
    (table,) = read_pdf(path, Limits()).tables
    rows = texts(table)
    assert rows[0] == ["数据", "数据", "Note"]
    assert rows[1][:2] == ["类别", "子类"]
    assert (
        rows[1][2] == "FICTIONAL TEST LIST - not a legal text. Made up for tests, 2 lines or more."
    )
    assert rows[2:] == [["合并区域2×2", "合并区域2×2", "第3行"], [None, None, "第4行"]]


def test_cell_text_spaces_and_lookalike_radicals() -> None:
    def ch(text: str, x0: float, top: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x0 + 5, "top": top, "bottom": top + 9, "size": 9}

    # "Test" and "100" positioned apart without a space character; Chinese spaced apart stays
    # together; the Kangxi radical ⼈ (U+2F08) is read as 人.
    line1 = [ch(t, x, 0) for t, x in (("T", 0), ("e", 5), ("s", 10), ("t", 15), ("1", 25))]
    line2 = [ch(t, x, 12) for t, x in (("万", 0), ("⼈", 12), ("以", 24))]
    assert cell_text([*line2, *line1]) == "Test 1万人以"


# --- refusals -------------------------------------------------------------------------------


def refusal(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(DocumentError) as caught:
        read_pdf(path, limits or Limits())
    assert caught.value.file == path.name
    return caught.value.message


def test_refuses_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    path.write_text("<!doctype html><html><body><table><tr><td>1</td></tr></table></body></html>")
    assert refusal(path) == "not a PDF document"


def test_refuses_a_damaged_pdf(tmp_path: Path, list_pdf: Path) -> None:
    data = list_pdf.read_bytes()
    half = tmp_path / "half.pdf"
    half.write_bytes(data[: len(data) // 2])
    assert refusal(half).startswith("damaged: ")
    tail = tmp_path / "tail.pdf"  # pdfminer reads this one: only the end marker is missing
    tail.write_bytes(data.rstrip()[: -len(b"%%EOF")])
    assert refusal(tail) == "damaged: truncated (no %%EOF at the end)"


@pytest.mark.parametrize("password", ["secret", ""])
def test_refuses_an_encrypted_pdf(tmp_path: Path, password: str) -> None:
    path = tmp_path / "locked.pdf"
    build_encrypted_pdf(path, password)
    # Encryption is refused before the page count.
    assert refusal(path, Limits(max_pages=0)) == (
        "encrypted: remove the password and import it again"
    )


def test_refuses_a_pdf_without_a_table(tmp_path: Path) -> None:
    path = tmp_path / "text.pdf"
    build_text_only_pdf(path)
    assert refusal(path) == "holds no table"


def test_refuses_too_many_pages(list_pdf: Path) -> None:
    assert refusal(list_pdf, Limits(max_pages=1)) == "too many pages: more than the limit of 1"


def test_refuses_a_page_too_large_to_render(list_pdf: Path) -> None:
    assert refusal(list_pdf, Limits(max_pixels=1000)) == (
        "page 1 too large: 2339×1654 = 3,868,706 pixels at 200 dpi, the limit is 1,000"
    )


def test_refuses_a_file_too_large(list_pdf: Path) -> None:
    size = list_pdf.stat().st_size
    assert refusal(list_pdf, Limits(max_bytes=100)) == (
        f"too large: {size:,} bytes, the limit is 100"
    )


# --- pages without a text layer -------------------------------------------------------------


class FakeOcr:
    def __init__(self) -> None:
        self.calls: list[tuple[tuple[int, int], int, int]] = []

    def __call__(self, image: Image, page: int, index: int) -> list[Table]:
        self.calls.append((image.size, page, index))
        return [Table(page=page, index=index, rows=[[Cell("OCR")]], ocr=True)]


def test_a_page_without_text_goes_to_ocr(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pdf"
    build_image_pdf(path, text_page_first=True)
    ocr = FakeOcr()
    doc = read_pdf(path, Limits(dpi=72), ocr)
    assert ocr.calls == [((842, 596), 2, 2)]  # A4 landscape at 72 dpi
    assert [texts(t) for t in doc.tables] == [[["No.", "Field"], ["1", "Test 100"]], [["OCR"]]]
    assert [(t.page, t.index, t.ocr) for t in doc.tables] == [(1, 1, False), (2, 2, True)]
    assert (doc.format, doc.notes) == ("pdf", ["page 2: no text layer, read by OCR"])


def test_a_pdf_of_scans_only_is_a_scan(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    build_image_pdf(path)
    ocr = FakeOcr()
    doc = read_pdf(path, Limits(), ocr)
    assert [call[1:] for call in ocr.calls] == [(1, 1)]
    assert ocr.calls[0][0] == (2339, 1654)  # at the default 200 dpi
    assert (doc.format, doc.pages, doc.notes) == ("scan", 1, ["page 1: no text layer, read by OCR"])


def test_without_ocr_a_scan_holds_no_table(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    build_image_pdf(path)
    assert refusal(path) == (
        f"holds no table (1 page without a text layer, and no OCR to read them: {OCR_PACKAGES})"
    )
