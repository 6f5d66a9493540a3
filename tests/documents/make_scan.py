"""The FICTIONAL list table of `fictional` printed on two landscape A4 pages and "scanned": page
images (PNG, JPEG) and an image-only PDF, for the OCR reader's tests and benchmark.

The print follows an official list: a title and a notice above the table on page 1, ruled
cells, merged regions drawn as one cell, text wrapped inside its cell. Page 1 ends inside row
`SPLIT_ROW` after `SPLIT_AT`; page 2 repeats the header and starts with a continuation row that
holds the rest of that description, and a merged region running over the break goes on with
empty text. The scan adds a skew, blur, a grey uneven paper, gaussian noise and speckles.

    .venv/bin/python -m tests.documents.make_scan --dpi 200 --out /tmp/scan
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.documents import fictional

CJK_FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"  # no digits, no Latin
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

PAGE_MM = (297.0, 210.0)  # A4 landscape, as the seven-column lists are printed
MARGIN_MM = (18.0, 16.0)  # left/right, top/bottom
COLUMNS_MM = (13.0, 38.0, 28.0, 32.0, 20.0, 30.0, 100.0)  # sums to 261 = 297 - 2 x 18
BODY_PT, TITLE_PT, NOTICE_PT = 10.0, 15.0, 10.5
PAD_MM = 1.6  # between a cell's ruling and its text
LINE_GAP = 1.45  # line pitch as a multiple of the font size
RULE_MM = 0.3

Grid = list[list[str | None]]


@dataclass(frozen=True)
class Scan:
    """How a printed page is degraded."""

    skew: float = 0.7  # degrees, anticlockwise
    noise: float = 10.0  # standard deviation of the gaussian noise, in grey levels
    speckles: float = 3e-4  # fraction of pixels turned into dark or light specks
    blur: float = 0.5  # gaussian blur radius at 200 dpi (scaled with the dpi)
    seed: int = 1


# --- what the pages hold ---------------------------------------------------------------------


def expected_pages() -> list[Grid]:
    """Each page's table in the readers' contract: `None` where a merged cell starting above
    covers the cell, "" where a region continues from the previous page."""
    header: list[str | None] = list(fictional.HEADER)
    rows = fictional.grid()[1:]
    split = fictional.SPLIT_ROW
    head, cut, tail = rows[split - 1][-1].partition(fictional.SPLIT_AT)
    first = [*rows[: split - 1], [*rows[split - 1][:-1], head + cut]]
    second = [["", "", "", "", "", "", tail], *rows[split:]]
    return [[header, *_merge(first, False)], [header, *_merge(second, True)]]


def _merge(rows: list[list[str]], continued: bool) -> Grid:
    """Covers with None the cells of the vertical spans that fall on these rows. On the page
    after the break the first row is the continuation of the split row, so a span that runs
    over the break keeps going into it with its text left on page 1."""
    grid: Grid = [list(r) for r in rows]
    first_body = fictional.SPLIT_ROW if continued else 1  # body row of grid row 0
    for column, lo, hi in fictional.vertical_spans():
        top, bottom = lo - first_body, hi - first_body
        if bottom < 0 or top >= len(rows):
            continue
        for r in range(max(top, 0) + 1, min(bottom, len(rows) - 1) + 1):
            grid[r][column] = None
    return grid


# --- scoring what a reader returns against the pages ------------------------------------------

# A threshold of the descriptions: 100万人以上, 不满1000万人, 1.5万人以上, 超过50万人, 不足1万人.
THRESHOLD = re.compile(r"(?:超过|不满|不足)?\d+(?:\.\d+)?万人(?:以上|以下)?")
NUMBER = re.compile(r"\d+(?:\.\d+)?万人")


def thresholds() -> list[str]:
    """Every threshold phrase of the list, in order, as the regex finds them in `BODY`."""
    return [m[0] for row in fictional.BODY for m in THRESHOLD.finditer(row[5])]


def distance(a: str, b: str, *, within: bool = False) -> int:
    """Levenshtein distance; with `within`, from `a` to the closest substring of `b`."""
    previous = list(range(len(b) + 1)) if not within else [0] * (len(b) + 1)
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return min(previous) if within else previous[-1]


@dataclass(frozen=True)
class Score:
    structure: bool  # rows, columns and merged (None) cells as expected
    thresholds: float  # character accuracy of the threshold phrases, 0 to 1
    numbers: bool  # every cell's threshold numbers (e.g. 100万人, 1.5万人) exactly right
    text: float  # character accuracy of all cell text, 0 to 1
    phrases: int  # threshold phrases scored


def score(expected: Grid, got: Grid) -> Score:
    """How close a read table is to the page's table. Cells are compared by position when the
    shape is right, else the whole text of the page, read row by row, is compared."""
    shaped = len(got) == len(expected) and all(
        len(a) == len(b) for a, b in zip(got, expected, strict=True)
    )
    structure = shaped and all(
        (a is None) == (b is None)
        for ra, rb in zip(got, expected, strict=True)
        for a, b in zip(ra, rb, strict=True)
    )
    if shaped:
        pairs = [
            (e or "", g or "")
            for re_, rg in zip(expected, got, strict=True)
            for e, g in zip(re_, rg, strict=True)
        ]
    else:
        flat = ["".join(c or "" for row in grid for c in row) for grid in (expected, got)]
        pairs = [(flat[0], flat[1])]
    missed = found = errors = total = 0
    numbers = True
    for want, have in pairs:
        errors, total = errors + distance(want, have), total + len(want)
        for phrase in THRESHOLD.findall(want):
            missed += distance(phrase, have, within=True)
            found += len(phrase)
        numbers &= sorted(NUMBER.findall(want)) == sorted(NUMBER.findall(have))
    return Score(
        structure,
        1 - missed / found if found else 1.0,
        numbers,
        1 - errors / total if total else 1.0,
        sum(len(THRESHOLD.findall(w)) for w, _ in pairs),
    )


# --- drawing ---------------------------------------------------------------------------------


@cache
def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px)


class _Pen:
    """Writes mixed Chinese and Latin text, switching the font per character: Droid Sans
    Fallback has no digits or Latin letters, DejaVu has no Chinese."""

    def __init__(self, px: int) -> None:
        self.px = px
        self.cjk, self.latin = _font(CJK_FONT, px), _font(LATIN_FONT, px)

    def font(self, ch: str) -> ImageFont.FreeTypeFont:
        return self.latin if ord(ch) < 0x2000 else self.cjk

    def width(self, text: str) -> float:
        return sum(self.font(ch).getlength(ch) for ch in text)

    def wrap(self, text: str, width: float) -> list[str]:
        lines, line = [], ""
        for ch in text:
            if line and self.width(line + ch) > width and ch not in "，。、；：）":
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line] if line else lines

    def write(self, draw: ImageDraw.ImageDraw, x: float, y: float, text: str) -> None:
        for ch in text:
            draw.text((x, y), ch, font=self.font(ch), fill=0)
            x += self.font(ch).getlength(ch)


@dataclass
class _Layout:
    dpi: int

    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    def pt(self, pt: float) -> int:
        return round(pt / 72 * self.dpi)

    @property
    def size(self) -> tuple[int, int]:
        return self.px(PAGE_MM[0]), self.px(PAGE_MM[1])

    @property
    def xs(self) -> list[int]:
        edges, x = [self.px(MARGIN_MM[0])], MARGIN_MM[0]
        for w in COLUMNS_MM:
            x += w
            edges.append(self.px(x))
        return edges


def _row_spans(grid: Grid) -> dict[tuple[int, int], int]:
    """(row, column) of every cell that is drawn -> the number of rows it spans."""
    spans: dict[tuple[int, int], int] = {}
    for c in range(len(grid[0])):
        for r in range(len(grid)):
            if grid[r][c] is None:
                continue
            n = 1
            while r + n < len(grid) and grid[r + n][c] is None:
                n += 1
            spans[r, c] = n
    return spans


def _row_heights(grid: Grid, pen: _Pen, lay: _Layout) -> list[int]:
    """Each row as high as its tallest one-row cell; a merged cell too tall for its rows
    stretches its last row."""
    pad, pitch, xs = lay.px(PAD_MM), pen.px * LINE_GAP, lay.xs
    spans = _row_spans(grid)

    def need(r: int, c: int) -> int:
        text = grid[r][c] or ""
        lines = max(1, len(pen.wrap(text, xs[c + 1] - xs[c] - 2 * pad)))
        return round(lines * pitch + 2 * pad)

    heights = [max(need(r, c) for c in range(len(row)) if spans.get((r, c)) == 1) for r, row in
               enumerate(grid)]  # fmt: skip
    for (r, c), n in spans.items():
        short = need(r, c) - sum(heights[r : r + n])
        if short > 0:
            heights[r + n - 1] += short
    return heights


def _draw_cell(
    draw: ImageDraw.ImageDraw, pen: _Pen, lay: _Layout, box: tuple[int, int, int, int], text: str,
    left: bool,
) -> None:  # fmt: skip
    x0, y0, x1, y1 = box
    pad = lay.px(PAD_MM)
    rule = max(1, lay.px(RULE_MM))
    draw.rectangle(box, outline=0, width=rule)
    lines = pen.wrap(text, x1 - x0 - 2 * pad)
    pitch = pen.px * LINE_GAP
    y = (y0 + y1) / 2 - len(lines) * pitch / 2 + (pitch - pen.px) / 2
    for line in lines:
        x = x0 + pad if left else (x0 + x1) / 2 - pen.width(line) / 2
        pen.write(draw, x, y, line)
        y += pitch


def draw_page(grid: Grid, page: int, dpi: int) -> Image.Image:
    """A clean printed page (white paper, black ink) in mode "L"."""
    lay = _Layout(dpi)
    image = Image.new("L", lay.size, 255)
    draw = ImageDraw.Draw(image)
    y = lay.px(MARGIN_MM[1])
    if page == 1:
        for text, pt in ((fictional.TITLE, TITLE_PT), (fictional.NOTICE, NOTICE_PT)):
            pen = _Pen(lay.pt(pt))
            pen.write(draw, lay.size[0] / 2 - pen.width(text) / 2, y, text)
            y += round(pen.px * 1.9)
    pen = _Pen(lay.pt(BODY_PT))
    heights, xs = _row_heights(grid, pen, lay), lay.xs
    tops = [y + sum(heights[:r]) for r in range(len(heights) + 1)]
    for (r, c), n in _row_spans(grid).items():
        box = (xs[c], tops[r], xs[c + 1], tops[r + n])
        _draw_cell(draw, pen, lay, box, grid[r][c] or "", left=c == 6 and r > 0)
    folio = f"第 {page} 页"
    pen.write(draw, lay.size[0] / 2 - pen.width(folio) / 2, lay.size[1] - lay.px(10), folio)
    return image


# --- scanning --------------------------------------------------------------------------------


def scan(page: Image.Image, dpi: int, how: Scan) -> Image.Image:
    """The page as a flatbed scanner returns it: turned by `how.skew`, blurred, on grey
    uneven paper, with noise and specks."""
    rng = np.random.default_rng(how.seed)
    turned = page.rotate(how.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(how.blur * dpi / 200))
    ink = np.asarray(blurred, dtype=np.float32) / 255.0  # 1 paper, 0 ink
    h, w = ink.shape
    paper = 228.0 + 14.0 * np.linspace(0.0, 1.0, w)[None, :] * np.linspace(1.0, 0.6, h)[:, None]
    grey = 30.0 + (paper - 30.0) * ink + rng.normal(0.0, how.noise, ink.shape)
    specks = rng.random(ink.shape)
    grey[specks < how.speckles / 2] = 40.0
    grey[specks > 1.0 - how.speckles / 2] = 250.0
    return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8), mode="L")


def scanned_pages(dpi: int = 200, how: Scan | None = None) -> list[Image.Image]:
    how = how or Scan()
    pages = expected_pages()
    return [
        scan(draw_page(grid, n, dpi), dpi, replace(how, seed=how.seed * 100 + n))
        for n, grid in enumerate(pages, start=1)
    ]


def save(pages: list[Image.Image], out: Path, dpi: int) -> dict[str, list[Path]]:
    """page-N.png and page-N.jpg per page, and scan.pdf with every page, no text layer."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {"png": [], "jpeg": [], "pdf": [out / "scan.pdf"]}
    for n, image in enumerate(pages, start=1):
        image.save(out / f"page-{n}.png", dpi=(dpi, dpi))
        image.save(out / f"page-{n}.jpg", quality=85, dpi=(dpi, dpi))
        files["png"].append(out / f"page-{n}.png")
        files["jpeg"].append(out / f"page-{n}.jpg")
    pages[0].save(out / "scan.pdf", "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--skew", type=float, default=Scan.skew)
    parser.add_argument("--noise", type=float, default=Scan.noise)
    parser.add_argument("--seed", type=int, default=Scan.seed)
    parser.add_argument("--out", type=Path, default=Path("scan"))
    args = parser.parse_args()
    how = Scan(skew=args.skew, noise=args.noise, seed=args.seed)
    for kind, paths in save(scanned_pages(args.dpi, how), args.out, args.dpi).items():
        print(kind, *paths)


if __name__ == "__main__":
    main()
