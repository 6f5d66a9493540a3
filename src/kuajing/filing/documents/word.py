"""to_docx(): the document as a Word file. Deterministic: fixed core properties from the
document's creation time, and the ZIP rewritten with fixed member times."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import _Cell

from kuajing import __version__
from kuajing.filing.documents.context import utc
from kuajing.filing.documents.model import Cell, Document, Notice, Section, citation_line
from kuajing.filing.documents.model import Table as DocTable

EAST_ASIA = "SimSun"  # the run's East Asian font: Word substitutes an installed one if missing
LATIN = "Calibri"
FILL = {"blank": "FFF2B3", "not_given": "EEEEEE"}
NOTICE = {
    "review": ("FDE0DD", "C0392B"),
    "warning": ("FFF2B3", "B9770E"),
    "info": ("EEF2F7", "555555"),
}
HEAD = RGBColor(0x1F, 0x3A, 0x5F)


def to_docx(doc: Document) -> bytes:
    d = new_docx()
    _properties(d, doc)
    _fonts(d.styles["Normal"], 10)
    _para(d, doc.title, size=18, bold=True, color=HEAD)
    _para(d, doc.subtitle, size=8, color=RGBColor(0x55, 0x55, 0x55))
    _para(d, doc.intro)
    for notice in doc.notices:
        _notice(d, notice)
    for section in doc.sections:
        _section(d, section)
    _para(d, doc.citations_heading, size=13, bold=True, color=HEAD)
    for i, c in enumerate(doc.citations, 1):
        _para(d, f"{i}. {citation_line(c)}", size=8)
    footer = d.sections[0].footer.paragraphs[0]
    _run(footer, doc.footer, size=7)
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue(), utc(doc.created_at))


def _properties(d: Any, doc: Document) -> None:
    when = utc(doc.created_at).replace(tzinfo=None)
    core = d.core_properties
    core.title = doc.title
    core.subject = str(doc.kind)
    core.author = core.last_modified_by = f"kuajing {__version__}"
    core.created = core.modified = when
    core.revision = 1
    core.language = "zh-CN" if doc.lang == "zh" else "en"


def _fonts(target: Any, size: float | None = None) -> None:
    """Latin and East Asian fonts of a style or a run (python-docx sets only the Latin one)."""
    target.font.name = LATIN
    if size is not None:
        target.font.size = Pt(size)
    target.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIA)


def _run(
    par: Any, text: str, size: float | None = None, bold: bool = False, color: Any = None
) -> Any:
    run = par.add_run(text)
    _fonts(run, size)
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(d: Any, text: str, **style: Any) -> Any:
    par = d.add_paragraph()
    _run(par, text, **style)
    return par


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _write(cell: _Cell, text: str, size: float = 9, bold: bool = False, color: Any = None) -> None:
    cell.paragraphs[0].text = ""
    _run(cell.paragraphs[0], text, size=size, bold=bold, color=color)


def _notice(d: Any, n: Notice) -> None:
    fill, edge = NOTICE[n.level]
    box = d.add_table(rows=1, cols=1, style="Table Grid")
    cell = box.cell(0, 0)
    _shade(cell, fill)
    _write(
        cell,
        n.title,
        size=11 if n.level == "review" else 9.5,
        bold=True,
        color=RGBColor.from_string(edge),
    )
    for line in n.lines:
        _run(cell.add_paragraph(), line, size=9)
    d.add_paragraph()


def _value(cell: _Cell, value: Cell) -> None:
    grey = RGBColor(0x66, 0x66, 0x66) if value.state == "not_given" else None
    _write(cell, value.text, color=grey)
    if value.state in FILL:
        _shade(cell, FILL[value.state])


def _section(d: Any, s: Section) -> None:
    _para(d, s.heading, size=13, bold=True, color=HEAD)
    for text in s.paragraphs:
        _para(d, text)
    if s.rows:
        grid = d.add_table(rows=len(s.rows), cols=2, style="Table Grid")
        for row, item in zip(grid.rows, s.rows, strict=True):
            _write(row.cells[0], item.label)
            _value(row.cells[1], item.value)
        d.add_paragraph()
    for table in s.tables:
        _table(d, table)
    for check in s.checks:
        basis = f"（{check.basis}）" if check.basis else ""
        _para(d, f"☐ {check.text}{basis}")


def _table(d: Any, t: DocTable) -> None:
    grid = d.add_table(rows=1 + len(t.rows), cols=len(t.columns), style="Table Grid")
    for cell, name in zip(grid.rows[0].cells, t.columns, strict=True):
        _write(cell, name, size=8.5, bold=True, color=HEAD)
        _shade(cell, "E8EEF5")
    for row, values in zip(grid.rows[1:], t.rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _value(cell, value)
    d.add_paragraph()


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same members in the same order, each stamped with `when` (ZIP has no time zone and
    starts in 1980), so that equal documents give equal bytes."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
