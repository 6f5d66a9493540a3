"""A zone list as rows of the official columns, the inverse of the import (`lists`): reading
the rows back gives the same list; and the rows written as CSV or XLSX (`formats.WRITERS`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from kuajing.catalog.importers.cells import (
    ALL_SCENARIOS,
    ALL_SECTORS,
    CATEGORY_LABELS,
    PATHWAY_LABELS,
)
from kuajing.catalog.importers.formats import WRITERS
from kuajing.catalog.importers.thresholds import ANY_AMOUNT, UNREADABLE, format_threshold, row_hint
from kuajing.catalog.layout import (
    CATEGORY,
    COLUMNS,
    COMPANIES,
    DESCRIPTION,
    FIELDS,
    PATHWAY,
    SCENARIO,
    SECTOR,
    SUB_CLASS,
    THRESHOLD,
    TableError,
)
from kuajing.catalog.models import Entry, Sector, ZoneList


def _declare_before(order: list[str], seen: set[str], cell: list[str]) -> list[str]:
    """Scenarios to declare before a row naming `cell`, so that re-reading the rows lists the
    sector's scenarios in `order`."""
    new = [s for s in dict.fromkeys(cell) if s not in seen]
    pending = [s for s in order if s not in seen]
    if not new or pending[: len(new)] == new:
        return []
    last = max((order.index(s) for s in new if s in order), default=-1)
    return [s for s in order[: last + 1] if s not in seen]


def _row(sector: str, note: str, scenario: str = "") -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update({SECTOR: sector, COMPANIES: note, SCENARIO: scenario})
    return row


def _entry_row(entry: Entry, sector: str, note: str, names: Mapping[str, str]) -> dict[str, str]:
    scenarios = (
        ALL_SCENARIOS
        if entry.scenarios == "all"
        else "；".join(names.get(s, s) for s in entry.scenarios)
    )
    category = CATEGORY_LABELS[entry.category]
    threshold = {"scenario": ANY_AMOUNT, "unknown": UNREADABLE}.get(entry.trigger, "")
    if entry.threshold is not None:
        hint = row_hint(entry.category, category, entry.sub_class.zh)
        threshold = format_threshold(entry.threshold, hint)
    row = _row(sector, note, scenarios)
    row.update(
        {
            PATHWAY: PATHWAY_LABELS[entry.pathway],
            CATEGORY: category,
            SUB_CLASS: entry.sub_class.zh,
            DESCRIPTION: entry.description.zh if entry.description else "",
            FIELDS: "、".join(entry.fields),
            THRESHOLD: threshold,
        }
    )
    return row


def _sector_rows(sector: Sector) -> list[dict[str, str]]:
    names = {sc.id: sc.name.zh for sc in sector.scenarios}
    order = list(dict.fromkeys(names.values()))
    note = sector.note.zh if sector.note else ""
    seen: set[str] = set()
    rows = []
    for entry in sector.entries:
        cell = [] if entry.scenarios == "all" else [names.get(s, s) for s in entry.scenarios]
        for name in _declare_before(order, seen, cell):
            rows.append(_row(sector.name.zh, note, name))
            seen.add(name)
        seen.update(cell)
        rows.append(_entry_row(entry, sector.name.zh, note, names))
    rows.extend(_row(sector.name.zh, note, name) for name in order if name not in seen)
    return rows or [_row(sector.name.zh, note)]


def export_table(zone_list: ZoneList) -> list[dict[str, str]]:
    """The list as table rows in the official columns: list-wide entries first, then each
    sector's entries; scenarios without entries get a row of their own."""
    rows = [_entry_row(e, ALL_SECTORS, "", {}) for e in zone_list.entries]
    for sector in zone_list.sectors:
        rows.extend(_sector_rows(sector))
    return rows


def write_table(rows: Sequence[Mapping[str, str]], path: Path) -> None:
    """Write rows in the official columns: CSV (UTF-8 with BOM) or XLSX, by the file suffix;
    no cell is ever a formula (`kuajing.spreadsheet`)."""
    suffix = path.suffix.lower()
    if suffix not in WRITERS:
        raise TableError(
            f"unsupported table format {suffix!r}: use {' or '.join(WRITERS)}", file=path.name
        )
    table = [list(COLUMNS), *([row.get(c, "") for c in COLUMNS] for row in rows)]
    WRITERS[suffix].load()(path, table)
