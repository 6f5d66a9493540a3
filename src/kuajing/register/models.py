"""A flow: one recurring export in an organisation's register, and the request it stands for.

A flow's volumes are per period: `personal` and `sensitive` are the distinct persons each
period adds who were not sent before this year (a monthly export of the same 5,000 customers
adds 5,000 in its first month and none after). The year's expected count is a period's
figure times the periods of the year (`periods_in_year`), which is what an assessment of the
flow counts, as the thresholds count the persons of the calendar year."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Literal, get_args

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from kuajing.catalog.models import Exemption
from kuajing.engine.request import Counts, Recipient, Transfer

Frequency = Literal["daily", "weekly", "monthly", "quarterly", "yearly", "once"]
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
FlowStatus = Literal["planned", "active", "paused", "retired"]
FLOW_STATUSES: tuple[FlowStatus, ...] = get_args(FlowStatus)
# The flows a register's request, and its forecast, stand for: those running or to come.
IN_REQUEST: tuple[FlowStatus, ...] = ("planned", "active")

# Periods per calendar year; "once" is one export in the year.
_PER_YEAR: dict[Frequency, float] = {
    "daily": 365.0,
    "weekly": 52.0,
    "monthly": 12.0,
    "quarterly": 4.0,
    "yearly": 1.0,
    "once": 1.0,
}
KEY_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
# Keys the register's pages take for themselves (/register/new, /import, /whatif): a flow so
# named could not be reached there, so none may be (from the form, a file or the API).
RESERVED_KEYS = ("new", "import", "whatif")
# The text fields: a control character (other than tab and line breaks) in one is refused, as a
# spreadsheet cannot hold it and the register is exported as one.
_TEXTS = ("name", "source_system", "scenario", "categories", "fields", "legal_basis", "owner",
          "important_data")  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _plain(text: object) -> None:
    if isinstance(text, str) and _CONTROL.search(text):
        raise PydanticCustomError("control_character", "contains a control character")


class Flow(Counts):
    """`personal`, `sensitive` (and `persons`, when known): distinct new persons per period."""

    key: str = Field(pattern=KEY_PATTERN, description="the flow's id, e.g. trial-data")
    name: str = Field(min_length=1, max_length=400)
    source_system: str | None = Field(default=None, max_length=400)
    scenario: str | None = None
    categories: list[str] = Field(default_factory=list)  # data categories, as the owner names them
    fields: list[str] = Field(default_factory=list)
    recipient: Recipient = Field(default_factory=Recipient)
    exemption: Exemption | None = None
    legal_basis: str | None = Field(default=None, max_length=400)
    frequency: Frequency = "monthly"
    starts: dt.date | None = None  # the first export; None: already running
    owner: str | None = Field(default=None, max_length=400)
    status: FlowStatus = "active"
    important_data: list[str] = Field(default_factory=list)

    @field_validator("key", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("key")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_KEYS:
            raise PydanticCustomError(
                "reserved_key",
                "'{key}' is a word the register's pages use: choose another key",
                {"key": value},
            )
        return value

    @field_validator("starts", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        # pydantic would read a number as seconds since 1970: a date is given as YYYY-MM-DD.
        if isinstance(value, int | float):
            raise PydanticCustomError("date_type", "a date is given as YYYY-MM-DD")
        return value

    @field_validator("personal", "sensitive", "persons", mode="before")
    @classmethod
    def _whole(cls, value: object) -> object:
        # A count is a whole number as written, not text or a truth value pydantic would read.
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise PydanticCustomError("int_type", "a count is a whole number, e.g. 1000")
        return value

    @field_validator("recipient", mode="before")
    @classmethod
    def _flags(cls, value: object) -> object:
        # yes/no as true or false: pydantic would also read 0, 1 and "off" as truth values.
        if isinstance(value, dict):
            for flag in ("foreign_authority", "restricted_list"):
                if flag in value and not isinstance(value[flag], bool):
                    raise PydanticCustomError("bool_type", f"{flag} is true or false")
            _plain(value.get("name"))
        return value

    @field_validator(*_TEXTS, mode="after")
    @classmethod
    def _printable(cls, value: object) -> object:
        for text in value if isinstance(value, list) else [value]:
            _plain(text)
        return value

    def periods_in_year(self, year: int) -> float:
        """Periods of the flow in the calendar year: all of them, or from `starts` on."""
        per_year = _PER_YEAR[self.frequency]
        if self.starts is None or self.starts.year < year:
            return per_year
        if self.starts.year > year:
            return 0.0
        if self.frequency == "once":
            return 1.0
        first, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        share = (end - self.starts).days / (end - first).days
        return math.ceil(per_year * share)

    def expected_year(self, year: int) -> tuple[int, int]:
        """(personal, sensitive) distinct persons the flow is expected to export in `year`."""
        n = self.periods_in_year(year)
        return round(self.personal * n), round(self.sensitive * n)

    def transfer(self, year: int) -> Transfer:
        """The request's transfer for this flow: the year's expected volumes, the flow's key as
        its id."""
        personal, sensitive = self.expected_year(year)
        persons = None
        if self.persons is not None:  # scaled within [max, sum] of the scaled counters
            scaled = round(self.persons * self.periods_in_year(year))
            persons = min(max(scaled, personal, sensitive), personal + sensitive)
        return Transfer(
            id=self.key,
            scenario=self.scenario,
            exemption=self.exemption,
            recipient=self.recipient,
            important_data=self.important_data,
            fields=self.fields,
            personal=personal,
            sensitive=sensitive,
            persons=persons,
        )
