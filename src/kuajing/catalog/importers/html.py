"""HTML list pages (a zone's website, a saved page) read into tables.

Every `<table>` is a table, in document order. A table nested in another table's cell is read as
a table of its own (after the outer one) and its text is left out of the outer cell, so that no
text is read twice. `<th>` and `<td>` are both cells. `rowspan` gives `None` below the first row,
`colspan` repeats the text (see `model`); spans are clamped to the table (a `rowspan` of 0 or one
larger than the rows left runs to the last row) and to `MAX_SPAN`. Short rows are padded with "".
Cell text: `<br>` is a line break, a block element (`<p>`, `<div>`, `<li>`...) a line of its own,
other whitespace and `&nbsp;` one space; lines are stripped and empty ones left out except those
`<br><br>` makes. Scripts, styles and elements marked hidden are not text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from kuajing.catalog.importers.model import Cell, Document, DocumentError, Limits, Table

MAX_SPAN = 1000  # rows or columns one cell may span, as browsers clamp
MAX_COLUMNS = 1000
MAX_CELLS = 2_000_000  # per table, counting the cells spans cover: no list comes near

_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP package (DOCX, XLSX...)"),
    (bytes.fromhex("D0CF11E0A1B11AE1"), "a legacy Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PRESCAN = 8192  # bytes searched for a <meta> charset
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.I)
_MARKUP = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|meta|title|table|div|p)\b", re.I)
_BLOCKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl"),
        *("dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "ul"),
    )
)
_NOT_TEXT = frozenset(("script", "style", "template", "noscript", "table"))
_SPACES = re.compile(r"\s+")  # \s covers &nbsp; (U+00A0) and the ideographic space

Element = Any  # lxml elements carry no type information


def read_html(path: Path, limits: Limits) -> Document:
    """The tables of an HTML page. Raises `DocumentError` (with `file`) for a file over the
    limits, one that is not HTML (binary, a PDF, text without markup), or a page without a
    table."""
    data = limits.read(path)
    root = _parse(_decode(data, path.name), path.name)
    tables: list[Table] = []
    for element in root.iter("table"):
        table = _read_table(element, len(tables) + 1, path.name)
        if table is not None:
            tables.append(table)
    if not tables:
        raise DocumentError("the page holds no table", file=path.name)
    return Document(sha256=hashlib.sha256(data).hexdigest(), format="html", pages=1, tables=tables)


# --- refusals and decoding -------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    """The page as text: by its byte-order mark, else its <meta> charset, else UTF-8, else
    GB18030. Refuses what is no text or holds no markup."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DocumentError(f"not an HTML document: it is {kind}", file=name)
    text = _text(data)
    if text is None or "\x00" in text:
        raise DocumentError("not an HTML document: it is not text", file=name)
    if not _MARKUP.search(text):
        raise DocumentError("not an HTML document: it holds no HTML markup", file=name)
    return text


