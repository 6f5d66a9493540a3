"""Integrity checks across catalogue files: citations resolve, ids are unique, periods do not
overlap, and every name a file refers to exists."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from kuajing.catalog.base import Period, Threshold, iter_cites
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.models import Entry, NationalRegime, SensitiveDefinition, ZoneList
from kuajing.catalog.reader import Reader
from kuajing.yamlio import Path as KeyPath


def cross_check(
    catalog: Catalog,
    reader: Reader,
    regimes: dict[str, NationalRegime],
    lists: dict[str, ZoneList],
) -> None:
    for rel, model in reader.models.items():
        for path, cite in iter_cites(model):
            if cite.source not in catalog.sources:
                reader.error(rel, (*path, "source"), f"unknown source {cite.source!r}")
    _check_bases(catalog, reader)
    _check_periods(reader, [(rel, r.id, r.in_force) for rel, r in regimes.items()], "regime")
    for rel, regime in regimes.items():
        bands: list[tuple[KeyPath, Threshold]] = [
            (("thresholds", i), t.threshold) for i, t in enumerate(regime.thresholds)
        ]
        _check_bands(reader, rel, bands)
    _check_lists(catalog, reader, lists)
    _check_adoptions(catalog, reader)
    _check_cities(catalog, reader)
    _check_sensitive_definitions(catalog, reader, lists)


def _check_bases(catalog: Catalog, reader: Reader) -> None:
    """An interpretation reads documents the register has (not other interpretations)."""
    for key, source in catalog.sources.items():
        for i, ident in enumerate(source.basis):
            read = catalog.sources.get(ident)
            if read is None or read.kind != "document":
                where = ("sources", key, "basis", i)
                reader.error("sources.yaml", where, f"basis {ident!r} is not a document")


def _check_periods(reader: Reader, items: list[tuple[str, str, Period]], what: str) -> None:
    ordered = sorted(items, key=lambda t: t[2].start)
    for (_, a_id, a), (rel, b_id, b) in pairwise(ordered):
        if a.until is None or a.until >= b.start:
            reader.error(rel, ("in_force",), f"{what} {b_id!r} overlaps {a_id!r}")


def _check_lists(catalog: Catalog, reader: Reader, lists: dict[str, ZoneList]) -> None:
    ids = Counter(zl.id for zl in lists.values())
    entry_ids = Counter(e.id for zl in lists.values() for e in Catalog.entries_of(zl))
    for rel, zl in lists.items():
        if ids[zl.id] > 1:
            reader.error(rel, ("id",), f"list id {zl.id!r} is used by more than one file")
        for i, zone in enumerate(zl.zones):
            if zone not in catalog.zones:
                reader.error(rel, ("zones", i), f"unknown zone {zone!r}")
        if zl.supersedes and zl.supersedes not in catalog.lists:
            reader.error(rel, ("supersedes",), f"unknown list {zl.supersedes!r}")
        for i, entry in enumerate(zl.entries):
            if entry.scenarios != "all":
                reader.error(rel, ("entries", i, "scenarios"), "list-wide entries cover 'all'")
        _check_sectors(reader, rel, zl, entry_ids)
        _check_entry_bands(reader, rel, zl)
    for zone in catalog.zones:  # one negative list in force per zone at a time (editions)
        same = [
            (rel, z.id, z.in_force)
            for rel, z in lists.items()
            if zone in z.zones and z.kind == "negative"
        ]
        _check_periods(reader, same, f"negative list of zone {zone!r}:")


def _check_sectors(reader: Reader, rel: str, zl: ZoneList, entry_ids: Counter[str]) -> None:
    for dup in _dups(s.id for s in zl.sectors):
        reader.error(rel, ("sectors",), f"sector id {dup!r} is used twice")
    for si, sector in enumerate(zl.sectors):
        known = {sc.id for sc in sector.scenarios}
        for dup in _dups(sc.id for sc in sector.scenarios):
            reader.error(rel, ("sectors", si, "scenarios"), f"scenario id {dup!r} is used twice")
        for ei, entry in enumerate(sector.entries):
            path = ("sectors", si, "entries", ei)
            if entry_ids[entry.id] > 1:
                reader.error(rel, (*path, "id"), f"entry id {entry.id!r} is used twice")
            for sc in [] if entry.scenarios == "all" else entry.scenarios:
                if sc not in known:
                    reader.error(rel, (*path, "scenarios"), f"unknown scenario {sc!r}")


def _check_entry_bands(reader: Reader, rel: str, zl: ZoneList) -> None:
    """Personal-information bands of one scope and counter must neither overlap nor leave a gap
    between them (below the lowest band the data is off the list, which is allowed)."""
    scopes: list[tuple[KeyPath, list[Entry]]] = [((), zl.entries)]
    scopes += [(("sectors", si), sector.entries) for si, sector in enumerate(zl.sectors)]
    for prefix, entries in scopes:
        groups: dict[tuple[object, ...], list[tuple[KeyPath, Threshold]]] = {}
        for ei, e in enumerate(entries):
            if e.category == "personal_information" and e.threshold is not None:
                scope = "all" if e.scenarios == "all" else tuple(sorted(e.scenarios))
                key = (scope, e.threshold.counter)
                path = (*prefix, "entries", ei, "threshold")
                groups.setdefault(key, []).append((path, e.threshold))
        for bands in groups.values():
            _check_bands(reader, rel, bands)


def _check_bands(reader: Reader, rel: str, bands: list[tuple[KeyPath, Threshold]]) -> None:
    by_counter: dict[str, list[tuple[KeyPath, Threshold]]] = {}
    for band in bands:
        by_counter.setdefault(band[1].counter, []).append(band)
    for group in by_counter.values():
        ordered = sorted(group, key=lambda b: b[1].band()[0])
        for (_, a), (path, b) in pairwise(ordered):
            a_high, b_low = a.band()[1], b.band()[0]
            if a_high is None or a_high >= b_low:
                reader.error(rel, path, f"threshold band overlaps another band of {b.counter!r}")
            elif a_high + 1 < b_low:
                reader.error(
                    rel, path, f"gap between bands of {b.counter!r}: {a_high + 1} to {b_low - 1}"
                )


def _check_adoptions(catalog: Catalog, reader: Reader) -> None:
    for i, adoption in enumerate(catalog.adoptions):
        if adoption.zone not in catalog.zones:
            reader.error("zones.yaml", ("adoptions", i, "zone"), f"unknown zone {adoption.zone!r}")
        for name in [] if adoption.lists == "any" else adoption.lists:
            if name not in catalog.lists:
                reader.error("zones.yaml", ("adoptions", i, "lists"), f"unknown list {name!r}")


def _check_cities(catalog: Catalog, reader: Reader) -> None:
    for i, zone in enumerate(catalog.zones.values()):
        if zone.city is not None and zone.city not in catalog.cities:
            reader.error("zones.yaml", ("zones", i, "city"), f"unknown city {zone.city!r}")
    for rel, zl in reader.models.items():
        if not isinstance(zl, ZoneList) or zl.applicability.area != "city":
            continue
        if not any(catalog.zones[z].city for z in zl.zones if z in catalog.zones):
            reader.error(rel, ("applicability", "area"), "city-wide, but no zone has a city")


def _check_sensitive_definitions(
    catalog: Catalog, reader: Reader, lists: dict[str, ZoneList]
) -> None:
    """A list's own definition of sensitive PI names kinds the scanner knows."""
    kinds = catalog.personal_data.kinds if catalog.personal_data else {}
    for rel, zl in lists.items():
        found: list[tuple[KeyPath, SensitiveDefinition]] = []
        if zl.sensitive_pi:
            found.append((("sensitive_pi",), zl.sensitive_pi))
        found += [
            (("sectors", si, "sensitive_pi"), sector.sensitive_pi)
            for si, sector in enumerate(zl.sectors)
            if sector.sensitive_pi
        ]
        for path, definition in found:
            for kind in definition.kinds:
                if kind not in kinds:
                    reader.error(rel, (*path, "kinds", kind), f"unknown data kind {kind!r}")


def _dups(ids: object) -> list[str]:
    return [k for k, n in Counter(ids).items() if n > 1]  # type: ignore[call-overload]
