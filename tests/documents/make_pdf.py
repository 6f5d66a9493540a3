"""PDFs of the FICTIONAL list table (tests/documents/fictional.py) for the PDF reader's tests.

`build_pdf` prints the table the way Word or WPS does: ruled grid, merged cells drawn as one cell,
two landscape A4 pages, the header repeated on page 2, and the row over the page break split in
two (its description's second part in a continuation row whose other cells are empty). Every
document says plainly that it is a fictional test list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kuajing.filing.documents.fonts import Fonts, load_fonts
from tests.documents import fictional

PAGE = landscape(A4)
MARGIN = 12 * mm
# 序号, 行业领域, 场景, 出境路径, 数据类别, 数据子类; the description takes the rest.
WIDTHS = [12 * mm, 48 * mm, 28 * mm, 36 * mm, 18 * mm, 30 * mm]
WIDTHS.append(PAGE[0] - 2 * MARGIN - sum(WIDTHS))
FICTIONAL_EN = "FICTIONAL TEST LIST - not a legal text."
FICTIONAL = FICTIONAL_EN + " 虚构测试清单，非法律依据。"

Span = tuple[int, int, int]  # (column, first row, last row) in the printed table, header = 0


class _Pen:
    """Paragraphs whose characters each use a font that has their glyph, so that digits and
    Latin letters reach the text layer as themselves (Droid Sans Fallback has none)."""

    def __init__(self) -> None:
        self.fonts: Fonts = load_fonts()
        self.styles: dict[float, ParagraphStyle] = {}

    def p(self, text: str, size: float = 9) -> Paragraph:
        style = self.styles.get(size)
        if style is None:
            style = self.styles[size] = ParagraphStyle(
                f"s{size}", fontName=self.fonts.cjk, fontSize=size, leading=size * 1.35
            )
        return Paragraph(self.fonts.markup(text), style)


def split_description() -> tuple[str, str]:
    """The split row's description as printed on page 1 and on page 2."""
    text = fictional.BODY[fictional.SPLIT_ROW - 1][5]
    cut = text.index(fictional.SPLIT_AT) + len(fictional.SPLIT_AT)
    return text[:cut], text[cut:]


def page_tables() -> list[tuple[list[list[str]], list[Span]]]:
    """The two printed tables as text (covered cells "") with their merged regions."""
    grid = fictional.grid()
    header, split = grid[0], fictional.SPLIT_ROW
    first, rest = split_description()
    rows1 = [header, *(list(r) for r in grid[1 : split + 1])]
    rows1[split][6] = first
    continuation = ["", "", "", "", "", "", rest]
    rows2 = [header, continuation, *(list(r) for r in grid[split + 1 :])]
    spans1: list[Span] = []
    spans2: list[Span] = []
    for column, a, b in fictional.vertical_spans():
        if a <= split:  # body row n is row n on page 1
            spans1.append((column, a, min(b, split)))
        if b > split:  # body row n is row n - split + 1 on page 2, after the continuation row
            spans2.append((column, max(a - split + 1, 1), b - split + 1))
    for rows, spans in ((rows1, spans1), (rows2, spans2)):
        for column, a, b in spans:
            for r in range(a + 1, b + 1):
                rows[r][column] = ""
    return [
        (r, [s for s in spans if s[2] > s[1]]) for r, spans in ((rows1, spans1), (rows2, spans2))
    ]


def _table(pen: _Pen, rows: list[list[str]], spans: list[Span]) -> Table:
    cells = [[pen.p(text) for text in row] for row in rows]
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        *(("SPAN", (c, a), (c, b)) for c, a, b in spans),
    ]
    return Table(cells, colWidths=WIDTHS, style=TableStyle(style))


def _doc(path: Path) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=FICTIONAL,
        invariant=True,
    )


def build_pdf(path: Path) -> None:
    """The fictional list as a two-page PDF; raise if it does not come out on two pages."""
    pen = _Pen()
    (rows1, spans1), (rows2, spans2) = page_tables()
    story: list[Flowable] = [
        pen.p(fictional.TITLE, 13),
        pen.p(fictional.NOTICE + " " + FICTIONAL),
        Spacer(1, 3 * mm),
        _table(pen, rows1, spans1),
        PageBreak(),
        _table(pen, rows2, spans2),
    ]
    doc = _doc(path)
    doc.build(story)
    if doc.page != 2:
        raise AssertionError(f"the fictional table came out on {doc.page} pages, not 2")


def build_block_pdf(path: Path) -> None:
    """A small table with merges across columns: a header cell over two columns and a block of
    two by two cells, and Latin text that wraps inside its cell."""
    pen = _Pen()
    rows = [
        ["数据", "", "Note"],
        ["类别", "子类", f"{FICTIONAL_EN} Made up for tests, 2 lines or more."],
        ["合并区域2×2", "", "第3行"],
        ["", "", "第4行"],
    ]
    cells = [[pen.p(text) for text in row] for row in rows]
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("SPAN", (0, 0), (1, 0)),
        ("SPAN", (0, 2), (1, 3)),
    ]
    table = Table(cells, colWidths=[30 * mm, 30 * mm, 40 * mm], style=TableStyle(style))
    _doc(path).build([pen.p(FICTIONAL), table])


def build_text_only_pdf(path: Path) -> None:
    """Text and no table: the title, the notice and the descriptions as paragraphs."""
    pen = _Pen()
    story: list[Flowable] = [pen.p(fictional.TITLE, 13), pen.p(fictional.NOTICE + " " + FICTIONAL)]
    story += [pen.p(row[5]) for row in fictional.BODY]
    _doc(path).build(story)


def build_encrypted_pdf(path: Path, user_password: str = "secret") -> None:
    """A one-page PDF with a small table, encrypted; an empty `user_password` makes one that
    viewers open without asking (only the owner password restricts it)."""
    from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: PLC0415

    canvas = Canvas(
        str(path), pagesize=PAGE, encrypt=StandardEncryption(user_password, "owner-secret")
    )
    _small_table(canvas)
    canvas.save()


def build_image_pdf(path: Path, text_page_first: bool = False) -> None:
    """A page that is only a picture (no text layer), after a page with a small ruled table when
    `text_page_first`."""
    canvas = Canvas(str(path), pagesize=PAGE, invariant=True)
    if text_page_first:
        _small_table(canvas)
        canvas.showPage()
    picture = Image.new("RGB", (60, 40), "white")
    picture.paste((0, 0, 0), (10, 10, 50, 12))  # a ruled line, as a scan would show
    canvas.drawImage(ImageReader(picture), MARGIN, MARGIN, PAGE[0] - 2 * MARGIN, 150 * mm)
    canvas.save()


def _small_table(canvas: Canvas) -> None:
    """Two rows, two columns, ruled, with the fictional-list warning above them: on the page as
    [["No.", "Field"], ["1", "Test 100"]]."""
    canvas.setFont("Helvetica", 10)
    canvas.drawString(MARGIN, PAGE[1] - MARGIN, FICTIONAL_EN)
    xs, ys = [100, 250, 400], [400, 370, 340]
    for x in xs:
        canvas.line(x, ys[0], x, ys[-1])
    for y in ys:
        canvas.line(xs[0], y, xs[-1], y)
    for r, row in enumerate((("No.", "Field"), ("1", "Test 100"))):
        for c, text in enumerate(row):
            canvas.drawString(xs[c] + 5, ys[r] - 20, text)
