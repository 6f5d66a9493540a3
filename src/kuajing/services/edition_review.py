"""Review of a list edition loaded from an official document (PDF, scan, page image, DOCX, HTML).

The document is kept with the draft, and each row of its list table is kept as read and as
corrected. A zone administrator sees each row beside the region of the page it came from,
corrects cells, and confirms rows; every correction is recorded with who made it and when.
After each change the edition's list is made again from the rows, so that its diff and impact
show what the corrected table says. An edition is published once every row is confirmed, or
with the rows left unconfirmed kept as entries that answer needs_review."""

from __future__ import annotations

import io
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import yaml
from PIL import Image
from sqlalchemy import Connection, insert, select, update

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog.base import Cite
from kuajing.catalog.importers.grid import Loaded
from kuajing.catalog.importers.lists import Imported, list_from
from kuajing.catalog.importers.model import Box, Document
from kuajing.catalog.importers.rows import SourceRow
from kuajing.catalog.layout import COLUMNS
from kuajing.db.engine import reading, writing
from kuajing.errors import InvalidTransition, KuajingError, NotFound
from kuajing.trail.record import edition_action
from kuajing.zone.editions import zone_list
from kuajing.zone.models import Edition
from kuajing.zone.schema import (
    edition_corrections,
    edition_documents,
    edition_rows,
    list_editions,
)
from kuajing.zone.store import now

NOT_CONFIRMED = "not confirmed against the document when the edition was published"
_IMAGE_DPI = 130  # page renders for the review: legible, and small enough to send per row


@dataclass(frozen=True)
class ReviewRow:
    idx: int
    page: int
    table: int
    row: int
    box: Box | None
    ocr: bool
    confidence: float | None
    original: dict[str, str]  # as read
    cells: dict[str, str]  # as corrected
    confirmed_by: str | None
    confirmed_at: str | None
    why: dict[str, str] | None  # why the row, as it stands, answers needs_review (zh, en)

    @property
    def corrected(self) -> list[str]:
        return [c for c in self.cells if self.cells[c] != self.original.get(c, "")]


@dataclass(frozen=True)
class Correction:
    idx: int
    column: str
    before: str
    after: str
    by: str
    at: str


@dataclass(frozen=True)
class DocumentReview:
    edition: Edition
    file_name: str
    sha256: str
    format: str
    pages: int
    columns: list[str]
    notes: list[str]
    rows: list[ReviewRow]
    corrections: list[Correction]

    @property
    def unconfirmed(self) -> int:
        return sum(1 for r in self.rows if r.confirmed_by is None)

    @property
    def doubtful(self) -> int:
        return sum(1 for r in self.rows if r.why)

    def per_page(self) -> dict[int, tuple[int, int]]:
        """Rows read and rows needing review, by page."""
        out: dict[int, tuple[int, int]] = {}
        for r in self.rows:
            read, review = out.get(r.page, (0, 0))
            out[r.page] = (read, review + 1) if r.why else (read + 1, review)
        return out


# --- storing a document with its draft ---------------------------------------------------


def store_document(conn: Connection, edition_id: str, path: Path, loaded: Loaded) -> None:
    """Keep the document and its rows with the draft edition `edition_id`."""
    document = loaded.document
    assert document is not None
    conn.execute(
        insert(edition_documents).values(
            edition_id=edition_id,
            file_name=path.name,
            sha256=document.sha256,
            format=document.format,
            pages=document.pages,
            content=path.read_bytes(),
            columns=json.dumps(loaded.columns, ensure_ascii=False),
            notes=json.dumps(loaded.notes, ensure_ascii=False),
        )
    )
    for idx, row in enumerate(loaded.rows):
        src = row.source
        assert src is not None
        box = src.box
        cells = json.dumps(src.values, ensure_ascii=False)
        conn.execute(
            insert(edition_rows).values(
                edition_id=edition_id, idx=idx, page=src.page, table_no=src.table,
                row_no=src.row, box=json.dumps([box.x0, box.y0, box.x1, box.y1]) if box else None,
                ocr=src.ocr, confidence=src.confidence, original=cells, cells=cells,
            )
        )  # fmt: skip


# --- reading the review ------------------------------------------------------------------


def review(accounts: Accounts, edition: Edition) -> DocumentReview | None:
    """The edition's document and rows (None: imported from a CSV or XLSX table)."""
    with reading(accounts.engine) as conn:
        return _review(conn, edition)


