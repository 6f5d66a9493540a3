"""The ruled tables of a straightened page: horizontal and vertical rulings, the grid they form
(a grid edge without a ruling joins two positions into one merged cell), and each cell cut out
without its rulings for the OCR engine."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps

from kuajing.catalog.importers.ocr_ink import (
    Mask,
    flatten,
    grey_of,
    ink_of,
    skew_of,
    solid_ink,
    spans,
)


def _runs(mask: Mask, length: int) -> Mask:
    """The pixels of `mask` that lie on a horizontal run at least `length` long (a
    morphological opening with a 1 x length line)."""
    h, w = mask.shape
    if w < length:
        return np.zeros_like(mask)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=c[:, 1:])
    full = (c[:, length:] - c[:, :-length]) == length  # a run starts at x (of width - length + 1)
    d = np.zeros((h, full.shape[1] + 1), dtype=np.int32)
    np.cumsum(full, axis=1, out=d[:, 1:])
    out = np.zeros_like(mask)
    # x is covered if a full window starts in [x - length + 1, x]
    lo = np.clip(np.arange(w) - length + 1, 0, full.shape[1])
    hi = np.clip(np.arange(w) + 1, 0, full.shape[1])
    out[:] = (d[:, hi] - d[:, lo]) > 0
    return out


def _bridge(mask: Mask, gap: int) -> Mask:
    """Closes horizontal gaps up to `gap` pixels (specks of paper in a printed line) and lets a
    line that drifts by a pixel over its length stay one run."""
    grown = mask.copy()
    for d in range(1, gap + 1):
        grown[:, d:] |= mask[:, :-d]
    thick = grown.copy()
    thick[1:] |= grown[:-1]
    thick[:-1] |= grown[1:]
    return thick


@dataclass(frozen=True)
class _Rule:
    at: int  # y of a horizontal rule, x of a vertical one (centre of its band)
    half: int  # half its thickness, at least 1
    cover: npt.NDArray[np.bool_]  # along the rule: where it is drawn


def _rules(lines: Mask, min_length: int) -> list[_Rule]:
    """Horizontal rules in a mask of line pixels: bands of adjacent rows holding lines."""
    lengths = lines.sum(axis=1)
    rows = np.nonzero(lengths >= min_length)[0]
    rules: list[_Rule] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] - rows[i - 1] > 2:
            band = rows[start:i]
            if len(band):
                weights = lengths[band].astype(np.float64)
                centre = round(float(np.dot(band, weights) / weights.sum()))
                cover = np.any(lines[band[0] : band[-1] + 1], axis=0)
                rules.append(_Rule(centre, max(1, (band[-1] - band[0] + 1) // 2), cover))
            start = i
    return rules


@dataclass(frozen=True)
class RuledGrid:
    ys: list[_Rule]  # horizontal rules, top to bottom
    xs: list[_Rule]  # vertical rules, left to right


def _grids(hor: list[_Rule], ver: list[_Rule], min_length: int) -> list[RuledGrid]:
    """The tables of a page: vertical rules whose drawn parts overlap in height form one table,
    with the horizontal rules that cross its height."""
    drawn = sorted((a, b) for rule in ver for a, b in spans(rule.cover, min_length))
    bands: list[list[int]] = []
    for a, b in drawn:
        if bands and a <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], b)
        else:
            bands.append([a, b])
    grids = []
    for top, bottom in bands:
        xs = [r for r in ver if r.cover[top:bottom].sum() >= min_length]
        if len(xs) < 2:
            continue
        ys = [
            r for r in hor
            if top - 2 * r.half - 3 <= r.at <= bottom + 2 * r.half + 3 and _spans_a_cell(r, xs)
        ]  # fmt: skip
        if len(ys) >= 2:
            grids.append(RuledGrid(ys, [r for r in xs if _spans_a_cell(r, ys)]))
    return grids


def _spans_a_cell(rule: _Rule, crossing: list[_Rule]) -> bool:
    """Whether `rule` is drawn over a whole side of a grid position somewhere."""
    return any(
        _drawn(rule, a.at, b.at, a.half + b.half + 3) for a, b in itertools.pairwise(crossing)
    )


def _drawn(rule: _Rule, a: int, b: int, clear: int) -> bool:
    """Whether `rule` is drawn between a and b (the side of one grid position), leaving out
    `clear` pixels at each end where the crossing rules lie: drawn nearly all along and up to
    both ends, which a line of characters with long strokes side by side never is."""
    inner = rule.cover[a + clear : b - clear]
    if inner.size < 8:
        return True
    return float(inner.mean()) >= 0.85 and bool(inner[:4].any() and inner[-4:].any())


def _regions(grid: RuledGrid) -> list[list[tuple[int, int]]]:
    """Each grid position's merged cell as (first row, first column), found by joining
    positions across undrawn edges; a region is taken as its bounding rectangle."""
    nr, nc = len(grid.ys) - 1, len(grid.xs) - 1
    parent = list(range(nr * nc))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            x0, x1, y0, y1 = grid.xs[c], grid.xs[c + 1], grid.ys[r], grid.ys[r + 1]
            if r + 1 < nr and not _drawn(y1, x0.at, x1.at, x0.half + x1.half + 3):
                parent[root((r + 1) * nc + c)] = root(r * nc + c)
            if c + 1 < nc and not _drawn(x1, y0.at, y1.at, y0.half + y1.half + 3):
                parent[root(r * nc + c + 1)] = root(r * nc + c)
    first: dict[int, tuple[int, int]] = {}
    for i in range(nr * nc):
        r, c = divmod(i, nc)
        top, left = first.get(root(i), (r, c))
        first[root(i)] = (min(top, r), min(left, c))
    return [[first[root(r * nc + c)] for c in range(nc)] for r in range(nr)]


# --- the page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A straightened page: grey (rulings erased), the angle it was turned by, its size."""

    clean: Image.Image
    angle: float
    grids: list[RuledGrid]


