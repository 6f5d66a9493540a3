"""Word (.docx) list documents read into tables.

The grid is read from the WordprocessingML itself rather than through python-docx's `Table.cell`,
which hides how a cell was merged: a `w:gridSpan` cell repeats its text over the columns it spans,
a `w:vMerge` continuation cell is `None` (see `model`). Every `w:tbl` of the body is a table, in
document order; a table nested in a cell is read as a table of its own and its text is left out of
the outer cell. Headers, footers, text boxes and tracked deletions are not read.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from lxml import etree  # type: ignore[import-untyped]

from kuajing.catalog.importers.model import Cell, Document, DocumentError, Limits, Table
from kuajing.zipcheck import check_zip

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .doc, and every encrypted OOXML file
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_MAIN_PART = "word/document.xml"
MAX_SPAN = 1000  # columns one cell may span; Word itself allows 63
MAX_CELLS = 2_000_000  # per table: no list comes near, a crafted file could

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TBL, _TR, _TC, _P, _R = (f"{_W}{t}" for t in ("tbl", "tr", "tc", "p", "r"))
# Elements that wrap rows, cells or paragraphs without taking a place in the grid.
_BLOCK_WRAPPERS = frozenset(f"{_W}{t}" for t in ("sdt", "sdtContent", "customXml"))
# Elements that wrap runs inside a paragraph; w:del and w:moveFrom (deleted text) are not here.
_RUN_WRAPPERS = _BLOCK_WRAPPERS | frozenset(
    f"{_W}{t}" for t in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "bdo", "dir")
)
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}

Element = Any  # lxml elements carry no type information


def read_docx(path: Path, limits: Limits) -> Document:
    """The tables of a .docx file. Raises `DocumentError` (with `file`) for a file over the
    limits, one that is not a DOCX package, an encrypted or legacy .doc, a damaged package, a
    ZIP bomb, or a document without a table."""
    data = limits.read(path)
    body = _open_body(data, path.name, limits)
    tables: list[Table] = []
    for tbl in body.iter(_TBL):
        if _in_fallback(tbl):
            continue  # the same content again, for readers without DrawingML
        table = _read_table(tbl, len(tables) + 1, path.name)
        if table is not None:
            tables.append(table)
    if not tables:
        raise DocumentError("the document holds no table", file=path.name)
    return Document(sha256=hashlib.sha256(data).hexdigest(), format="docx", pages=1, tables=tables)


# --- refusals ------------------------------------------------------------------------------


def _open_body(data: bytes, name: str, limits: Limits) -> Element:
    """The `w:body` of the main document part, once the package passed every check."""
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            "encrypted (password-protected) or a legacy .doc: save it as .docx without a password",
            file=name,
        )
    if not data.startswith(_ZIP_MAGIC):
        raise DocumentError("not a DOCX document: it is not a ZIP package", file=name)
    _check_package(data, name, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError:  # python-docx: the main part is not a plain Word document
        raise DocumentError(
            "not a DOCX document: a Word template or macro-enabled file; save it as .docx",
            file=name,
        ) from None
    except (zipfile.BadZipFile, KeyError, EOFError, zlib.error, etree.XMLSyntaxError) as exc:
        reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc  # KeyError quotes
        raise DocumentError(f"the DOCX package is damaged: {reason}", file=name) from None
    body = document.element.body
    if body is None:
        raise DocumentError(f"the DOCX package is damaged: {_MAIN_PART} has no body", file=name)
    return body


def _check_package(data: bytes, name: str, limits: Limits) -> None:
    """Refuses a ZIP that cannot be opened, one over the package limits (a ZIP bomb: python-docx
    reads every member into memory), and one without a Word document."""
    try:
        check_zip(data, limits.package(sheets=False), lambda m: DocumentError(m, file=name), "DOCX")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.namelist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise DocumentError(f"the DOCX package is damaged: {exc}", file=name) from None
    if _MAIN_PART not in members:
        raise DocumentError(f"not a DOCX document: the package has no {_MAIN_PART}", file=name)


def _in_fallback(element: Element) -> bool:
    return next(element.iterancestors(_MC_FALLBACK), None) is not None


# --- the grid --------------------------------------------------------------------------------


def _read_table(tbl: Element, index: int, name: str) -> Table | None:
    """The table as a rectangle of cells, or None when it has no cell at all."""
    rows = [_row_cells(tr, first=i == 0) for i, tr in enumerate(_children(tbl, _TR))]
    width = max((len(row) for row in rows), default=0)
    if width == 0:
        return None
    if width * len(rows) > MAX_CELLS:
        raise DocumentError(
            f"table {index} has more than {MAX_CELLS:,} cells: not a list table", file=name
        )
    cells = [[Cell(text) for text in row] + [Cell("")] * (width - len(row)) for row in rows]
    return Table(page=1, index=index, rows=cells)


def _row_cells(tr: Element, *, first: bool) -> list[str | None]:
    """One text per grid column: a column span repeats the text, a vertical-merge continuation
    is None. Grid columns the row skips (`w:gridBefore`) are empty."""
    cells: list[str | None] = [""] * _int_val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
    for tc in _children(tr, _TC):
        merge = _merge(tc)
        if merge == "continue" and not first:
            text: str | None = None
        elif merge == "hcontinue" and cells:
            text = cells[-1]  # legacy horizontal merge: part of the cell to its left
        else:
            text = _cell_text(tc)
        span = min(max(_int_val(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1), 1), MAX_SPAN)
        cells.extend([text] * span)
    return cells


def _merge(tc: Element) -> str:
    """ "continue" for a cell that continues a vertical merge, "hcontinue" for one that continues
    a legacy horizontal merge (`w:hMerge`), else ""."""
    vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
    if vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue":
        return "continue"  # no w:val means continue
    hmerge = tc.find(f"{_W}tcPr/{_W}hMerge")
    if hmerge is not None and hmerge.get(f"{_W}val", "continue") == "continue":
        return "hcontinue"
    return ""


def _int_val(element: Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{_W}val", default))
    except ValueError:
        return default


def _children(parent: Element, tag: str) -> Iterator[Element]:
    """The `tag` children of `parent`, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


# --- text ------------------------------------------------------------------------------------


def _cell_text(tc: Element) -> str:
    """The cell's paragraphs, one a line, empty ones left out (Word keeps one after a nested
    table, and authors space cells with them); a nested table is not part of it."""
    lines = (_paragraph_text(p).strip() for p in _children(tc, _P))
    return "\n".join(line for line in lines if line)


def _paragraph_text(p: Element) -> str:
    return "".join(_run_text(r) for r in _runs(p))


def _runs(parent: Element) -> Iterator[Element]:
    for child in parent:
        if child.tag == _R:
            yield child
        elif child.tag in _RUN_WRAPPERS:
            yield from _runs(child)


def _run_text(r: Element) -> str:
    parts: list[str] = []
    for child in r:
        if child.tag == f"{_W}t":
            parts.append(child.text or "")
        else:
            parts.append(_RUN_TEXT.get(child.tag, ""))
    return "".join(parts)
