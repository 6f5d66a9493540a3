"""Procedures as data: the filings a decision requires, as state machines with cited deadlines.

A procedure has states, the events that move a filing between them, the deadlines those events
start (counted in PRC working days, calendar days, months or years from an event, or from another
deadline), and the materials to prepare. A procedure the reference does not give is `unknown`: it
carries no states, only a note saying what is missing, and a filing under it needs review.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kuajing.catalog.base import Cited, Ident, Pathway, Period, Strict, Text

DeadlineKind = Literal["due", "opens", "expires", "review"]
# due: the company must act by then; opens: a window opens (acting earlier is refused);
# expires: a validity ends; review: the authority's own clock (for information, not the company's).


class Offset(Strict):
    """How far a deadline lies from its anchor: exactly one unit. Negative: before the anchor."""

    working_days: int | None = None
    calendar_days: int | None = None
    months: int | None = None
    years: int | None = None

    @model_validator(mode="after")
    def _one(self) -> Offset:
        given = [v for v in (self.working_days, self.calendar_days, self.months, self.years) if v]
        if len(given) != 1:
            raise ValueError("give exactly one non-zero unit: working_days, calendar_days, ...")
        return self


class Anchor(Strict):
    """What a deadline counts from: the latest of some events, or another deadline's date."""

    event: list[str] = Field(default_factory=list)
    deadline: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Anchor:
        if bool(self.event) == (self.deadline is not None):
            raise ValueError("anchor on events or on a deadline, not both or neither")
        return self


class DeadlineRule(Cited):
    id: str = Ident
    name: Text
    rule: str  # the law's rule id, e.g. SCC-7-1
    kind: DeadlineKind
    after: Anchor
    offset: Offset
    met_by: list[str] = Field(default_factory=list)  # events that stop the clock
    requires: list[str] = Field(default_factory=list)  # events without which it does not apply
    roll: bool = False  # Civil Code Art 203: a last day that is not a working day moves on


class State(Strict):
    id: str = Ident
    name: Text
    final: bool = False


class Transition(Strict):
    event: str = Ident
    name: Text
    start: list[str] = Field(alias="from", min_length=1)  # "*": any state that is not final
    to: str | None = None  # None: the state stays (the event records a date)
    not_before: str | None = None  # a deadline (kind `opens`) before which the event is refused
    not_after: str | None = None  # a deadline after whose date the event is refused
    by: Literal["company", "zone"] = "company"  # who records it: the exporter or the zone


class Material(Cited):
    id: str = Ident
    name: Text
    document: str | None = None  # a document kuajing writes for it (filing.documents kinds)


ChangeKind = Literal["threshold_crossed", "facts_changed", "edition_changed"]
# threshold_crossed: a transfer the filing covers now needs a security assessment;
# facts_changed: its recipient, scenario or fields changed;
# edition_changed: it is now decided under another edition of its zone's list.


class ChangeRule(Cited):
    """A change that needs a new or supplementary filing, and the task it raises. The text may
    name {transfer}, {what} (what changed), {regime} and {old} (the lists)."""

    change: ChangeKind  # not `on`: YAML 1.1 reads that key as true
    task: str = Ident
    rule: str
    text: Text


class ReviewStep(Cited):
    """A step the company submits to its zone's service centre, and what the centre's answers
    record on the filing. `clock` names the procedure's deadline the centre must answer by."""

    submit: str = Ident  # the company's event that submits it
    kind: Literal["application", "filing", "report"]
    clock: str | None = None  # a deadline of kind `review`; None: no time limit is known
    approve: str | None = None  # the event an approval records (None: records nothing)
    reject: str | None = None
    opinion: bool = False  # the centre gives its opinion on whether the data is on the list


class Applies(Strict):
    """Which decisions need this procedure."""

    pathways: list[Pathway] = Field(default_factory=list)  # any of these (empty: any pathway)
    zones: list[str] = Field(default_factory=list)  # exporter registered in one of these zones
    regimes: list[str] = Field(default_factory=list)  # the transfer decided under these lists
    route: Literal["standard_contract", "certification"] | None = None  # for the SCC band


class Procedure(Cited):
    id: str = Ident
    name: Text
    authority: Text
    status: Literal["encoded", "unknown"] = "encoded"
    note: Text | None = None  # what is uncertain or missing, said to the user
    in_force: Period
    applies: Applies
    start: str | None = None
    states: list[State] = Field(default_factory=list)
    transitions: list[Transition] = Field(default_factory=list)
    deadlines: list[DeadlineRule] = Field(default_factory=list)
    materials: list[Material] = Field(default_factory=list)
    changes: list[ChangeRule] = Field(default_factory=list)
    review: list[ReviewStep] = Field(default_factory=list)  # what the zone's centre reviews
    # filing: a decision requires it; supervision: a zone's inspection, opened by the zone.
    role: Literal["filing", "supervision"] = "filing"
    rule: str | None = None  # the law's rule id a supervision procedure's findings cite

    @model_validator(mode="after")
    def _shape(self) -> Procedure:
        if self.status == "unknown":
            if self.states or self.transitions or self.deadlines or self.note is None:
                raise ValueError("an unknown procedure has a note and no states or deadlines")
            return self
        if not self.states or self.start is None:
            raise ValueError("an encoded procedure needs states and a start state")
        return self

    def state(self, state_id: str) -> State:
        return next(s for s in self.states if s.id == state_id)

    def deadline(self, deadline_id: str) -> DeadlineRule:
        return next(d for d in self.deadlines if d.id == deadline_id)

    def transition(self, event: str) -> Transition | None:
        return next((t for t in self.transitions if t.event == event), None)

    def review_step(self, submit: str) -> ReviewStep | None:
        return next((r for r in self.review if r.submit == submit), None)

    @property
    def events(self) -> set[str]:
        return {t.event for t in self.transitions}


class Procedures(Strict):
    """One file of `rules/procedures/`."""

    procedures: list[Procedure]
