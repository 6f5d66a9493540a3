"""Strict loader of a catalogue directory. Every problem names its file, line and key path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, Field

from kuajing.catalog import incorporation
from kuajing.catalog.base import Strict
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.checks import cross_check
from kuajing.catalog.models import (
    Adoption,
    City,
    NationalRegime,
    Obligation,
    PersonalData,
    Prohibition,
    Source,
    Zone,
    ZoneList,
)
from kuajing.catalog.personal import default_personal_data as default_personal_data  # noqa: PLC0414
from kuajing.catalog.procedure_checks import Located, check_procedures
from kuajing.catalog.procedures import Procedure, Procedures
from kuajing.catalog.reader import RULES_DIR as RULES_DIR  # noqa: PLC0414
from kuajing.catalog.reader import Reader
from kuajing.catalog.sources import Sources as _Sources
from kuajing.errors import CatalogError, CatalogInvalid

M = TypeVar("M", bound=BaseModel)


class _Meta(Strict):
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    released: dt.date


class _Prohibitions(Strict):
    prohibitions: list[Prohibition]


class _Obligations(Strict):
    obligations: list[Obligation]


class _Zones(Strict):
    cities: list[City] = Field(default_factory=list)
    zones: list[Zone]
    adoptions: list[Adoption] = Field(default_factory=list)


def load_catalog(root: Path | str = RULES_DIR, overlays: Sequence[Path | str] = ()) -> Catalog:
    """Load and cross-check a catalogue directory and any overlay directories (each may hold
    `sources.yaml` and `lists/`; an overlay list replaces the list with the same id). Raise
    `CatalogInvalid` listing every problem."""
    base, reader = Path(root), Reader()
    meta = reader.read(base / "catalog.yaml", "catalog.yaml", _Meta)
    sources = reader.read(base / "sources.yaml", "sources.yaml", _Sources)
    regimes = _read_all(reader, base, "national/regimes", NationalRegime)
    prohibitions = reader.read(
        base / "national/prohibitions.yaml", "national/prohibitions.yaml", _Prohibitions
    )
    obligations = reader.read(
        base / "national/obligations.yaml", "national/obligations.yaml", _Obligations
    )
    zones = reader.read(base / "zones.yaml", "zones.yaml", _Zones)
    personal = reader.read(base / "personal_data.yaml", "personal_data.yaml", PersonalData)
    lists = _read_all(reader, base, "lists", ZoneList)
    procedures = _read_all(reader, base, "procedures", Procedures)
    located: Located = {}
    origins = {zl.id: "shipped" for zl in lists.values()}
    all_sources = dict(sources.sources) if sources else {}
    for overlay in map(Path, overlays):
        _overlay(reader, overlay, all_sources, lists, origins)
    if reader.errors or not (
        meta and sources and prohibitions and obligations and zones and personal
    ):
        raise CatalogInvalid(reader.errors or [CatalogError("catalogue incomplete")])
    if not incorporation.check(lists, reader.error):
        raise CatalogInvalid(reader.errors)
    catalog = Catalog(
        version=meta.version,
        released=meta.released,
        digest=reader.hash.hexdigest()[:12],
        sources=all_sources,
        regimes=sorted(regimes.values(), key=lambda r: r.in_force.start),
        prohibitions=prohibitions.prohibitions,
        obligations=obligations.obligations,
        zones={z.id: z for z in zones.zones},
        cities={c.id: c for c in zones.cities},
        adoptions=zones.adoptions,
        lists={z.id: z for z in incorporation.resolve(lists).values()},
        origins=origins,
        personal_data=personal,
        procedures=_procedures(reader, procedures, located),
    )
    cross_check(catalog, reader, regimes, lists)
    check_procedures(catalog, reader, located)
    if reader.errors:
        raise CatalogInvalid(reader.errors)
    return catalog


def _procedures(
    reader: Reader, files: dict[str, Procedures], located: Located
) -> dict[str, Procedure]:
    found: dict[str, Procedure] = {}
    for rel, file in files.items():
        for i, procedure in enumerate(file.procedures):
            if procedure.id in found:
                reader.error(rel, ("procedures", i, "id"), f"procedure {procedure.id!r} twice")
            found[procedure.id] = procedure
            located[procedure.id] = (rel, i)
    return found


def _overlay(
    reader: Reader,
    overlay: Path,
    sources: dict[str, Source],
    lists: dict[str, ZoneList],
    origins: dict[str, str],
) -> None:
    label = f"{overlay}/"
    if not overlay.is_dir():
        reader.errors.append(CatalogError("overlay is not a directory", file=str(overlay)))
        return
    if (overlay / "sources.yaml").is_file():
        rel = label + "sources.yaml"
        extra = reader.read(overlay / "sources.yaml", rel, _Sources)
        for key, source in (extra.sources if extra else {}).items():
            if key in sources and sources[key] != source:
                reader.error(rel, ("sources", key), f"source id {key!r} is already defined")
            sources[key] = source
    for rel, zl in _read_all(reader, overlay, "lists", ZoneList, label).items():
        for old in [k for k, v in lists.items() if v.id == zl.id]:
            del lists[old]
        lists[rel] = zl
        origins[zl.id] = str(overlay)


def _read_all(
    reader: Reader, base: Path, folder: str, model: type[M], label: str = ""
) -> dict[str, M]:
    out: dict[str, M] = {}
    top = base / folder
    for path in sorted(top.rglob("*.yaml")) if top.is_dir() else []:
        rel = label + path.relative_to(base).as_posix()
        item = reader.read(path, rel, model)
        if item is not None:
            out[rel] = item
    return out


def default_catalog() -> Catalog:
    """The catalogue shipped with kuajing, loaded once per process."""
    return catalog_with(())


@cache
def catalog_with(overlays: tuple[str, ...]) -> Catalog:
    """The shipped catalogue plus overlay directories, loaded once per process."""
    return load_catalog(RULES_DIR, overlays)
