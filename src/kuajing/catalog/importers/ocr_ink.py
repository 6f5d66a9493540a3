"""A page image straightened and binarised: grey on white, uneven paper divided out, ink told
from paper (Otsu's threshold), and the skew measured on the rows of ink."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter

Mask = npt.NDArray[np.bool_]
Grey = npt.NDArray[np.uint8]


def grey_of(image: Image.Image) -> Image.Image:
    """The page in grey on white, whatever its mode (transparency is paper)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    return image.convert("L")


def flatten(grey: Image.Image) -> Image.Image:
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


def ink_of(grey: Grey) -> Mask:
    return grey < min(_otsu(grey), 200)


def spans(flags: npt.NDArray[np.bool_], min_length: int = 1) -> list[tuple[int, int]]:
    """The runs of True in a row of flags as (start, end), at least `min_length` long."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True) if b - a >= min_length]


def solid_ink(grey: Grey) -> Mask:
    """Ink without the specks of a scan (a 3 x 3 median removes lone dots)."""
    return np.asarray(Image.fromarray(grey).filter(ImageFilter.MedianFilter(3))) < 128


def text_rows(ink: Mask) -> list[tuple[int, int]]:
    """The lines of a cell's text as (first row, end row): runs of rows with ink, a run much
    lower than the others (half of a character split by a blank row, such as 二) joined to the
    run before it when they are close."""
    runs = spans(np.any(ink, axis=1))
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


def skew_of(ink: Mask) -> float:
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
