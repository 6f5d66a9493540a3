"""Detectors, one module per kind of value (see `base` for the interface)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import get_args

from kuajing.scan.models import Kind

KINDS: tuple[str, ...] = tuple(k for k in get_args(Kind) if k != "none")


def detector(kind: str) -> ModuleType:
    """The detector module of `kind` (imported on first use)."""
    if kind not in KINDS:
        raise KeyError(kind)
    return importlib.import_module(f"kuajing.scan.detectors.{kind}")
