"""The one writer of CSV and XLSX files: no cell is ever a live formula, numbers stay numbers
(issue 20, finding 5)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from kuajing.catalog.importers.export import write_table
from kuajing.spreadsheet import safe, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+CMD()", "'+CMD()"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("+86", "+86"),
        ("1.5", "1.5"),
        ("姓名", "姓名"),
        (7, 7),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_cells_that_would_run_are_neutralised(value: object, written: object) -> None:
    assert safe(value) == written  # type: ignore[arg-type]


def test_csv_and_xlsx(tmp_path: Path) -> None:
    out = io.StringIO(newline="")
    write_csv(out, [["a", "b"], ["=HYPERLINK(1)", 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["a", "b"], ["'=HYPERLINK(1)", "3"]]
    write_xlsx(tmp_path / "t.xlsx", [["=SUM(A1)", 3]], "s")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=SUM(A1)", "s")  # text, not formula
    assert sheet["B1"].value == 3


def test_a_list_table_neutralises_its_cells(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    write_table([{"数据子类": "=cmd|' /C calc'!A0"}], path)
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert "'=cmd|' /C calc'!A0" in rows[1]
