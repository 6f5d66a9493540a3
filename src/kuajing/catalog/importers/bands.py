"""Numbers read by OCR are checked before they can decide anything: a threshold whose
confidence is low, whose amount is not a round figure, or whose band does not meet its
neighbours' (a standard-contract band's upper bound is the assessment band's lower bound) is
kept for review instead."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from kuajing.catalog.importers.importer import Importer, Item
from kuajing.catalog.layout import THRESHOLD

OCR_FLOOR = 60.0  # below this OCR confidence (0 to 100) a number read is not trusted


def _doubtful(threshold: Mapping[str, int | str], confidence: float | None) -> str | None:
    if confidence is not None and confidence < OCR_FLOOR:
        return f"read by OCR with confidence {confidence:.0f} (below {OCR_FLOOR:.0f})"
    for key in ("at_least", "more_than", "below", "at_most"):
        amount = threshold.get(key)
        if isinstance(amount, int) and len(str(amount).rstrip("0")) > 2:
            return f"{amount:,} persons is not a round figure as lists write them: a misread?"
    return None


def _interval(threshold: Mapping[str, int | str]) -> tuple[int, int | None]:
    """A band as [low, high) in persons."""
    low = int(threshold.get("at_least", int(threshold.get("more_than", -1)) + 1))
    high = threshold.get("below", None)
    if high is None and "at_most" in threshold:
        high = int(threshold["at_most"]) + 1
    return low, None if high is None else int(high)


def _unmet(items: list[Item]) -> list[Item]:
    """The items whose bands leave a gap or overlap with the next band up."""
    distinct = {_interval(i.data["threshold"]): i for i in items}  # a band given twice is one
    ordered = sorted(distinct.values(), key=lambda i: _interval(i.data["threshold"])[0])
    out: list[Item] = []
    for below, above in itertools.pairwise(ordered):
        high = _interval(below.data["threshold"])[1]
        if high != _interval(above.data["threshold"])[0]:
            out += [i for i in (below, above) if i not in out]
    return out


def check_bands(importer: Importer) -> None:
    """Keeps for review the OCR-read thresholds that fail the checks above, unless a person
    read them against the page."""
    for group in importer.groups.values():
        bands: dict[tuple[object, ...], list[Item]] = {}
        for item in group.items:
            src = item.row.source
            if src is None or not src.ocr or item.data["trigger"] != "threshold":
                continue
            if src.reviewed_by:  # a person read the number against the page
                continue
            why = _doubtful(item.data["threshold"], src.confidence)
            if why:
                item.data = importer.review(item.row, THRESHOLD, why)
                continue
            threshold = item.data["threshold"]
            key = (
                tuple(item.scenarios or ()),
                item.data["sub_class"]["zh"],
                threshold["counter"],
            )
            bands.setdefault(key, []).append(item)
        for items in bands.values():
            for item in _unmet(items):
                why = "its band does not meet the next band of the same data: a misread number?"
                item.data = importer.review(item.row, THRESHOLD, why)
