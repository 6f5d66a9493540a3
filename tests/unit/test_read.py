"""Reading key columns: CSV in every encoding exports come in, XLSX, Parquet, JSON Lines, errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import polars as pl
import pytest

from kuajing.errors import DatasetError
from kuajing.scan.read import Dataset, _cell_text, read_columns


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Temporary files land here, so each test can check that none are left behind."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield scratch
    assert list(scratch.iterdir()) == [], "a temporary file was left behind"


def codecs_bom_utf8() -> bytes:
    return "\ufeff".encode()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def error(path: Path, columns: list[str]) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        read_columns(path, columns)
    exc = caught.value
    assert exc.file == str(path)
    assert "\n" not in str(exc), "messages are one line"
    assert "Traceback" not in str(exc)
    return exc


def values(dataset: Dataset) -> dict[str, list[str | None]]:
    return {name: dataset.frame.get_column(name).to_list() for name in dataset.frame.columns}


# --- CSV encodings -------------------------------------------------------------------------------

TEXT = "sfzh,name,phone,note\n11010519491231002x,张三,013812345678,甲\n000123,李四,,乙\n"


def test_utf8_reads_only_requested_columns_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", TEXT.encode("utf-8"))
    dataset = read_columns(path, ["phone", "sfzh"])
    assert dataset.frame.columns == ["phone", "sfzh"]
    assert all(dtype == pl.String for dtype in dataset.frame.dtypes)
    assert values(dataset) == {
        "phone": ["013812345678", None],
        "sfzh": ["11010519491231002x", "000123"],  # leading zeros and x survive
    }
    assert dataset.rows == 2
    assert dataset.format == "csv"
    assert dataset.encoding == "utf-8"
    assert dataset.first_line == 2
    assert dataset.digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_utf8_with_bom_and_padded_header(tmp_path: Path) -> None:
    data = codecs_bom_utf8() + " sfzh , name \r\n0123,张三\r\n".encode()
    dataset = read_columns(write(tmp_path / "bom.csv", data), ["sfzh", "name"])
    assert dataset.encoding == "utf-8-sig"
    assert values(dataset) == {"sfzh": ["0123"], "name": ["张三"]}


def test_gbk(tmp_path: Path) -> None:
    data = TEXT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    dataset = read_columns(write(tmp_path / "gbk.csv", data), ["name", "sfzh"])
    assert dataset.encoding == "gb18030"
    assert values(dataset)["name"] == ["张三", "李四"]
    assert dataset.digest == hashlib.sha256(data).hexdigest()  # of the file, not the transcoding


def test_gb18030_characters_gbk_lacks(tmp_path: Path) -> None:
    text = "name,id\n𠮷田,1\n王䶮,2\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    dataset = read_columns(write(tmp_path / "gb.csv", text.encode("gb18030")), ["name"])
    assert dataset.encoding == "gb18030"
    assert values(dataset) == {"name": ["𠮷田", "王䶮"]}


@pytest.mark.parametrize("name", ["unicode.txt", "unicode.csv", "unicode.tsv"])
def test_utf16_tab_separated_as_excel_writes_it(tmp_path: Path, name: str) -> None:
    data = "姓名\t身份证号\r\n张三\t11010519491231002X\r\n".encode("utf-16")  # with a BOM
    dataset = read_columns(write(tmp_path / name, data), ["身份证号", "姓名"])
    assert dataset.encoding == "utf-16"
    assert values(dataset) == {"身份证号": ["11010519491231002X"], "姓名": ["张三"]}


def test_utf16_big_endian_comma_separated(tmp_path: Path) -> None:
    data = "\ufeffa,b\n1,2\n".encode("utf-16-be")
    dataset = read_columns(write(tmp_path / "be.csv", data), ["b"])
    assert (dataset.encoding, values(dataset)) == ("utf-16", {"b": ["2"]})


def test_undecodable_bytes_name_their_line(tmp_path: Path) -> None:
    lines = b"a,b\n" + b"".join(b"%d,x\n" % i for i in range(5)) + b"\x80\xff,1\n9,9\n"
    path = write(tmp_path / "bad.csv", lines)
    exc = error(path, ["a"])
    assert exc.line == 7
    assert exc.message == "not UTF-8, GBK or GB18030 text"
    assert str(exc) == f"{path}:7: not UTF-8, GBK or GB18030 text"


def test_undecodable_gbk_file_names_the_gbk_line(tmp_path: Path) -> None:
    data = "a,b\n张三,1\n李四,2\n".encode("gbk") + b"\xff\xff,3\n"
    assert error(write(tmp_path / "bad.csv", data), ["a"]).line == 4


def test_broken_utf8_after_bom(tmp_path: Path) -> None:
    data = codecs_bom_utf8() + b"a,b\n1,2\n\xe5\x01,3\n"
    exc = error(write(tmp_path / "bad.csv", data), ["a"])
    assert exc.line == 3
    assert "byte-order mark" in exc.message


def test_broken_utf16(tmp_path: Path) -> None:
    data = "a,b\n1,2\n".encode("utf-16-le") + b"\x00\xd8,\x00"  # a lone surrogate
    exc = error(write(tmp_path / "bad.csv", b"\xff\xfe" + data), ["a"])
    assert exc.line == 3
    assert "UTF-16" in exc.message


def test_multibyte_character_split_across_read_chunks(tmp_path: Path) -> None:
    # The reader works in 1 MiB chunks; a character straddling a boundary must decode whole.
    filler = "x" * ((1 << 20) - 5)
    text = f"a,b\n{filler},张\n1,三\n"
    for encoding in ("utf-8", "gbk", "utf-16"):
        dataset = read_columns(write(tmp_path / f"{encoding}.csv", text.encode(encoding)), ["b"])
        assert values(dataset) == {"b": ["张", "三"]}, encoding


# --- CSV shape -----------------------------------------------------------------------------------


def test_tsv_and_extension_case(tmp_path: Path) -> None:
    dataset = read_columns(write(tmp_path / "A.TSV", b"a\tb\n1,5\t2\n"), ["a"])
    assert values(dataset) == {"a": ["1,5"]}
    assert read_columns(write(tmp_path / "B.TXT", b"a,b\n1,2\n"), ["b"]).rows == 1


def test_quoted_fields(tmp_path: Path) -> None:
    data = b'id,note\n"001","a, b"\n"002","line\nbreak"\n003,""\n'
    dataset = read_columns(write(tmp_path / "q.csv", data), ["note", "id"])
    assert values(dataset) == {"note": ["a, b", "line\nbreak", ""], "id": ["001", "002", "003"]}


def test_row_with_too_many_fields(tmp_path: Path) -> None:
    exc = error(write(tmp_path / "ragged.csv", b"a,b\n1,2\n3,4,5\n6,7\n"), ["a"])
    assert exc.line == 3
    assert "3 fields" in exc.message


def test_unterminated_quote(tmp_path: Path) -> None:
    exc = error(write(tmp_path / "quote.csv", b'a,b\n1,2\n"3,4\n5,6\n'), ["a"])
    assert exc.line == 3
    assert "quoted field" in exc.message


def test_unknown_column_with_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", b"SFZH,name\n1,2\n")
    exc = error(path, ["sfzh"])
    assert exc.line == 1
    assert (
        exc.message == "unknown key column 'sfzh' (did you mean 'SFZH'?); the file has: SFZH, name"
    )


def test_unknown_column_without_suggestion(tmp_path: Path) -> None:
    exc = error(write(tmp_path / "a.csv", b"a,b,c\n1,2,3\n"), ["phone"])
    assert exc.message == "unknown key column 'phone'; the file has: a, b, c"


def test_long_header_is_shortened_in_messages(tmp_path: Path) -> None:
    header = ",".join(f"col{i}" for i in range(100)).encode()
    exc = error(write(tmp_path / "wide.csv", header + b"\n" + b"1," * 99 + b"1\n"), ["x"])
    assert "(70 more)" in exc.message
    assert "col99" not in exc.message


def test_repeated_header_name(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.csv", b"a,b,a\n1,2,3\n")
    assert "2 columns named 'a'" in error(path, ["a"]).message
    assert values(read_columns(path, ["b"])) == {"b": ["2"]}


def test_columns_asked_twice(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", b"a,b\n1,2\n")
    assert "more than once" in error(path, ["a", " a"]).message
    assert "no key columns" in error(path, []).message


def test_empty_file(tmp_path: Path) -> None:
    assert error(write(tmp_path / "e.csv", b""), ["a"]).message == "empty file"


@pytest.mark.parametrize("data", [b"a,b\n", b"a,b", "\ufeffa,b\r\n".encode(), b"\n\n"])
def test_no_rows(tmp_path: Path, data: bytes) -> None:
    assert error(write(tmp_path / "h.csv", data), ["a"]).message == "no rows"


def test_unsupported_type(tmp_path: Path) -> None:
    path = write(tmp_path / "data.xyz", b"a")
    message = "unsupported file type '.xyz'; use CSV, XLSX, Parquet or JSON Lines"
    assert error(path, ["a"]).message == message
    assert "no extension" in error(write(tmp_path / "noext", b"a"), ["a"]).message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert error(tmp_path / "missing.csv", ["a"]).message == "no such file"
    (tmp_path / "dir.csv").mkdir()
    assert "directory" in error(tmp_path / "dir.csv", ["a"]).message


def test_glob_characters_in_names(tmp_path: Path) -> None:
    write(tmp_path / "a1.csv", b"a\nwrong\n")
    assert values(read_columns(write(tmp_path / "a[1].csv", b"a\nright\n"), ["a"])) == {
        "a": ["right"]
    }
    write(tmp_path / "b1.jsonl", b'{"a": "wrong"}\n')
    dataset = read_columns(write(tmp_path / "b[1].jsonl", b'{"a": "right"}\n'), ["a"])
    assert values(dataset) == {"a": ["right"]}


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_header_below_title_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "  "  # blank-looking title row
    sheet["B3"], sheet["C3"], sheet["D3"], sheet["E3"] = " 手机 ", "身份证号", "出生", "other"
    sheet.append([None, 13812345678.0, "11010519491231002x", dt.datetime(1949, 12, 31), 1])
    sheet.append([None, 1.5, 110105491231002, None, 2])
    sheet.append([None, None, None, None, "row with other data only"])
    sheet.append([None, None, None, None, None])  # trailing empty rows do not count
    path = tmp_path / "book.xlsx"
    book.save(path)
    dataset = read_columns(path, ["手机", "身份证号", "出生"])
    assert values(dataset) == {
        "手机": ["13812345678", "1.5", None],
        "身份证号": ["11010519491231002x", "110105491231002", None],
        "出生": ["1949-12-31", None, None],
    }
    assert (dataset.format, dataset.encoding, dataset.first_line, dataset.rows) == (
        "xlsx",
        None,
        4,
        3,
    )
    assert dataset.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    exc = error(path, ["phone"])
    assert exc.line == 3
    assert "the file has: 手机, 身份证号, 出生, other" in exc.message


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (13812345678.0, "13812345678"),
        (13812345678, "13812345678"),
        (1.25, "1.25"),
        (True, "TRUE"),
        (dt.datetime(2024, 1, 2), "2024-01-02"),
        (dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05"),
        (dt.date(2024, 1, 2), "2024-01-02"),
        (" x ", " x "),
        (None, None),
    ],
)
def test_xlsx_cell_text(cell: object, text: str | None) -> None:
    assert _cell_text(cell) == text


def test_xlsx_empty_sheet_header_only_and_broken(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    assert error(empty, ["a"]).message.startswith("no rows")
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    header_only = tmp_path / "header.xlsx"
    book.save(header_only)
    assert error(header_only, ["a"]).message == "no rows"
    broken = write(tmp_path / "broken.xlsx", b"not a zip file")
    assert "not a readable XLSX workbook" in error(broken, ["a"]).message


# --- Parquet -----------------------------------------------------------------------------------


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    pl.DataFrame(
        {
            "sfzh": ["0011", None, "11010519491231002X"],
            "phone": [13812345678.0, 1.5, None],
            "age": [30, 40, 50],
            "born": [dt.date(1990, 1, 2), None, None],
            "ignored": [[1], [2], [3]],
        }
    ).write_parquet(path)
    dataset = read_columns(path, ["phone", "sfzh", "age", "born"])
    assert values(dataset) == {
        "phone": ["13812345678", "1.5", None],
        "sfzh": ["0011", None, "11010519491231002X"],
        "age": ["30", "40", "50"],
        "born": ["1990-01-02", None, None],
    }
    assert (dataset.format, dataset.first_line, dataset.encoding) == ("parquet", 1, None)
    assert dataset.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "did you mean 'sfzh'" in error(path, ["SFZH"]).message
    assert "not single values" in error(path, ["ignored"]).message


def test_parquet_broken_and_empty(tmp_path: Path) -> None:
    assert (
        "not a readable Parquet file"
        in error(write(tmp_path / "x.parquet", b"PAR1"), ["a"]).message
    )
    path = tmp_path / "empty.parquet"
    pl.DataFrame({"a": []}, schema={"a": pl.String}).write_parquet(path)
    assert error(path, ["a"]).message == "no rows"


# --- JSON Lines --------------------------------------------------------------------------------


def test_jsonl(tmp_path: Path) -> None:
    lines = [
        '{"id": "0012", "phone": 13812345678, "other": 1}',
        "",
        '{"id": 7, "phone": 13812345678.0, "extra": {"nested": true}}',
        '{"phone": "+86 138", "id": null}',
        '{"id": true, "phone": [1, 2]}',
    ]
    path = write(tmp_path / "data.jsonl", "\n".join(lines).encode())
    dataset = read_columns(path, ["phone", "id"])
    assert values(dataset) == {
        "phone": ["13812345678", "13812345678", "+86 138", "[1, 2]"],
        "id": ["0012", "7", None, "true"],
    }
    assert (dataset.format, dataset.first_line, dataset.rows) == ("jsonl", 1, 4)
    assert dataset.digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_jsonl_malformed_line_number(tmp_path: Path) -> None:
    data = b'{"id": 1}\n{"id": 2}\n\n{"id": 3\n{"id": 4}\n'
    exc = error(write(tmp_path / "bad.jsonl", data), ["id"])
    assert exc.line == 4
    assert exc.message.startswith("not valid JSON")


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    exc = error(write(tmp_path / "bad.ndjson", b'{"id": 1}\n[1, 2]\n'), ["id"])
    assert (exc.line, exc.message) == (2, "a JSON array, not an object")


def test_jsonl_error_beyond_the_sample(tmp_path: Path) -> None:
    data = b'{"id": 1}\n' * 1500 + b'{"id": 2,}\n'
    assert error(write(tmp_path / "late.jsonl", data), ["id"]).line == 1501


def test_jsonl_key_that_first_appears_late(tmp_path: Path) -> None:
    data = b'{"id": 1}\n' * 1500 + b'{"id": 2, "phone": "138"}\n'
    dataset = read_columns(write(tmp_path / "late.jsonl", data), ["phone"])
    assert dataset.rows == 1501
    assert dataset.frame.get_column("phone").drop_nulls().to_list() == ["138"]


def test_jsonl_unknown_key_bom_and_no_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", b'{"Phone": 1, "id": 2}\n')
    assert error(path, ["phone"]).message == (
        "unknown key column 'phone' (did you mean 'Phone'?); the file has: Phone, id"
    )
    bom = write(tmp_path / "bom.jsonl", codecs_bom_utf8() + b'{"id": "x"}\n')
    assert values(read_columns(bom, ["id"])) == {"id": ["x"]}
    assert error(write(tmp_path / "blank.jsonl", b"\n  \n"), ["id"]).message == "no rows"
    exc = error(write(tmp_path / "gbk.jsonl", '{"id": "张三"}\n'.encode("gbk")), ["id"])
    assert (exc.line, exc.message) == (1, "not UTF-8 text")
