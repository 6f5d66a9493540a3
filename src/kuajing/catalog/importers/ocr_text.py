"""A cell's text from the pieces an OCR engine recognised in it: pieces in reading order, a
space only between Latin or digit runs, punctuation next to Chinese in its full-width form."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """A run of text an engine recognised: its box in pixels of the image it was given."""

    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1
    confidence: float  # 0 to 100


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


def join(parts: list[str]) -> str:
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


def text_of(pieces: list[Piece]) -> tuple[str, float | None]:
    """A cell's text and the mean confidence of its characters."""
    if not pieces:
        return "", None
    text = _normalise(join([join([p.text for p in line]) for line in _lines(pieces)]))
    weights = [max(1, len(p.text.strip())) for p in pieces]
    mean = sum(p.confidence * w for p, w in zip(pieces, weights, strict=True)) / sum(weights)
    return text, round(mean, 1)
