"""Ruled tables on page images (scanned lists, PNG or JPEG pages), read by OCR.

A page is straightened (the skew is measured on its ruled lines), its horizontal and vertical
rulings are found, and the grid they form gives the cells (`ocr_ink`, `ocr_grid`): a grid edge
without a ruling joins two positions into one merged cell. Each cell is cut out without its
rulings and read by an OCR engine (`ocr_engines`); a cell's lines are joined without spaces
between Chinese characters (`ocr_text`).
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageOps

from kuajing.catalog.importers.model import Box, Cell, Document, DocumentError, Limits, Table
from kuajing.catalog.importers.ocr_engines import Engine, EngineMissing, default_engine
from kuajing.catalog.importers.ocr_grid import Page, RuledGrid, cells_of, crop_cell, prepare
from kuajing.catalog.importers.ocr_text import text_of

Ocr = Callable[[Image.Image, int, int], list[Table]]


def ocr_hook() -> Ocr | None:
    """What the PDF reader calls for pages without a text layer; None without an engine, so
    that text pages are still read."""
    try:
        default_engine()
    except EngineMissing:
        return None
    return read_page_image


def _to_page(page: Page, x: float, y: float) -> tuple[float, float]:
    """A point of the straightened page as a fraction of the page as given."""
    w, h = page.clean.size
    a = math.radians(page.angle)
    dx, dy = x - w / 2, y - h / 2
    ox = w / 2 + dx * math.cos(a) + dy * math.sin(a)
    oy = h / 2 - dx * math.sin(a) + dy * math.cos(a)
    return min(max(ox / w, 0.0), 1.0), min(max(oy / h, 0.0), 1.0)


def _box(page: Page, x0: int, y0: int, x1: int, y1: int) -> Box:
    corners = [_to_page(page, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return Box(round(min(xs), 4), round(min(ys), 4), round(max(xs), 4), round(max(ys), 4))


def _table(
    page: Page, grid: RuledGrid, first: list[list[tuple[int, int]]], texts: dict[tuple[int, int],
    tuple[str, float | None]], number: int, index: int,
) -> Table:  # fmt: skip
    rows = []
    for r, row in enumerate(first):
        cells = []
        for c, (r0, c0) in enumerate(row):
            box = _box(page, grid.xs[c].at, grid.ys[r].at, grid.xs[c + 1].at, grid.ys[r + 1].at)
            text, confidence = texts[r0, c0]
            cells.append(Cell(None if r0 < r else text, box, None if r0 < r else confidence))
        rows.append(cells)
    return Table(page=number, index=index, rows=rows, ocr=True)


def read_page_image(
    image: Image.Image, page: int, first_index: int, engine: Engine | None = None
) -> list[Table]:
    """The ruled tables on a page image, top to bottom, numbered from `first_index`."""
    engine = engine or default_engine()
    prepared = prepare(image)
    layouts = [cells_of(grid) for grid in prepared.grids]
    crops: list[Image.Image] = []
    wanted: list[tuple[int, int, int]] = []  # (table, row, column) of each crop
    for t, (_, regions) in enumerate(layouts):
        for region in regions:
            crop = crop_cell(prepared.clean, region)
            if crop is not None:
                crops.append(crop)
                wanted.append((t, region.r0, region.c0))
    read = dict(zip(wanted, engine.read(crops), strict=True))
    tables = []
    for t, (grid, (first, regions)) in enumerate(zip(prepared.grids, layouts, strict=True)):
        texts = {(g.r0, g.c0): text_of(read.get((t, g.r0, g.c0), [])) for g in regions}
        tables.append(_table(prepared, grid, first, texts, page, first_index + t))
    return tables


# --- page image files ------------------------------------------------------------------------

_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
_NAMED = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


def read_image(path: Path, limits: Limits, engine: Engine | None = None) -> Document:
    """The ruled tables of a PNG or JPEG page image. Refused, with `DocumentError`: a file
    that is not such an image, over the size or pixel limits, damaged, or without a table."""
    image, data = _open_image(path, limits)
    engine = engine or default_engine()
    tables = read_page_image(image, 1, 1, engine)
    if not tables:
        raise DocumentError("holds no ruled table", file=path.name)
    return Document(
        sha256=hashlib.sha256(data).hexdigest(),
        format="image",
        pages=1,
        tables=tables,
        notes=[f"page 1: an image, read by OCR ({engine.name})"],
    )


def _open_image(path: Path, limits: Limits) -> tuple[Image.Image, bytes]:
    """The decoded image and the file's bytes; the size and the pixel count are checked
    before anything is decoded (Pillow reads only the header when it opens a file)."""
    name = path.name
    data = limits.read(path)
    kind = next((k for magic, k in _MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise DocumentError(
            f"not a {_NAMED.get(path.suffix.lower(), 'PNG or JPEG')} image", file=name
        )
    try:
        image: Image.Image = Image.open(io.BytesIO(data), formats=[kind])
        pixels = image.width * image.height
        if pixels > limits.max_pixels:
            raise _too_many(f"{image.width} x {image.height} pixels", limits, name)
        image.load()
        image = ImageOps.exif_transpose(image)  # a photographed page carries its orientation
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many("too many pixels to decode safely", limits, name) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DocumentError(f"damaged {kind} image: {reason}", file=name) from None
    return image, data


def _too_many(what: str, limits: Limits, name: str) -> DocumentError:
    return DocumentError(
        f"too large: {what}, the limit is {limits.max_pixels:,} pixels a page", file=name
    )
