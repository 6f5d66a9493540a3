"""Strict loader of a catalogue directory. Every problem names its file, line and key path."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from kuajing.catalog.base import Cite, Strict
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.models import (
    Adoption,
    NationalRegime,
    Obligation,
    Prohibition,
    Source,
    Zone,
    ZoneList,
)
from kuajing.errors import CatalogError, CatalogInvalid
from kuajing.yamlio import Document, format_path, parse
from kuajing.yamlio import Path as KeyPath

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
M = TypeVar("M", bound=BaseModel)


class _Meta(Strict):
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    released: dt.date


class _Sources(Strict):
    sources: dict[str, Source]


class _Prohibitions(Strict):
    prohibitions: list[Prohibition]


class _Obligations(Strict):
    obligations: list[Obligation]


class _Zones(Strict):
    zones: list[Zone]
    adoptions: list[Adoption] = Field(default_factory=list)


class _Reader:
    """Reads the files of one catalogue directory, collecting every error."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[CatalogError] = []
        self.docs: dict[str, Document] = {}
        self.models: dict[str, BaseModel] = {}
        self.hash = hashlib.sha256()

    def read(self, rel: str, model: type[M]) -> M | None:
        path = self.root / rel
        if not path.is_file():
            self.errors.append(CatalogError("file is missing", file=rel))
            return None
        raw = path.read_bytes()
        self.hash.update(rel.encode() + b"\0" + raw)
        try:
            doc = parse(raw.decode("utf-8"), lambda m, ln: CatalogError(m, file=rel, line=ln))
        except CatalogError as exc:
            self.errors.append(exc)
            return None
        except UnicodeDecodeError:
            self.errors.append(CatalogError("file is not UTF-8", file=rel))
            return None
        self.docs[rel] = doc
        try:
            item = model.model_validate(doc.data)
        except ValidationError as exc:
            self.errors.extend(_located(exc, rel, doc))
            return None
        self.models[rel] = item
        return item

    def error(self, rel: str, path: KeyPath, message: str) -> None:
        doc = self.docs.get(rel)
        line = doc.line_of(path) if doc else None
        self.errors.append(CatalogError(message, file=rel, line=line, path=format_path(path)))


def _located(exc: ValidationError, rel: str, doc: Document) -> Iterator[CatalogError]:
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
        msg = err["msg"].removeprefix("Value error, ")
        yield CatalogError(msg, file=rel, line=doc.line_of(loc), path=format_path(loc))


def load_catalog(root: Path | str = RULES_DIR) -> Catalog:
    """Load and cross-check a catalogue directory; raise `CatalogInvalid` listing every problem."""
    reader = _Reader(Path(root))
    meta = reader.read("catalog.yaml", _Meta)
    sources = reader.read("sources.yaml", _Sources)
    regimes = _read_all(reader, "national/regimes", NationalRegime)
    prohibitions = reader.read("national/prohibitions.yaml", _Prohibitions)
    obligations = reader.read("national/obligations.yaml", _Obligations)
    zones = reader.read("zones.yaml", _Zones)
    lists = _read_all(reader, "lists", ZoneList)
    if reader.errors or not (meta and sources and prohibitions and obligations and zones):
        raise CatalogInvalid(reader.errors or [CatalogError("catalogue incomplete")])
    catalog = Catalog(
        version=meta.version,
        released=meta.released,
        digest=reader.hash.hexdigest()[:12],
        sources=sources.sources,
        regimes=sorted(regimes.values(), key=lambda r: r.in_force.start),
        prohibitions=prohibitions.prohibitions,
        obligations=obligations.obligations,
        zones={z.id: z for z in zones.zones},
        adoptions=zones.adoptions,
        lists={z.id: z for z in lists.values()},
    )
    from kuajing.catalog.checks import cross_check  # noqa: PLC0415  (checks import the catalog)

    cross_check(catalog, reader, regimes, lists, iter_cites)
    if reader.errors:
        raise CatalogInvalid(reader.errors)
    return catalog


def _read_all(reader: _Reader, folder: str, model: type[M]) -> dict[str, M]:
    out: dict[str, M] = {}
    base = reader.root / folder
    for path in sorted(base.rglob("*.yaml")) if base.is_dir() else []:
        rel = path.relative_to(reader.root).as_posix()
        item = reader.read(rel, model)
        if item is not None:
            out[rel] = item
    return out


def iter_cites(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Cite]]:
    """Every citation inside a model, with its key path."""
    if isinstance(value, Cite):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from iter_cites(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from iter_cites(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_cites(item, (*path, key))


@cache
def default_catalog() -> Catalog:
    """The catalogue shipped with kuajing, loaded once per process."""
    return load_catalog(RULES_DIR)