_MAX_SIDE = 3600  # pixels: A4 at 300 dpi; finer scans are reduced, which OCR does not need


def prepare(image: Image.Image) -> Page:
    size = image.size
    if max(size) > _MAX_SIDE:
        image = image.reduce(math.ceil(max(size) / _MAX_SIDE))
    grey = flatten(grey_of(image))
    angle = skew_of(ink_of(np.asarray(grey)))
    if abs(angle) > 0.05:
        grey = grey.rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    g = np.asarray(grey)
    ink = ink_of(g)
    # A rule is at least 1/40 of the page long (12 mm across A4 at 200 dpi: the narrowest
    # column), far longer than a stroke of a character.
    length = max(20, max(ink.shape) // 40)
    hor_lines = _runs(_bridge(ink, 1), length) & _grow(ink)
    ver_lines = _runs(_bridge(ink.T, 1), length).T & _grow(ink)
    grids = _grids(_rules(hor_lines, length), _rules(ver_lines.T, length), length)
    clean = g.copy()
    clean[_grow(hor_lines | ver_lines)] = 255
    return Page(Image.fromarray(clean), angle, grids)


def _grow(mask: Mask) -> Mask:
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


@dataclass(frozen=True)
class _Region:
    """A cell as drawn: grid rows r0..r1 and columns c0..c1 (inclusive), its inner box."""

    r0: int
    c0: int
    r1: int
    c1: int
    inner: tuple[int, int, int, int]  # inside its rulings, in pixels of the straightened page


def cells_of(grid: RuledGrid) -> tuple[list[list[tuple[int, int]]], list[_Region]]:
    first = _regions(grid)
    ends: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(first):
        for c, origin in enumerate(row):
            r1, c1 = ends.get(origin, origin)
            ends[origin] = (max(r1, r), max(c1, c))
    regions = []
    for (r0, c0), (r1, c1) in ends.items():
        left, right, top, bottom = grid.xs[c0], grid.xs[c1 + 1], grid.ys[r0], grid.ys[r1 + 1]
        inner = (
            left.at + left.half + 2,
            top.at + top.half + 2,
            right.at - right.half - 1,
            bottom.at - bottom.half - 1,
        )
        regions.append(_Region(r0, c0, r1, c1, inner))
    return first, regions


_MARGIN = 24  # white pixels around a cell's crop, as Tesseract wants some paper round the text


def crop_cell(clean: Image.Image, region: _Region) -> Image.Image | None:
    """The cell's text on white, or None if the cell holds no ink but specks."""
    crop = clean.crop(region.inner)
    if crop.width < 4 or crop.height < 4:
        return None
    ink = solid_ink(np.asarray(crop))
    if ink.sum() < max(12, ink.size // 2000):
        return None
    ys, xs = np.nonzero(ink)
    crop = crop.crop((int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1))
    return ImageOps.expand(crop, _MARGIN, fill=255)
