"""A list table or document as the YAML-ready data of a `ZoneList`, validated, and the report
of what became of each row.

A table has one row per list entry, in the columns of the official layout (`COLUMNS`). Rows whose
data columns are all empty only declare their sector or scenario. Sector cells such as 全部行业领域
(or an empty cell) make list-wide entries; scenario cells such as 全部场景 (or an empty cell) make
entries that apply to every scenario of the sector. Several scenarios in one cell are separated by
；. Ids are generated deterministically, so importing the export of an import gives the same data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from kuajing.catalog.base import Cite, Text
from kuajing.catalog.importers.bands import check_bands
from kuajing.catalog.importers.cells import first_error
from kuajing.catalog.importers.grid import Loaded
from kuajing.catalog.importers.importer import Importer
from kuajing.catalog.importers.load import load_table
from kuajing.catalog.importers.model import Limits
from kuajing.catalog.importers.report import ImportReport
from kuajing.catalog.layout import REQUIRED, THRESHOLD, TableError
from kuajing.catalog.models import ZoneList

_DEFAULT_SCOPE = Text(
    zh="适用于在本自由贸易试验区注册、开展数据出境活动的数据处理者。",
    en="Applies to data handlers registered in the free trade zone that export data.",
)


def _counts(body: dict[str, Any], cite: list[dict[str, Any]]) -> dict[str, Any]:
    sectors = body.get("sectors", [])
    entries = [*body.get("entries", []), *(e for s in sectors for e in s.get("entries", []))]
    return {
        "sectors": len(sectors),
        "scenarios": sum(len(s.get("scenarios", [])) for s in sectors),
        "sub_classes": len({e["sub_class"]["zh"] for e in entries}),
        "items": len(entries),
        "fields": sum(len(e.get("fields", [])) for e in entries),
        "cite": cite,
    }


def read_list(
    path: Path, list_id: str, zone: str, *, limits: Limits | None = None, **header: Any
) -> Imported:
    """A list table or document as the YAML-ready data of a `ZoneList` (validated), and the
    report of what became of each row (`list_from` takes the same `header`)."""
    return list_from(load_table(path, limits), path.name, list_id, zone, **header)


def list_from(
    loaded: Loaded,
    file: str,
    list_id: str,
    zone: str,
    *,
    title: Text,
    edition: str,
    published: dt.date,
    in_force_from: dt.date,
    cite: Cite,
    in_force_until: dt.date | None = None,
    kind: Literal["negative", "general"] = "negative",
    scope: Literal["sectors", "comprehensive"] = "sectors",
    supersedes: str | None = None,
    applicability: Text | None = None,
    english: Mapping[str, str] | None = None,
    complete: bool = True,
) -> Imported:
    """Rows loaded from `file` as the YAML-ready data of a `ZoneList` (validated), and the
    report of what became of each row. Every item cites `cite`; from a document, with the page,
    table and row it was read in, and a row that cannot be fully read is kept as an entry that
    answers needs_review, its text kept (a CSV or XLSX table stops at such a row instead).
    `english` gives English names of sectors, scenarios and sub-classes by their Chinese text
    (lacking one, name.en repeats the Chinese). `complete` says the table is the whole list, so
    the scopes it gives rows for have complete coverage (else partial)."""
    cites = [cite.model_dump(exclude_none=True)]
    importer = _imported(loaded, file, list_id, cites, english or {}, complete)
    body = importer.body()
    data: dict[str, Any] = {
        "id": list_id,
        "zones": [zone],
        "kind": kind,
        "scope": scope,
        "title": title.model_dump(),
        "edition": edition,
        "published": published.isoformat(),
        "in_force": _in_force(in_force_from, in_force_until),
        **({"supersedes": supersedes} if supersedes else {}),
        "encoded": "entries",
        "cite": cites,
        "applicability": _applicability(list_id, applicability or _DEFAULT_SCOPE, cites),
        "published_counts": _counts(body, cites),
        **body,
    }
    try:
        ZoneList.model_validate(data)
    except ValidationError as exc:
        raise TableError(first_error(exc), file=file) from None
    return Imported(data, _report(importer, loaded))


def _imported(
    loaded: Loaded,
    file: str,
    list_id: str,
    cites: list[dict[str, Any]],
    english: Mapping[str, str],
    complete: bool,
) -> Importer:
    """The rows read, the OCR-read numbers checked; refused when the list id or the header
    row will not do."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", list_id):
        raise TableError(f"list id {list_id!r} is not lower-case letters, digits, - and _")
    missing = [c for c in REQUIRED if c not in loaded.columns]
    if missing:
        raise TableError(f"the header row lacks {', '.join(missing)}", file=file)
    document = loaded.document
    importer = Importer(
        file, list_id, cites, english, complete, document,
        describe=document is not None or THRESHOLD not in loaded.columns,
    )  # fmt: skip
    for row in loaded.rows:
        importer.add(row)
    check_bands(importer)
    return importer


def _in_force(start: dt.date, until: dt.date | None) -> dict[str, str]:
    in_force = {"from": start.isoformat()}
    if until is not None:
        in_force["until"] = until.isoformat()
    return in_force


def _applicability(list_id: str, text: Text, cites: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "registered_in_zone": {
            "rule": f"{list_id.upper().replace('_', '-')}-SCOPE",
            "text": text.model_dump(),
            "cite": cites,
        }
    }


def _report(importer: Importer, loaded: Loaded) -> ImportReport:
    report = importer.report
    document = loaded.document
    if document is not None:
        report.format, report.sha256 = document.format, document.sha256
        report.pages = document.pages
    report.notes.extend(loaded.notes)
    return report


@dataclass(frozen=True)
class Imported:
    data: dict[str, Any]  # the list, YAML-ready
    report: ImportReport


def import_table(path: Path, list_id: str, zone: str, **options: Any) -> dict[str, Any]:
    """`read_list`'s list data alone."""
    return read_list(path, list_id, zone, **options).data
