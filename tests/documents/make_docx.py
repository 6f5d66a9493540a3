"""Word documents of the FICTIONAL test list (`fictional`), as a zone would publish it: a title,
a notice, and the table with real merged cells, a header row repeated on each page and borders.

`build_docx_two_tables` splits the table over a page break the way a document converted from a
paginated file shows it: two tables, the header repeated, and the row at the break cut in two."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table

from tests.documents import fictional

Span = tuple[int, int, int]  # (column, first table row, last table row), header = row 0
DESCRIPTION = len(fictional.HEADER) - 1
WIDTHS = (500, 1400, 1100, 1200, 800, 1200, 2440)  # twips, filling a Letter page's text width
_AFTER_BORDERS = {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook")}


def build_docx(path: Path) -> None:
    document = _new_document()
    _add_table(document, fictional.grid(), fictional.vertical_spans())
    document.save(str(path))


def build_docx_two_tables(path: Path) -> None:
    """The table split after the first part of body row `fictional.SPLIT_ROW`: table 1 ends with
    that row, its description cut after `fictional.SPLIT_AT`; table 2 repeats the header, then a
    row holding only the rest of the description, then the following rows. A merged cell that
    runs over the break starts again in table 2 with its text."""
    split = fictional.SPLIT_ROW
    grid = fictional.grid()
    first, rest = split_description()
    head = [row[:] for row in grid[: split + 1]]
    head[split][DESCRIPTION] = first
    tail = [grid[0], [""] * DESCRIPTION + [rest], *grid[split + 1 :]]
    spans = fictional.vertical_spans()
    document = _new_document()
    head_spans = [(c, a, min(b, split)) for c, a, b in spans]
    _add_table(document, head, [(c, a, b) for c, a, b in head_spans if b > a])
    document.add_page_break()  # type: ignore[no-untyped-call]
    # table 2 holds body row n (n > split) at row n - split + 1
    tail_spans = [(c, max(a, split + 1) - split + 1, b - split + 1) for c, a, b in spans]
    _add_table(document, tail, [(c, a, b) for c, a, b in tail_spans if b > a])
    document.save(str(path))


def split_description() -> tuple[str, str]:
    """Row `SPLIT_ROW`'s description before the break (up to and including `SPLIT_AT`), and
    after it."""
    text = fictional.BODY[fictional.SPLIT_ROW - 1][-1]
    cut = text.index(fictional.SPLIT_AT) + len(fictional.SPLIT_AT)
    return text[:cut], text[cut:]


def _new_document() -> Document:
    document = docx.Document()
    normal = document.styles["Normal"].element
    normal.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    document.add_paragraph(fictional.TITLE, style="Title")
    document.add_paragraph(fictional.NOTICE)
    return document


def _add_table(document: Document, rows: list[list[str]], spans: list[Span]) -> None:
    """The rows as a table; each span is merged first, then only its top cell is written."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    _add_borders(table)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))  # repeat the header row on each page
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = Twips(width)
        for cell in column.cells:  # before merging, while every cell is its own
            cell.width = Twips(width)
    covered: set[tuple[int, int]] = set()
    for column, top, bottom in spans:
        table.cell(top, column).merge(table.cell(bottom, column))
        covered.update((r, column) for r in range(top + 1, bottom + 1))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) not in covered:
                table.cell(r, c).text = text


def _add_borders(table: Table) -> None:
    """Borders of the table's own, so they show whatever the style."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    tbl_pr = table._tbl.tblPr
    later = [child for child in tbl_pr if child.tag in _AFTER_BORDERS]
    if later:
        later[0].addprevious(borders)  # the schema orders tblPr's children
    else:
        tbl_pr.append(borders)
