"""read_pdf(): the ruled tables of a PDF, cell by cell, with merged cells as `model` describes.

Official lists are printed from Word or WPS with every cell ruled, so tables are found from the
drawn lines (pdfplumber's "lines" strategy) and merged cells from the cells' geometry: a cell
that covers several grid positions is one rectangle with no inner lines. Pages without a text
layer (scans) are rendered and handed to an OCR callable.

Refused: files over the size limit, files that are not PDFs, encrypted PDFs (any /Encrypt, even
one that opens with an empty user password: the import must not depend on how a producer set
permissions, and a password-protected list is better re-exported than half-read), damaged or
truncated PDFs, too many pages, pages too large to render, and PDFs without any table.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from PIL.Image import Image

from kuajing.catalog.importers.model import (
    OCR_PACKAGES,
    Box,
    Cell,
    Document,
    DocumentError,
    Limits,
    Table,
)

Ocr = Callable[[Image, int, int], list[Table]]
T = TypeVar("T")
Rect = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points

_TABLES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_SNAP = 1.0  # points: cell edges closer than this are the same grid line
_TAIL = 1024  # %%EOF must lie within this many bytes of the end, as readers expect


def read_pdf(path: Path, limits: Limits, ocr: Ocr | None = None) -> Document:
    """The tables of the PDF at `path`, page by page; raise `DocumentError` for the refusals
    listed in the module's note. Pages without a text layer go to `ocr(image, page number,
    index of the next table)` when it is given, and are skipped with a note when not."""
    data = _load(path, limits)
    with _open(data, path.name) as pdf:
        pages = _pages(pdf, path.name, limits)
        doc = Document(sha256=hashlib.sha256(data).hexdigest(), format="pdf", pages=len(pages))
        scanned = 0
        for page in pages:
            if _has_text(page, path.name):
                doc.tables += _page_tables(page, len(doc.tables) + 1, path.name)
                continue
            scanned += 1
            if ocr is None:
                doc.notes.append(f"page {page.page_number}: no text layer, skipped (no OCR)")
                continue
            image = _render(page, limits.dpi, path.name)
            doc.tables += ocr(image, page.page_number, len(doc.tables) + 1)
            doc.notes.append(f"page {page.page_number}: no text layer, read by OCR")
    if not doc.tables:
        unread = scanned if ocr is None else 0
        raise DocumentError(f"holds no table{_unread(unread)}", file=path.name)
    if scanned == len(pages):
        doc.format = "scan"
    return doc


def _unread(pages: int) -> str:
    if not pages:
        return ""
    return (
        f" ({pages} page{'s' if pages > 1 else ''} without a text layer, and no OCR to read"
        f" them: {OCR_PACKAGES})"
    )


# --- refusals -------------------------------------------------------------------------------


def _load(path: Path, limits: Limits) -> bytes:
    data = limits.read(path)
    if not data.startswith(b"%PDF-"):
        raise DocumentError("not a PDF document", file=path.name)
    return data


@contextmanager
def _open(data: bytes, name: str) -> Iterator[PDF]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFEncryptionError):
            raise _encrypted(name) from None
        raise _damaged(name, exc) from None
    with pdf:
        if pdf.doc.encryption is not None:  # opened with the empty user password
            raise _encrypted(name)
        if b"%%EOF" not in data.rstrip(b"\x00\t\n\f\r ")[-_TAIL:]:
            raise DocumentError("damaged: truncated (no %%EOF at the end)", file=name)
        yield pdf


def _pages(pdf: PDF, name: str, limits: Limits) -> list[Page]:
    # Counted lazily first, so that a page tree of millions is not built only to be refused.
    tree = _guard(name, lambda: PDFPage.create_pages(pdf.doc))
    count = _guard(name, lambda: sum(1 for _ in itertools.islice(tree, limits.max_pages + 1)))
    if count > limits.max_pages:
        raise DocumentError(f"too many pages: more than the limit of {limits.max_pages}", file=name)
    pages = _guard(name, lambda: pdf.pages)
    for page in pages:
        _check_pixels(page, limits, name)
    return pages


def _check_pixels(page: Page, limits: Limits, name: str) -> None:
    width = math.ceil(float(page.width) * limits.dpi / 72)
    height = math.ceil(float(page.height) * limits.dpi / 72)
    if width * height > limits.max_pixels:
        raise DocumentError(
            f"page {page.page_number} too large: {width}×{height} = {width * height:,} pixels"
            f" at {limits.dpi} dpi, the limit is {limits.max_pixels:,}",
            file=name,
        )


def _encrypted(name: str) -> DocumentError:
    return DocumentError("encrypted: remove the password and import it again", file=name)


def _damaged(name: str, exc: BaseException) -> DocumentError:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    reason = str(inner).strip() or type(inner).__name__
    return DocumentError(f"damaged: {reason[:200]}", file=name)


def _guard(name: str, parse: Callable[[], T]) -> T:
    """`parse()`, with any exception of the PDF libraries refused as damage: pdfminer raises
    many kinds (PSEOF, PDFSyntaxError, KeyError, TypeError) on malformed objects."""
    try:
        return parse()
    except Exception as exc:
        raise _damaged(name, exc) from None


def _has_text(page: Page, name: str) -> bool:
    return _guard(name, lambda: any(not ch["text"].isspace() for ch in page.chars))


def _render(page: Page, dpi: int, name: str) -> Image:
    return _guard(name, lambda: page.to_image(resolution=dpi).original)


# --- tables ---------------------------------------------------------------------------------


def _page_tables(page: Page, first: int, name: str) -> list[Table]:
    found = _guard(name, lambda: page.find_tables(_TABLES))
    chars = _guard(name, lambda: page.dedupe_chars().chars)  # bold faked by printing twice
    tables: list[Table] = []
    for table in sorted(found, key=lambda t: (t.bbox[1], t.bbox[0])):
        rows = _Grid(table.cells, page.bbox).rows(chars)
        if len(rows) > 1 or (rows and len(rows[0]) > 1):  # a lone ruled box is a frame
            tables.append(Table(page=page.page_number, index=first + len(tables), rows=rows))
    return tables


def _snap(values: Sequence[float]) -> list[float]:
    """Distinct grid lines: values within `_SNAP` of the previous line are that line."""
    lines: list[float] = []
    for v in sorted(values):
        if not lines or v - lines[-1] > _SNAP:
            lines.append(v)
    return lines


class _Grid:
    """A table's grid lines, and which cell covers each grid position (row, column)."""

    def __init__(self, cells: Sequence[Rect], page_box: Rect) -> None:
        self.page = page_box
        self.xs = _snap([v for c in cells for v in (c[0], c[2])])
        self.ys = _snap([v for c in cells for v in (c[1], c[3])])
        self.cells = list(cells)
        self.owner: dict[tuple[int, int], int] = {}
        for n, (x0, top, x1, bottom) in enumerate(self.cells):
            for r in range(self._line(self.ys, top), self._line(self.ys, bottom)):
                for c in range(self._line(self.xs, x0), self._line(self.xs, x1)):
                    self.owner[r, c] = n

    @staticmethod
    def _line(lines: list[float], v: float) -> int:
        i = bisect_right(lines, v + _SNAP) - 1
        return max(i, 0)

    def _slot(self, x: float, y: float) -> tuple[int, int] | None:
        r, c = bisect_right(self.ys, y) - 1, bisect_right(self.xs, x) - 1
        if 0 <= r < len(self.ys) - 1 and 0 <= c < len(self.xs) - 1:
            return r, c
        return None

    def _texts(self, chars: list[dict[str, Any]]) -> list[str]:
        held: list[list[dict[str, Any]]] = [[] for _ in self.cells]
        for ch in chars:
            slot = self._slot((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
            if slot is not None and slot in self.owner:
                held[self.owner[slot]].append(ch)
        return [cell_text(h) for h in held]

    def _box(self, r: int, c: int) -> Box:
        px0, ptop, px1, pbottom = self.page
        w, h = px1 - px0, pbottom - ptop
        return Box(
            x0=(self.xs[c] - px0) / w,
            y0=(self.ys[r] - ptop) / h,
            x1=(self.xs[c + 1] - px0) / w,
            y1=(self.ys[r + 1] - ptop) / h,
        )

    def rows(self, chars: list[dict[str, Any]]) -> list[list[Cell]]:
        """Every grid position as a `Cell` with the box of that position: a merged cell's text
        where it starts and to its right, `None` below where it starts, "" where no cell is."""
        texts = self._texts(chars)
        out: list[list[Cell]] = []
        for r in range(len(self.ys) - 1):
            row: list[Cell] = []
            for c in range(len(self.xs) - 1):
                n = self.owner.get((r, c))
                if n is None:
                    text: str | None = ""
                elif self._line(self.ys, self.cells[n][1]) < r:
                    text = None
                else:
                    text = texts[n]
                row.append(Cell(text=text, box=self._box(r, c)))
            out.append(row)
        return out


# --- text -----------------------------------------------------------------------------------

# Chinese script and its punctuation: lines wrapped between these join without a space.
_WIDE = re.compile(
    r"[\u2014\u2018\u2019\u201c\u201d\u2026\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)
# Kangxi radicals and compatibility ideographs that some producers' ToUnicode maps give for
# ordinary characters (⼈ for 人): NFKC maps them back. Wider NFKC would turn （ into (.
_LOOKALIKE = re.compile(r"[\u2f00-\u2fdf\uf900-\ufaff]")
_GAP = 0.3  # a gap wider than this many font sizes between Latin characters is a space


def cell_text(chars: list[dict[str, Any]]) -> str:
    """The characters of one cell as text: lines top to bottom, joined without a space where
    either side is Chinese, with one space between Latin words."""
    text = ""
    for line in _lines(chars):
        words = _line_text(line)
        if text and words:
            text += "" if _WIDE.match(text[-1]) or _WIDE.match(words[0]) else " "
        text += words
    return _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped into lines: a character whose middle lies below the bottom of the
    line's first character starts the next line (fonts of one line differ in height)."""
    lines: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda ch: ch["top"]):
        if lines and (ch["top"] + ch["bottom"]) / 2 < lines[-1][0]["bottom"]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return [sorted(line, key=lambda ch: ch["x0"]) for line in lines]


def _line_text(line: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for prev, ch in zip([None, *line], line, strict=False):
        t: str = ch["text"]
        if prev is not None and ch["x0"] - prev["x1"] > _GAP * ch["size"]:
            before, after = prev["text"][-1:], t[:1]
            if not (_WIDE.match(before) or _WIDE.match(after)):
                out.append(" ")  # producers that position words instead of printing spaces
        out.append(t)
    return " ".join("".join(out).split())
