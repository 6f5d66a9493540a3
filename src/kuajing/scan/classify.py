"""Deciding a column's kind from its name and its values, with a confidence.

The values decide when the name agrees or when nearly all of them match a kind that values can
show alone. A column whose name says it holds a kind keeps that kind even when its values do not
match (masked or free-text values are still that person's data), at a low confidence: reporting
too much personal data is safer than too little.
"""

from __future__ import annotations

from dataclasses import dataclass

from kuajing.catalog.personal import DataKind
from kuajing.scan.names import NameEvidence

# Share of non-empty values that must match.
ALONE = {"strong": 0.8, "weak": 0.9}  # without support from the name
WITH_NAME = {"strong": 0.5, "weak": 0.2, "name": 0.5}  # the name names the same kind
QUALITY = {"strong": 0.98, "weak": 0.8, "name": 0.8}  # how much a full match proves
BIRTH_SPAN_YEARS = 10  # dates of birth of a group of people spread over years; order dates don't


@dataclass(frozen=True)
class Counts:
    """What the detectors saw in one column."""

    checked: int  # non-empty values looked at
    matched: dict[str, int]  # kind -> values of that kind
    span_years: float | None = None  # for birth dates: latest minus earliest, in years


@dataclass(frozen=True)
class Decision:
    kind: str  # "none" when no kind fits
    confidence: float
    matched: int
    values_kind: str | None
    value_rate: float
    against_values: bool = False  # the name decided although the values do not match


def decide(name: NameEvidence | None, counts: Counts, kinds: dict[str, DataKind]) -> Decision:
    best, rate = _best(counts, kinds)
    if counts.checked == 0:
        if name is not None:
            return Decision(name.kind, round(name.score * 0.5, 2), 0, None, 0.0)
        return Decision("none", 1.0, 0, None, 0.0)
    if name is not None:
        own = counts.matched.get(name.kind, 0) / counts.checked
        evidence = kinds[name.kind].evidence
        if own >= WITH_NAME[evidence]:
            confidence = 1 - (1 - name.score) * (1 - own * QUALITY[evidence])
            return Decision(name.kind, _round(confidence), counts.matched[name.kind], best, rate)
    if best is not None and _alone(best, rate, counts, kinds):
        confidence = rate * QUALITY[kinds[best].evidence] * (0.8 if name else 1.0)
        return Decision(best, _round(confidence), counts.matched[best], best, rate)
    if name is not None:
        matched = counts.matched.get(name.kind, 0)
        return Decision(name.kind, _round(name.score * 0.5), matched, best, rate, True)
    return Decision("none", _round(1 - rate), 0, best, rate)


def _best(counts: Counts, kinds: dict[str, DataKind]) -> tuple[str | None, float]:
    if counts.checked == 0 or not counts.matched:
        return None, 0.0
    order = list(kinds)
    kind = max(counts.matched, key=lambda k: (counts.matched[k], -order.index(k)))
    if counts.matched[kind] == 0:
        return None, 0.0
    return kind, counts.matched[kind] / counts.checked


def _alone(kind: str, rate: float, counts: Counts, kinds: dict[str, DataKind]) -> bool:
    evidence = kinds[kind].evidence
    if evidence == "name" or rate < ALONE[evidence]:
        return False
    if kind == "birth_date":
        return counts.span_years is not None and counts.span_years >= BIRTH_SPAN_YEARS
    return True


def _round(value: float) -> float:
    return round(min(max(value, 0.0), 0.99), 2)
