"""The zone what-if's answer: each option (national rules, registered in a zone, a list used
through adoption) with its pathways, procedures and burden, ranked lightest first."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from kuajing.catalog.base import Pathway
from kuajing.engine.decision import Status

Basis = Literal["national", "registered", "adopted"]
ClockKind = Literal["due", "review"]


class Clock(BaseModel):
    """A statutory clock of a procedure in PRC working days: `due` the company's, `review`
    the authority's."""

    deadline: str
    name: str
    kind: ClockKind
    working_days: int


class ProcedureNeeded(BaseModel):
    id: str
    name: str
    authority: str
    known: bool  # False: the reference gives no steps or time limits (see `note`)
    note: str | None = None
    transfers: list[str]
    clocks: list[Clock]
    working_days: int  # the clocks' working days added up


class TransferOption(BaseModel):
    id: str
    pathway: Pathway
    status: Status
    regime: str  # the governing list's id, or "national"
    regime_name: str
    scenario_name: str | None = None
    missing: list[str] = Field(default_factory=list)  # why it needs review


class Burden(BaseModel):
    """What ranks the option: its strictest pathway, then the number of procedures, then (among
    options known alike) the working days of their clocks. For an uncertain option, the worst
    case: each transfer that needs review counted as needing a security assessment."""

    pathway: Pathway
    procedures: list[str]  # procedure ids counted
    working_days: int
    worst_case: bool


class Option(BaseModel):
    key: str  # "national", "registered:beijing", "adopted:beijing-2024"
    basis: Basis
    zone: str | None  # the zone whose list the option rests on; None: national rules only
    zone_name: str | None = None
    registered_in: str | None  # where the company is registered under this option
    adopted: str | None = None  # the id of the list adopted (adopted options)
    adopted_name: str | None = None
    actual: bool  # the company's own situation today
    pathway: Pathway
    status: Status
    transfers: list[TransferOption]
    procedures: list[ProcedureNeeded]
    missing: list[str]
    uncertain: bool
    uncertain_reasons: list[str]
    burden: Burden
    rank: int  # 1 = lightest; equal burdens share a rank


class WhatIf(BaseModel):
    date: dt.date
    processor: str
    actual_zone: str | None
    route: Literal["standard_contract", "certification"]
    ranking: str  # how the options are ranked, said plainly
    options: list[Option]
