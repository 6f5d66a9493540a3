"""References to biometric data: stored face, fingerprint, iris, voiceprint, palm and gait
images or templates, and encoded feature vectors.

Two forms:

- a file name, path or URI without spaces that names a biometric modality
  (``data/biometric_terms.txt``: face, fingerprint, fp, iris, voiceprint, palmprint, gait,
  人脸 指纹 虹膜 声纹 掌纹 步态 ...) and is a stored item: it ends in an image, audio, video or
  template extension (.jpg .png .bmp .wsq .wav .amr .mp4 .bin .dat .tpl .feat .npy ...) or holds
  an id (3+ digits or 8+ hex digits after ``_ - / # : =``): ``face/2024/0001.jpg``,
  ``fp_template_0001.bin``, ``人脸特征_123.dat``, ``https://oss.example.com/iris/7f3a9c2e.png``.
- a base64 string (standard alphabet) of 128 characters or more, with upper and lower case
  letters and digits: how face and fingerprint templates and feature vectors are stored in a
  text column. This alone is weak evidence: encrypted fields, signatures and embedded images
  look the same, so the column's name has to agree before the scanner should trust it.

Not biometric: plain image names (product_001.jpg), a modality named in text (人脸识别已开通)
or alone (face), short tokens, hexadecimal digests (SHA-512 is 128 hex digits), product
images and device names (face_cream_01.jpg, 指纹锁_001.jpg, ``data/biometric_not_terms.txt``),
and model files (.onnx .pt). Bare voice recordings are personal data but not voiceprints.
`compact` strips the value and removes line breaks (base64 is often wrapped).
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from kuajing.scan.detectors.base import fail, once, terms

KIND = "biometric"
PLAUSIBLE = r"^(?:\S|[\r\n])+$"

_EXTENSIONS = (
    "jpg|jpeg|png|bmp|gif|webp|tif|tiff|heic|jp2|j2k|wsq|raw|dat|bin|tpl|tmpl|template|feat|fea"
    "|npy|iso|ansi|ist|xyt|wav|mp3|amr|m4a|flac|ogg|pcm|mp4|avi|mov"
)
_STORED = rf"\.(?:{_EXTENSIONS})(?:[?#].*)?$|[_\-/#:=](?:\d{{3,}}|[0-9a-f]{{8,}})"
_BASE64 = r"^[A-Za-z0-9+/]+={0,2}$"
_SHORTEST_BASE64 = 128
_SHORT_TERM = 3


@cache
def _modality() -> str:
    """The regex of a biometric term, on a lower-cased value with "_" for spaces and hyphens."""
    found = terms("biometric_terms.txt")
    han = "|".join(t for t in found if not t.isascii())
    words = "|".join(re.escape(t) for t in found if t.isascii() and len(t) >= _SHORT_TERM)
    short = "|".join(re.escape(t) for t in found if t.isascii() and len(t) < _SHORT_TERM)
    return rf"{han}|(?:^|[^a-z])(?:(?:{words})(?:$|[^a-z])|(?:{short})(?:$|[^a-z0-9]))"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.strip_chars().str.replace_many({"\r": "", "\n": ""})


def _file(v: pl.Expr) -> pl.Expr:
    m = v.str.to_lowercase().str.replace_many({" ": "_", "-": "_"})
    m = m.str.replace_many(dict.fromkeys(terms("biometric_not_terms.txt"), "#"))
    found = once(m, lambda m: m.str.contains(_modality()) & m.str.contains(_STORED))
    return ~v.str.contains(r"\s") & found


def _base64(v: pl.Expr) -> pl.Expr:
    mixed = v.str.contains("[A-Z]") & v.str.contains("[a-z]") & v.str.contains("[0-9]")
    return (v.str.len_bytes() >= _SHORTEST_BASE64) & v.str.contains(_BASE64) & mixed


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), lambda v: _file(v) | _base64(v)).fill_null(False)


def validate(value: str) -> str:
    v = pl.select(compact(pl.lit(value, dtype=pl.String))).item()
    if not v:
        raise fail(KIND, "length", "an empty value refers to nothing")
    if pl.select(is_valid(pl.lit(v, dtype=pl.String))).item():
        return str(v)
    if re.fullmatch(_BASE64, v) and len(v) < _SHORTEST_BASE64 and len(v) >= 32:
        raise fail(KIND, "length", f"{len(v)} base64 characters; a template has 128 or more")
    raise fail(KIND, "format", "no stored face, fingerprint, iris or voiceprint item named")