def _review(conn: Connection, edition: Edition) -> DocumentReview | None:
    doc = conn.execute(
        select(edition_documents).where(edition_documents.c.edition_id == edition.id)
    ).first()
    if doc is None:
        return None
    rows = conn.execute(
        select(edition_rows)
        .where(edition_rows.c.edition_id == edition.id)
        .order_by(edition_rows.c.idx)
    ).all()
    fixes = conn.execute(
        select(edition_corrections)
        .where(edition_corrections.c.edition_id == edition.id)
        .order_by(edition_corrections.c.id)
    ).all()
    edition = _fresh(conn, edition)  # the list as last made from the rows
    why = _doubts(edition)
    return DocumentReview(
        edition=edition,
        file_name=doc.file_name,
        sha256=doc.sha256,
        format=doc.format,
        pages=doc.pages,
        columns=json.loads(doc.columns),
        notes=json.loads(doc.notes),
        rows=[_row(r, why.get((r.page, r.table_no, r.row_no))) for r in rows],
        corrections=[
            Correction(f.idx, f.column_name, f.before, f.after, f.by, f.at) for f in fixes
        ],
    )


def _row(r: Any, why: dict[str, str] | None) -> ReviewRow:
    box = json.loads(r.box) if r.box else None
    return ReviewRow(
        idx=r.idx,
        page=r.page,
        table=r.table_no,
        row=r.row_no,
        box=Box(*box) if box else None,
        ocr=bool(r.ocr),
        confidence=r.confidence,
        original=json.loads(r.original),
        cells=json.loads(r.cells),
        confirmed_by=r.confirmed_by,
        confirmed_at=r.confirmed_at,
        why=why,
    )


def _doubts(edition: Edition) -> dict[tuple[int, int, int], dict[str, str]]:
    """Why each entry of the edition's list answers needs_review, by the row it was read from."""
    data = yaml.safe_load(edition.data)
    entries = [
        *data.get("entries", []),
        *(e for s in data.get("sectors", []) for e in s.get("entries", [])),
    ]
    out = {}
    for entry in entries:
        where = entry["cite"][0].get("document")
        if where and entry.get("review"):
            out[(where["page"], where["table"], where["row"])] = entry["review"]
    return out


# --- corrections and confirmations -------------------------------------------------------


def correct(
    accounts: Accounts, who: Principal, edition: Edition, idx: int, cells: dict[str, str]
) -> list[str]:
    """Change the row's cells (only the official columns); record each change; the list is
    made again from the rows. Returns the columns changed."""
    _draft(edition)
    unknown = [c for c in cells if c not in COLUMNS]
    if unknown:
        raise KuajingError(f"unknown column {unknown[0]!r} / 未知列")
    with writing(accounts.engine) as conn:
        found = _one(conn, edition, idx)
        before: dict[str, str] = json.loads(found.cells)
        after = {**before, **{c: v.strip() for c, v in cells.items()}}
        changed = [c for c in after if after[c] != before.get(c, "")]
        if not changed:
            return []
        at = now()
        for column in changed:
            conn.execute(
                insert(edition_corrections).values(
                    edition_id=edition.id, idx=idx, column_name=column,
                    before=before.get(column, ""), after=after[column], by=_name(who), at=at,
                )
            )  # fmt: skip
        conn.execute(
            _row_update(edition, idx).values(
                cells=json.dumps(after, ensure_ascii=False), confirmed_by=None, confirmed_at=None
            )
        )
        _remake(conn, edition)
        where = {"page": found.page, "row": found.row_no, "columns": changed}
        edition_action(conn, accounts.keyring, who, edition, "row_corrected", **where)
    return changed


def confirm(accounts: Accounts, who: Principal, edition: Edition, idxs: list[int]) -> int:
    """Confirm rows against the document: their entries name the reviewer from now on."""
    _draft(edition)
    with writing(accounts.engine) as conn:
        for idx in idxs:
            _one(conn, edition, idx)
            conn.execute(
                _row_update(edition, idx).values(confirmed_by=_name(who), confirmed_at=now())
            )
        _remake(conn, edition)
        if idxs:
            edition_action(conn, accounts.keyring, who, edition, "rows_confirmed", rows=len(idxs))
    return len(idxs)


def confirm_read(accounts: Accounts, who: Principal, edition: Edition) -> int:
    """Confirm every row that was read without doubt and is not yet confirmed."""
    found = review(accounts, edition)
    if found is None:
        return 0
    idxs = [r.idx for r in found.rows if r.confirmed_by is None and r.why is None]
    return confirm(accounts, who, edition, idxs) if idxs else 0


def before_publish(conn: Connection, edition: Edition, leave_unconfirmed: bool) -> None:
    """Refuse to publish while rows are unconfirmed, unless told to keep them for review, in
    which case the list is made again with those rows as entries that answer needs_review."""
    found = _review(conn, edition)
    if found is None or not found.unconfirmed:
        return
    if not leave_unconfirmed:
        raise InvalidTransition(
            f"{found.unconfirmed} rows of the document are not confirmed: confirm them, or"
            f" publish with them left as needs review"
            f" / 官方文件中有{found.unconfirmed}行尚未确认：请确认，"
            "或选择将其保留为需人工审查后发布"
        )
    _remake(conn, edition, hold_unconfirmed=True)


