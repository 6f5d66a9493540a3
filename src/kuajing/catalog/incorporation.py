"""Editions that incorporate sectors or scenarios of an earlier edition (Beijing 2025 takes the
five 2024 sectors as they stand). The loader checks what is incorporated exists, then gives the
incorporating edition those sectors: the same objects, not copies of the YAML, so a decision can
name both editions and counts since 1 January carry across the change of edition."""

from __future__ import annotations

from collections.abc import Callable

from kuajing.catalog.models import Entry, Incorporation, Sector, ZoneList

# (file, key path, message) -> recorded by the loader with the file's line
Report = Callable[[str, tuple[str | int, ...], str], None]


def check(lists: dict[str, ZoneList], report: Report) -> bool:
    """Every incorporation names an existing list, sector and scenario, brings no sector the
    edition defines itself, and no edition incorporates itself through others. False if any
    problem was reported."""
    by_id = {zl.id: zl for zl in lists.values()}
    ok = True
    for rel, zl in lists.items():
        own = {s.id for s in zl.sectors}
        for i, inc in enumerate(zl.incorporates):
            path: tuple[str | int, ...] = ("incorporates", i)
            source = by_id.get(inc.edition)
            if source is None or source.id == zl.id:
                report(rel, (*path, "edition"), f"unknown list {inc.edition!r} to incorporate")
                ok = False
                continue
            for j, item in enumerate(inc.sectors):
                problem = _missing(item, source, own, by_id)
                if problem:
                    report(rel, (*path, "sectors", j), problem)
                    ok = False
    for rel, zl in lists.items():
        if _cycle(zl, by_id):
            report(rel, ("incorporates",), f"list {zl.id!r} incorporates itself through others")
            ok = False
    return ok


def _missing(item: str, source: ZoneList, own: set[str], by_id: dict[str, ZoneList]) -> str | None:
    sector_id, _, scenario_id = item.partition("/")
    sector = _sector(source, sector_id, by_id, set())
    if sector is None:
        return f"list {source.id!r} has no sector {sector_id!r}"
    if scenario_id and scenario_id not in {sc.id for sc in sector.scenarios}:
        return f"sector {source.id}/{sector_id} has no scenario {scenario_id!r}"
    if sector_id in own:
        return f"sector {sector_id!r} is both defined here and incorporated from {source.id!r}"
    return None


def _sector(
    zl: ZoneList, sector_id: str, by_id: dict[str, ZoneList], seen: set[str]
) -> Sector | None:
    """The sector `zl` defines or incorporates (through any number of editions)."""
    found = next((s for s in zl.sectors if s.id == sector_id), None)
    inc = zl.incorporation_of(sector_id)
    if found is None and inc is not None and inc.edition in by_id and zl.id not in seen:
        return _sector(by_id[inc.edition], sector_id, by_id, seen | {zl.id})
    return found


def _cycle(zl: ZoneList, by_id: dict[str, ZoneList]) -> bool:
    seen, todo = set(), [inc.edition for inc in zl.incorporates]
    while todo:
        name = todo.pop()
        if name == zl.id:
            return True
        if name in seen or name not in by_id:
            continue
        seen.add(name)
        todo += [inc.edition for inc in by_id[name].incorporates]
    return False


def resolve(lists: dict[str, ZoneList]) -> dict[str, ZoneList]:
    """Each list with the sectors it incorporates appended (checked lists only)."""
    by_id = {zl.id: zl for zl in lists.values()}
    done: dict[str, ZoneList] = {}

    def resolved(list_id: str) -> ZoneList:
        if list_id not in done:
            zl = by_id[list_id]
            extra = [s for inc in zl.incorporates for s in _taken(inc, resolved(inc.edition))]
            done[list_id] = (
                zl.model_copy(update={"sectors": [*extra, *zl.sectors]}) if extra else zl
            )
        return done[list_id]

    return {rel: resolved(zl.id) for rel, zl in lists.items()}


def _taken(inc: Incorporation, source: ZoneList) -> list[Sector]:
    whole = {item for item in inc.sectors if "/" not in item}
    parts: dict[str, set[str]] = {}
    for item in inc.sectors:
        sector_id, _, scenario_id = item.partition("/")
        if scenario_id and sector_id not in whole:
            parts.setdefault(sector_id, set()).add(scenario_id)
    out = []
    for sector in source.sectors:
        if sector.id in whole:
            out.append(sector)
        elif sector.id in parts:
            out.append(_only(sector, parts[sector.id]))
    return out


def _only(sector: Sector, scenarios: set[str]) -> Sector:
    """A sector cut down to some of its scenarios, with the entries that apply to them."""

    def applies(e: Entry) -> bool:
        return e.scenarios == "all" or bool(scenarios & set(e.scenarios))

    return sector.model_copy(
        update={
            "scenarios": [sc for sc in sector.scenarios if sc.id in scenarios],
            "entries": [e for e in sector.entries if applies(e)],
        }
    )


def origin(zl: ZoneList, sector_id: str, lists: dict[str, ZoneList]) -> str:
    """The id of the list that defines `sector_id` of `zl`: `zl` itself, or, through its
    incorporations, the earliest edition that wrote the sector."""
    inc = zl.incorporation_of(sector_id)
    source = lists.get(inc.edition) if inc else None
    return zl.id if source is None else origin(source, sector_id, lists)
