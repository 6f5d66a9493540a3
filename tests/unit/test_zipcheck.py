"""`kuajing.zipcheck`: a package is refused from its central directory, or in one bounded pass
that inflates it, before any reader parses it; a normal workbook passes."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from kuajing.errors import DatasetError
from kuajing.zipcheck import ZipLimits, check_zip
from tests.zipbombs import SHEET, understate, with_sheet, workbook, xlsx_bomb, xlsx_rows

GIB = 1 << 30
LIMITS = ZipLimits(max_unpacked=4 * GIB, max_member=2 * GIB, max_rows=1_048_576)


def refusal(path: Path, limits: ZipLimits = LIMITS) -> str:
    with pytest.raises(DatasetError) as caught:
        check_zip(path, limits, lambda message: DatasetError(message, file=path.name), "XLSX")
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_a_normal_workbook_passes(tmp_path: Path) -> None:
    path = workbook(tmp_path / "ok.xlsx", [["身份证号", "姓名"], ["110101199003074514", "张三"]])
    check_zip(path, LIMITS, DatasetError, "XLSX")
    check_zip(path.read_bytes(), LIMITS, DatasetError, "XLSX")


def test_a_bomb_is_refused_from_the_directory_at_once(tmp_path: Path) -> None:
    path = xlsx_bomb(tmp_path / "bomb.xlsx", megabytes=64)
    assert path.stat().st_size < 400_000
    started = time.perf_counter()
    message = refusal(path)
    assert time.perf_counter() - started < 0.5
    assert message.startswith(f"bomb.xlsx: {SHEET} unpacks to 67,10")
    assert "times its packed size; the limit is 100 times (a ZIP bomb?)" in message


def test_many_small_members_are_held_to_the_ratio_together(tmp_path: Path) -> None:
    path = tmp_path / "small.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(8):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", b" " * (1 << 20))  # at the floor
    message = refusal(path)
    assert message.startswith("small.xlsx: the XLSX package unpacks to 8,388,608 bytes, ")
    assert message.endswith("times its packed size; the limit is 100 times (a ZIP bomb?)")


def test_the_member_and_total_caps(tmp_path: Path) -> None:
    path = xlsx_rows(tmp_path / "rows.xlsx", 20_000)
    size = zipfile.ZipFile(path).getinfo(SHEET).file_size
    member = ZipLimits(max_unpacked=GIB, max_member=size - 1)
    assert f"unpacks to {size:,} bytes, more than the limit of {size - 1:,} for one" in refusal(
        path, member
    )
    total = ZipLimits(max_unpacked=size, max_member=size)
    assert "the XLSX package unpacks to" in refusal(path, total)
    assert f"more than the limit of {size:,} (a ZIP bomb?)" in refusal(path, total)


def test_rows_are_counted_before_parsing(tmp_path: Path) -> None:
    path = xlsx_rows(tmp_path / "rows.xlsx", 5_000)
    check_zip(path, ZipLimits(GIB, GIB, max_rows=5_001), DatasetError, "XLSX")  # and the header
    message = refusal(path, ZipLimits(GIB, GIB, max_rows=5_000))
    assert message == f"rows.xlsx: {SHEET} holds more than 5,000 rows, the limit (a ZIP bomb?)"


def test_rows_with_a_namespace_prefix_count_too(tmp_path: Path) -> None:
    row = b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    path = with_sheet(tmp_path / "prefixed.xlsx", [row * 3_000])
    assert "more than 2,000 rows" in refusal(path, ZipLimits(GIB, GIB, max_rows=2_000))


def test_rows_cut_by_a_piece_boundary_are_counted_once(tmp_path: Path) -> None:
    # 1 MiB pieces: rows of 7 bytes fall on every possible cut
    path = with_sheet(tmp_path / "cut.xlsx", [b"<row/> " * 400_000, b"<a:row/>" * 300_000])
    check_zip(path, ZipLimits(GIB, GIB, 10_000, max_rows=700_001), DatasetError, "XLSX")
    assert "more than 700,000 rows" in refusal(path, ZipLimits(GIB, GIB, 10_000, max_rows=700_000))


def test_a_member_that_unpacks_past_its_declared_size(tmp_path: Path) -> None:
    # zipfile's read() would inflate all 64 MB, then return the declared 1,000 bytes
    path = understate(xlsx_bomb(tmp_path / "liar.xlsx", megabytes=64), SHEET, 1_000)
    with zipfile.ZipFile(path) as archive:
        assert len(archive.read(SHEET)) == 1_000  # the lie passes zipfile's own checks
    message = refusal(path)
    assert message == (
        f"liar.xlsx: {SHEET} unpacks to more than the 1,000 bytes its directory entry declares"
        " (a ZIP bomb?)"
    )


def test_too_many_members(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(101):
            archive.writestr(f"m{i}", b"")
    message = refusal(path, ZipLimits(GIB, GIB, max_members=100))
    assert message == (
        "many.xlsx: the XLSX package has 101 members, more than the limit of 100 (a ZIP bomb?)"
    )


def test_a_compression_office_does_not_write(tmp_path: Path) -> None:
    path = tmp_path / "bz.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr(SHEET, b"<row/>")
    assert "is compressed with method 12; Office files use deflate" in refusal(path)


def test_not_a_zip_is_left_to_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "text.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(zipfile.BadZipFile):
        check_zip(path, LIMITS, DatasetError, "XLSX")
