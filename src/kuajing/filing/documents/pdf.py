"""to_pdf(): the document as a PDF whose Chinese text is embedded and searchable. Output is
deterministic: reportlab's invariant mode, and the document's own creation time."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kuajing import __version__
from kuajing.filing.documents.context import utc
from kuajing.filing.documents.fonts import Fonts, load_fonts
from kuajing.filing.documents.model import Cell, Document, Notice, Section, citation_line
from kuajing.filing.documents.model import Table as DocTable

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
FILL = {"blank": colors.HexColor("#fff2b3"), "not_given": colors.HexColor("#eeeeee")}
NOTICE = {
    "review": (colors.HexColor("#fde0dd"), colors.HexColor("#c0392b")),
    "warning": (colors.HexColor("#fff2b3"), colors.HexColor("#b9770e")),
    "info": (colors.HexColor("#eef2f7"), colors.HexColor("#7f8c8d")),
}


class _Pen:
    """Paragraph factory: splits text into runs of the font that has each character's glyph."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.styles: dict[tuple[float, str], ParagraphStyle] = {}

    def p(self, text: str, size: float = 9.5, color: str = "#000000") -> Paragraph:
        key = (size, color)
        style = self.styles.get(key)
        if style is None:
            style = self.styles[key] = ParagraphStyle(
                f"s{len(self.styles)}",
                fontName=self.fonts.cjk,
                fontSize=size,
                leading=size * 1.45,
                textColor=colors.HexColor(color),
                spaceAfter=size * 0.3,
            )
        return Paragraph(self.fonts.markup(text), style)


def to_pdf(doc: Document) -> bytes:
    """Render; raise `FontMissing` (naming the Debian package) when no CJK font is found."""
    # reportlab's default wrapping breaks between CJK characters and at spaces and hyphens; its
    # "CJK" mode would also break inside Latin words such as rule ids.
    pen = _Pen(load_fonts())
    story: list[Flowable] = [
        pen.p(doc.title, 16),
        pen.p(doc.subtitle, 7.5, "#555555"),
        pen.p(doc.intro, 9.5),
    ]
    for notice in doc.notices:
        story += _notice(pen, notice)
    for section in doc.sections:
        story += _section(pen, section)
    if doc.citations:  # a decision report lists its sources as a section of its own
        story.append(Spacer(1, 4 * mm))
        story.append(pen.p(doc.citations_heading, 12, "#1f3a5f"))
        story += [pen.p(f"{i}. {citation_line(c)}", 8) for i, c in enumerate(doc.citations, 1)]
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=doc.title,
        author="kuajing",
        subject=str(doc.kind),
        creator=f"kuajing {__version__}",
        invariant=1,  # no random document id, no time stamp of its own
    )
    page = _page(pen, doc)
    template.build(story, onFirstPage=page, onLaterPages=page)
    return buf.getvalue()


def _page(pen: _Pen, doc: Document) -> Callable[[Any, Any], None]:
    stamp = utc(doc.created_at).strftime("D:%Y%m%d%H%M%S+00'00'")

    def draw(canvas: Any, template: Any) -> None:
        canvas.setDateFormatter(lambda *_: stamp)  # the document's time, not the machine's
        footer = pen.p(f"{doc.footer} · {template.page}", 7, "#777777")
        _, height = footer.wrap(WIDTH, MARGIN)
        footer.drawOn(canvas, MARGIN, MARGIN - height - 2 * mm)

    return draw


def _notice(pen: _Pen, n: Notice) -> list[Flowable]:
    fill, edge = NOTICE[n.level]
    cells = [[pen.p(n.title, 10.5 if n.level == "review" else 9)]]
    cells += [[pen.p(line, 8.5)] for line in n.lines]
    box = Table(cells, colWidths=[WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("BOX", (0, 0), (-1, -1), 1.2 if n.level == "review" else 0.6, edge),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    if n.level == "review":  # never pushed off the first page: a long one splits instead
        return [box, Spacer(1, 2 * mm)]
    return [KeepTogether([box, Spacer(1, 2 * mm)])]


def _section(pen: _Pen, s: Section) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 3 * mm), pen.p(s.heading, 12, "#1f3a5f")]
    out += [pen.p(text) for text in s.paragraphs]
    if s.rows:
        cells = [[pen.p(r.label, 9), _cell(pen, r.value)] for r in s.rows]
        states = [["given", r.value.state] for r in s.rows]
        out.append(_grid(cells, [WIDTH * 0.36, WIDTH * 0.64], states, header=False))
    out += [_table(pen, t) for t in s.tables]
    box = "☐" if pen.fonts.pick("☐") != pen.fonts.cjk else "[ ]"
    for check in s.checks:
        basis = f"（{check.basis}）" if check.basis else ""
        out.append(pen.p(f"{box} {check.text}{basis}", 9))
    return out


def _widths(columns: list[list[str]]) -> list[float]:
    """Each column at least as wide as its longest Latin word (rule ids should not break), the
    rest shared by how much text the column holds."""
    floor = WIDTH / len(columns)
    least = [min(max(_longest_word(t) for t in col) * 4.8 + 8, floor) for col in columns]
    weights = [min(max(*(_span(t) for t in col), 10), 90) for col in columns]
    rest = WIDTH - sum(least)
    return [m + rest * w / sum(weights) for m, w in zip(least, weights, strict=True)]


def _longest_word(text: str) -> int:
    words = re.split(r"[\s\u2e80-\uffff]+", text)
    return max((len(w) for w in words), default=0)


def _span(text: str) -> int:
    """Width in half-width characters: a CJK character takes two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _cell(pen: _Pen, cell: Cell) -> Paragraph:
    return pen.p(cell.text, 8.5, "#666666" if cell.state == "not_given" else "#000000")


def _table(pen: _Pen, t: DocTable) -> Flowable:
    widths = _widths([[col, *(r[i].text for r in t.rows)] for i, col in enumerate(t.columns)])
    cells = [[pen.p(col, 8, "#1f3a5f") for col in t.columns]]
    cells += [[_cell(pen, c) for c in row] for row in t.rows]
    return _grid(cells, widths, [[c.state for c in r] for r in t.rows], header=True)


def _grid(
    cells: Sequence[list[Paragraph]],
    widths: list[float],
    states: Sequence[Sequence[str]],
    header: bool,
) -> Flowable:
    """A bordered table; blanks to fill are shaded yellow, values not given grey."""
    grid = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")))
    for y, row in enumerate(states, 1 if header else 0):
        style += [("BACKGROUND", (x, y), (x, y), FILL[s]) for x, s in enumerate(row) if s in FILL]
    grid.setStyle(TableStyle(style))
    return KeepTogether([grid, Spacer(1, 2 * mm)]) if len(cells) < 12 else grid
