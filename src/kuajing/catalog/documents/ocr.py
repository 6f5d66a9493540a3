"""Ruled tables on page images (scanned lists, PNG or JPEG pages), read by OCR.

A page is straightened (the skew is measured on its ruled lines), its horizontal and vertical
rulings are found, and the grid they form gives the cells: a grid edge without a ruling joins
two positions into one merged cell. Each cell is cut out without its rulings and read by an
OCR engine; a cell's lines are joined without spaces between Chinese characters.

Engines: Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`, run as a program)
and RapidOCR (`rapidocr-onnxruntime` 1.4.x, PP-OCR models shipped in its wheel). Neither fetches
anything at run time. `bench/ocr.py` compares them; the default is the better one there.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter, ImageOps

from kuajing.catalog.documents.model import Box, Cell, Document, DocumentError, Limits, Table

Mask = npt.NDArray[np.bool_]
Grey = npt.NDArray[np.uint8]
Ocr = Callable[[Image.Image, int, int], list[Table]]


class EngineMissing(DocumentError):
    """The OCR engine (its program, its language data or its Python package) is not installed."""


# --- engines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of text an engine recognised: its box in pixels of the image it was given."""

    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1
    confidence: float  # 0 to 100


class Engine(Protocol):
    """Reads text from images: one list of pieces per image, in the order given."""

    name: str

    def read(self, images: Sequence[Image.Image]) -> list[list[Piece]]: ...


_TESSERACT_DEBS = "tesseract-ocr tesseract-ocr-chi-sim"


class Tesseract:
    """Tesseract 4/5 with the Simplified Chinese LSTM model, as a program. Every image of a call
    is one page of a single run (an image list), so the model is loaded once per call.

    Settings measured on the benchmark's scans: each cell on its own as a block of text
    (--psm 6) read 95-99.5 % of the characters right; the whole page with its rulings erased,
    words put in cells by their centre, 87-97 % (--psm 3, 6 or 11); --psm 4 and chi_sim+eng
    did worse than --psm 6 and chi_sim alone."""

    name = "tesseract"

    def __init__(
        self, lang: str = "chi_sim", psm: int = 6, height: int = 20, timeout: float = 600.0
    ) -> None:
        self.lang, self.psm, self.height, self.timeout = lang, psm, height, timeout
        self.program = shutil.which("tesseract")
        if self.program is None:
            raise EngineMissing(
                f"the tesseract program is missing: apt-get install {_TESSERACT_DEBS}"
            )
        missing = set(lang.split("+")) - _tesseract_languages(self.program)
        if missing:
            raise EngineMissing(
                f"tesseract has no {'+'.join(sorted(missing))} data:"
                f" apt-get install {_TESSERACT_DEBS}"
            )

    def read(self, images: Sequence[Image.Image]) -> list[list[Piece]]:
        if not images:
            return []
        # Its Chinese model reads lines about `height` pixels high best: larger text (a scan
        # at 300 dpi) is read worse, so it is reduced; smaller text is not enlarged, which
        # does not help either (bench/ocr.py).
        scale = min(1.0, self.height / _line_height(images))
        with tempfile.TemporaryDirectory(prefix="kuajing-ocr-") as tmp:
            names = []
            for n, image in enumerate(images):
                names.append(os.path.join(tmp, f"{n}.png"))
                _scaled(image, scale).save(names[-1])
            listing = os.path.join(tmp, "images.txt")
            Path(listing).write_text("\n".join(names) + "\n", encoding="utf-8")
            tsv = self._run(listing)
        return _tesseract_pieces(tsv, len(images))

    def _run(self, listing: str) -> str:
        args = [str(self.program), listing, "stdout", "-l", self.lang, "--psm", str(self.psm)]
        # TSV gives each word with its box and confidence; the words of a line are joined
        # here, so preserve_interword_spaces (which only shapes the text output) is moot.
        args += ["tsv"]
        # One thread: the pages of a run are sequential anyway, and OpenMP threads only
        # contend with the other requests on a shared machine.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(
                args, capture_output=True, timeout=self.timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise DocumentError(f"tesseract took more than {self.timeout:.0f} s") from None
        if done.returncode != 0:
            last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise DocumentError(f"tesseract failed: {last[0]}")
        return done.stdout.decode("utf-8", "replace")


