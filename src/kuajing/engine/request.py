"""The assessment request: a public contract shared by the CLI, the API and users' scripts."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kuajing.catalog.models import Exemption

Count = Field(default=0, ge=0)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Counts(_Input):
    """Distinct persons. `persons` (optional) is the number of distinct persons whose PI of any
    kind is counted, when it is known: between max(personal, sensitive) and their sum."""

    personal: int = Count
    sensitive: int = Count
    persons: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _persons_consistent(self) -> Counts:
        if self.persons is not None:
            low, high = max(self.personal, self.sensitive), self.personal + self.sensitive
            if not low <= self.persons <= high:
                raise ValueError(f"persons must be between {low} and {high}")
        return self


class Prior(Counts):
    """Distinct persons already exported, not exempt, in the counting window before this request."""

    scenarios: dict[str, Counts] = Field(default_factory=dict)


class Processor(_Input):
    name: str = Field(min_length=1)
    ciio: bool = False
    zone: str | None = None
    sector: str | None = None
    persons_processed: int | None = Field(default=None, ge=0)


class Recipient(_Input):
    name: str | None = None
    country: str | None = None
    foreign_authority: bool = False  # a foreign judicial or law-enforcement body
    restricted_list: bool = False  # on the CAC restriction or prohibition list (PIPL Art. 42)


class Transfer(Counts):
    id: str = Field(min_length=1)
    scenario: str | None = None
    exemption: Exemption | None = None
    recipient: Recipient = Field(default_factory=Recipient)
    important_data: list[str] = Field(default_factory=list)
    core_data: bool = False
    fields: list[str] = Field(default_factory=list)
    # How long the recipient keeps the data abroad. Not used by the pathway decision; a longer
    # period than the one filed calls for a supplementary filing (SCC Measures Art 8).
    retention_months: int | None = Field(default=None, ge=1, le=1200)

    @property
    def has_pi(self) -> bool:
        return self.personal > 0 or self.sensitive > 0


class Request(_Input):
    date: dt.date = Field(default_factory=dt.date.today)
    processor: Processor
    prior: Prior = Field(default_factory=Prior)
    transfers: list[Transfer] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Request:
        seen: set[str] = set()
        for t in self.transfers:
            if t.id in seen:
                raise ValueError(f"duplicate transfer id {t.id!r}")
            seen.add(t.id)
        return self
