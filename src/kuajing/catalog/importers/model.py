"""What every document reader returns, and the limits every reader keeps to.

A reader returns the tables of a document in reading order. A table is a rectangle of cells.
Merged cells are given as the official layout needs them:
- a cell covered by a merged cell that starts above it (a row span) has `text=None`; the
  pipeline fills it from the row above, across tables too (a span that runs over a page break);
- a cell covered by a merged cell that starts to its left (a column span) repeats its text.
An empty cell that is not covered by a merge has `text=""`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kuajing.catalog.layout import TableError
from kuajing.zipcheck import ZipLimits

Format = Literal["pdf", "scan", "image", "docx", "html", "csv", "xlsx"]


# What reads pages without a text layer, for the messages that say it is missing.
OCR_PACKAGES = (
    "install the Python package rapidocr-onnxruntime==1.4.4, or Debian's tesseract-ocr and"
    " tesseract-ocr-chi-sim"
)


class DocumentError(TableError):
    """A document cannot be read: not what its name says, encrypted, damaged, too large, or it
    holds no list table. Raised with `file` set, before anything is written."""


@dataclass(frozen=True)
class Box:
    """Where a cell lies on its page, as fractions of the page's width and height (0 to 1),
    from the top-left corner. Lets the review show the page region a row came from."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Cell:
    text: str | None  # None: covered by a merged cell above (see the module's note)
    box: Box | None = None  # None where the format has no pages (DOCX, HTML)
    confidence: float | None = None  # OCR only: the engine's mean confidence, 0 to 100


@dataclass(frozen=True)
class Table:
    page: int  # 1-based; DOCX and HTML count 1
    index: int  # 1-based, the table's number in the document
    rows: list[list[Cell]]  # every row the same length
    ocr: bool = False  # read from an image


@dataclass(frozen=True)
class Limits:
    """What a reader refuses to open, so that one document never exhausts the server. The
    defaults hold any official list (the longest known runs to about 60 pages)."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 300
    max_pixels: int = 40_000_000  # per page image, as scanned or as rendered for OCR
    dpi: int = 200  # pages without a text layer are rendered at this resolution for OCR
    # DOCX and XLSX packages, checked before they are parsed (`kuajing.zipcheck`): all members
    # together, and each, may unpack to this many times max_bytes (a list's XML is a few MB).
    unpack_factor: int = 10
    max_ratio: int = 100  # unpacked / packed size of one member over 1 MiB; real files reach 30
    max_rows: int = 100_000  # of one XLSX sheet: official lists run to a few thousand

    def package(self, *, sheets: bool) -> ZipLimits:
        """What a DOCX or (`sheets`) an XLSX package may unpack to."""
        unpacked = self.unpack_factor * self.max_bytes
        rows = self.max_rows if sheets else None
        return ZipLimits(unpacked, unpacked, self.max_ratio, max_rows=rows)

    def read(self, path: Path) -> bytes:
        """The file's bytes, refused (`DocumentError`) before reading when too large."""
        try:
            size = path.stat().st_size
            if size <= self.max_bytes:
                with path.open("rb") as stream:
                    data = stream.read(self.max_bytes + 1)  # it may have grown meanwhile
                size = len(data)
        except OSError as exc:
            raise DocumentError(f"cannot read the file: {exc.strerror}", file=path.name) from None
        if size > self.max_bytes:
            raise DocumentError(
                f"too large: {size:,} bytes, the limit is {self.max_bytes:,}", file=path.name
            )
        return data

    def describe(self) -> str:
        return (
            f"{self.max_bytes // (1024 * 1024)} MB, {self.max_pages} pages,"
            f" {self.max_pixels // 1_000_000} megapixels per page"
        )


@dataclass
class Document:
    """A read document: its tables, and the pages a reader had to OCR."""

    sha256: str
    format: Format
    pages: int
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "page 3: no text layer, read by OCR"
