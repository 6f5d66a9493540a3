"""The rules catalogue: pydantic models and the strict loader of the YAML in `kuajing/rules`."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kuajing.catalog.catalog import Catalog
    from kuajing.catalog.loader import default_catalog, load_catalog

__all__ = ["Catalog", "default_catalog", "load_catalog"]
# Imported on first use: a module of the package (a scan's `personal`) must not pull in every
# catalogue model and the loader.
_HOMES = {"Catalog": "catalog", "default_catalog": "loader", "load_catalog": "loader"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
