"""Filings and their deadlines as typed values: what the store keeps and the engine computes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from kuajing.catalog.base import Confidence
from kuajing.catalog.procedures import DeadlineKind

DeadlineState = Literal[
    "not_started",  # its anchor event has not happened
    "due",  # the company must act by `date`
    "overdue",
    "met",  # an event that satisfies it was recorded
    "not_yet_open",  # a window that opens on `date`
    "open",
    "running",  # a validity that ends on `date`
    "expired",
    "in_review",  # the authority's clock
    "review_late",
    "closed",  # the filing ended before it was met
]


class Event(BaseModel):
    event: str
    on: dt.date  # when it happened (as the user says)
    recorded_at: str  # when it was recorded (UTC, ISO 8601)
    by: str | None = None  # the user who recorded it
    note: str | None = None
    state: str | None = None  # the state it led to


class DeadlineStatus(BaseModel):
    id: str
    name: str
    rule: str
    kind: DeadlineKind
    state: DeadlineState
    date: dt.date | None = None  # None: not started
    provisional: bool = False  # counted across a year without a holiday notice
    assumption: str | None = None  # what was assumed, when provisional
    waits_for: list[str] = Field(default_factory=list)  # events that would start it
    confidence: Confidence
    days_left: int | None = None  # calendar days from `as_of` (negative: past)


class Filing(BaseModel):
    id: str
    organisation_id: int
    procedure: str
    state: str | None  # None: the procedure is unknown (needs review)
    decision_id: str | None = None
    transfers: list[str] = Field(default_factory=list)
    subject: str  # what it is about, in the language it was created in
    created_at: str
    closed: bool = False
    events: list[Event] = Field(default_factory=list)


class Task(BaseModel):
    """Something the company must do that is not yet a filing: a change that needs a new or
    supplementary filing, detected from a decision or the ledger."""

    id: str
    organisation_id: int
    kind: str  # e.g. supplementary_filing, new_assessment
    rule: str
    text: dict[str, str]  # zh and en
    filing_id: str | None = None
    decision_id: str | None = None
    created_at: str
    done_at: str | None = None
