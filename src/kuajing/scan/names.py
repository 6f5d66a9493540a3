"""Column names as evidence of a kind: 身份证号, sfzh, patient_id_card, 患者身份证号码.

Names are compared after NFKC, lower-casing and removing everything but letters and digits.
- The whole name equals a known name: strong evidence.
- A Chinese known name of two or more characters occurs inside the name (患者身份证号码): good
  evidence; the longest such name wins, so IP地址 is an IP address, not an address.
- Latin names: a known name equals a run of the name's words (patient_id_card → idcard): fair
  evidence. Short pinyin abbreviations (xm, dh) count only as the whole name: as a word they
  are too often something else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from kuajing.catalog.personal import DataKind

EXACT, CONTAINED, WORDS = 0.9, 0.8, 0.7
_SHORTEST_WORD = 3
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@dataclass(frozen=True)
class NameEvidence:
    kind: str
    score: float
    matched: str  # the known name that matched


def squash(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in text if ch.isalnum())


def name_evidence(column: str, kinds: dict[str, DataKind]) -> NameEvidence | None:
    table = _table(tuple((k, tuple(v.names)) for k, v in kinds.items()))
    key = squash(column)
    if not key:
        return None
    if key in table:
        kind, known = table[key]
        return NameEvidence(kind, EXACT, known)
    inside = [(len(k), k) for k in table if _HAN.search(k) and len(k) >= 2 and k in key]
    if inside:
        _, k = max(inside)
        return NameEvidence(table[k][0], CONTAINED, table[k][1])
    return _by_words(column, table)


def _by_words(column: str, table: dict[str, tuple[str, str]]) -> NameEvidence | None:
    words = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", column))]
    best: tuple[int, str] | None = None
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            run = "".join(words[start:end])
            if run in table and len(run) >= _SHORTEST_WORD and (best is None or len(run) > best[0]):
                best = (len(run), run)
    if best is None:
        return None
    kind, known = table[best[1]]
    return NameEvidence(kind, WORDS, known)


@cache
def _table(kinds: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, str]]:
    return {squash(name): (kind, name) for kind, names in kinds for name in names}