def _scaled(image: Image.Image, scale: float) -> Image.Image:
    if scale >= 0.95:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _line_height(images: Sequence[Image.Image]) -> float:
    """The median height of the lines of text in images of cells."""
    heights = [b - a for image in images for a, b in _text_rows(_solid_ink(np.asarray(image)))]
    return float(np.median(heights)) if heights else math.inf


@cache
def _tesseract_languages(program: str) -> frozenset[str]:
    done = subprocess.run([program, "--list-langs"], capture_output=True, timeout=60, check=False)
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def _tesseract_pieces(tsv: str, count: int) -> list[list[Piece]]:
    """Tesseract's lines per page (one page per image of the list, in order), each line's
    words joined, its box their union and its confidence their mean."""
    lines: dict[tuple[int, ...], list[tuple[str, tuple[int, int, int, int], float]]] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip() or float(f[10]) < 0:
            continue
        x, y, w, h = (int(v) for v in f[6:10])
        key = tuple(int(v) for v in f[1:5])  # page, block, paragraph, line
        lines.setdefault(key, []).append((f[11].strip(), (x, y, x + w, y + h), float(f[10])))
    pages: list[list[Piece]] = [[] for _ in range(count)]
    for key, words in lines.items():
        if 0 < key[0] <= count:
            boxes = [w[1] for w in words]
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip
            confidence = sum(w[2] for w in words) / len(words)
            pages[key[0] - 1].append(Piece(_join([w[0] for w in words]), box, confidence))
    return pages


class RapidOCR:
    """PP-OCRv4's Chinese recogniser on ONNX Runtime, from `rapidocr-onnxruntime` 1.4.x, whose
    wheel carries the models (loaded from site-packages; no network access, checked with
    strace and in a namespace without network). Later `rapidocr` releases download their
    models when first run, which the project does not allow, so only this package is used."""

    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import (  # type: ignore[import-untyped]  # noqa: PLC0415
                RapidOCR as Reader,
            )
        except ImportError:
            raise EngineMissing(
                "rapidocr-onnxruntime is not installed: pip install rapidocr-onnxruntime==1.4.4"
            ) from None
        # One thread, as for Tesseract: on two shared cores a page took 2.5 times as long
        # with ONNX Runtime's default of a thread per core.
        self._reader = Reader(intra_op_num_threads=1, inter_op_num_threads=1)

    def read(self, images: Sequence[Image.Image]) -> list[list[Piece]]:
        """Each image's lines of text, found from the blank rows between them, recognised
        in one batch. Cells hold level lines on clean paper, so the engine's text detector
        (which scales every image up to 736 pixels, a second for each cell) is not needed."""
        lines: list[npt.NDArray[np.uint8]] = []
        where: list[tuple[int, tuple[int, int, int, int]]] = []
        for n, image in enumerate(images):
            grey = np.asarray(image.convert("L"))
            ink = _solid_ink(grey)
            for y0, y1 in _text_rows(ink):
                box, line = _line_image(grey, ink, y0, y1)
                lines.append(line)
                where.append((n, box))
        pieces: list[list[Piece]] = [[] for _ in images]
        if not lines:
            return pieces
        found, _ = self._reader.text_rec(lines)
        for (n, box), (text, score) in zip(where, found, strict=True):
            if str(text).strip():
                pieces[n].append(Piece(str(text), box, float(score) * 100))
        return pieces


