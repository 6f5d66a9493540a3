"""Field-name synonyms (rules/vocabulary.yaml): lets search and field matching understand
English and other names of the fields the lists use."""

from __future__ import annotations

from functools import cache

from pydantic import RootModel

from kuajing.catalog.catalog import normalise
from kuajing.catalog.loader import RULES_DIR
from kuajing.errors import CatalogError
from kuajing.yamlio import parse


class _Vocabulary(RootModel[dict[str, dict[str, list[str]]]]):
    pass


@cache
def synonyms() -> dict[str, str]:
    """Normalised synonym -> the list's own field name (itself included)."""
    path = RULES_DIR / "vocabulary.yaml"
    doc = parse(
        path.read_text(encoding="utf-8"), lambda m, ln: CatalogError(m, file=path.name, line=ln)
    )
    fields = _Vocabulary.model_validate(doc.data).root["fields"]
    out: dict[str, str] = {}
    for canonical, names in fields.items():
        for name in (canonical, *names):
            out[normalise(name)] = canonical
    return out


def canonical(field: str) -> str:
    """The list's name for a field given in any known language; the field itself otherwise."""
    return synonyms().get(normalise(field), field)
