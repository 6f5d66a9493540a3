"""Every detector against its corpus (tests/scan/corpus/<kind>.yaml): the vectorised `is_valid`
and the one-value `validate` must agree with the corpus and with each other."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from kuajing.errors import InvalidValue
from kuajing.scan.detectors import KINDS, detector
from kuajing.scan.detectors.base import on_series

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["kind"] == path.stem
    return data


def _items(items: list[Any]) -> list[dict[str, Any]]:
    return [i if isinstance(i, dict) else {"value": i} for i in items]


def test_every_kind_has_a_corpus() -> None:
    assert sorted(p.stem for p in FILES) == sorted(KINDS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_corpus(path: Path) -> None:
    data = _load(path)
    module = detector(data["kind"])
    valid, invalid = _items(data["valid"]), _items(data["invalid"])
    assert len(valid) >= 5 and len(invalid) >= 5, "a corpus needs 5 positives and 5 negatives"
    values = pl.Series("v", [i["value"] for i in valid + invalid], dtype=pl.String)
    found = on_series(module.is_valid, values).to_list()
    compacted = on_series(module.compact, values).to_list()
    for item, hit, compact in zip(valid + invalid, found, compacted, strict=True):
        expected = item in valid
        if expected:  # the scanner runs is_valid only where PLAUSIBLE matches
            assert re.search(module.PLAUSIBLE, item["value"].strip()), item["value"]
        assert hit is expected, f"is_valid({item['value']!r}) is {hit}"
        if expected:
            assert module.validate(item["value"]) == item.get("compact", compact)
            if "compact" in item:
                assert compact == item["compact"]
        else:
            with pytest.raises(InvalidValue) as caught:
                module.validate(item["value"])
            assert caught.value.kind == data["kind"]
            if "reason" in item:
                assert caught.value.reason == item["reason"], item["value"]


@pytest.mark.parametrize("kind", KINDS)
def test_nulls_are_not_valid(kind: str) -> None:
    module = detector(kind)
    values = pl.Series("v", [None, ""], dtype=pl.String)
    assert on_series(module.is_valid, values).to_list() == [False, False]
