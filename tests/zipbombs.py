"""XLSX and DOCX packages that unpack to far more than they weigh, for the tests of the ZIP
checks (`kuajing.zipcheck`), and a normal workbook to show the checks let it through."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
    + '<row r="1"><c r="A1" t="inlineStr"><is><t>身份证号</t></is></c></row>'.encode()
)
_FOOT = b"</sheetData></worksheet>"


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A normal workbook, as openpyxl writes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def with_sheet(path: Path, body: Iterable[bytes], *, template: Path | None = None) -> Path:
    """A workbook whose first sheet holds a header row, then the XML pieces `body` (rows),
    streamed into the package so that the test never holds the unpacked sheet."""
    template = template or workbook(path.with_suffix(".template.xlsx"), [["身份证号"]])
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                out.writestr(info.filename, source.read(info))
        with out.open(SHEET, "w") as sheet:
            sheet.write(_HEAD)
            for piece in body:
                sheet.write(piece)
            sheet.write(_FOOT)
    return path


def xlsx_bomb(path: Path, megabytes: int = 64) -> Path:
    """A workbook of a few hundred KB whose sheet unpacks to `megabytes` MB of one repeated row
    (about 1,000 times its packed size, deflate's ceiling)."""
    row = b'<row><c t="inlineStr"><is><t>110101199003074514</t></is></c></row>'
    block = row * ((1 << 20) // len(row))
    return with_sheet(path, (block for _ in range(megabytes)))


def xlsx_rows(path: Path, rows: int) -> Path:
    """A workbook whose sheet has `rows` numbered data rows: it packs as real data does (about
    15 times), so only the row count refuses it."""

    def body() -> Iterable[bytes]:
        for start in range(2, rows + 2, 10_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n)
                for n in range(start, min(start + 10_000, rows + 2))
            )

    return with_sheet(path, body())


def liar(path: Path, member: str, megabytes: int, *, template: Path | None = None) -> Path:
    """A copy of `template` (default: a normal workbook) whose `member` is followed by
    `megabytes` MB of white space that its directory entries do not declare: zipfile returns
    the member intact, after unpacking it all."""
    rows = [["身份证号"], ["110101199003074514"]]
    template = template or workbook(path.with_suffix(".template.xlsx"), rows)
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                declared = len(data)
                data += b" " * (megabytes << 20)
            out.writestr(info.filename, data)
    return understate(path, member, declared)


def understate(path: Path, member: str, declared: int) -> Path:
    """Make `member`'s entries (local and central) declare only its first `declared` bytes,
    with their CRC, so that zipfile reads it without complaint: a lie only inflating tells."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        crc = zlib.crc32(archive.read(member)[:declared])
    data = bytearray(path.read_bytes())
    struct.pack_into("<L", data, info.header_offset + 14, crc)
    struct.pack_into("<L", data, info.header_offset + 22, declared)
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]) == name:
            struct.pack_into("<L", data, at + 16, crc)
            struct.pack_into("<L", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path