def _line_image(
    grey: Grey, ink: Mask, y0: int, y1: int
) -> tuple[tuple[int, int, int, int], npt.NDArray[np.uint8]]:
    """A line of text (rows y0 to y1 of a cell) as PP-OCR's recogniser wants it: in colour,
    with paper around it of half its height (what its detector leaves; with less, it read
    不足1万人 as 不足一万人 in bench/ocr.py), the neighbouring lines blanked out."""
    pad = max(2, (y1 - y0) // 2)
    cols = np.nonzero(np.any(ink[y0:y1], axis=0))[0]
    left, right = max(0, int(cols[0]) - pad), min(grey.shape[1], int(cols[-1]) + 1 + pad)
    line = np.full((y1 - y0 + 2 * pad, right - left), 255, dtype=np.uint8)
    line[pad : pad + y1 - y0] = grey[y0:y1, left:right]
    box = (left, max(0, y0 - pad), right, min(grey.shape[0], y1 + pad))
    return box, np.stack([line] * 3, axis=-1)


# In order of preference: RapidOCR read the thresholds and the text of the benchmark's scans
# best (bench/ocr.py), Tesseract is the fallback where only the Debian packages are installed.
ENGINES: dict[str, Callable[[], Engine]] = {"rapidocr": RapidOCR, "tesseract": Tesseract}
DEFAULT_ENGINE = "rapidocr"


@cache
def default_engine() -> Engine:
    """The first engine of `ENGINES` that is installed."""
    problems = []
    for make in ENGINES.values():
        try:
            return make()
        except EngineMissing as exc:
            problems.append(exc.message)
    raise EngineMissing("no OCR engine: " + "; ".join(problems))


def ocr_hook() -> Ocr | None:
    """What the PDF reader calls for pages without a text layer; None without an engine, so
    that text pages are still read."""
    try:
        default_engine()
    except EngineMissing:
        return None
    return read_page_image


# --- straightening and binarising ------------------------------------------------------------


def _grey(image: Image.Image) -> Image.Image:
    """The page in grey on white, whatever its mode (transparency is paper)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    return image.convert("L")


def _flatten(grey: Image.Image) -> Image.Image:
    """Divides out uneven paper (shading, yellowing): the local paper level is the brightest
    value around, taken on a reduced copy."""
    small = grey.reduce(16) if min(grey.size) >= 160 else grey
    paper = small.filter(ImageFilter.MaxFilter(5)).resize(grey.size, Image.Resampling.BILINEAR)
    g = np.asarray(grey, dtype=np.float32)
    p = np.maximum(np.asarray(paper, dtype=np.float32), 1.0)
    return Image.fromarray(np.clip(g / p * 255.0, 0, 255).astype(np.uint8))


def _otsu(grey: Grey) -> int:
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * levels)
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight - mass * total) ** 2 / (weight * (total - weight))
    between = np.nan_to_num(between[:-1], nan=-1.0)
    return int(np.argmax(between)) if between.max() > 0 else 0  # one grey: no ink


def _ink(grey: Grey) -> Mask:
    return grey < min(_otsu(grey), 200)


def _spans(flags: npt.NDArray[np.bool_], min_length: int = 1) -> list[tuple[int, int]]:
    """The runs of True in a row of flags as (start, end), at least `min_length` long."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True) if b - a >= min_length]


def _solid_ink(grey: Grey) -> Mask:
    """Ink without the specks of a scan (a 3 x 3 median removes lone dots)."""
    return np.asarray(Image.fromarray(grey).filter(ImageFilter.MedianFilter(3))) < 128


def _text_rows(ink: Mask) -> list[tuple[int, int]]:
    """The lines of a cell's text as (first row, end row): runs of rows with ink, a run much
    lower than the others (half of a character split by a blank row, such as 二) joined to the
    run before it when they are close."""
    runs = _spans(np.any(ink, axis=1))
    if not runs:
        return []
    tall = max(b - a for a, b in runs)
    merged: list[list[int]] = []
    for a, b in runs:
        if (
            merged
            and (b - a < tall * 0.45 or merged[-1][1] - merged[-1][0] < tall * 0.45)
            and (a - merged[-1][1] < tall * 0.35)
        ):
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged if b - a >= 3]


