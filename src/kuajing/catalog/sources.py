"""The documents the catalogue cites (`sources.yaml`), in a module of their own: reading the
personal-data rules alone (a scan) checks its citations against them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import model_validator

from kuajing.catalog.base import Confidence, Strict, Text


class Source(Strict):
    """One source the catalogue relies on, as a lawyer would find it.

    A `document` is a public text: it needs a URL, or its issuer (a law, a notice, an article
    known by title and issuer). An `interpretation` is kuajing's own documented reading where the
    texts leave a point open: its reasoning in both languages (`text`), a grade, and the
    documents it reads (`basis`), and no URL. `seed` and `reference` say where the project read
    it (a seed document, a section of its research notes): internal, shown only among the
    technical details."""

    kind: Literal["document", "interpretation"] = "document"
    title: Text
    issuer: str | None = None
    url: str | None = None
    published: dt.date | None = None
    text: Text | None = None
    confidence: Confidence | None = None
    basis: tuple[str, ...] = ()
    seed: str | None = None
    reference: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if self.kind == "interpretation":
            if self.text is None or self.confidence is None:
                raise ValueError("an interpretation needs its 'text' (zh and en) and 'confidence'")
            if self.url:
                raise ValueError("an interpretation is kuajing's own: it has no 'url'")
        elif self.text is not None or self.confidence is not None or self.basis:
            raise ValueError("'text', 'confidence' and 'basis' belong to an interpretation")
        elif not (self.url or self.issuer):
            raise ValueError("a document needs a 'url' or, failing one, its 'issuer'")
        return self


class Sources(Strict):
    """`sources.yaml`: every source by its id."""

    sources: dict[str, Source]
