"""Export batches in XLSX that unpack to far more than they weigh, or hold more rows than Excel
allows, are refused before openpyxl parses them: by `kuajing scan`, and by `read_columns`, which
the ledger records from. A normal workbook is still read."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest

from kuajing.errors import DatasetError
from kuajing.scan.read import read_columns
from tests.scan.test_scan_cli import EXE
from tests.zipbombs import SHEET, liar, with_sheet, workbook, xlsx_bomb, xlsx_rows


@pytest.fixture
def unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl must not be asked to open the file."""

    def parse(*_: object, **__: object) -> None:
        raise AssertionError("openpyxl parsed the file")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)


def refusal(path: Path) -> str:
    with pytest.raises(DatasetError) as caught:
        read_columns(path, ["身份证号"])
    return str(caught.value)


def test_cli_scan_refuses_a_bomb_at_once(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", megabytes=64)  # 230 KB; took 43 s and 250 MB
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    started = time.perf_counter()
    run = subprocess.run(
        [EXE, "scan", str(bomb)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert time.perf_counter() - started < 10
    assert run.returncode == 2 and run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith(f"kuajing: error: {bomb}: {SHEET} unpacks to 67,10")
    assert line.endswith("times its packed size; the limit is 100 times (a ZIP bomb?)")


@pytest.mark.usefixtures("unparsed")
def test_the_ledger_reader_refuses_a_bomb_before_parsing(tmp_path: Path) -> None:
    message = refusal(xlsx_bomb(tmp_path / "bomb.xlsx", megabytes=8))
    assert f"bomb.xlsx: {SHEET} unpacks to 8,38" in message and "(a ZIP bomb?)" in message


@pytest.mark.usefixtures("unparsed")
def test_a_member_that_lies_about_its_size(tmp_path: Path) -> None:
    # zipfile would return workbook.xml whole, after unpacking 64 MB more in one piece
    path = liar(tmp_path / "liar.xlsx", "xl/workbook.xml", megabytes=64)
    message = refusal(path)
    assert "xl/workbook.xml unpacks to more than the " in message
    assert message.endswith("bytes its directory entry declares (a ZIP bomb?)")


@pytest.mark.usefixtures("unparsed")
def test_more_rows_than_excel_allows_are_refused_before_parsing(tmp_path: Path) -> None:
    path = xlsx_rows(tmp_path / "rows.xlsx", 1_048_576)  # and the header: one too many
    assert refusal(path) == (
        f"{path}: {SHEET} holds more than 1,048,576 rows, the limit (a ZIP bomb?)"
    )


def test_row_numbers_past_the_limit_are_refused_while_reading(tmp_path: Path) -> None:
    # One row numbered 999,999,999: openpyxl would yield every empty row before it.
    far = b'<row r="999999999"><c r="A999999999"><v>1</v></c></row>'
    path = with_sheet(tmp_path / "far.xlsx", [far])
    started = time.perf_counter()
    assert refusal(path) == f"{path}: the first worksheet has more than 1,048,576 rows, the limit"
    assert time.perf_counter() - started < 10


def test_a_normal_workbook_is_read(tmp_path: Path) -> None:
    path = workbook(tmp_path / "ok.xlsx", [["身份证号"], ["110101199003074514"], [None], ["x"]])
    data = read_columns(path, ["身份证号"])
    assert data.frame["身份证号"].to_list() == ["110101199003074514", None, "x"]