def _skew(ink: Mask) -> float:
    """The page's skew in degrees (anticlockwise positive): the angle at which the rows of ink
    are sharpest, which the long ruled lines dominate."""
    ys, xs = np.nonzero(ink[::2, ::2])
    if len(ys) < 100:
        return 0.0
    step = max(1, len(ys) // 400_000)
    ys, xs = ys[::step].astype(np.float64), xs[::step].astype(np.float64)

    def sharpness(angle: float) -> float:
        rows = np.round(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    best = 0.0
    for spacing, reach in ((0.25, 5.0), (0.02, 0.25)):
        angles = best + np.arange(-reach, reach + spacing / 2, spacing)
        best = float(max(angles, key=sharpness))
    return best


# --- rulings and the grid --------------------------------------------------------------------


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
class _Grid:
    ys: list[_Rule]  # horizontal rules, top to bottom
    xs: list[_Rule]  # vertical rules, left to right


def _grids(hor: list[_Rule], ver: list[_Rule], min_length: int) -> list[_Grid]:
    """The tables of a page: vertical rules whose drawn parts overlap in height form one table,
    with the horizontal rules that cross its height."""
    spans = sorted((a, b) for rule in ver for a, b in _spans(rule.cover, min_length))
    bands: list[list[int]] = []
    for a, b in spans:
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
            grids.append(_Grid(ys, [r for r in xs if _spans_a_cell(r, ys)]))
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


def _regions(grid: _Grid) -> list[list[tuple[int, int]]]:
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
class _Page:
    """A straightened page: grey (rulings erased), the angle it was turned by, its size."""

    clean: Image.Image
    angle: float
    grids: list[_Grid]


_MAX_SIDE = 3600  # pixels: A4 at 300 dpi; finer scans are reduced, which OCR does not need


def _prepare(image: Image.Image) -> _Page:
    size = image.size
    if max(size) > _MAX_SIDE:
        image = image.reduce(math.ceil(max(size) / _MAX_SIDE))
    grey = _flatten(_grey(image))
    angle = _skew(_ink(np.asarray(grey)))
    if abs(angle) > 0.05:
        grey = grey.rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    g = np.asarray(grey)
    ink = _ink(g)
    # A rule is at least 1/40 of the page long (12 mm across A4 at 200 dpi: the narrowest
    # column), far longer than a stroke of a character.
    length = max(20, max(ink.shape) // 40)
    hor_lines = _runs(_bridge(ink, 1), length) & _grow(ink)
    ver_lines = _runs(_bridge(ink.T, 1), length).T & _grow(ink)
    grids = _grids(_rules(hor_lines, length), _rules(ver_lines.T, length), length)
    clean = g.copy()
    clean[_grow(hor_lines | ver_lines)] = 255
    return _Page(Image.fromarray(clean), angle, grids)


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


def _cells(grid: _Grid) -> tuple[list[list[tuple[int, int]]], list[_Region]]:
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


def _crop(clean: Image.Image, region: _Region) -> Image.Image | None:
    """The cell's text on white, or None if the cell holds no ink but specks."""
    crop = clean.crop(region.inner)
    if crop.width < 4 or crop.height < 4:
        return None
    ink = _solid_ink(np.asarray(crop))
    if ink.sum() < max(12, ink.size // 2000):
        return None
    ys, xs = np.nonzero(ink)
    crop = crop.crop((int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1))
    return ImageOps.expand(crop, _MARGIN, fill=255)


# --- text ------------------------------------------------------------------------------------

_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Angle brackets are not written in the lists; Tesseract reads their （ ） as these.
_LOOKALIKE = str.maketrans({"〈": "（", "〉": "）"})
_HALF = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")
_TO_WIDE = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def _is_wide(ch: str) -> bool:
    return bool(_WIDE.match(ch))


def _lines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into lines of text, top to bottom, each left to right: a piece joins a
    line it overlaps by half its height."""
    lines: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: p.box[1]):
        y0, y1 = piece.box[1], piece.box[3]
        for line in lines:
            top, bottom = min(p.box[1] for p in line), max(p.box[3] for p in line)
            if min(y1, bottom) - max(y0, top) >= 0.5 * min(y1 - y0, bottom - top):
                line.append(piece)
                break
        else:
            lines.append([piece])
    return [sorted(line, key=lambda p: p.box[0]) for line in lines]


def _join(parts: list[str]) -> str:
    """Parts of one cell in reading order: a space only between two Latin or digit runs."""
    text = ""
    for part in filter(None, (p.strip() for p in parts)):
        if text and not _is_wide(text[-1]) and not _is_wide(part[0]):
            text += " "
        text += part
    return text


def _normalise(text: str) -> str:
    """Full-width letters and digits as ASCII; ASCII punctuation next to Chinese as the
    full-width marks Chinese text uses; no spaces next to Chinese characters."""
    text = _HALF.sub(lambda m: chr(ord(m[0]) - 0xFEE0), text)
    text = text.translate(_LOOKALIKE)
    text = re.sub(r"\s*([\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])\s*", r"\1", text)
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in _TO_WIDE:
            before = i > 0 and _is_wide(chars[i - 1])
            after = i + 1 < len(chars) and _is_wide(chars[i + 1])
            if (ch in "(" and after) or (ch not in "(" and before):
                chars[i] = _TO_WIDE[ch]
    return "".join(chars)


def _text(pieces: list[Piece]) -> tuple[str, float | None]:
    """A cell's text and the mean confidence of its characters."""
    if not pieces:
        return "", None
    text = _normalise(_join([_join([p.text for p in line]) for line in _lines(pieces)]))
    weights = [max(1, len(p.text.strip())) for p in pieces]
    mean = sum(p.confidence * w for p, w in zip(pieces, weights, strict=True)) / sum(weights)
    return text, round(mean, 1)


# --- tables ----------------------------------------------------------------------------------


def _to_page(page: _Page, x: float, y: float) -> tuple[float, float]:
    """A point of the straightened page as a fraction of the page as given."""
    w, h = page.clean.size
    a = math.radians(page.angle)
    dx, dy = x - w / 2, y - h / 2
    ox = w / 2 + dx * math.cos(a) + dy * math.sin(a)
    oy = h / 2 - dx * math.sin(a) + dy * math.cos(a)
    return min(max(ox / w, 0.0), 1.0), min(max(oy / h, 0.0), 1.0)


def _box(page: _Page, x0: int, y0: int, x1: int, y1: int) -> Box:
    corners = [_to_page(page, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return Box(round(min(xs), 4), round(min(ys), 4), round(max(xs), 4), round(max(ys), 4))


def _table(
    page: _Page, grid: _Grid, first: list[list[tuple[int, int]]], texts: dict[tuple[int, int],
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
    prepared = _prepare(image)
    layouts = [_cells(grid) for grid in prepared.grids]
    crops: list[Image.Image] = []
    wanted: list[tuple[int, int, int]] = []  # (table, row, column) of each crop
    for t, (_, regions) in enumerate(layouts):
        for region in regions:
            crop = _crop(prepared.clean, region)
            if crop is not None:
                crops.append(crop)
                wanted.append((t, region.r0, region.c0))
    read = dict(zip(wanted, engine.read(crops), strict=True))
    tables = []
    for t, (grid, (first, regions)) in enumerate(zip(prepared.grids, layouts, strict=True)):
        texts = {(g.r0, g.c0): _text(read.get((t, g.r0, g.c0), [])) for g in regions}
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
