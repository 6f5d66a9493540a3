"""The decision: typed output of the engine, rendered by the CLI and served by the API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog.base import Confidence, Pathway

Status = Literal["determined", "needs_review"]


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    article: str | None = None
    url: str | None = None
    seed: str | None = None
    reference: str | None = None
    confidence: Confidence
    note: str | None = None


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    text: str
    source: SourceRef
    sources: list[SourceRef] = Field(default_factory=list)
    pathway: Pathway | None = None
    facts: str | None = None


class ObligationOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    text: str
    source: SourceRef


class CountsOut(BaseModel):
    personal: int
    sensitive: int


class Counts(CountsOut):
    scenarios: dict[str, CountsOut] = Field(default_factory=dict)


class FieldPlacement(BaseModel):
    """Where a transfer's field falls in the governing list."""

    field: str
    sub_class: str | None = None  # None: the field could not be placed
    category: str | None = None
    entries: list[str] = Field(default_factory=list)


class TransferDecision(BaseModel):
    id: str
    pathway: Pathway
    status: Status
    regime: str
    origin: str = "shipped"  # where the governing list came from: shipped, or an overlay dir
    scenario: str | None = None
    reasons: list[Reason]
    obligations: list[ObligationOut]
    missing: list[str]
    fields: list[FieldPlacement] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Decision(BaseModel):
    pathway: Pathway
    status: Status
    date: dt.date
    rules_version: str
    national_regime: str
    window_start: dt.date
    counts: Counts
    transfers: list[TransferDecision]
    missing: list[str]
    trace: list[str] | None = None
