"""ZIP packages (XLSX, DOCX) checked before a reader parses them, so that a small file cannot
unpack to gigabytes (a ZIP bomb) nor a worksheet hold millions of rows.

Two steps, both before any XML is parsed:
1. the central directory: how many members, how they are compressed, each member's declared size
   and its ratio to its packed size, and their sum. Nothing is inflated: a classic bomb is
   refused at once.
2. one pass that inflates every member in 1 MiB steps, stopping at its declared size, and counts
   each worksheet's rows on the way (see `_Sheet`). It proves the declared sizes true: streamed
   reads from `zipfile` stop at them, but `ZipFile.read`, which openpyxl calls for the workbook,
   styles and relationship parts and python-docx for every part, inflates a whole deflate stream
   before cutting it to the declared size, so a member declaring 1 KiB may take 2 GiB of memory.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

Refuse = Callable[[str], Exception]  # the reader's typed error, given the message

_CHUNK = 1 << 20
# Members that unpack to less are not held to the ratio: they cost little, and a bloated
# styles.xml (thousands of near-identical cell formats) compresses far better than data.
RATIO_FLOOR = 1 << 20
# What Office and the spreadsheet libraries write; bzip2 and LZMA, which zipfile would also
# read, reach far higher ratios and are refused.
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# A workbook or document has tens of members; zipfile spends ~1 KB of memory and 6 µs to list
# each, before anything could be checked, so their count is read from the end record first.
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class ZipLimits:
    """What a package may unpack to. The readers' defaults say why they were chosen."""

    max_unpacked: int  # bytes, all members together
    max_member: int  # bytes, one member
    # Unpacked / packed size of one member over RATIO_FLOOR. Real sheets measure 8-30 (30: rows
    # that carry only a format); a bomb of repeated rows 400 and more, deflate's ceiling is 1032.
    max_ratio: int = 100
    max_members: int = MAX_MEMBERS
    max_rows: int | None = None  # row elements of one XML member (a worksheet); None: not counted


def check_zip(source: Path | bytes, limits: ZipLimits, refuse: Refuse, kind: str) -> None:
    """Raise `refuse(message)` when the package at `source` (a path, or its bytes) is over
    `limits`; `kind` names it in the message ("XLSX", "DOCX"). A file that is not a readable ZIP
    raises `zipfile.BadZipFile` (or `OSError`), for the reader to report as damaged."""
    with source.open("rb") if isinstance(source, Path) else io.BytesIO(source) as fp:
        check_members(fp, limits.max_members, refuse, kind)
        with zipfile.ZipFile(fp) as archive:
            infos = archive.infolist()
        _check_directory(infos, limits, refuse, kind)
        for info in infos:
            _check_member(fp, info, limits, refuse)


# --- 1. the central directory ----------------------------------------------------------------


def check_members(fp: BinaryIO, max_members: int, refuse: Refuse, kind: str) -> None:
    """Raise `refuse(message)` when the package's end record declares more than `max_members`
    members: before zipfile lists them."""
    members = _entries(fp)
    if members > max_members:
        raise refuse(
            f"the {kind} package has {members:,} members, more than the limit of"
            f" {max_members:,} (a ZIP bomb?)"
        )


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_LOCATOR = struct.Struct("<4sLQL")  # ZIP64 end of central directory locator, just before it
_EOCD64 = struct.Struct("<4sQ2H2L4Q")  # ZIP64 end of central directory record


def _entries(fp: BinaryIO) -> int:
    """The member count the end record declares, found as zipfile finds it; 0 without one (then
    zipfile refuses the file itself)."""
    size = fp.seek(0, io.SEEK_END)
    start = max(0, size - _EOCD.size - 0xFFFF)  # the record may be followed by a comment
    fp.seek(start)
    tail = fp.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return 0
    count = int(_EOCD.unpack_from(tail, at)[4])
    if count != 0xFFFF or start + at < _LOCATOR.size:
        return count
    fp.seek(start + at - _LOCATOR.size)
    signature, _, offset, _ = _LOCATOR.unpack(fp.read(_LOCATOR.size))
    if signature != b"PK\x06\x07":
        return count
    fp.seek(offset)
    record = fp.read(_EOCD64.size)
    if len(record) < _EOCD64.size or record[:4] != b"PK\x06\x06":
        return count
    return int(_EOCD64.unpack(record)[7])


