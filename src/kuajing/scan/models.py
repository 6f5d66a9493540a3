"""The scan report: a public JSON contract that other commands and users' scripts depend on.

`sources`, `rows`, `columns[].{name, kind, sensitive, confidence, matched, checked, entries}` and
`persons.{key, distinct}` are the contract; the other fields add to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog.base import Text

Kind = Literal[
    "resident_id",
    "passport",
    "hk_macau_permit",
    "taiwan_permit",
    "mobile_phone",
    "landline_phone",
    "email",
    "person_name",
    "address",
    "birth_date",
    "bank_card",
    "license_plate",
    "vin",
    "gps_location",
    "ip_address",
    "medical",
    "biometric",
    "organization_code",
    "none",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    name: str | None = None  # the kind the column name points to
    values: str | None = None  # the kind most values match
    name_score: float = 0.0
    value_rate: float = 0.0  # matched / checked for the `values` kind


class Column(_Model):
    name: str
    kind: Kind
    sensitive: bool
    confidence: float = Field(ge=0, le=1)
    matched: int = Field(ge=0)  # values of `kind` among those checked
    checked: int = Field(ge=0)  # non-empty values the detectors looked at
    entries: list[str] = Field(default_factory=list)  # catalogue list entries the column fills
    personal: bool = False
    filled: int = Field(default=0, ge=0)  # non-empty values in every row
    evidence: Evidence = Field(default_factory=Evidence)
    review: Text | None = None
    # "chongqing-2025: CQ25-SPI" when `sensitive` follows the governing list's own definition of
    # sensitive PI rather than the national one (scans given --zone and --scenario).
    sensitive_by: str | None = None


class Persons(_Model):
    key: list[str]  # the columns that name each row's person; empty when none was found
    distinct: int | None  # None: no key, so the count is unknown
    basis: Literal["given", "detected", "none"]
    key_kind: str | None = None
    missing: int = Field(default=0, ge=0)  # rows with nothing in the key columns
    sensitive: int | None = None  # distinct persons with sensitive PI in the data
    minors: int | None = None  # distinct persons under the minors' age on `as_of`


class File(_Model):
    source: str
    format: str
    encoding: str | None = None
    rows: int


class ScanReport(_Model):
    sources: list[str]
    rows: int
    columns: list[Column]
    persons: Persons
    personal: bool  # the data holds personal information
    sensitive: bool  # the data holds sensitive personal information
    as_of: dt.date
    sample: int | None = None  # detectors looked only at the first `sample` rows of each file
    zone: str | None = None
    scenario: str | None = None
    files: list[File] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
