"""`kuajing catalog diff A B`: what changed between two list editions or two catalogue versions,
and which decisions on given requests would change."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import BaseModel, Field

from kuajing.catalog import Catalog
from kuajing.catalog.loader import RULES_DIR, load_catalog
from kuajing.catalog.models import Entry, ZoneList
from kuajing.engine import assess
from kuajing.errors import KuajingError
from kuajing.services.assess import parse_request, read_file


class EntryChange(BaseModel):
    key: str
    before: str | None = None
    after: str | None = None


class ListDiff(BaseModel):
    a: str
    b: str
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    changed: list[EntryChange] = Field(default_factory=list)


class DecisionChange(BaseModel):
    request: str
    transfer: str
    before: str
    after: str


class CatalogDiff(BaseModel):
    lists_added: list[str] = Field(default_factory=list)
    lists_removed: list[str] = Field(default_factory=list)
    lists: list[ListDiff] = Field(default_factory=list)
    decisions: list[DecisionChange] = Field(default_factory=list)


def _key(sector: str, e: Entry) -> str:
    """Entries are matched across editions by what they govern, not by their ids."""
    scope = "all" if e.scenarios == "all" else ",".join(sorted(e.scenarios))
    what = e.threshold.counter if e.threshold else e.sub_class.zh
    return f"{sector}|{scope}|{e.category}|{e.pathway.value}|{what}"


def _describe(e: Entry) -> str:
    bounds = e.threshold.model_dump(exclude_none=True) if e.threshold else e.trigger
    return f"{e.id}: {bounds}; fields {sorted(e.fields)}"


def _entries(zl: ZoneList) -> dict[str, Entry]:
    out = {_key("*", e): e for e in zl.entries}
    out.update({_key(s.id, e): e for s in zl.sectors for e in s.entries})
    return out


def diff_lists(a: ZoneList, b: ZoneList) -> ListDiff:
    ea, eb = _entries(a), _entries(b)
    changed = [
        EntryChange(key=k, before=_describe(ea[k]), after=_describe(eb[k]))
        for k in sorted(ea.keys() & eb.keys())
        if _describe(ea[k]).split(":", 1)[1] != _describe(eb[k]).split(":", 1)[1]
    ]
    return ListDiff(
        a=a.id,
        b=b.id,
        added=[_describe(eb[k]) for k in sorted(eb.keys() - ea.keys())],
        removed=[_describe(ea[k]) for k in sorted(ea.keys() - eb.keys())],
        changed=changed,
    )


def diff(catalog: Catalog, a: str, b: str, requests: list[Path]) -> CatalogDiff:
    """A and B are two list ids of `catalog` (B's entries judged in A's place and dates), or two
    catalogue directories (a full catalogue, or an overlay of the shipped one)."""
    if a in catalog.lists and b in catalog.lists:
        before, after = catalog, _swapped(catalog, catalog.lists[a], catalog.lists[b])
        result = CatalogDiff(lists=[diff_lists(catalog.lists[a], catalog.lists[b])])
    elif Path(a).is_dir() and Path(b).is_dir():
        before, after = _load(Path(a)), _load(Path(b))
        result = _diff_catalogs(before, after)
    else:
        raise KuajingError(f"{a!r} and {b!r} must both be list ids or both be directories")
    result.decisions = _decisions(before, after, requests)
    return result


def _load(directory: Path) -> Catalog:
    if (directory / "catalog.yaml").is_file():
        return load_catalog(directory)
    return load_catalog(RULES_DIR, [directory])


def _swapped(catalog: Catalog, a: ZoneList, b: ZoneList) -> Catalog:
    """The catalogue with B's content standing in for A (A's id, zones and dates)."""
    stand_in = b.model_copy(update={"id": a.id, "zones": a.zones, "in_force": a.in_force})
    lists = {**catalog.lists, a.id: stand_in}
    fields = {f.name: getattr(catalog, f.name) for f in dataclasses.fields(catalog) if f.init}
    fields.update(lists=lists, memo={}, digest=f"{catalog.digest}~{b.id}")
    return Catalog(**{k: v for k, v in fields.items() if not k.startswith("_")})


def _diff_catalogs(before: Catalog, after: Catalog) -> CatalogDiff:
    common = sorted(before.lists.keys() & after.lists.keys())
    return CatalogDiff(
        lists_added=sorted(after.lists.keys() - before.lists.keys()),
        lists_removed=sorted(before.lists.keys() - after.lists.keys()),
        lists=[
            d
            for d in (diff_lists(before.lists[i], after.lists[i]) for i in common)
            if d.added or d.removed or d.changed
        ],
    )


def _decisions(before: Catalog, after: Catalog, requests: list[Path]) -> list[DecisionChange]:
    out = []
    for path in requests:
        request = parse_request(read_file(path), str(path))
        old, new = assess(request, before), assess(request, after)
        for t_old, t_new in zip(old.transfers, new.transfers, strict=True):
            was, now = (
                f"{t_old.pathway.value}/{t_old.status}",
                f"{t_new.pathway.value}/{t_new.status}",
            )
            if was != now:
                out.append(
                    DecisionChange(request=str(path), transfer=t_old.id, before=was, after=now)
                )
    return out
