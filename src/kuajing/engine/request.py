"""The assessment request: a public contract shared by the CLI, the API and users' scripts."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kuajing.catalog.models import Exemption
from kuajing.engine.countries import country_code

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
        # Everyone in the larger counter is a distinct person, and the sum counts a person in
        # both counters twice: the distinct total lies between them. Typed errors, so a form
        # can say it in its reader's language (ctx: persons, low, high).
        if self.persons is None:
            return self
        low, high = max(self.personal, self.sensitive), self.personal + self.sensitive
        ctx = {"persons": self.persons, "low": low, "high": high}
        if self.persons < low:
            raise PydanticCustomError(
                "persons_too_few",
                f"persons ({self.persons:,}) is fewer than the {low:,} counted in personal or "
                "sensitive: everyone counted there is a distinct person. Give at least "
                f"{low:,}, or leave persons out",
                ctx,
            )
        if self.persons > high:
            raise PydanticCustomError(
                "persons_too_many",
                f"persons ({self.persons:,}) is more than personal and sensitive together "
                f"({high:,}): distinct persons cannot outnumber those counted. Give at most "
                f"{high:,}, or leave persons out",
                ctx,
            )
        return self


class Prior(Counts):
    """Distinct persons already exported, not exempt, in the counting window before this request."""

    scenarios: dict[str, Counts] = Field(default_factory=dict)


class Place(_Input):
    """Where a processor is registered, or carries out an export: a city and, optionally, the
    free trade zone (or special area) within it. Names as the catalogue knows them."""

    city: str | None = None
    zone: str | None = None


class Processor(_Input):
    """`zone` is the short form: registered in that zone and exporting from it. `registered`
    and `exports_from` say each place apart (`exports_from` defaults to `registered`)."""

    name: str = Field(min_length=1)
    ciio: bool = False
    zone: str | None = None
    registered: Place | None = None
    exports_from: Place | None = None
    sector: str | None = None
    persons_processed: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_registration(self) -> Processor:
        if self.zone is not None and self.registered is not None:
            raise ValueError("give processor.zone or processor.registered, not both")
        return self

    @property
    def home_zone(self) -> str | None:
        """The zone where the processor is registered, as given (a name, not yet resolved)."""
        return self.zone if self.zone is not None else (self.registered or Place()).zone


class Recipient(_Input):
    name: str | None = None
    # ISO 3166-1 alpha-2 ("DE"). A country's English or Chinese name ("Germany", "德国") is
    # taken as its code; other values are refused, except in requests read back from the log
    # (validation context {"logged": True}), which keep what was accepted when they were made.
    country: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 code, e.g. DE; an English or Chinese country name "
        "(Germany, 德国) is taken as its code",
    )
    foreign_authority: bool = False  # a foreign judicial or law-enforcement body
    restricted_list: bool = False  # on the CAC restriction or prohibition list (PIPL Art. 42)

    @field_validator("country")
    @classmethod
    def _iso_code(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return None
        try:
            return country_code(value)
        except ValueError:
            if (info.context or {}).get("logged"):
                return value
            raise PydanticCustomError(
                "country_code",
                "'{value}' is not a country code: give the ISO 3166-1 two-letter code, "
                "e.g. DE for Germany, SG for Singapore",
                {"value": value},
            ) from None


class AlreadyCounted(Counts):
    """How many of a transfer's persons are already counted before it: in `prior` or in an
    earlier transfer of the request (the same customers sent to a second recipient). They do
    not count again."""


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
    already_counted: AlreadyCounted | None = None

    @model_validator(mode="after")
    def _already_within(self) -> Transfer:
        a = self.already_counted
        if a is None:
            return self
        for counter in ("personal", "sensitive"):
            if getattr(a, counter) > getattr(self, counter):
                raise ValueError(
                    f"already_counted.{counter}: {getattr(a, counter):,} is more than the "
                    f"transfer's {getattr(self, counter):,}"
                )
        if a.persons is not None and self.persons is not None and a.persons > self.persons:
            raise ValueError(
                f"already_counted.persons: {a.persons:,} is more than the transfer's "
                f"{self.persons:,}"
            )
        return self

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
        for at, t in enumerate(self.transfers):
            if t.id in seen:
                raise PydanticCustomError(
                    "duplicate_id", "duplicate transfer id '{id}'", {"id": t.id, "at": at}
                )
            seen.add(t.id)
        return self
