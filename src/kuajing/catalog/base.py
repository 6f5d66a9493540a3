"""Building blocks shared by every catalogue model: text, citations, periods, thresholds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kuajing.lang import Lang as Lang  # noqa: PLC0414  # re-export; CLI start-up needs it light
from kuajing.yamlio import Path as KeyPath

Confidence = Literal["H", "M", "L", "U"]
Counter = Literal["personal", "sensitive", "persons", "processed"]
Ident = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$")

GRADE_ORDER = {"H": 0, "M": 1, "L": 2, "U": 3}


class Pathway(StrEnum):
    """The legal pathways, ordered from lightest to strictest."""

    EXEMPT = "exempt"
    STANDARD_CONTRACT_OR_CERTIFICATION = "standard_contract_or_certification"
    SECURITY_ASSESSMENT = "security_assessment"
    PROHIBITED = "prohibited"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {p: i for i, p in enumerate(Pathway)}


def strictest(pathways: list[Pathway], default: Pathway = Pathway.EXEMPT) -> Pathway:
    return max(pathways, key=lambda p: p.rank, default=default)


class Strict(BaseModel):
    """Every catalogue model rejects unknown keys and is immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Strict):
    """User-facing text in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class Located(Strict):
    """Where in an official document (PDF, scan, DOCX, HTML) a list entry was read: the
    document's SHA-256, the page, the table and the row (1-based, header rows counted), the
    row's text as read, and who confirmed it and when (None: as read, not yet reviewed)."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    page: int = Field(ge=1)
    table: int = Field(ge=1)
    row: int = Field(ge=1)
    raw: str | None = None
    ocr: bool = False  # read from a page image
    reviewed_by: str | None = None
    reviewed_at: str | None = None  # ISO date and time


class Cite(Strict):
    """Where a value comes from: a source id from `sources.yaml`, the article, and a grade;
    `document` when it was read from an official document."""

    source: str
    article: str | None = None
    confidence: Confidence
    note: str | None = None
    document: Located | None = None


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


class Cited(Strict):
    """A catalogue item that carries at least one citation. Its grade is its best citation's."""

    cite: list[Cite] = Field(min_length=1)

    @field_validator("cite", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    @cached_property
    def confidence(self) -> Confidence:
        return min((c.confidence for c in self.cite), key=GRADE_ORDER.__getitem__)


class Period(Strict):
    """In force from `from` (inclusive) until `until` (inclusive; open when absent)."""

    start: dt.date = Field(alias="from")
    until: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.until is not None and self.until < self.start:
            raise ValueError(f"'until' {self.until} is before 'from' {self.start}")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


class Threshold(Strict):
    """A bound on a counter in the words of Chinese drafting (Civil Code Art. 1259):
    `at_least` = 以上 (includes), `more_than` = 超过 (excludes),
    `below` = 不满 (excludes), `at_most` = 以下 (includes)."""

    counter: Counter
    at_least: int | None = Field(default=None, ge=0)
    more_than: int | None = Field(default=None, ge=0)
    below: int | None = Field(default=None, ge=1)
    at_most: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _bounded(self) -> Threshold:
        bounds = (self.at_least, self.more_than, self.below, self.at_most)
        if all(b is None for b in bounds):
            raise ValueError("a threshold needs at least one bound")
        if self.at_least is not None and self.more_than is not None:
            raise ValueError("give either at_least or more_than, not both")
        if self.below is not None and self.at_most is not None:
            raise ValueError("give either below or at_most, not both")
        return self

    def reached(self, n: int) -> bool:
        return (
            (self.at_least is None or n >= self.at_least)
            and (self.more_than is None or n > self.more_than)
            and (self.below is None or n < self.below)
            and (self.at_most is None or n <= self.at_most)
        )

    def band(self) -> tuple[int, int | None]:
        """The counts that reach this threshold, as an inclusive range (upper None = unbounded)."""
        low = self.at_least if self.at_least is not None else 0
        low = self.more_than + 1 if self.more_than is not None else low
        high = self.at_most if self.at_most is not None else None
        high = self.below - 1 if self.below is not None else high
        return low, high

    def may_reach(self, low: int, high: int | None) -> bool:
        """Whether some count in [low, high] reaches the threshold (high None = unbounded)."""
        band_low, band_high = self.band()
        return (high is None or high >= band_low) and (band_high is None or low <= band_high)
