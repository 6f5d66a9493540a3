"""Reading catalogue files while collecting every problem, each naming its file, line and key
path. The loader reads with it; the integrity checks report their problems through it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from kuajing.errors import CatalogError
from kuajing.yamlio import Document, format_path, parse
from kuajing.yamlio import Path as KeyPath

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"  # the shipped catalogue
M = TypeVar("M", bound=BaseModel)


class Reader:
    """Reads catalogue files, collecting every error. Files are named by their display name:
    the path relative to the shipped catalogue, or the overlay directory joined to it."""

    def __init__(self) -> None:
        self.errors: list[CatalogError] = []
        self.docs: dict[str, Document] = {}
        self.models: dict[str, BaseModel] = {}
        self.hash = hashlib.sha256()

    def read(self, path: Path, rel: str, model: type[M]) -> M | None:
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
