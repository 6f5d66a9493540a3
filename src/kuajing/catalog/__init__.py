"""The rules catalogue: pydantic models and the strict loader of the YAML in `kuajing/rules`."""

from kuajing.catalog.catalog import Catalog
from kuajing.catalog.loader import default_catalog, load_catalog

__all__ = ["Catalog", "default_catalog", "load_catalog"]
