"""The HTML reader against pages of the fictional list: the grid, rowspan and colspan, encodings,
cell text, and the files it refuses."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from kuajing.catalog.importers.html import read_html
from kuajing.catalog.importers.model import DocumentError, Limits, Table
from tests.documents import fictional
from tests.documents.grids import bare, filled, nones
from tests.documents.make_html import build_html, page, with_break

LIMITS = Limits()


def texts(table: Table) -> list[list[str | None]]:
    return [[cell.text for cell in row] for row in table.rows]


def read(tmp_path: Path, markup: str) -> list[Table]:
    path = tmp_path / "page.html"
    path.write_text(f"<!DOCTYPE html><html><body>{markup}</body></html>", encoding="utf-8")
    return read_html(path, LIMITS).tables


@pytest.fixture
def list_html(tmp_path: Path) -> Path:
    path = tmp_path / "清单.html"
    build_html(path)
    return path


# --- the fictional list ----------------------------------------------------------------------


def test_reads_the_one_table_with_the_fictional_grid(list_html: Path) -> None:
    document = read_html(list_html, LIMITS)
    assert document.format == "html"
    assert document.pages == 1
    assert document.sha256 == hashlib.sha256(list_html.read_bytes()).hexdigest()
    assert [(t.index, t.page, len(t.rows)) for t in document.tables] == [(1, 1, 14)]
    table = document.tables[0]
    assert all(len(row) == 7 and all(cell.box is None for cell in row) for row in table.rows)
    assert texts(table)[0] == [fictional.TITLE] * 7  # the title row's colspan repeats it
    expected = [[bare(text) for text in row] for row in fictional.grid()]
    assert filled(table)[1:] == expected


def test_rowspans_are_none_below_their_first_row(list_html: Path) -> None:
    table = read_html(list_html, LIMITS).tables[0]
    expected = {
        (row + 1, column)  # the title row comes first
        for column, first, last in fictional.vertical_spans()
        for row in range(first + 1, last + 1)
    }
    assert len(expected) == 24
    assert nones(table) == expected
    assert table.rows[2][1].text == "示例制造行业（适用于在示例区内注册的示例设备制造企业）"


def test_a_br_is_a_line_break_and_source_whitespace_is_dropped(list_html: Path) -> None:
    table = read_html(list_html, LIMITS).tables[0]
    for n in (7, 9):
        before, after = with_break(fictional.BODY[n - 1][-1])
        assert after
        assert table.rows[n + 1][6].text == f"{before}\n{after}"
    assert table.rows[2][6].text == fictional.BODY[0][-1]  # written on an indented line


@pytest.mark.parametrize(
    ("encoding", "http_equiv", "declare"),
    [
        ("utf-8", False, True),
        ("utf-8", True, False),
        ("gb2312", True, True),
        ("gb18030", False, True),
        ("gb18030", False, False),  # no declaration: not UTF-8, so GB18030
    ],
)
def test_decodes_the_page(tmp_path: Path, encoding: str, http_equiv: bool, declare: bool) -> None:
    path = tmp_path / "list.html"
    build_html(path, encoding, http_equiv=http_equiv, declare=declare)
    table = read_html(path, LIMITS).tables[0]
    assert table.rows[1][1].text == "行业领域（适用企业）"
    assert table.rows[0][0].text == fictional.TITLE


def test_a_byte_order_mark_outranks_the_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "bom.html"
    path.write_bytes(codecs.BOM_UTF8 + page("gb2312").decode("gb18030").encode("utf-8"))
    assert read_html(path, LIMITS).tables[0].rows[1][0].text == "序号"


# --- spans and cell text ---------------------------------------------------------------------


def test_colspan_repeats_and_short_rows_are_padded(tmp_path: Path) -> None:
    (table,) = read(
        tmp_path,
        "<table><tr><th colspan=3>甲</th></tr><tr><td>1</td></tr>"
        "<tr><td>a</td><td colspan=2>b</td><td>c</td></tr></table>",
    )
    assert texts(table) == [
        ["甲", "甲", "甲", ""],
        ["1", "", "", ""],
        ["a", "b", "b", "c"],
    ]


def test_absurd_spans_are_clamped_to_the_table(tmp_path: Path) -> None:
    (table,) = read(
        tmp_path,
        '<table><tr><td rowspan="99999">a</td><td colspan="x">b</td></tr>'
        '<tr><td rowspan="0">c</td></tr><tr><td>d</td></tr></table>',
    )
    assert texts(table) == [["a", "b", ""], [None, "c", ""], [None, None, "d"]]
    (wide,) = read(tmp_path, '<table><tr><td colspan="5000">w</td></tr></table>')
    assert len(wide.rows[0]) == 1000


def test_cell_text_breaks_at_blocks_and_collapses_spaces(tmp_path: Path) -> None:
    (table,) = read(
        tmp_path,
        "<table><tr><td>\n  <p>第一段&nbsp;&nbsp;文字</p>\n<p>第二段</p><div>甲<br><br>乙</div>"
        "<script>ignored()</script><span style='display: none'>隐藏</span>  尾 </td></tr></table>",
    )
    assert texts(table) == [["第一段 文字\n第二段\n甲\n\n乙\n尾"]]


def test_a_nested_table_is_its_own_table_after_the_outer_one(tmp_path: Path) -> None:
    outer, inner, after = read(
        tmp_path,
        "<table><tr><td>上<table><tr><td>内</td><td>层</td></tr></table>下</td><td>右</td></tr>"
        "</table><table><tr><td>后</td></tr></table>",
    )
    assert texts(outer) == [["上\n下", "右"]]
    assert texts(inner) == [["内", "层"]]
    assert texts(after) == [["后"]]
    assert [outer.index, inner.index, after.index] == [1, 2, 3]
    assert len(read(tmp_path, "<table></table><table><tr><td>x</td></tr></table>")) == 1


# --- refusals --------------------------------------------------------------------------------


def refusal(path: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(DocumentError) as caught:
        read_html(path, limits)
    assert caught.value.file == path.name
    assert "\n" not in caught.value.message
    return caught.value.message


def test_refuses_a_file_over_the_size_limit(list_html: Path) -> None:
    size = list_html.stat().st_size
    message = refusal(list_html, Limits(max_bytes=1000))
    assert message == f"too large: {size:,} bytes, the limit is 1,000"


def test_refuses_a_pdf_named_html(tmp_path: Path) -> None:
    path = tmp_path / "list.html"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n")
    assert refusal(path) == "not an HTML document: it is a PDF"


def test_refuses_binary_data(tmp_path: Path) -> None:
    path = tmp_path / "data.html"
    path.write_bytes(bytes(range(256)) * 8)
    assert refusal(path) == "not an HTML document: it is not text"


def test_refuses_text_without_markup(tmp_path: Path) -> None:
    path = tmp_path / "notes.html"
    path.write_text("序号,行业领域\n1,示例 < 2\n", encoding="utf-8")
    assert refusal(path) == "not an HTML document: it holds no HTML markup"


def test_refuses_a_page_without_a_table(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text(f"<html><body><h1>{fictional.TITLE}</h1><p>正文</p></body></html>", "utf-8")
    assert refusal(path) == "the page holds no table"


def test_refuses_a_table_of_millions_of_cells(tmp_path: Path) -> None:
    path = tmp_path / "wide.html"
    rows = "<tr><td colspan=1000>w</td></tr>" + "<tr><td>x</td></tr>" * 2001
    path.write_text(f"<html><body><table>{rows}</table></body></html>", "utf-8")
    assert refusal(path) == "table 1 has more than 2,000,000 cells: not a list table"
