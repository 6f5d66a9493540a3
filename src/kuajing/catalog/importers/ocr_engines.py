"""OCR engines: Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`, run as a
program) and RapidOCR (`rapidocr-onnxruntime` 1.4.x, PP-OCR models shipped in its wheel).
Neither fetches anything at run time. `bench/ocr.py` compares them; the default is the better
one there."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
from PIL import Image

from kuajing.catalog.importers.model import DocumentError
from kuajing.catalog.importers.ocr_ink import Grey, Mask, solid_ink, text_rows
from kuajing.catalog.importers.ocr_text import Piece, join


class EngineMissing(DocumentError):
    """The OCR engine (its program, its language data or its Python package) is not installed."""


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
    heights = [b - a for image in images for a, b in text_rows(solid_ink(np.asarray(image)))]
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
            pages[key[0] - 1].append(Piece(join([w[0] for w in words]), box, confidence))
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
            ink = solid_ink(grey)
            for y0, y1 in text_rows(ink):
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