def _remake(conn: Connection, edition: Edition, *, hold_unconfirmed: bool = False) -> Imported:
    """The edition's list made again from its rows as they now stand."""
    doc = conn.execute(
        select(edition_documents).where(edition_documents.c.edition_id == edition.id)
    ).one()
    rows = conn.execute(
        select(edition_rows)
        .where(edition_rows.c.edition_id == edition.id)
        .order_by(edition_rows.c.idx)
    ).all()
    sources = [_source(r, hold_unconfirmed) for r in rows]
    document = Document(sha256=doc.sha256, format=doc.format, pages=doc.pages)
    loaded = Loaded.of_document(document, json.loads(doc.columns), sources, json.loads(doc.notes))
    stored = _fresh(conn, edition)
    current, header = zone_list(stored), yaml.safe_load(stored.data)
    made = list_from(
        loaded, doc.file_name, current.id, current.zones[0], title=current.title,
        edition=current.edition, published=current.published,
        in_force_from=current.in_force.start, cite=Cite.model_validate(header["cite"][0]),
        kind=current.kind, supersedes=current.supersedes,
    )  # fmt: skip
    data = yaml.safe_dump(made.data, allow_unicode=True, sort_keys=False, width=100)
    conn.execute(update(list_editions).where(list_editions.c.id == edition.id).values(data=data))
    return made


def _source(r: Any, hold_unconfirmed: bool) -> SourceRow:
    box = json.loads(r.box) if r.box else None
    return SourceRow(
        page=r.page, table=r.table_no, row=r.row_no, values=json.loads(r.cells),
        boxes=[Box(*box)] if box else [], confidence=r.confidence, ocr=bool(r.ocr),
        reviewed_by=r.confirmed_by, reviewed_at=r.confirmed_at,
        hold=NOT_CONFIRMED if hold_unconfirmed and r.confirmed_by is None else None,
    )  # fmt: skip


def _fresh(conn: Connection, edition: Edition) -> Edition:
    row = conn.execute(select(list_editions).where(list_editions.c.id == edition.id)).one()
    return edition.model_copy(update={"data": row.data})


def _one(conn: Connection, edition: Edition, idx: int) -> Any:
    found = conn.execute(
        select(edition_rows).where(
            edition_rows.c.edition_id == edition.id, edition_rows.c.idx == idx
        )
    ).first()
    if found is None:
        raise NotFound(f"row {idx} of the edition's document / 无此行")
    return found


def _row_update(edition: Edition, idx: int) -> Any:
    return update(edition_rows).where(
        edition_rows.c.edition_id == edition.id, edition_rows.c.idx == idx
    )


def _draft(edition: Edition) -> None:
    if edition.state != "draft":
        raise InvalidTransition("the edition is no longer a draft / 该版本已不是草稿")


def _name(who: Principal) -> str:
    return f"{who.user.name} ({who.user.email})" if who.user.name else who.user.email


# --- page images -------------------------------------------------------------------------


def row_image(accounts: Accounts, edition: Edition, idx: int) -> bytes | None:
    """The region of the page the row was read from, as PNG (None: the format has no pages)."""
    with reading(accounts.engine) as conn:
        doc = conn.execute(
            select(edition_documents).where(edition_documents.c.edition_id == edition.id)
        ).first()
        row = _one(conn, edition, idx)
    if doc is None or not row.box or doc.format not in ("pdf", "scan", "image"):
        return None
    page = _page(doc.sha256, doc.format, row.page, doc.content)
    x0, y0, x1, y1 = json.loads(row.box)
    w, h = page.size
    pad = 0.01
    crop = page.crop(
        (
            int(max(0, x0 - pad) * w),
            int(max(0, y0 - pad) * h),
            int(min(1, x1 + pad) * w),
            int(min(1, y1 + pad) * h),
        )
    )
    out = io.BytesIO()
    crop.save(out, "PNG", optimize=True)
    return out.getvalue()


_PAGES: OrderedDict[tuple[str, int], Image.Image] = OrderedDict()


def _page(sha256: str, fmt: str, page: int, content: bytes) -> Image.Image:
    """One page as an image, the last few kept by the document's digest (a review shows many
    rows of the same page)."""
    key = (sha256, page)
    if key in _PAGES:
        _PAGES.move_to_end(key)
        return _PAGES[key]
    if fmt == "image":
        image = Image.open(io.BytesIO(content)).convert("RGB")
    else:
        pdf = pdfium.PdfDocument(content)
        try:
            image = pdf[page - 1].render(scale=_IMAGE_DPI / 72).to_pil().convert("RGB")
        finally:
            pdf.close()
    _PAGES[key] = image
    while len(_PAGES) > 8:
        _PAGES.popitem(last=False)
    return image
