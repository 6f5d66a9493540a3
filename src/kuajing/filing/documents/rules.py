"""Look-ups in the catalogue by rule id: the rule's text in either language, a list entry's
data sub-class. A decision stores texts in the language it was made in; a document in the other
language takes the catalogue's text of the same rule when the decision's text is that rule's."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from kuajing.catalog.catalog import Catalog
from kuajing.catalog.models import Entry, Rule

_RULES = "kuajing.filing.documents.rules"


def _walk(value: object) -> Iterator[Rule]:
    if isinstance(value, Rule):
        yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)


def rule_index(catalog: Catalog) -> dict[str, list[Rule]]:
    """Every rule of the catalogue by id (an id may recur, e.g. one adoption rule per zone)."""
    memo = catalog.cache(_RULES)
    index: dict[str, list[Rule]] | None = memo.get("index")
    if index is None:
        index = {}
        parts: list[object] = [
            catalog.regimes,
            catalog.prohibitions,
            catalog.obligations,
            catalog.adoptions,
            list(catalog.lists.values()),
        ]
        for rule in _walk(parts):
            index.setdefault(rule.rule, []).append(rule)
        memo["index"] = index
    return index


def find_rule(catalog: Catalog, rule_id: str, text: str | None = None) -> Rule | None:
    """The rule of that id; among several, the one whose text (in either language) is `text`."""
    found = rule_index(catalog).get(rule_id, [])
    if text is not None:
        return next((r for r in found if text in (r.text.zh, r.text.en)), None)
    return found[0] if found else None


def entry_of(catalog: Catalog, rule_id: str) -> Entry | None:
    """The list entry (data sub-class) with that rule id, if the rule is one."""
    return next((r for r in rule_index(catalog).get(rule_id, []) if isinstance(r, Entry)), None)
