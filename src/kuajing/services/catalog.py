"""Views of the catalogue for `kuajing catalog …` and the API: list, coverage, show, search,
validate. Each returns typed values; the CLI decides how to print them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.catalog.catalog import normalise
from kuajing.catalog.loader import RULES_DIR, load_catalog
from kuajing.catalog.models import Entry, Sizes, ZoneList
from kuajing.catalog.vocabulary import canonical
from kuajing.errors import CatalogError, CatalogInvalid, KuajingError, NotFound
from kuajing.services.in_force import InForce, in_force


class ListSummary(BaseModel):
    id: str
    zones: list[str]
    kind: str
    scope: str
    title: str
    edition: str
    published: dt.date
    in_force_from: dt.date
    in_force_until: dt.date | None
    status: str  # in_force | superseded | not_yet_in_force
    encoded: str
    origin: str
    published_counts: Sizes
    encoded_counts: Sizes


class ListCoverage(ListSummary):
    unencoded_scenarios: list[str] = Field(default_factory=list)
    grades: dict[str, float] = Field(default_factory=dict)  # share of entries per grade


class CoverageReport(BaseModel):
    """`catalog coverage`: the lists in force at a glance, then each list."""

    in_force: InForce
    lists: list[ListCoverage]


def coverage_report(catalog: Catalog, lang: Lang, today: dt.date) -> CoverageReport:
    return CoverageReport(
        in_force=in_force(catalog, today, lang), lists=coverage(catalog, lang, today)
    )


def summaries(catalog: Catalog, lang: Lang, today: dt.date) -> list[ListSummary]:
    return [_summary(catalog, zl, lang, today) for zl in _ordered(catalog)]


def coverage(catalog: Catalog, lang: Lang, today: dt.date) -> list[ListCoverage]:
    out = []
    for zl in _ordered(catalog):
        base = _summary(catalog, zl, lang, today).model_dump()
        entries = list(Catalog.entries_of(zl))
        grades: Counter[str] = Counter(e.confidence for e in entries)
        share = {g: round(grades[g] / len(entries), 3) for g in "HMLU"} if entries else {}
        out.append(ListCoverage(**base, unencoded_scenarios=_unencoded(zl), grades=share))
    return out


def _ordered(catalog: Catalog) -> list[ZoneList]:
    return sorted(catalog.lists.values(), key=lambda z: (z.zones[0], z.in_force.start))


def _summary(catalog: Catalog, zl: ZoneList, lang: Lang, today: dt.date) -> ListSummary:
    pc = zl.published_counts
    entries = list(Catalog.entries_of(zl))
    return ListSummary(
        id=zl.id,
        zones=zl.zones,
        kind=zl.kind,
        scope=zl.scope,
        title=zl.title.get(lang),
        edition=zl.edition,
        published=zl.published,
        in_force_from=zl.in_force.start,
        in_force_until=zl.in_force.until,
        status=_status(zl, today),
        encoded=zl.encoded,
        origin=catalog.origins.get(zl.id, "shipped"),
        published_counts=Sizes(**pc.model_dump(exclude={"cite"})),
        encoded_counts=Sizes(
            sectors=len(zl.sectors),
            scenarios=sum(len(s.scenarios) for s in zl.sectors),
            items=len(entries),
            fields=len({f for e in entries for f in e.fields}),
        ),
    )


def _status(zl: ZoneList, today: dt.date) -> str:
    if today < zl.in_force.start:
        return "not_yet_in_force"
    return "in_force" if zl.in_force.covers(today) else "superseded"


def _unencoded(zl: ZoneList) -> list[str]:
    """Scopes whose personal-information entries are not (fully) encoded."""
    if zl.encoded == "headers_only":
        return [f"{zl.id}/{s.id}" for s in zl.sectors] or [zl.id]
    out = []
    for sector in zl.sectors:
        if sector.coverage.personal_information == "complete":
            continue
        scenarios = [
            sc for sc in sector.scenarios if sc.coverage.personal_information != "complete"
        ]
        if not sector.scenarios:
            out.append(f"{zl.id}/{sector.id}")
        out += [f"{zl.id}/{sector.id}/{sc.id}" for sc in scenarios]
    return out


# -- show ----------------------------------------------------------------------------------------
def show(catalog: Catalog, ident: str, lang: Lang | None = None) -> dict[str, Any]:
    """One list, sector, scenario, entry, zone or source, with its citations resolved; texts in
    `lang` only when given, else in both languages."""
    item, kind = _find(catalog, ident)
    data = item.model_dump(mode="json", by_alias=True, exclude_none=True)
    if lang is not None:
        data = _one_language(data, lang)
    if kind == "list":  # keep the header; sectors and entries are shown by their own ids
        data["sectors"] = [s["id"] for s in data.get("sectors", [])]
        data["entries"] = [e["id"] for e in data.get("entries", [])]
    sources = _sources(catalog, data)
    if lang is not None:
        sources = _one_language(sources, lang)
    return {"kind": kind, "id": ident, "item": data, "sources": sources}


def _one_language(data: Any, lang: Lang) -> Any:
    if isinstance(data, dict):
        if set(data) == {"zh", "en"}:
            return data[lang]
        return {k: _one_language(v, lang) for k, v in data.items()}
    if isinstance(data, list):
        return [_one_language(v, lang) for v in data]
    return data


def _find(catalog: Catalog, ident: str) -> tuple[BaseModel, str]:
    if ident in catalog.lists:
        return catalog.lists[ident], "list"
    if ident in catalog.zones:
        return catalog.zones[ident], "zone"
    if ident in catalog.sources:
        return catalog.sources[ident], "source"
    for zl in catalog.lists.values():
        for sector in zl.sectors:
            if ident == f"{zl.id}/{sector.id}":
                return sector, "sector"
            for sc in sector.scenarios:
                if ident == f"{zl.id}/{sector.id}/{sc.id}":
                    return sc, "scenario"
        for entry in Catalog.entries_of(zl):
            if ident in (entry.id, entry.rule):
                return entry, "entry"
    raise NotFound(f"{ident!r} is no list, sector, scenario, entry, zone or source id")


def _sources(catalog: Catalog, data: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if isinstance(data, dict):
        if "source" in data and "confidence" in data and data["source"] in catalog.sources:
            found[data["source"]] = catalog.sources[data["source"]].model_dump(
                mode="json", exclude_none=True
            )
        for value in data.values():
            found.update(_sources(catalog, value))
    elif isinstance(data, list):
        for value in data:
            found.update(_sources(catalog, value))
    return found


# -- search --------------------------------------------------------------------------------------
class Hit(BaseModel):
    kind: str  # scenario | sector | entry | field
    id: str
    name: str
    matched: str


def search(catalog: Catalog, text: str, lang: Lang) -> list[Hit]:
    """Scenarios, sectors, entries and fields whose names match `text` (Chinese or English;
    field synonyms from the vocabulary)."""
    needle = normalise(canonical(text))
    if not needle:
        raise KuajingError("search text is empty")
    hits: list[Hit] = []
    for zl in _ordered(catalog):
        for sector in zl.sectors:
            hits += _scope_hits(zl, sector, needle, lang)
        for entry in Catalog.entries_of(zl):
            hits += _entry_hits(zl, entry, needle, lang)
    return hits


def _matches(needle: str, *names: str) -> str | None:
    return next((n for n in names if needle in normalise(n)), None)


def _scope_hits(zl: ZoneList, sector: Any, needle: str, lang: Lang) -> list[Hit]:
    out = []
    m = _matches(needle, sector.id, sector.name.zh, sector.name.en, *sector.aliases)
    if m:
        out.append(
            Hit(kind="sector", id=f"{zl.id}/{sector.id}", name=sector.name.get(lang), matched=m)
        )
    for sc in sector.scenarios:
        m = _matches(needle, sc.id, sc.name.zh, sc.name.en, *sc.aliases)
        if m:
            key = f"{zl.id}/{sector.id}/{sc.id}"
            out.append(Hit(kind="scenario", id=key, name=sc.name.get(lang), matched=m))
    return out


def _entry_hits(zl: ZoneList, entry: Entry, needle: str, lang: Lang) -> list[Hit]:
    name = entry.sub_class.get(lang)
    m = _matches(needle, entry.id, entry.sub_class.zh, entry.sub_class.en, *entry.aliases)
    if m:
        return [Hit(kind="entry", id=entry.id, name=name, matched=m)]
    field = _matches(needle, *entry.fields)
    return [Hit(kind="field", id=entry.id, name=name, matched=field)] if field else []


# -- validate ------------------------------------------------------------------------------------
def validate(directory: Path | None) -> list[CatalogError]:
    """Every problem of the shipped catalogue (directory None), or of a user's directory: a full
    catalogue, or an overlay holding `lists/` (and optionally `sources.yaml`)."""
    try:
        if directory is None:
            load_catalog(RULES_DIR)
        elif (directory / "catalog.yaml").is_file():
            load_catalog(directory)
        else:
            load_catalog(RULES_DIR, [directory])
    except CatalogInvalid as exc:
        return exc.errors
    return []
