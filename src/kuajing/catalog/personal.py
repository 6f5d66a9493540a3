"""The personal-data rules (`personal_data.yaml`): the kinds of value the scanner recognises,
what the law makes of each, and the rule on minors; and their loader. A module of their own, so
a scan without a zone reads them without building every catalogue model."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from kuajing.catalog.base import Cited, Strict, Text, iter_cites
from kuajing.catalog.reader import RULES_DIR, Reader
from kuajing.catalog.sources import Sources
from kuajing.errors import CatalogError, CatalogInvalid


class Minors(Cited):
    """PIPL Art. 28: every piece of PI of a minor under `age_below` is sensitive."""

    age_below: int = Field(ge=1)
    text: Text


class DataKind(Cited):
    """A kind of value the scanner recognises, and what the law makes of it. `person_key` ranks
    the identifiers used to count distinct persons (1 = preferred); `fields` are the field names
    zone lists use for this kind; `names` are column names that are evidence of it."""

    name: Text
    personal: bool
    sensitive: bool
    basis: Text
    review: Text | None = None
    person_key: int | None = Field(default=None, ge=1)
    evidence: Literal["strong", "weak", "name"]
    fields: list[str] = Field(default_factory=list)
    names: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> DataKind:
        if self.sensitive and not self.personal:
            raise ValueError("sensitive personal information must be personal information")
        if self.person_key is not None and not self.personal:
            raise ValueError("only personal information can name a person")
        return self


class PersonalData(Strict):
    minors: Minors
    kinds: dict[str, DataKind] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_unique(self) -> PersonalData:
        owner: dict[str, str] = {}
        for kind, item in self.kinds.items():
            for name in item.names:
                key = "".join(ch for ch in name.lower() if ch.isalnum())
                if owner.setdefault(key, kind) != kind:
                    raise ValueError(f"column name {name!r} is given for {owner[key]} and {kind}")
        ranks = [k.person_key for k in self.kinds.values() if k.person_key is not None]
        if len(ranks) != len(set(ranks)):
            raise ValueError("two kinds have the same person_key rank")
        return self


@cache
def default_personal_data(root: Path | str = RULES_DIR) -> PersonalData:
    """Only what a scan without a zone needs: `personal_data.yaml`, its citations checked
    against `sources.yaml` (a small part of loading the whole catalogue). Raise
    `CatalogInvalid` listing every problem."""
    base, reader = Path(root), Reader()
    sources = reader.read(base / "sources.yaml", "sources.yaml", Sources)
    personal = reader.read(base / "personal_data.yaml", "personal_data.yaml", PersonalData)
    if sources is None or personal is None or reader.errors:
        raise CatalogInvalid(reader.errors or [CatalogError("catalogue incomplete")])
    for path, cite in iter_cites(personal):
        if cite.source not in sources.sources:
            reader.error("personal_data.yaml", (*path, "source"), f"unknown source {cite.source!r}")
    if reader.errors:
        raise CatalogInvalid(reader.errors)
    return personal
