"""The documents the catalogue cites (`sources.yaml`), in a module of their own: reading the
personal-data rules alone (a scan) checks its citations against them."""

from __future__ import annotations

import datetime as dt

from pydantic import model_validator

from kuajing.catalog.base import Strict, Text


class Source(Strict):
    """One document the catalogue relies on. It needs a URL, a seed document's file name, or the
    section of the project's reference notes (`shared/reference/`) where the finding is argued."""

    title: Text
    issuer: str | None = None
    url: str | None = None
    seed: str | None = None
    reference: str | None = None
    published: dt.date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if not (self.url or self.seed or self.reference):
            raise ValueError("a source needs a 'url', a 'seed' file name or a 'reference'")
        return self


class Sources(Strict):
    """`sources.yaml`: every source by its id."""

    sources: dict[str, Source]
