"""Load an official list table into a user's overlay directory, and export a list as a table.
Nothing is half-written: the overlay is validated with the new files in a scratch copy first."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

import yaml

from kuajing.catalog import Catalog
from kuajing.catalog.base import Cite, Confidence, Text
from kuajing.catalog.importers.export import export_table, write_table
from kuajing.catalog.importers.formats import WRITERS
from kuajing.catalog.importers.lists import read_list
from kuajing.catalog.importers.report import ImportReport
from kuajing.catalog.loader import RULES_DIR, load_catalog
from kuajing.errors import CatalogInvalid, KuajingError
from kuajing.fileio import write_text_atomic


def import_into_overlay(
    table: Path,
    list_id: str,
    overlay: Path,
    *,
    zone: str,
    title: Text,
    edition: str,
    published: dt.date,
    in_force_from: dt.date,
    in_force_until: dt.date | None,
    source: str,
    source_title: str | None,
    source_url: str | None,
    confidence: Confidence,
    kind: Literal["negative", "general"] = "negative",
    supersedes: str | None = None,
) -> tuple[Path, ImportReport]:
    """Write `overlay/lists/<zone>/<list_id>.yaml` (and the source into `overlay/sources.yaml`
    when it is new); return the list file and what became of each row of a document. Raises
    before writing anything if the result would not validate with the shipped catalogue."""
    imported = read_list(
        table, list_id, zone,
        title=title, edition=edition, published=published, in_force_from=in_force_from,
        in_force_until=in_force_until, cite=Cite(source=source, confidence=confidence),
        kind=kind, supersedes=supersedes,
    )  # fmt: skip
    files = {Path("lists") / zone / f"{list_id}.yaml": _dump(imported.data)}
    sources = _sources_with(overlay, source, source_title, source_url, table.name)
    if sources is not None:
        files[Path("sources.yaml")] = _dump({"sources": sources})
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "overlay"
        if overlay.is_dir():
            shutil.copytree(overlay, trial)
        _write(trial, files)
        try:
            load_catalog(RULES_DIR, [trial])
        except CatalogInvalid as exc:  # name the user's overlay, not the scratch copy
            for err in exc.errors:
                err.file = (err.file or "").replace(str(trial), str(overlay))
            raise CatalogInvalid(exc.errors) from None
    _write(overlay, files)
    return overlay / "lists" / zone / f"{list_id}.yaml", imported.report


def _sources_with(
    overlay: Path, source: str, title: str | None, url: str | None, table: str
) -> dict[str, Any] | None:
    """The overlay's sources with `source` added, or None when it is already known."""
    path = overlay / "sources.yaml"
    existing: dict[str, Any] = {}
    if path.is_file():
        existing = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources", {})
    if source in existing or source in load_catalog(RULES_DIR).sources:
        return None
    if not title:
        raise KuajingError(f"--source {source!r} is new: give --source-title (and --source-url)")
    entry: dict[str, Any] = {"title": {"zh": title, "en": title}}
    entry.update(
        {"url": url}
        if url
        else {"issuer": "official table", "reference": f"official table {table}"}
    )
    return {**existing, source: entry}


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _write(root: Path, files: dict[Path, str]) -> None:
    for rel, text in files.items():
        write_text_atomic(root / rel, text)


def export_list(catalog: Catalog, list_id: str, out: Path) -> int:
    """Write the list as an official-layout table (CSV or XLSX by suffix); return the rows."""
    if list_id not in catalog.lists:
        raise KuajingError(f"unknown list {list_id!r}")
    if out.suffix.lower() not in WRITERS:
        raise KuajingError(f"{out}: the table must end in {' or '.join(WRITERS)}")
    rows = export_table(catalog.lists[list_id])
    write_table(rows, out)
    return len(rows)
