"""Rows of the official columns into the body of a zone list: its list-wide entries and its
sectors with their scenarios, each entry with a stable id and its citation."""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from kuajing.catalog.importers.cells import (
    SECTOR_ALL,
    bilingual,
    clean_name,
    first_error,
    scenario_names,
)
from kuajing.catalog.importers.entries import entry, fail, review_entry
from kuajing.catalog.importers.grid import Row
from kuajing.catalog.importers.model import Document
from kuajing.catalog.importers.report import ImportReport
from kuajing.catalog.layout import (
    COMPANIES,
    DATA_COLUMNS,
    SCENARIO,
    SECTOR,
    SUB_CLASS,
    TableError,
    normal,
)
from kuajing.catalog.models import Entry


@dataclass
class Item:
    """An entry read from one row; ids are given once every row is read."""

    row: Row
    data: dict[str, Any]
    scenarios: list[str] | None


@dataclass
class _Group:
    """A sector's rows (or, with name None, the list-wide rows)."""

    name: str | None
    notes: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    def declare(self, names: list[str] | None) -> None:
        for name in names or []:
            if name not in self.scenarios:
                self.scenarios.append(name)


class _Slugs:
    """Stable ids: the ASCII words of a name, else a short hash; the hash is added on a clash."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, name: str, key: str) -> str:
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:6]
        words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", name).lower())
        slug = "-".join(words)[:40].strip("-")
        candidates = [f"{prefix}-{slug}", f"{prefix}-{slug}-{digest}"] if slug else []
        candidates += [f"{prefix}-{digest}", *(f"{prefix}-{digest}-{n}" for n in range(2, 99))]
        chosen = next(c for c in candidates if c not in self.used)
        self.used.add(chosen)
        return chosen


@dataclass
class Importer:
    """Reads the rows of one table or document (`add`), then gives the list's body (`body`)."""

    file: str
    list_id: str
    cite: list[dict[str, Any]]
    english: Mapping[str, str]
    complete: bool
    document: Document | None = None  # rows that cannot be fully read become review entries
    describe: bool = False  # thresholds and fields may be read out of the description
    groups: dict[str | None, _Group] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)

    def add(self, row: Row) -> None:
        sector = clean_name(row.get(SECTOR))
        key = None if normal(sector) in SECTOR_ALL else sector
        group = self.groups.setdefault(key, _Group(key))
        scenarios = scenario_names(row.get(SCENARIO))
        if key is None and scenarios is not None:
            raise fail(
                row, SCENARIO, "a list-wide row (no sector) covers every scenario", self.file
            )
        note = row.get(COMPANIES)
        if key is not None and note and note not in group.notes:
            group.notes.append(note)
        group.declare(scenarios)
        if any(row.get(c) for c in DATA_COLUMNS):
            group.items.append(Item(row, self.read(row), scenarios))

    def read(self, row: Row) -> dict[str, Any]:
        """The row's entry; from a document, a row that cannot be fully read is kept as an
        entry that asks for review (its condition unknown), and the report says why."""
        if row.source is not None and row.source.hold:
            return self.review(row, SUB_CLASS, row.source.hold)
        try:
            data = entry(row, self.file, self.english, self.describe)
        except TableError as exc:
            if self.document is None or row.source is None:
                raise
            return self.review(row, exc.path, exc.message)
        self.report.read(row.source)
        return data

    def review(self, row: Row, column: str, why: str) -> dict[str, Any]:
        assert row.source is not None
        self.report.review(row.source, column, why)
        return review_entry(row, column, why, self.english)

    def body(self) -> dict[str, Any]:
        counter = itertools.count(1)
        slugs, scenario_slugs = _Slugs(), _Slugs()
        wide = self.groups.get(None, _Group(None))
        entries = [self.finish(item, next(counter), {}) for item in wide.items]
        sectors = []
        for group in self.groups.values():
            if group.name is None:
                continue
            ids = {
                name: scenario_slugs.make(
                    "sc", self.english.get(name, name), f"{group.name}\x1f{name}"
                )
                for name in group.scenarios
            }
            sector_id = slugs.make("s", self.english.get(group.name, group.name), group.name)
            items = [self.finish(item, next(counter), ids) for item in group.items]
            sectors.append(self.sector(group, sector_id, ids, items))
        out: dict[str, Any] = {}
        if entries:
            out["entries"] = entries
        if sectors:
            out["sectors"] = sectors
        return out

    def finish(self, item: Item, n: int, ids: dict[str, str]) -> dict[str, Any]:
        entry_id = f"{self.list_id}-{n:03d}"
        scenarios: list[str] | str = "all"
        if item.scenarios is not None:
            scenarios = [ids[name] for name in item.scenarios]
        data = {
            "id": entry_id,
            "rule": entry_id.upper().replace("_", "-"),
            **item.data,
            "scenarios": scenarios,
            "cite": self.located(item.row),
        }
        try:
            Entry.model_validate(data)
        except ValidationError as exc:
            if self.document is None or item.row.source is None:
                raise fail(item.row, SUB_CLASS, first_error(exc), self.file) from None
            data.update(self.review(item.row, SUB_CLASS, first_error(exc)))
            data.pop("threshold", None)
        return data

    def located(self, row: Row) -> list[dict[str, Any]]:
        """The list's citation, with the page, table and row of the document it was read in."""
        if self.document is None or row.source is None:
            return self.cite
        src = row.source
        where: dict[str, Any] = {
            "sha256": self.document.sha256,
            "page": src.page,
            "table": src.table,
            "row": src.row,
            "raw": src.raw,
        }
        if src.ocr:
            where["ocr"] = True
        if src.reviewed_by:
            where.update(reviewed_by=src.reviewed_by, reviewed_at=src.reviewed_at)
        return [{**c, "document": where} for c in self.cite]

    def knowledge(self, items: list[Item], category: str) -> str:
        """What the table tells of a scope's category: partial where a row was not fully
        read, so that the national rules stand in as the stricter fallback there."""
        mine = [item for item in items if item.data["category"] == category]
        if not mine:
            return "unknown"
        unread = any(item.data["trigger"] == "unknown" for item in mine)
        return "complete" if self.complete and not unread else "partial"

    def coverage(self, items: list[Item]) -> dict[str, str]:
        return {
            "personal_information": self.knowledge(items, "personal_information"),
            "important_data": self.knowledge(items, "important_data"),
        }

    def sector(
        self, group: _Group, sector_id: str, ids: dict[str, str], entries: list[dict[str, Any]]
    ) -> dict[str, Any]:
        wide = [item for item in group.items if item.scenarios is None]
        out: dict[str, Any] = {"id": sector_id, "name": bilingual(group.name or "", self.english)}
        if group.notes:
            note = "；".join(group.notes)
            out["note"] = {"zh": note, "en": note}
        out["coverage"] = self.coverage(wide)
        out["cite"] = self.cite
        scenarios = []
        for name, scenario_id in ids.items():
            own = [i for i in group.items if i.scenarios is None or name in i.scenarios]
            scenarios.append(
                {
                    "id": scenario_id,
                    "name": bilingual(name, self.english),
                    "coverage": self.coverage(own),
                    "cite": self.cite,
                }
            )
        if scenarios:
            out["scenarios"] = scenarios
        if entries:
            out["entries"] = entries
        return out