def _text(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _try(data[len(bom) :], codec)
    for candidate in dict.fromkeys((_declared(data), "utf-8", "gb18030")):
        if candidate is not None and (text := _try(data, candidate)) is not None:
            return text
    return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _declared(data: bytes) -> str | None:
    """The codec a <meta charset> or http-equiv Content-Type names, widened to the superset a
    browser uses (GB2312 and GBK pages are decoded as GB18030)."""
    match = _META_CHARSET.search(data[:_PRESCAN])
    if match is None:
        return None
    try:
        codec = codecs.lookup(match[1].decode("ascii")).name
    except LookupError:
        return None
    if codec in ("gb2312", "gbk"):
        return "gb18030"
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"  # bytes that a <meta> could be found in are not UTF-16
    return codec


def _parse(text: str, name: str) -> Element:
    # The text is handed over as UTF-8 with the encoding stated, so libxml2 does not guess again
    # from a <meta> that may be wrong; no network, no huge trees.
    parser = lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        raise DocumentError(f"not an HTML document: {exc}", file=name) from None


# --- the grid --------------------------------------------------------------------------------


def _read_table(element: Element, index: int, name: str) -> Table | None:
    """The table as a rectangle of cells, or None when it has no cell at all."""
    rows = list(_rows(element))
    grid = _Grid(len(rows), index, name)
    for r, tr in enumerate(rows):
        for td in tr:
            if td.tag in ("td", "th"):
                grid.place(r, td)
    if grid.width == 0:
        return None
    grid.charge(len(rows) * grid.width - len(grid.cells))  # the padding of short rows
    cells = [
        [Cell(grid.cells.get((r, c), "")) for c in range(grid.width)] for r in range(len(rows))
    ]
    return Table(page=1, index=index, rows=cells)


def _rows(table: Element) -> Iterator[Element]:
    """The table's own rows, in source order (not those of a nested table)."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if row.tag == "tr")


class _Grid:
    """The HTML table model: each cell takes the next free column of its row, and covers the
    rows below (`None`) and the columns to its right (its text again)."""

    def __init__(self, rows: int, index: int, name: str) -> None:
        self.rows = rows
        self.cells: dict[tuple[int, int], str | None] = {}
        self.width = 0
        self._next = [0] * rows  # the first column of each row not yet looked at
        self._work = 0  # cells written, overlaps included, so crafted spans cannot run forever
        self._index = index
        self._name = name

    def place(self, r: int, td: Element) -> None:
        c = self._next[r]
        while (r, c) in self.cells:
            c += 1
        if c >= MAX_COLUMNS:
            return
        text = _cell_text(td)
        rowspan = _span(td.get("rowspan"), self.rows - r, zero_means_rest=True)
        colspan = _span(td.get("colspan"), MAX_COLUMNS - c, zero_means_rest=False)
        self.charge(rowspan * colspan)
        for dr in range(rowspan):
            for dc in range(colspan):
                self.cells.setdefault((r + dr, c + dc), text if dr == 0 else None)
        self._next[r] = c + colspan
        self.width = max(self.width, c + colspan)

    def charge(self, cells: int) -> None:
        self._work += cells
        if self._work > MAX_CELLS:
            raise DocumentError(
                f"table {self._index} has more than {MAX_CELLS:,} cells: not a list table",
                file=self._name,
            )


def _span(value: str | None, room: int, *, zero_means_rest: bool) -> int:
    """A rowspan or colspan as a count between 1 and `room`; garbage counts as 1."""
    match = re.match(r"\s*(\d+)", value or "")
    count = int(match[1]) if match else 1
    if count == 0:
        count = room if zero_means_rest else 1
    return max(1, min(count, MAX_SPAN, room))


# --- text ------------------------------------------------------------------------------------


def _cell_text(cell: Element) -> str:
    lines = _Lines()
    walker = etree.iterwalk(cell, events=("start", "end"))
    for event, element in walker:
        if element is cell:
            if event == "start":
                lines.text(cell.text)
        elif _not_text(element):
            if event == "start":
                walker.skip_subtree()  # its end event still comes, with its tail
            else:
                lines.skipped(element)
        elif event == "start":
            lines.start(element)
        else:
            lines.end(element)
    return lines.value()


def _not_text(element: Element) -> bool:
    if not isinstance(element.tag, str) or element.tag in _NOT_TEXT:
        return True
    style = _SPACES.sub("", element.get("style", "")).lower()
    return element.get("hidden") is not None or "display:none" in style


class _Lines:
    """Cell text as a browser lays it out: a hard break per <br>, at most one soft break
    between blocks, every other run of whitespace one space."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._at_break = True  # nothing written yet counts as a break

    def start(self, element: Element) -> None:
        if element.tag == "br":
            self._parts.append("\n")
            self._at_break = True
        elif element.tag in _BLOCKS:
            self.soft_break()
        self.text(element.text)

    def end(self, element: Element) -> None:
        if element.tag in _BLOCKS:
            self.soft_break()
        self.text(element.tail)

    def skipped(self, element: Element) -> None:
        if element.tag == "table":
            self.soft_break()  # a nested table stands between the text before and after it
        self.text(element.tail)

    def soft_break(self) -> None:
        if not self._at_break:
            self._parts.append("\n")
            self._at_break = True

    def text(self, text: str | None) -> None:
        if text:
            spaced = _SPACES.sub(" ", text)
            self._parts.append(spaced)
            self._at_break = self._at_break and not spaced.strip()

    def value(self) -> str:
        return "\n".join(line.strip() for line in "".join(self._parts).split("\n")).strip()
