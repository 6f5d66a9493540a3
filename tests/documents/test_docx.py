"""The DOCX reader against Word documents of the fictional list: the grid, the merged cells, a
table split over a page break, and the files it refuses."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import docx
import openpyxl  # type: ignore[import-untyped]
import pytest

from kuajing.catalog.importers.docx import read_docx
from kuajing.catalog.importers.model import DocumentError, Limits
from tests.documents import fictional
from tests.documents.grids import bare, filled, nones
from tests.documents.make_docx import build_docx, build_docx_two_tables

LIMITS = Limits()
SPLIT = fictional.SPLIT_ROW


def bare_grid() -> list[list[str]]:
    return [[bare(text) for text in row] for row in fictional.grid()]


def split_description() -> tuple[str, str]:
    text = fictional.BODY[SPLIT - 1][-1]
    cut = text.index(fictional.SPLIT_AT) + len(fictional.SPLIT_AT)
    return text[:cut], text[cut:]


@pytest.fixture
def list_docx(tmp_path: Path) -> Path:
    path = tmp_path / "清单.docx"
    build_docx(path)
    return path


# --- reading -------------------------------------------------------------------------------


def test_reads_the_one_table_with_the_fictional_grid(list_docx: Path) -> None:
    document = read_docx(list_docx, LIMITS)
    assert document.format == "docx"
    assert document.pages == 1
    assert document.sha256 == hashlib.sha256(list_docx.read_bytes()).hexdigest()
    assert [(t.index, t.page, len(t.rows), t.ocr) for t in document.tables] == [(1, 1, 13, False)]
    table = document.tables[0]
    assert all(len(row) == 7 and all(cell.box is None for cell in row) for row in table.rows)
    assert filled(table) == bare_grid()
    assert table.rows[0][6].text == "基本特征与描述"
    assert table.rows[12][0].text == "12"


def test_merged_cells_are_none_below_their_first_row(list_docx: Path) -> None:
    table = read_docx(list_docx, LIMITS).tables[0]
    expected = {
        (row, column)
        for column, first, last in fictional.vertical_spans()
        for row in range(first + 1, last + 1)
    }
    assert len(expected) == 24
    assert nones(table) == expected
    assert table.rows[1][1].text == "示例制造行业（适用于在示例区内注册的示例设备制造企业）"
    assert table.rows[8][1].text == "示例物流行业（适用于在示例区内注册的示例物流企业）"


def test_a_table_split_by_a_page_break_gives_two_tables(tmp_path: Path) -> None:
    path = tmp_path / "two.docx"
    build_docx_two_tables(path)
    first, second = read_docx(path, LIMITS).tables
    before, after = split_description()
    assert (first.index, second.index) == (1, 2)
    assert len(first.rows) == SPLIT + 1
    assert len(second.rows) == len(fictional.BODY) - SPLIT + 2
    grid = bare_grid()
    head = filled(first)
    assert head[:SPLIT] == grid[:SPLIT]
    assert head[SPLIT] == [*grid[SPLIT][:6], bare(before)]
    assert (first.rows[SPLIT][6].text or "").endswith(fictional.SPLIT_AT)
    tail = filled(second)
    assert tail[0] == grid[0]  # the header again
    assert [cell.text for cell in second.rows[1]] == ["", "", "", "", "", "", after]
    assert after.startswith("截断")
    assert tail[2:] == grid[SPLIT + 1 :]
    # the spans end at the break and start again in table 2, with their text
    assert len(nones(first)) == 16
    assert nones(second) == {(3, 1), (4, 1), (4, 2), (4, 3)}
    assert second.rows[2][1].text == "示例物流行业（适用于在示例区内注册的示例物流企业）"


def test_column_spans_repeat_and_nested_tables_stand_alone(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=2, cols=3)
    outer.cell(0, 0).merge(outer.cell(0, 1)).text = "合并标题"
    outer.cell(0, 2).text = "右"
    outer.cell(1, 0).text = "外层"
    cell = outer.cell(1, 1)
    cell.text = "上"
    cell.add_table(rows=1, cols=2).cell(0, 1).text = "内层"
    cell.add_paragraph("下")
    path = tmp_path / "nested.docx"
    document.save(str(path))
    tables = read_docx(path, LIMITS).tables
    assert [[c.text for c in row] for row in tables[0].rows] == [
        ["合并标题", "合并标题", "右"],
        ["外层", "上\n下", ""],
    ]
    assert [[c.text for c in row] for row in tables[1].rows] == [["", "内层"]]
    assert [t.index for t in tables] == [1, 2]


# --- refusals ------------------------------------------------------------------------------


def refusal(path: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(DocumentError) as caught:
        read_docx(path, limits)
    assert caught.value.file == path.name
    assert "\n" not in caught.value.message
    return caught.value.message


def test_refuses_a_file_over_the_size_limit(list_docx: Path) -> None:
    size = list_docx.stat().st_size
    message = refusal(list_docx, Limits(max_bytes=size - 1))
    assert message == f"too large: {size:,} bytes, the limit is {size - 1:,}"


def test_refuses_a_text_file_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("序号,行业领域\n1,示例\n", encoding="utf-8")
    assert refusal(path).startswith("not a DOCX document")


def test_refuses_a_workbook_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "list.docx"
    workbook = openpyxl.Workbook()
    workbook.active.append(list(fictional.HEADER))
    workbook.save(str(path))
    message = refusal(path)
    assert message.startswith("not a DOCX document")
    assert "word/document.xml" in message


def test_refuses_an_encrypted_or_legacy_document(tmp_path: Path) -> None:
    path = tmp_path / "secret.docx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096))
    message = refusal(path)
    assert message.startswith("encrypted (password-protected) or a legacy .doc")
    assert "without a password" in message


def test_refuses_a_truncated_package(list_docx: Path) -> None:
    list_docx.write_bytes(list_docx.read_bytes()[:4000])
    assert "damaged" in refusal(list_docx)


def test_refuses_a_package_with_a_corrupt_member(list_docx: Path) -> None:
    data = bytearray(list_docx.read_bytes())
    with zipfile.ZipFile(list_docx) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 200, start + 260):
        data[i] ^= 0xFF
    list_docx.write_bytes(bytes(data))
    assert "damaged" in refusal(list_docx)


def test_refuses_a_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/zeros.bin", bytes(2_000_000))
    limits = Limits(max_bytes=100_000)
    assert path.stat().st_size < limits.max_bytes
    message = refusal(path, limits)
    assert "unpacks to 2,000,013 bytes" in message
    assert "ZIP bomb" in message


def test_refuses_a_document_without_a_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(fictional.TITLE)
    path = tmp_path / "prose.docx"
    document.save(str(path))
    assert refusal(path) == "the document holds no table"