def _check_directory(
    infos: list[zipfile.ZipInfo], limits: ZipLimits, refuse: Refuse, kind: str
) -> None:
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked:
        raise refuse(
            f"the {kind} package unpacks to {total:,} bytes, more than the limit of"
            f" {limits.max_unpacked:,} (a ZIP bomb?)"
        )
    for info in infos:
        name, size = info.filename, info.file_size
        if info.compress_type not in _METHODS:
            raise refuse(
                f"{name} is compressed with method {info.compress_type}; Office files use"
                " deflate: save the file again"
            )
        if size > limits.max_member:
            raise refuse(
                f"{name} unpacks to {size:,} bytes, more than the limit of"
                f" {limits.max_member:,} for one member (a ZIP bomb?)"
            )
        ratio = size // max(info.compress_size, 1)
        if size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise refuse(
                f"{name} unpacks to {size:,} bytes, {ratio:,} times its packed size; the limit"
                f" is {limits.max_ratio} times (a ZIP bomb?)"
            )
    # Many members, each under the floor, bound only by the sum: the check would spend its time
    # inflating them (and openpyxl parsing those a workbook names).
    ratio = total // max(sum(info.compress_size for info in infos), 1)
    if total > RATIO_FLOOR and ratio > limits.max_ratio:
        raise refuse(
            f"the {kind} package unpacks to {total:,} bytes, {ratio:,} times its packed size; the"
            f" limit is {limits.max_ratio} times (a ZIP bomb?)"
        )


# --- 2. the members' content -----------------------------------------------------------------

_LOCAL = struct.Struct("<4s5H3L2H")  # local file header


def _check_member(fp: BinaryIO, info: zipfile.ZipInfo, limits: ZipLimits, refuse: Refuse) -> None:
    if info.flag_bits & 0x1:
        return  # encrypted: zipfile inflates nothing without a password, and has none
    rows = limits.max_rows
    sheet = None if rows is None else _Sheet(info.filename, rows, refuse)
    unpacked = 0
    for chunk in _inflate(fp, info):
        unpacked += len(chunk)
        if unpacked > info.file_size:
            raise refuse(
                f"{info.filename} unpacks to more than the {info.file_size:,} bytes its"
                " directory entry declares (a ZIP bomb?)"
            )
        if sheet is not None:
            sheet.feed(chunk)


def _inflate(fp: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's content in pieces of at most 1 MiB, read from its local header on."""
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL.size)
    if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: no local file header")
    fp.seek(info.header_offset + _LOCAL.size + sum(_LOCAL.unpack(header)[-2:]))
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left = info.compress_size
    while left > 0:
        data = fp.read(min(left, _CHUNK))
        if not data:
            raise zipfile.BadZipFile(f"{info.filename}: truncated")
        left -= len(data)
        if info.compress_type == zipfile.ZIP_STORED:
            yield data
            continue
        while data and not inflater.eof:
            try:
                out = inflater.decompress(data, _CHUNK)
            except zlib.error as exc:
                raise zipfile.BadZipFile(f"{info.filename}: {exc}") from None
            data = inflater.unconsumed_tail
            yield out
        if inflater.eof:
            return


# A row's start tag: `<row` (also the start of `<rowBreaks`, one per sheet: harmless), and with a
# namespace prefix, which an XML parser accepts as well (`<x:row`).
_ROW = b"<row"
_PREFIXED_ROW = re.compile(rb"<[^\s<>/:!?]{1,64}:row[\s/>]")
_TAIL = 80  # bytes kept from one piece to the next, longer than any tag counted


def _rows(data: bytes) -> int:
    # bytes.count runs at ~1 GB/s; the regex only where a prefixed row could be (~400 MB/s).
    prefixed = len(_PREFIXED_ROW.findall(data)) if b":row" in data else 0
    return data.count(_ROW) + prefixed


class _Sheet:
    """The row elements of one member, counted as its XML streams past, without parsing it: it
    costs about as much as inflating it. Every member is counted, as a worksheet's part may have
    any name; other parts hold no row elements."""

    def __init__(self, name: str, max_rows: int, refuse: Refuse) -> None:
        self.name, self.max_rows, self.refuse = name, max_rows, refuse
        self.rows = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        # A tag cut by the boundary is whole in tail + chunk; one wholly in the tail was counted.
        data = self._tail + chunk
        self.rows += _rows(data) - _rows(self._tail)
        self._tail = data[-_TAIL:]
        if self.rows > self.max_rows:
            raise self.refuse(
                f"{self.name} holds more than {self.max_rows:,} rows, the limit (a ZIP bomb?)"
            )
