"""The decision: typed output of the engine, rendered by the CLI and served by the API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog.base import Confidence, Located, Pathway

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
    document: Located | None = None  # read from an official document: where
    loaded: str | None = None  # the same, as a sentence in the decision's language


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


class ReadingOut(BaseModel):
    """The answer under one reading of the facts no source states (see `readings`)."""

    reading: str  # how a person says it: "beijing-2025 by registration"
    facts: dict[str, str]  # fact -> the reading taken ("beijing-2025:test": "registration")
    pathway: Pathway
    status: Status
    regime: str


class Guidance(BaseModel):
    """What the nearest earlier edition of the governing list said of this transfer, where the
    edition in force cannot decide it. Guidance for the reader, never the decision."""

    edition: str  # the earlier edition's list id
    title: str
    in_force_until: dt.date | None
    scenario: str | None
    pathway: Pathway
    status: Status
    reasons: list[Reason]


class TransferDecision(BaseModel):
    id: str
    pathway: Pathway
    status: Status
    regime: str
    origin: str = "shipped"  # where the governing list came from: shipped, or an overlay dir
    scenario: str | None = None
    scenario_name: str | None = None  # the sector or scenario as the list names it
    # The earlier edition's scope that the governing edition incorporates, when it does:
    # "beijing-2025, incorporating beijing-2024/pharmaceuticals/clinical_trial".
    incorporated_from: str | None = None
    reasons: list[Reason]
    obligations: list[ObligationOut]
    missing: list[str]
    fields: list[FieldPlacement] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # Each reading of the facts no source states, where the answer was tried under several.
    readings: list[ReadingOut] = Field(default_factory=list)
    guidance: Guidance | None = None


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
