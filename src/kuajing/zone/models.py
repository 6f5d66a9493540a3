"""The zone console's typed values: what a company submitted to its zone, what the centre did,
the inspections it opened, the notices organisations get and the list editions a zone imports."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

SubmissionKind = Literal["application", "filing", "report"]
SubmissionState = Literal["submitted", "info_requested", "approved", "rejected", "withdrawn"]
SUBMISSION_FINAL: tuple[SubmissionState, ...] = ("approved", "rejected", "withdrawn")
# What the centre says about the data: on the list (a national pathway applies), not on it (it
# flows freely under the list), or outside the list's sectors (the national rules apply).
Opinion = Literal["on_list", "not_on_list", "outside_scope"]
OPINIONS: tuple[Opinion, ...] = ("on_list", "not_on_list", "outside_scope")
# The centre's answers and the company's, on a submission.
ReviewAction = Literal["request_info", "answer", "approve", "reject", "opinion", "withdraw"]
ZONE_ACTIONS: tuple[ReviewAction, ...] = ("request_info", "approve", "reject", "opinion")
COMPANY_ACTIONS: tuple[ReviewAction, ...] = ("answer", "withdraw")


class HistoryEvent(BaseModel):
    action: str
    on: dt.date
    recorded_at: str
    by: str  # the user's name
    organisation: str  # their organisation's name
    zone_side: bool  # recorded by the zone's centre (else by the company)
    reason: str | None = None
    state: str
    detail: dict[str, Any] = Field(default_factory=dict)


class Submission(BaseModel):
    id: str
    filing_id: str
    organisation_id: int
    organisation: str  # the company's name
    zone: str
    procedure: str
    step: str  # the filing event that submitted it
    kind: SubmissionKind
    state: SubmissionState
    clock_from: dt.date  # the centre's clock runs from here (submitted, or answered)
    opinion: Opinion | None = None
    created_at: str
    closed: bool
    history: list[HistoryEvent] = Field(default_factory=list)


class Inspection(BaseModel):
    id: str
    filing_id: str
    organisation_id: int
    organisation: str
    zone: str
    state: str  # a state of the supervision procedure
    declared: dict[str, Any]  # zone.consistency.Declared, as stored
    report: dict[str, Any] | None = None  # zone.consistency.Report, once compared
    rectify_by: dt.date | None = None
    created_at: str
    closed: bool
    history: list[HistoryEvent] = Field(default_factory=list)


class Notification(BaseModel):
    id: int
    subject: Literal["submission", "inspection", "edition", "forecast"]
    subject_id: str
    text: dict[str, str]  # zh and en
    created_at: str
    read_at: str | None = None


EditionState = Literal["draft", "published", "discarded"]


class Edition(BaseModel):
    id: str
    organisation_id: int
    zone: str
    list_id: str
    edition: str
    data: str  # the list as catalogue YAML
    sources: dict[str, Any]  # new sources it cites, as in sources.yaml
    replaces: str | None = None
    state: EditionState
    created_at: str
    effective_from: dt.date | None = None
    published_at: str | None = None
    private: bool = False  # a company's own copy of a list: its decisions only
