"""Official lists in XLSX or DOCX that unpack to far more than they weigh, or hold far more rows
than any list, are refused before openpyxl or python-docx parses them: by `load_table` (which
the service's edition import uses) and by `kuajing catalog import`, in one line."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from kuajing.catalog.importers.docx import read_docx
from kuajing.catalog.importers.load import load_table
from kuajing.catalog.importers.model import DocumentError, Limits
from kuajing.catalog.layout import TableError
from tests.documents.make_docx import build_docx
from tests.documents.test_import_cli import ARGS
from tests.unit.test_cli import kuajing
from tests.unit.test_tabular import _xlsx
from tests.zipbombs import SHEET, liar, with_sheet, xlsx_bomb, xlsx_rows


@pytest.fixture(name="unparsed")
def unparsed_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    unparsed(monkeypatch)


def unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither openpyxl nor python-docx may be asked to open the file."""

    def parse(*_: object, **__: object) -> None:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)
    monkeypatch.setattr(docx, "Document", parse)


def refusal(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(TableError) as caught:
        load_table(path, limits)
    assert isinstance(caught.value, DocumentError)
    return str(caught.value)


@pytest.mark.usefixtures("unparsed")
def test_a_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    message = refusal(xlsx_bomb(tmp_path / "list.xlsx", megabytes=16))
    assert message.startswith(f"list.xlsx: {SHEET} unpacks to 16,7")
    assert message.endswith("times its packed size; the limit is 100 times (a ZIP bomb?)")


@pytest.mark.usefixtures("unparsed")
def test_more_rows_than_any_list_are_refused_before_parsing(tmp_path: Path) -> None:
    path = xlsx_rows(tmp_path / "list.xlsx", 1_000)
    assert refusal(path, Limits(max_rows=1_000)) == (
        f"list.xlsx: {SHEET} holds more than 1,000 rows, the limit (a ZIP bomb?)"
    )


def test_a_sheet_reaching_far_rows_is_refused_after_loading(tmp_path: Path) -> None:
    # One cell in row 1,000,000: the grid of the sheet would be a million rows.
    far = b'<row r="1000000"><c r="J1000000"><v>1</v></c></row>'
    path = with_sheet(tmp_path / "far.xlsx", [far])
    started = time.perf_counter()
    assert refusal(path) == (
        "far.xlsx: sheet 'Sheet' spans 1,000,000 rows and 10 columns; the limits are 100,000"
        " rows and 2,000,000 cells"
    )
    assert time.perf_counter() - started < 5


def test_a_package_of_too_many_members_is_refused_before_listing(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", b"")
        for i in range(10_000):
            archive.writestr(f"m/{i}", b"")
    assert refusal(path) == (
        "list.xlsx: the ZIP package has 10,001 members, more than the limit of 10,000 (a ZIP bomb?)"
    )


def test_a_normal_list_workbook_is_read(tmp_path: Path) -> None:
    assert len(load_table(_xlsx(tmp_path / "list.xlsx")).rows) == 6


@pytest.mark.usefixtures("unparsed")
def test_a_member_that_lies_about_its_size(tmp_path: Path) -> None:
    path = liar(tmp_path / "list.xlsx", "xl/workbook.xml", megabytes=16)
    assert "xl/workbook.xml unpacks to more than the" in refusal(path)


def test_a_docx_member_that_lies_about_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_docx(tmp_path / "list.docx")
    lying = liar(tmp_path / "lying.docx", "word/document.xml", 16, template=tmp_path / "list.docx")
    unparsed(monkeypatch)
    with pytest.raises(DocumentError) as caught:
        read_docx(lying, Limits())
    message = str(caught.value)
    assert message.startswith("lying.docx: word/document.xml unpacks to more than the")
    assert message.endswith("bytes its directory entry declares (a ZIP bomb?)")


def test_cli_import_refuses_a_bomb_in_one_line(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path / "list.xlsx", megabytes=64)
    overlay = tmp_path / "overlay"
    run = kuajing("catalog", "import", str(bomb), "--out", str(overlay), *ARGS)
    assert run.returncode == 2 and not overlay.exists()
    [line] = run.stderr.splitlines()
    assert line.startswith(f"kuajing: error: list.xlsx: {SHEET} unpacks to 67,10")
    assert line.endswith("(a ZIP bomb?)")
